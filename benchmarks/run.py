"""docgen's figures in one run: against docxtpl on the shipped templates, against
every peer on a synthetic one, validation, merge and command-line start-up.

1. one `minutes` render (the shipped template, the example payload), warm cache:
   docgen.render() — validation, context, render, zip — against docxtpl as its
   users write it (a new DocxTemplate per document, render, save), interleaved;
2. a 2,000-row table: the `plan` template with 2,000 units in its schedule;
3. validation of the minutes example and of that plan: docgen's load against
   marshmallow's own ``schema.load`` (what docgen ran before its fast path);
4. benchmarks/peers.py: docxtpl, docxtemplater and Carbone on one template at
   10 / 2,000 / 10,000 rows;
5. benchmarks/merge.py in two processes: 100 and 1,000 documents merged;
6. ``docgen render minutes … -o`` as a subprocess, start to exit.

Prints the figures, and as its last line a JSON object with (among others)
render_ratio_vs_docxtpl, rows_2000_seconds, rows_2000_ratio_vs_docxtpl,
rows_2000_ratio_vs_carbone, rows_10000_ratio_vs_carbone, small_ratio_vs_carbone,
merge_1000_seconds and cli_render_seconds.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate

import docgen
from docgen import vi
from docgen.catalog import get_type
from docgen.rendering import default_renderer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import peers
import startup


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


def interleaved(fns: dict[str, Callable[[], Any]], rounds: int) -> dict[str, tuple[float, ...]]:
    """(median, p25, p75) seconds of each function, all called once per round in turn."""
    for fn in fns.values():
        fn()  # warm-up
    samples: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            samples[name].append(time.perf_counter() - start)
    return {name: peers.spread(values) for name, values in samples.items()}


def fmt(figure: tuple[float, ...]) -> str:
    median, q1, q3 = figure
    return f"{median * 1000:8.2f} ms ({q1 * 1000:.2f}–{q3 * 1000:.2f})"


def docxtpl_render(doc_type: str, data: dict[str, Any]) -> bytes:
    """Plain docxtpl, as its users write it, with the same context and filters."""
    kind = get_type(doc_type)
    context = kind.build_context(default_renderer().validate(doc_type, data).data)
    env = jinja2.Environment(autoescape=True)
    env.filters.update(vi.FILTERS)
    tpl = DocxTemplate(str(ROOT / "templates" / kind.template))
    tpl.render(context, env)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def merge_figures() -> dict[str, float]:
    """benchmarks/merge.py at 100 and 1,000 documents, each in its own process."""
    out = {}
    for n in (100, 1000):
        result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "merge.py"), str(n)],
                                capture_output=True, text=True, check=True, timeout=600)
        figures = json.loads(result.stdout.strip().splitlines()[-1])
        out[n] = figures
    return {
        "merge_100_seconds": out[100]["merge_seconds"],
        "merge_1000_seconds": out[1000]["merge_seconds"],
        "merge_100_peak_rss_mib": out[100]["peak_rss_mib"],
        "merge_1000_peak_rss_mib": out[1000]["peak_rss_mib"],
        "merge_rss_ratio_1000_vs_100": round(
            out[1000]["peak_rss_mib"] / out[100]["peak_rss_mib"], 3),
    }


def cli_render_seconds(rounds: int = 20) -> tuple[float, ...]:
    """Wall time of ``docgen render minutes <example> -o <tmp>``, start to exit, as
    benchmarks/startup.py measures it (which also breaks it down, for every type)."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = {**os.environ, "DOCGEN_CACHE_DIR": str(work / "cache")}
        command = startup.render_command("minutes", work / "bb.docx")
        startup.wall(command, env)  # warm the page cache and the compiled-template cache
        return peers.spread([startup.wall(command, env) for _ in range(rounds)])


def main() -> None:
    from docgen.catalog import get_type as kind_of
    from docgen.rendering import _schema
    from docgen.schemas.base import load_payload

    print(f"machine: {sys.platform}, python {sys.version.split()[0]}, {dt.date.today()}")
    minutes = example("minutes")
    one = interleaved({
        "docgen": lambda: docgen.render("minutes", copy.deepcopy(minutes)),
        "docxtpl": lambda: docxtpl_render("minutes", copy.deepcopy(minutes)),
    }, 30)
    big = plan_with_units(2000)
    rows = interleaved({
        "docgen": lambda: docgen.render("plan", copy.deepcopy(big)),
        "docxtpl": lambda: docxtpl_render("plan", copy.deepcopy(big)),
    }, 5)
    print(f"minutes, one render  docgen {fmt(one['docgen'])}  docxtpl {fmt(one['docxtpl'])}  "
          f"ratio {one['docgen'][0] / one['docxtpl'][0]:.3f}")
    print(f"plan, 2,000 rows     docgen {fmt(rows['docgen'])}  docxtpl {fmt(rows['docxtpl'])}  "
          f"ratio {rows['docgen'][0] / rows['docxtpl'][0]:.3f}")

    validation: dict[str, float] = {}
    for doc_type, data, rounds in (("minutes", minutes, 200), ("plan", big, 15)):
        schema = _schema(kind_of(doc_type))
        v = interleaved({"docgen": lambda s=schema, d=data: load_payload(s, d),
                         "marshmallow": lambda s=schema, d=data: s.load(d)}, rounds)
        name = "validation_minutes" if doc_type == "minutes" else "validation_plan_2000"
        ratio = v["docgen"][0] / v["marshmallow"][0]
        print(f"validation, {doc_type:8}  docgen {fmt(v['docgen'])}  marshmallow's load "
              f"{fmt(v['marshmallow'])}  ratio {ratio:.3f} (budget 0.333)")
        validation[f"{name}_seconds"] = round(v["docgen"][0], 6)
        validation[f"{name}_ratio_vs_marshmallow"] = round(ratio, 4)

    print("== peers (benchmarks/peers.py)")
    peer_figures = peers.run()
    merge = merge_figures()
    print(f"merge: 100 documents {merge['merge_100_seconds']:.3f} s, peak RSS "
          f"{merge['merge_100_peak_rss_mib']} MiB; 1,000 documents "
          f"{merge['merge_1000_seconds']:.3f} s, {merge['merge_1000_peak_rss_mib']} MiB")
    cli = cli_render_seconds()
    print(f"docgen render minutes (command line, start to exit): {fmt(cli)}")
    print(json.dumps({
        "render_seconds": round(one["docgen"][0], 5),
        "docxtpl_render_seconds": round(one["docxtpl"][0], 5),
        "render_ratio_vs_docxtpl": round(one["docgen"][0] / one["docxtpl"][0], 4),
        "rows_2000_seconds": round(rows["docgen"][0], 4),
        "docxtpl_rows_2000_seconds": round(rows["docxtpl"][0], 4),
        "rows_2000_ratio_vs_docxtpl": round(rows["docgen"][0] / rows["docxtpl"][0], 4),
        **validation,
        **peer_figures,
        **merge,
        "cli_render_seconds": round(cli[0], 4),
    }))


if __name__ == "__main__":
    main()
