"""The form's preview against the PDF download it stands for, in one run.

Through the app (Flask's test client, no network), with a warm one-instance pool, the
shipped report's example typed into its form (three A4 pages):

1. ``POST /forms/report`` with PDF chosen — the download the clerk would print;
2. ``POST /forms/report/preview`` — page 1 as a PNG (validate, render, convert, draw);
3. drawing alone: ``docgen.pdf.raster.page_png`` on that PDF, page 1, 900 px wide.

Medians over ``--runs`` (default 10) after one warm-up each (the warm-up of 1 also
starts LibreOffice; its time is printed apart). Prints the figures, and as its last
line a JSON object with pdf_download_median_s, preview_median_s,
preview_ratio_vs_pdf, draw_median_s, png_bytes, pool_start_s.

    python benchmarks/preview.py [--runs 10]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import lxml.html
from werkzeug.datastructures import MultiDict

from docgen.app import create_app
from docgen.pdf import libreoffice_available
from docgen.pdf.raster import page_png


def median_of(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    ok, why = libreoffice_available()
    if not ok:
        print(f"skipped: {why}")
        return 0

    with tempfile.TemporaryDirectory() as instance:
        app = create_app({"instance_path": Path(instance), "pdf_workers": 1})
        client = app.test_client()
        try:
            page = client.get("/forms/report?example=1").get_data(as_text=True)
            form = lxml.html.fromstring(page).forms[0]
            fields = MultiDict([(k, v) for k, v in form.form_values() if "__i__" not in k])
            pdf_fields = MultiDict(fields)
            pdf_fields["_format"] = "pdf"

            def download() -> bytes:
                response = client.post("/forms/report", data=pdf_fields)
                assert response.status_code == 200, response.status_code
                return response.data

            def preview() -> bytes:
                response = client.post("/forms/report/preview", data=fields)
                assert response.status_code == 200, response.status_code
                return response.data

            start = time.perf_counter()
            pdf = download()  # starts the pool
            pool_start = time.perf_counter() - start
            preview()
            pdf_median = median_of(args.runs, download)
            preview_median = median_of(args.runs, preview)
            png = page_png(pdf, 1)
            draw_median = median_of(args.runs, lambda: page_png(pdf, 1))
        finally:
            app.extensions["docgen.renderer"].close()

    figures = {
        "pdf_download_median_s": round(pdf_median, 4),
        "preview_median_s": round(preview_median, 4),
        "preview_ratio_vs_pdf": round(preview_median / pdf_median, 3),
        "draw_median_s": round(draw_median, 4),
        "png_bytes": len(png.content),
        "png_size": f"{png.width}x{png.height}",
        "pages": png.pages,
        "pool_start_s": round(pool_start, 3),
    }
    print(f"first PDF (starts LibreOffice): {pool_start:.3f} s")
    print(f"PDF download, warm, median of {args.runs}: {pdf_median:.4f} s")
    print(f"preview of page 1, warm, median of {args.runs}: {preview_median:.4f} s "
          f"({preview_median / pdf_median:.2f}× the PDF download)")
    print(f"drawing page 1 alone (pypdfium2 + PNG): {draw_median:.4f} s, "
          f"{png.width}×{png.height}, {len(png.content):,} bytes, {png.pages} pages")
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
