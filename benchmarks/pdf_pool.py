"""PDF through the warm converter pool vs a cold ``soffice --convert-to pdf``, in one run.

1. per-document time, median over 20 documents, through a warm one-instance pool;
2. the same for a cold ``soffice --headless --convert-to pdf`` per document (5 runs,
   each a new LibreOffice process on an already built profile; the first run, which
   also builds the profile, is reported apart and left out);
3. throughput over 20 documents with 1 and with 2 pool workers (documents/s);
4. resident memory of one warm instance (VmRSS of its soffice.bin, after the runs).

The document is a 2-page Decree 30 minutes-like .docx in Times New Roman built
here with python-docx (no dependency on the shipped templates).

Prints the figures, and as its last line a JSON object with pdf_warm_median_s,
pdf_cold_median_s, pdf_warm_ratio_vs_cold, throughput_1_worker,
throughput_2_workers, warm_instance_rss_mib.
Budget (DESIGN.md): warm ≤ 1/4 of cold (ratio ≤ 0.25).

    python benchmarks/pdf_pool.py [--docs 20] [--cold 5]
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from docgen.pdf import ConverterPool, libreoffice_available
from docgen.pdf._discovery import find_office

BUDGET = 0.25
FONT = "Times New Roman"
UNITS = [
    "UBND huyện Mỹ Tú",
    "Sở Nội vụ",
    "UBND xã Đại Ân 2",
    "Sở Tài nguyên và Môi trường",
    "UBND thị xã Ngã Năm",
    "Sở Giao thông vận tải",
]


def _run(paragraph, text: str, *, bold: bool = False, italic: bool = False) -> None:
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    run.font.name = FONT
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), FONT)


def build_minutes() -> bytes:
    """A 2-page Vietnamese inspection record (biên bản kiểm tra) on A4."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    doc.styles["Normal"].font.name = FONT
    doc.styles["Normal"].font.size = Pt(13)

    header = doc.add_table(rows=2, cols=2)
    cells = [
        ("UBND TỈNH SÓC TRĂNG\nSỞ KHOA HỌC VÀ CÔNG NGHỆ", True),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc", True),
        ("Số: 15/BB-SKHCN", False),
        ("Sóc Trăng, ngày 15 tháng 3 năm 2025", False),
    ]
    for cell, (text, bold) in zip([c for row in header.rows for c in row.cells], cells):
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(paragraph, text, bold=bold, italic=text.startswith("Sóc"))

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, "BIÊN BẢN KIỂM TRA\n", bold=True)
    _run(title, "Việc áp dụng, duy trì và cải tiến Hệ thống quản lý chất lượng", bold=True)
    body = (
        "Thực hiện Quyết định số 19/2014/QĐ-TTg của Thủ tướng Chính phủ và hướng dẫn của "
        "Bộ KH&CN, Đoàn kiểm tra đã tiến hành kiểm tra tại {unit}. Đơn vị đã xây dựng, áp "
        "dụng Hệ thống quản lý chất lượng theo TCVN ISO 9001:2015 cho toàn bộ thủ tục hành "
        "chính; phương tiện, hồ sơ, quy trình được lưu trữ đầy đủ; cán bộ, công chức nắm "
        "vững chính sách chất lượng và mục tiêu chất lượng của đơn vị."
    )
    for page, units in enumerate((UNITS[:3], UNITS[3:])):
        if page:
            doc.add_page_break()
        for unit in units:
            heading = doc.add_paragraph()
            _run(heading, f"{UNITS.index(unit) + 1}. Kết quả kiểm tra tại {unit}", bold=True)
            paragraph = doc.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            _run(paragraph, body.format(unit=unit))
    signature = doc.add_paragraph()
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(signature, "TRƯỞNG ĐOÀN KIỂM TRA\n(Ký, ghi rõ họ tên)", bold=True)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def page_count(pdf: bytes) -> int:
    from pypdf import PdfReader  # dev dependency; only for the sanity line

    return len(PdfReader(io.BytesIO(pdf)).pages)


