"""PDF: docgen's warm LibreOffice pool against Carbone's LibreOffice conversion, same document.

The document is the ``minutes`` example rendered once. docgen converts it with
a warm one-worker :class:`~docgen.pdf.ConverterPool`; Carbone 3 (npm, run by
benchmarks/js/render.js) gets the same .docx as a template without markers and
``convertTo: "pdf"``, with its own warm LibreOffice factory (``factories: 1,
startFactory: true``), so both sides pay one conversion by a running office and
Carbone also its (small) pass over a template with nothing to replace. Rounds
are interleaved; medians with p25–p75. Skipped, with a line saying why, without
LibreOffice or node.

    .venv/bin/python benchmarks/pdf_vs_carbone.py
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import docgen

sys.path.insert(0, str(Path(__file__).resolve().parent))
import peers

ROUNDS = 15


def carbone_environment() -> dict[str, str]:
    """PATH as Carbone 3 searches it on Linux: ``soffice.bin`` itself, and a python3 with uno.

    Carbone looks for ``soffice.bin`` (not the ``soffice`` wrapper) on PATH and
    runs its converter with the first ``python3`` there, so the LibreOffice
    program folder and the system Python (python3-uno) go first.
    """
    program = Path(os.path.realpath(shutil.which("soffice") or "soffice")).parent
    path = os.pathsep.join([str(program), "/usr/bin", os.environ.get("PATH", "")])
    return {**os.environ, "PATH": path}


def main() -> None:
    why_not = peers.node_available()
    if shutil.which("soffice") is None:
        why_not = "LibreOffice (soffice) is not installed"
    if why_not:
        print(f"{why_not}: PDF against Carbone skipped")
        print(json.dumps({"pdf_vs_carbone": None}))
        return
    from docgen.pdf import ConverterPool

    example = json.loads((peers.HERE.parent / "schemas" / "examples" / "minutes.json")
                         .read_text("utf-8"))
    content = docgen.render("minutes", example)
    with tempfile.TemporaryDirectory() as tmp:
        template = Path(tmp) / "minutes.docx"
        template.write_bytes(content)
        data = Path(tmp) / "empty.json"
        data.write_text("{}")
        node = peers.NodePeers(env=carbone_environment())
        try:
            node.call({"tool": "start-pdf"})
            job = {"tool": "carbone", "template": str(template), "data": str(data),
                   "convertTo": "pdf"}
            with ConverterPool(workers=1, timeout=60) as pool:
                pool.convert(content)  # warm both offices
                node.call(job)
                ours, theirs = [], []
                for _ in range(ROUNDS):
                    start = time.perf_counter()
                    pool.convert(content)
                    ours.append(time.perf_counter() - start)
                    theirs.append(float(node.call(job)["ms"]) / 1000)
        finally:
            node.close()
    a, b = peers.spread(ours), peers.spread(theirs)
    print(f"minutes to PDF, median (p25–p75): docgen pool {a[0] * 1000:.1f} ms "
          f"({a[1] * 1000:.1f}–{a[2] * 1000:.1f}), Carbone {b[0] * 1000:.1f} ms "
          f"({b[1] * 1000:.1f}–{b[2] * 1000:.1f}), ratio {a[0] / b[0]:.3f} (budget ≤ 1)")
    print(json.dumps({"pdf_seconds": round(a[0], 4), "carbone_pdf_seconds": round(b[0], 4),
                      "pdf_ratio_vs_carbone": round(a[0] / b[0], 4)}))


if __name__ == "__main__":
    main()
