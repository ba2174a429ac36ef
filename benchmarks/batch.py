"""Batch generation: rows per second, against plain docxtpl, and peak memory by row count.

1. 1,000 `minutes` rows (the Sóc Trăng units, cycled) from an XLSX to a ZIP:
   a) through the local job pool (``Jobs.submit_sheet`` -> done: upload check,
      process start, reading, validating, rendering, zipping), and
   b) in-process, as ``docgen batch minutes units.xlsx -o r.zip`` does;
2. the same 1,000 documents rendered one by one with plain docxtpl in a loop
   (a new ``DocxTemplate`` per document, ``render``, ``save``), from the same
   validated context: the ratio is docgen's time over docxtpl's;
3. peak RSS of a process running the batch (XLSX -> ZIP, as the pool process
   does) for 100, 1,000 and 5,000 rows, each in a fresh interpreter: memory must
   be flat in the row count, not linear.

    python benchmarks/batch.py [--quick]      # --quick: docxtpl on 200 rows, scaled

Prints the figures; the last line is a JSON object for scripts.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a bare checkout

UNITS = ROOT / "tests" / "data" / "batch" / "soc-trang-2017-units.csv"
EXAMPLE = ROOT / "schemas" / "examples" / "minutes.json"
HEADERS = [
    "STT", "Tên đơn vị được kiểm tra", "Địa chỉ", "Số văn bản", "Ngày ban hành",
    "Trích yếu nội dung", "Bắt đầu lúc", "Kết thúc lúc", "Địa điểm kiểm tra",
    "Đại diện đơn vị được kiểm tra 1.Họ và tên", "Đại diện đơn vị được kiểm tra 1.Chức vụ",
    "Người ký đại diện đơn vị.Họ và tên", "Người ký đại diện đơn vị.Chức vụ", "Nơi nhận",
]


def shared_defaults() -> dict[str, Any]:
    example = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return {k: example[k] for k in ("agency", "basis", "members", "findings", "conclusion",
                                    "requests", "signer", "copies", "archive")}


def write_units_xlsx(path: Path, rows: int) -> Path:
    """``rows`` rows (units cycled, round number appended), written streaming."""
    from openpyxl import Workbook

    with UNITS.open(encoding="utf-8", newline="") as handle:
        units = list(csv.DictReader(handle))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Biên bản")
    sheet.append(HEADERS)
    for stt in range(1, rows + 1):
        unit = units[(stt - 1) % len(units)]
        name = unit["unit_name"] + ("" if stt <= len(units) else f" (lần {stt // len(units) + 1})")
        day = dt.date(2017, 10, 2) + dt.timedelta(days=stt % 25)
        start = dt.datetime.combine(day, dt.time(8, 0))
        sheet.append([
            stt, name, f"{unit['district'] or 'thành phố Sóc Trăng'}, tỉnh Sóc Trăng", stt, day,
            f"Kiểm tra việc áp dụng Hệ thống quản lý chất lượng tại {name}", start,
            start + dt.timedelta(hours=3), f"Trụ sở {name}", "Nguyễn Văn Thuận",
            "Phó Thủ trưởng đơn vị", "Nguyễn Văn Thuận", "Phó Thủ trưởng đơn vị",
            f"{name}\nBan Chỉ đạo ISO tỉnh",
        ])
    workbook.save(path)
    return path


# -- 1a. the local job pool -----------------------------------------------------------


def bench_local_pool(sheet: Path, workdir: Path) -> dict[str, Any]:
    from docgen.config import Settings
    from docgen.jobs import Jobs

    settings = Settings.from_env(instance_path=workdir / "instance")
    jobs = Jobs(settings)
    try:
        # Warm the pool process once (the server keeps it warm between jobs).
        warm = write_units_xlsx(workdir / "warm.xlsx", 5)
        job = jobs.submit_sheet("minutes", warm, "warm.xlsx", defaults=shared_defaults())
        _wait(jobs, job.id)
        started = time.perf_counter()
        job = jobs.submit_sheet("minutes", sheet, sheet.name, defaults=shared_defaults())
        final = _wait(jobs, job.id)
        seconds = time.perf_counter() - started
        assert final.state == "done" and final.ok == final.total, final
        return {"rows": final.total, "seconds": seconds, "rows_per_second": final.total / seconds,
                "zip_bytes": jobs.result_path(job.id).stat().st_size}
    finally:
        jobs.close()


def _wait(jobs: Any, job_id: str) -> Any:
    while True:
        job = jobs.get(job_id)
        if job.state.final:
            return job
        time.sleep(0.01)


# -- 1b. in-process, as the CLI runs it ----------------------------------------------------


def bench_in_process(sheet: Path, workdir: Path) -> dict[str, Any]:
    from docgen.batch import ZipSink, prepare_sheet, run_batch
    from docgen.rendering import default_renderer

    renderer = default_renderer()
    started = time.perf_counter()
    batch = prepare_sheet("minutes", sheet, defaults=shared_defaults())
    result = run_batch(renderer, batch, ZipSink(workdir / "in-process.zip"))
    seconds = time.perf_counter() - started
    return {"rows": result.done, "seconds": seconds, "rows_per_second": result.done / seconds}


# -- 2. plain docxtpl in a loop ---------------------------------------------------------------


def bench_docxtpl(sheet: Path, limit: int | None) -> dict[str, Any]:
    import jinja2
    from docxtpl import DocxTemplate

    from docgen import vi
    from docgen.batch import prepare_sheet
    from docgen.catalog import get_type
    from docgen.rendering import default_renderer

    kind = get_type("minutes")
    renderer = default_renderer()
    contexts = []
    for row in prepare_sheet("minutes", sheet, defaults=shared_defaults()).rows():
        contexts.append(kind.build_context(renderer.validate("minutes", row.payload).data))
        if limit and len(contexts) >= limit:
            break
    env = jinja2.Environment(autoescape=True)
    env.filters.update(vi.FILTERS)
    template = ROOT / "templates" / kind.template
    started = time.perf_counter()
    for context in contexts:
        document = DocxTemplate(str(template))
        document.render(context, env)
        document.save(io.BytesIO())
    seconds = time.perf_counter() - started
    return {"rows": len(contexts), "seconds": seconds,
            "rows_per_second": len(contexts) / seconds}


# -- 3. peak RSS ---------------------------------------------------------------------------------

_RSS_CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from benchmarks.batch import shared_defaults
from docgen.batch import ZipSink, prepare_sheet, run_batch
from docgen.rendering import Renderer
renderer = Renderer()
renderer.render("minutes", json.load(open({example!r}, encoding="utf-8")))  # warm: template compiled
PAGE_KIB = resource.getpagesize() // 1024
def rss_kib():  # resident set size now, from /proc (Linux)
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE_KIB
before, samples = rss_kib(), []
def progress(state):
    if state.done % 25 == 0:
        samples.append(rss_kib())
started = time.perf_counter()
batch = prepare_sheet("minutes", {sheet!r}, defaults=shared_defaults())
result = run_batch(renderer, batch, ZipSink({out!r}), progress=progress)
print(json.dumps({{"rows": result.done, "seconds": time.perf_counter() - started,
                  "rss_before_kib": before, "rss_during_max_kib": max(samples),
                  "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}}))
"""