def cold_convert(soffice: str, docx_path: Path, outdir: Path, profile: Path) -> float:
    """Seconds for one ``soffice --headless --convert-to pdf`` (a new process)."""
    start = time.perf_counter()
    subprocess.run(
        [
            soffice,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(docx_path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    elapsed = time.perf_counter() - start
    if not (outdir / (docx_path.stem + ".pdf")).is_file():
        raise RuntimeError("soffice --convert-to produced no PDF")
    return elapsed


def warm_times(pool: ConverterPool, docx: bytes, n: int) -> list[float]:
    pool.convert(docx)  # warm-up: first document loads the Writer/PDF code
    pool.convert(docx)
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        pool.convert(docx)
        samples.append(time.perf_counter() - start)
    return samples


def throughput(workers: int, docx: bytes, n: int) -> float:
    with ConverterPool(workers=workers, timeout=120) as pool:
        pool.start()
        with ThreadPoolExecutor(workers) as executor:  # warm every instance
            list(executor.map(lambda _: pool.convert(docx), range(2 * workers)))
        start = time.perf_counter()
        with ThreadPoolExecutor(workers) as executor:
            results = list(executor.map(lambda _: pool.convert(docx), range(n)))
        elapsed = time.perf_counter() - start
    assert all(r.startswith(b"%PDF") for r in results)
    return n / elapsed


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20, help="documents per warm measurement")
    parser.add_argument("--cold", type=int, default=5, help="cold soffice runs")
    args = parser.parse_args(argv)

    ok, why = libreoffice_available()
    if not ok:
        print(f"skipped: {why}", file=sys.stderr)
        raise SystemExit(2)
    office = find_office()
    assert not isinstance(office, str)
    soffice = str(office.soffice_bin.with_name("soffice"))  # the wrapper people run

    docx = build_minutes()
    with tempfile.TemporaryDirectory(prefix="docgen-bench-pdf-") as tmp:
        work = Path(tmp)
        docx_path = work / "bien-ban.docx"
        docx_path.write_bytes(docx)
        profile = work / "cold-profile"

        first_cold = cold_convert(soffice, docx_path, work / "out", profile)
        cold = [cold_convert(soffice, docx_path, work / "out", profile) for _ in range(args.cold)]

        with ConverterPool(workers=1, timeout=120) as pool:
            start = time.perf_counter()
            pool.start()
            pool_start = time.perf_counter() - start
            warm = warm_times(pool, docx, args.docs)
            pages = page_count(pool.convert(docx))
            pid = pool.status()["workers"][0]["pid"]
            rss = rss_mib(pid)

        tput_1 = throughput(1, docx, args.docs)
        tput_2 = throughput(2, docx, args.docs)

    warm_median, cold_median = statistics.median(warm), statistics.median(cold)
    ratio = warm_median / cold_median
    print(f"document: {len(docx) / 1024:.0f} KiB .docx, {pages} A4 pages, Times New Roman")
    print(
        f"cold soffice --convert-to pdf  median {cold_median:6.3f} s over {len(cold)} runs"
        f"  (first run, building its profile: {first_cold:.3f} s)"
    )
    print(
        f"warm pool (1 instance)         median {warm_median:6.3f} s over {len(warm)} documents"
        f"  (min {min(warm):.3f}, max {max(warm):.3f}; pool start {pool_start:.2f} s)"
    )
    print(f"ratio warm / cold              {ratio:.3f} (budget {BUDGET:.3f})")
    print(
        f"throughput over {args.docs} documents   1 worker {tput_1:.2f} docs/s,"
        f"  2 workers {tput_2:.2f} docs/s"
    )
    print(f"warm instance soffice.bin RSS  {rss:.0f} MiB (pid {pid}, after {len(warm) + 3} docs)")
    print(f"budget: {'met' if ratio <= BUDGET else 'EXCEEDED'}")
    figures = {
        "pdf_warm_median_s": round(warm_median, 4),
        "pdf_cold_median_s": round(cold_median, 4),
        "pdf_warm_ratio_vs_cold": round(ratio, 4),
        "throughput_1_worker": round(tput_1, 2),
        "throughput_2_workers": round(tput_2, 2),
        "warm_instance_rss_mib": round(rss, 1),
    }
    print(json.dumps(figures))
    return figures


if __name__ == "__main__":
    main()
