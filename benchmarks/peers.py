"""docgen against its peers on one synthetic template, in one run, interleaved.

The peers, each at its best documented usage:

* docxtpl (PyPI): a new ``DocxTemplate`` per document, ``render(context, autoescape=True)``;
* docxtemplater + pizzip (npm): a new instance per document from zip bytes read once;
* Carbone 3 (npm): ``carbone.render(path, data, options, callback)``.

The JavaScript peers run in one long-lived node process (benchmarks/js/render.js)
that times each render itself, from data in memory to the .docx bytes; docgen and
docxtpl are timed the same way here (``Engine.load`` is cached, as a server keeps
it). Where node or benchmarks/js/node_modules is missing, a line says so and the
JS peers are skipped.

One template in each tool's syntax — 40 placeholders and a table row repeated
per data row — filled with the same data at 10, 2,000 and 10,000 rows. Before any
figure is printed, every tool's output is checked to have the same text,
paragraph by paragraph. Rounds are interleaved (each round renders every tool
once, in a rotating order) and the figures are medians with p25–p75.

    .venv/bin/python benchmarks/peers.py            # prints the table, then a JSON line
"""

from __future__ import annotations

import io
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
from lxml import etree

HERE = Path(__file__).resolve().parent
JS = HERE / "js"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FIELDS = [f"f{i:02d}" for i in range(1, 41)]
COLUMNS = ["stt", "name", "mode", "date", "note"]
SIZES = (10, 2000, 10000)
ROUNDS = {10: 40, 2000: 9, 10000: 5}


# -- the template, in each tool's syntax ------------------------------------------

def _syntax(tool: str) -> tuple[Callable[[str], str], Callable[[str], str]]:
    """(a top-level placeholder, a placeholder inside the repeated row)."""
    if tool in ("docgen", "docxtpl"):
        return (lambda f: "{{ " + f + " }}"), (lambda c: "{{ r." + c + " }}")
    if tool == "docxtemplater":
        return (lambda f: "{" + f + "}"), (lambda c: "{" + c + "}")
    return (lambda f: "{d." + f + "}"), (lambda c: "{d.rows[i]." + c + "}")


def build_template(tool: str, path: Path) -> Path:
    """The synthetic template for ``tool``: a title, 40 labelled values, a table."""
    top, cell = _syntax(tool)
    document = docx.Document()
    document.add_paragraph("BIÊN BẢN KIỂM TRA (mẫu đo hiệu năng)")
    for field in FIELDS:
        document.add_paragraph(f"Mục {field}: {top(field)}")
    rows = 4 if tool in ("docgen", "docxtpl", "carbone") else 2
    table = document.add_table(rows=rows, cols=len(COLUMNS))
    for i, column in enumerate(COLUMNS):
        table.cell(0, i).text = column.upper()
    if tool in ("docgen", "docxtpl"):
        table.cell(1, 0).text = "{%tr for r in rows %}"
        for i, column in enumerate(COLUMNS):
            table.cell(2, i).text = cell(column)
        table.cell(3, 0).text = "{%tr endfor %}"
    elif tool == "docxtemplater":
        for i, column in enumerate(COLUMNS):
            text = cell(column)
            if i == 0:
                text = "{#rows}" + text
            if i == len(COLUMNS) - 1:
                text += "{/rows}"
            table.cell(1, i).text = text
    else:  # Carbone: the row with [i], then the row with [i+1] that says "repeat"
        for i, column in enumerate(COLUMNS):
            table.cell(1, i).text = cell(column)
            table.cell(2, i).text = "{d.rows[i+1]." + column + "}"
        _remove_row(table, 3)
    document.add_paragraph(f"Biên bản kết thúc: {top('f40')}")
    document.save(str(path))
    return path


def _remove_row(table: Any, index: int) -> None:
    row = table.rows[index]._tr
    row.getparent().remove(row)


def make_data(rows: int) -> dict[str, Any]:
    """The same data for every tool: strings only, with the XML specials in them."""
    data: dict[str, Any] = {f: f"Giá trị {f} — Sở KH&CN <Sóc Trăng> \"2017\"" for f in FIELDS}
    data["rows"] = [
        {"stt": str(i), "name": f"UBND xã số {i} huyện Mỹ Tú", "mode": "Tại trụ sở",
         "date": f"{1 + i % 28:02d}/10/2017", "note": "R&D <đạt>"}
        for i in range(1, rows + 1)
    ]
    return data


