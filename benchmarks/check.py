"""How long ``docgen check`` takes, and what the per-hash cache saves ``/readyz``.

For each shipped template: the bare check (tags and Decree 30 layout), the check as its
type (names, required fields — one context per required field —, the example rendered
and checked again), then ``check_loaded_types`` cold and warm (the cache ``/readyz``
and ``docgen doctor`` use: a warm call reads and hashes four files). Medians of
``--repeat`` runs; the last line is JSON.

    .venv/bin/python benchmarks/check.py
    .venv/bin/python benchmarks/check.py --repeat 20
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from docgen.check import check_template
from docgen.check import types as check_types
from docgen.rendering import Renderer

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
DOC_TYPES = ("plan", "decision", "minutes", "report")


def median_ms(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    renderer = Renderer()
    figures: dict[str, float] = {}
    for doc_type in DOC_TYPES:
        data = (TEMPLATES / doc_type / "template.docx").read_bytes()
        check_types.check_for_type(data, doc_type, renderer)  # warm imports and filters
        bare = median_ms(lambda data=data: check_template(data), args.repeat)
        typed = median_ms(lambda data=data, t=doc_type: check_types.check_for_type(data, t, renderer),
                          args.repeat)
        figures[f"{doc_type}_bare_ms"] = round(bare, 1)
        figures[f"{doc_type}_typed_ms"] = round(typed, 1)
        print(f"{doc_type:<9} bare check {bare:6.1f} ms   as its type (+ example rendered) "
              f"{typed:6.1f} ms")

    def cold() -> None:
        check_types._cache.clear()
        check_types.check_loaded_types(TEMPLATES, renderer)

    cold_ms = median_ms(cold, args.repeat)
    check_types.check_loaded_types(TEMPLATES, renderer)
    warm_ms = median_ms(lambda: check_types.check_loaded_types(TEMPLATES, renderer), args.repeat)
    figures.update(loaded_types_cold_ms=round(cold_ms, 1), loaded_types_warm_ms=round(warm_ms, 2),
                   cache_ratio=round(cold_ms / warm_ms, 1))
    print(f"all four types (readyz/doctor): cold {cold_ms:.1f} ms, warm (cached by hash) "
          f"{warm_ms:.2f} ms — {cold_ms / warm_ms:.0f}× less")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
