"""``docgen batch --merge`` cost: n ``minutes`` documents merged into one .docx.

Renders n documents (unit names vary) one at a time, as a batch does, and feeds
each to the merger; prints the seconds spent merging (``add`` + ``save``, the
rendering excluded) and the process's peak RSS, which should not grow with n.
Run with n = 100 and n = 1,000 in separate processes (``run.py`` does) to compare.

    .venv/bin/python benchmarks/merge.py 1000
"""

from __future__ import annotations

import copy
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

import docgen
from docgen.batch._merge import MergedDocument

ROOT = Path(__file__).resolve().parent.parent


def peak_rss_mib() -> float:
    """This process's peak RSS: VmHWM on Linux (ru_maxrss keeps the parent's across exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    example = json.loads((ROOT / "schemas" / "examples" / "minutes.json").read_text("utf-8"))
    merger = MergedDocument()
    merging = 0.0
    for i in range(n):
        data = copy.deepcopy(example)
        data["unit"]["name"] = f"UBND xã số {i + 1} huyện Mỹ Tú"
        content = docgen.render("minutes", data)
        start = time.perf_counter()
        merger.add(content)
        merging += time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        merger.save(Path(tmp) / "merged.docx")
        merging += time.perf_counter() - start
        size = (Path(tmp) / "merged.docx").stat().st_size
    peak = peak_rss_mib()
    print(f"merge of {n:,} minutes: {merging:.3f} s, {size / 1024:.0f} KiB, peak RSS {peak:.1f} MiB")
    print(json.dumps({"documents": n, "merge_seconds": round(merging, 4),
                      "peak_rss_mib": round(peak, 1), "bytes": size}))


if __name__ == "__main__":
    main()
