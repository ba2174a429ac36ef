"""docgen vs plain docxtpl on the same template and context, in one run.

1. one `minutes` render (the shipped template, the example payload), warm cache:
   docgen.render() — validation, context, render, zip — against docxtpl as its
   users write it (a new DocxTemplate per document, render, save);
2. a 2,000-row table: the `plan` template with 2,000 units in its schedule.

Prints the figures, and as its last line a JSON object with
render_ratio_vs_docxtpl, rows_2000_seconds, rows_2000_ratio_vs_docxtpl.
Budget (DESIGN.md): ratio ≤ 0.2 for one render, ≤ 0.33 for 2,000 rows.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate

import docgen
from docgen import vi
from docgen.catalog import get_type
from docgen.rendering import default_renderer

ROOT = Path(__file__).resolve().parent.parent


def example(doc_type: str) -> dict[str, Any]:
    return json.loads((ROOT / "schemas" / "examples" / f"{doc_type}.json").read_text("utf-8"))


def plan_with_units(n: int) -> dict[str, Any]:
    data = example("plan")
    data["units"] = [
        {"name": f"UBND xã số {i} huyện Mỹ Tú", "mode": "on_site" if i % 3 == 0 else "by_report",
         "scheduled_on": "2017-10-12" if i % 3 == 0 else None}
        for i in range(1, n + 1)
    ]
    return data


def timed(fn, repeat: int) -> float:
    """Median seconds of ``repeat`` calls (after one warm-up call)."""
    fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def docxtpl_render(doc_type: str, data: dict[str, Any]) -> bytes:
    """Plain docxtpl, as its users write it, with the same context and filters."""
    kind = get_type(doc_type)
    context = kind.build_context(default_renderer().validate(doc_type, data).data)
    env = jinja2.Environment(autoescape=True)
    env.filters.update(vi.FILTERS)
    tpl = DocxTemplate(str(ROOT / "templates" / "docx" / kind.template))
    tpl.render(context, env)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def main() -> None:
    minutes = example("minutes")
    docgen.render("minutes", minutes)  # warm the cache
    docgen_one = timed(lambda: docgen.render("minutes", copy.deepcopy(minutes)), 50)
    docxtpl_one = timed(lambda: docxtpl_render("minutes", copy.deepcopy(minutes)), 20)

    big = plan_with_units(2000)
    docgen_big = timed(lambda: docgen.render("plan", copy.deepcopy(big)), 5)
    docxtpl_big = timed(lambda: docxtpl_render("plan", copy.deepcopy(big)), 3)

    print(f"machine: {sys.platform}, python {sys.version.split()[0]}, {dt.date.today()}")
    print(f"minutes, one render  docgen {docgen_one * 1000:8.2f} ms   "
          f"docxtpl {docxtpl_one * 1000:8.2f} ms   ratio {docgen_one / docxtpl_one:.3f} (budget 0.2)")
    print(f"plan, 2,000 rows     docgen {docgen_big * 1000:8.2f} ms   "
          f"docxtpl {docxtpl_big * 1000:8.2f} ms   ratio {docgen_big / docxtpl_big:.3f} (budget 0.33)")
    print(json.dumps({
        "render_seconds": round(docgen_one, 5),
        "docxtpl_render_seconds": round(docxtpl_one, 5),
        "render_ratio_vs_docxtpl": round(docgen_one / docxtpl_one, 4),
        "rows_2000_seconds": round(docgen_big, 4),
        "docxtpl_rows_2000_seconds": round(docxtpl_big, 4),
        "rows_2000_ratio_vs_docxtpl": round(docgen_big / docxtpl_big, 4),
    }))


if __name__ == "__main__":
    main()