def paragraphs(content: bytes) -> list[str]:
    """The non-empty paragraph texts of a .docx's body, in order (the text check)."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    texts = ("".join(t.text or "" for t in p.iter(f"{W}t")).strip() for p in root.iter(f"{W}p"))
    return [t for t in texts if t]


# -- the tools ------------------------------------------------------------------------

class NodePeers:
    """The node process running benchmarks/js/render.js, one JSON line per render."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        self.proc = subprocess.Popen(
            ["node", str(JS / "render.js")], cwd=JS, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, text=True, bufsize=1, env=env)

    def call(self, job: dict[str, Any]) -> dict[str, Any]:
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(json.dumps(job) + "\n")
        reply = json.loads(self.proc.stdout.readline())
        if "error" in reply:
            raise RuntimeError(f"{job.get('tool')}: {reply['error']}")
        return reply

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(timeout=30)


def node_available() -> str | None:
    """None when the JS peers can run, else why not (printed, then they are skipped)."""
    if shutil.which("node") is None:
        return "node is not installed: docxtemplater and Carbone are skipped"
    if not (JS / "node_modules" / "carbone").is_dir():
        return ("benchmarks/js/node_modules is missing (run `npm ci` there, as `make bench` "
                "does): docxtemplater and Carbone are skipped")
    return None


@dataclass
class Tool:
    name: str
    render: Callable[[int, Path | None], float]  # (rows, keep output at) -> seconds


def python_tools(work: Path, datasets: dict[int, dict[str, Any]]) -> list[Tool]:
    from docxtpl import DocxTemplate

    from docgen import vi
    from docgen.engine import Engine

    engine = Engine(filters=vi.FILTERS)
    docgen_path = build_template("docgen", work / "docgen.docx")
    docxtpl_path = build_template("docxtpl", work / "docxtpl.docx")

    def docgen_render(rows: int, out: Path | None) -> float:
        context = datasets[rows]
        start = time.perf_counter()
        content = engine.load(docgen_path).render(context)
        elapsed = time.perf_counter() - start
        if out:
            out.write_bytes(content)
        return elapsed

    def docxtpl_render(rows: int, out: Path | None) -> float:
        context = datasets[rows]
        start = time.perf_counter()
        template = DocxTemplate(str(docxtpl_path))
        template.render(context, autoescape=True)
        buffer = io.BytesIO()
        template.save(buffer)
        elapsed = time.perf_counter() - start
        if out:
            out.write_bytes(buffer.getvalue())
        return elapsed

    return [Tool("docgen", docgen_render), Tool("docxtpl", docxtpl_render)]


def js_tools(work: Path, node: NodePeers, data_files: dict[int, Path]) -> list[Tool]:
    tools = []
    for name in ("docxtemplater", "carbone"):
        template = build_template(name, work / f"{name}.docx")

        def render(rows: int, out: Path | None, name: str = name, template: Path = template) -> float:
            job = {"tool": name, "template": str(template), "data": str(data_files[rows])}
            if out:
                job["out"] = str(out)
            return float(node.call(job)["ms"]) / 1000

        tools.append(Tool(name, render))
    return tools


# -- the run --------------------------------------------------------------------------

def spread(samples: list[float]) -> tuple[float, float, float]:
    """(median, p25, p75)."""
    q1, median, q3 = statistics.quantiles(samples, n=4, method="inclusive")
    return median, q1, q3


def check_same_text(tools: list[Tool], work: Path) -> None:
    """Every tool's output at every size has the same paragraphs; stop if not."""
    for rows in SIZES:
        reference: list[str] | None = None
        for tool in tools:
            out = work / f"out-{tool.name}-{rows}.docx"
            tool.render(rows, out)
            text = paragraphs(out.read_bytes())
            if reference is None:
                reference = text
                assert len(text) == 1 + len(FIELDS) + 1 + len(COLUMNS) * (rows + 1), len(text)
            elif text != reference:
                diff = next(i for i, (a, b) in enumerate(zip(text, reference, strict=False))
                            if a != b) if len(text) == len(reference) else -1
                raise SystemExit(f"{tool.name} at {rows} rows: text differs from docgen's "
                                 f"(paragraph {diff}: {text[diff]!r} vs {reference[diff]!r})")