def bench_rss(workdir: Path, rows: int) -> dict[str, Any]:
    sheet = write_units_xlsx(workdir / f"rss-{rows}.xlsx", rows)
    code = _RSS_CHILD.format(root=str(ROOT), example=str(EXAMPLE), sheet=str(sheet),
                             out=str(workdir / f"rss-{rows}.zip"))
    output = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                            text=True, cwd=ROOT).stdout
    return json.loads(output.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="docxtpl on 200 of the rows (time scaled to 1,000)")
    parser.add_argument("--rows", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="docgen-bench-batch-") as tmp:
        workdir = Path(tmp)
        sheet = write_units_xlsx(workdir / "units.xlsx", args.rows)
        pool = bench_local_pool(sheet, workdir)
        inproc = bench_in_process(sheet, workdir)
        plain = bench_docxtpl(sheet, 200 if args.quick else None)
        docxtpl_seconds = plain["seconds"] * args.rows / plain["rows"]
        rss = {n: bench_rss(workdir, n) for n in (100, 1000, 5000)}

    print(f"machine: {sys.platform}, {os.cpu_count()} cores, python {sys.version.split()[0]}, "
          f"{dt.date.today()}")
    print(f"{args.rows} minutes rows, XLSX -> ZIP")
    print(f"  local job pool     {pool['seconds']:7.2f} s  {pool['rows_per_second']:7.0f} rows/s"
          f"  (ZIP {pool['zip_bytes'] / 1e6:.1f} MB)")
    print(f"  in-process (CLI)   {inproc['seconds']:7.2f} s  {inproc['rows_per_second']:7.0f} rows/s")
    print(f"  plain docxtpl loop {docxtpl_seconds:7.2f} s  {args.rows / docxtpl_seconds:7.0f} rows/s"
          f"{'  (measured on ' + str(plain['rows']) + ' rows)' if args.quick else ''}")
    ratio = pool["seconds"] / docxtpl_seconds
    print(f"  ratio local pool / docxtpl: {ratio:.3f} (docgen {1 / ratio:.1f}x faster, "
          "and it also reads, validates and zips)")
    print("peak RSS of the batch process (XLSX -> ZIP):")
    for n, figures in rss.items():
        print(f"  {n:5d} rows  peak {figures['peak_rss_kib'] / 1024:6.1f} MiB  "
              f"(before the batch {figures['rss_before_kib'] / 1024:5.1f} MiB, highest while "
              f"running {figures['rss_during_max_kib'] / 1024:5.1f} MiB; "
              f"{figures['rows'] / figures['seconds']:.0f} rows/s)")
    print(json.dumps({
        "rows": args.rows,
        "local_pool_seconds": round(pool["seconds"], 3),
        "local_pool_rows_per_second": round(pool["rows_per_second"], 1),
        "in_process_rows_per_second": round(inproc["rows_per_second"], 1),
        "docxtpl_seconds": round(docxtpl_seconds, 3),
        "ratio_vs_docxtpl": round(ratio, 4),
        "peak_rss_mib": {str(n): round(f["peak_rss_kib"] / 1024, 1) for n, f in rss.items()},
        "rss_while_running_mib": {str(n): round(f["rss_during_max_kib"] / 1024, 1)
                                  for n, f in rss.items()},
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
