"""The letterhead pass (docgen.layout) per render, and what it adds to a render.

Three cases of ``layout_letterhead`` on a rendered ``word/document.xml``: the same table
again (a preview, a re-render: a lookup), a table differing only in digits (a batch from
one agency: the number and the date change), a table never seen (a new agency: read and
decide). Then one ``minutes`` render through ``docgen.render`` with and without the pass,
interleaved. Prints the figures and, last, a JSON object.
"""

from __future__ import annotations

import io
import json
import statistics
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen import vi
from docgen.engine import Engine
from docgen.layout import _letterhead, layout_letterhead
from docgen.rendering import Renderer


def example(doc_type: str) -> dict:
    return json.loads((ROOT / "schemas" / "examples" / f"{doc_type}.json").read_text("utf-8"))


def per_call(func: Callable[[], object], rounds: int = 7, number: int = 300) -> float:
    """Median seconds per call over ``rounds`` rounds of ``number`` calls."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(number):
            func()
        times.append((time.perf_counter() - start) / number)
    return statistics.median(times)


def main() -> int:
    without = Renderer()
    without.engine = Engine(filters=vi.FILTERS)
    with_pass = Renderer()
    data = example("minutes")
    docx = without.render("minutes", data).content
    xml = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
    other = xml.replace("12/BB", "13/BB")  # another number: same texts but a digit
    layout_letterhead(xml, {})

    def digits() -> None:
        _letterhead._EXACT.clear()
        layout_letterhead(other, {})

    def unseen() -> None:
        _letterhead._EXACT.clear()
        _letterhead._CACHE.clear()
        layout_letterhead(xml, {})

    same = per_call(lambda: layout_letterhead(xml, {}))
    digit = per_call(digits)
    new = per_call(unseen, number=100)
    renders = {"without": [], "with": []}
    for _ in range(9):  # interleaved rounds, medians
        for name, renderer in (("without", without), ("with", with_pass)):
            renders[name].append(per_call(lambda r=renderer: r.render("minutes", data),
                                          rounds=1, number=100))
    base, full = statistics.median(renders["without"]), statistics.median(renders["with"])
    print(f"letterhead pass, same table:        {same * 1e6:7.1f} µs")
    print(f"letterhead pass, other digits:      {digit * 1e6:7.1f} µs")
    print(f"letterhead pass, new agency:        {new * 1e6:7.1f} µs")
    print(f"minutes render without / with pass: {base * 1e3:.3f} / {full * 1e3:.3f} ms "
          f"({(full / base - 1) * 100:+.1f}%)")
    print(json.dumps({"layout_same_us": round(same * 1e6, 1),
                      "layout_digits_us": round(digit * 1e6, 1),
                      "layout_new_us": round(new * 1e6, 1),
                      "render_without_layout_seconds": round(base, 6),
                      "render_with_layout_seconds": round(full, 6),
                      "layout_render_ratio": round(full / base, 3)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