def measure(tools: list[Tool]) -> dict[str, dict[int, tuple[float, float, float]]]:
    results: dict[str, dict[int, tuple[float, float, float]]] = {t.name: {} for t in tools}
    for rows in SIZES:
        samples: dict[str, list[float]] = {t.name: [] for t in tools}
        for round_ in range(ROUNDS[rows]):
            order = tools[round_ % len(tools):] + tools[: round_ % len(tools)]
            for tool in order:
                samples[tool.name].append(tool.render(rows, None))
        for name, values in samples.items():
            results[name][rows] = spread(values)
    return results


def run() -> dict[str, Any]:
    """Run the comparison, print the table, return the figures (seconds and ratios)."""
    with tempfile.TemporaryDirectory(prefix="docgen-peers-") as tmp:
        work = Path(tmp)
        datasets = {rows: make_data(rows) for rows in SIZES}
        data_files = {}
        for rows, data in datasets.items():
            data_files[rows] = work / f"data-{rows}.json"
            data_files[rows].write_text(json.dumps(data, ensure_ascii=False), "utf-8")
        tools = python_tools(work, datasets)
        why_not = node_available()
        node = None
        if why_not:
            print(why_not)
        else:
            node = NodePeers()
            tools += js_tools(work, node, data_files)
        try:
            for tool in tools:  # warm every tool once (imports, JIT, template caches)
                tool.render(SIZES[0], None)
            check_same_text(tools, work)
            print(f"text check: {', '.join(t.name for t in tools)} give the same paragraphs "
                  f"at {', '.join(f'{s:,}' for s in SIZES)} rows")
            results = measure(tools)
        finally:
            if node is not None:
                node.close()
    print_table(results)
    return figures(results)


def print_table(results: dict[str, dict[int, tuple[float, float, float]]]) -> None:
    names = list(results)
    print("median (p25–p75), ms; 40 placeholders + a table of n rows")
    print(f"{'rows':>8}  " + "  ".join(f"{n:>24}" for n in names))
    for rows in SIZES:
        cells = []
        for name in names:
            median, q1, q3 = results[name][rows]
            cells.append(f"{median * 1000:9.2f} ({q1 * 1000:.1f}–{q3 * 1000:.1f})")
        print(f"{rows:>8,}  " + "  ".join(f"{c:>24}" for c in cells))
    for name in names:
        per_row = marginal(results[name])
        print(f"marginal cost per row, {name}: {per_row * 1e6:.1f} µs")


def marginal(by_rows: dict[int, tuple[float, float, float]]) -> float:
    return (by_rows[10000][0] - by_rows[2000][0]) / 8000


def figures(results: dict[str, dict[int, tuple[float, float, float]]]) -> dict[str, Any]:
    ours = results["docgen"]
    out: dict[str, Any] = {
        "peers_small_seconds": round(ours[10][0], 6),
        "peers_rows_2000_seconds": round(ours[2000][0], 5),
        "peers_rows_10000_seconds": round(ours[10000][0], 5),
        "marginal_row_microseconds": round(marginal(ours) * 1e6, 2),
    }
    for peer in ("docxtpl", "docxtemplater", "carbone"):
        if peer not in results:
            continue
        theirs = results[peer]
        out[f"marginal_row_microseconds_{peer}"] = round(marginal(theirs) * 1e6, 2)
        # Carbone's keys are the budget's (unprefixed); docxtpl's shipped-template ratios
        # are run.py's, so the synthetic ones are prefixed "peers_" for every other peer.
        prefix = "" if peer == "carbone" else "peers_"
        for key, rows in (("small", 10), ("rows_2000", 2000), ("rows_10000", 10000)):
            out[f"{prefix}{key}_ratio_vs_{peer}"] = round(ours[rows][0] / theirs[rows][0], 4)
    return out


def main() -> None:
    print(f"python {sys.version.split()[0]}")
    print(json.dumps(run()))


if __name__ == "__main__":
    main()
