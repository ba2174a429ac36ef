"""docgen's engine against plain docxtpl, on the same template and data.

Builds its own template with python-docx (a Decree 30 style document: heading
block, about two pages of text with tags, a header and a footer, and a member
table looped with ``{%tr for r in rows %}``), then times:

* a typical document (10 rows): docgen's warm ``engine.load(path).render(ctx)``
  against docxtpl as its users write it — ``DocxTemplate(path)``,
  ``render(ctx)``, ``save(BytesIO())`` for every document;
* a 2,000-row table, the same way;
* the 2,000-row render with zlib level 1 against level 6.

Budgets (DESIGN.md, "Performance budget"): typical at most 1/5 of docxtpl's
time, 2,000 rows at most 1/3. Prints the best of several runs in milliseconds
and the ratios; the last line is a JSON object for scripts.

    python benchmarks/engine_vs_docxtpl.py [--quick]
"""

from __future__ import annotations

import io
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
from docxtpl import DocxTemplate

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a bare checkout

from docgen.engine import Engine

BODY_PARAGRAPHS = 30  # with the heading, table and signature: about two A4 pages


def build_template(path: Path) -> None:
    """A two-page inspection report template with a looped member table."""
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "{{ agency }} — {{ number }}"
    document.sections[0].footer.paragraphs[0].text = "Trang {{ page_note }}"
    heading = document.add_table(rows=2, cols=2)
    heading.cell(0, 0).text = "{{ agency_parent }}"
    heading.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    heading.cell(1, 0).text = "{{ agency }}"
    heading.cell(1, 1).text = "Độc lập - Tự do - Hạnh phúc"
    document.add_paragraph("Số: {{ number }}").runs[0].bold = True
    document.add_paragraph("{{ place }}, {{ date_line }}")
    document.add_heading("BIÊN BẢN KIỂM TRA", level=1)
    document.add_paragraph("Về việc {{ subject }}")
    for index in range(BODY_PARAGRAPHS):
        paragraph = document.add_paragraph(
            f"{index + 1}. Căn cứ kết quả kiểm tra tại {{{{ unit }}}}, Đoàn kiểm tra "
            "ghi nhận việc áp dụng hệ thống quản lý chất lượng theo tiêu chuẩn "
            "TCVN ISO 9001:2015 như sau: "
        )
        paragraph.add_run("{{ findings[").italic = True  # a tag Word split over runs
        paragraph.add_run(f"{index % 3}] }}}}.")
    table = document.add_table(rows=4, cols=5)
    for cell, title in zip(
        table.rows[0].cells, ["STT", "Họ và tên", "Chức vụ", "Đơn vị", "Ghi chú"], strict=True
    ):
        cell.text = title
    table.cell(1, 0).text = "{%tr for r in rows %}"
    for cell, field in zip(
        table.rows[2].cells, ["index", "name", "position", "unit", "note"], strict=True
    ):
        cell.text = f"{{{{ r.{field} }}}}"
    table.cell(3, 0).text = "{%tr endfor %}"
    document.add_paragraph("{%p if closing %}")
    document.add_paragraph("{{ closing }}")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("Nơi nhận:\n- {{ recipient }};\n- Lưu: VT.")
    document.add_paragraph("TRƯỞNG ĐOÀN").runs[0].bold = True
    document.add_paragraph("{{ signer }}")
    document.save(str(path))


def make_context(rows: int) -> dict[str, Any]:
    """Plain values only: docxtpl does not escape by default, so no '&' or '<' here."""
    return {
        "agency_parent": "UBND TỈNH NAM ĐỊNH",
        "agency": "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "number": "12/BB-ĐKT",
        "place": "Nam Định",
        "date_line": "ngày 05 tháng 3 năm 2025",
        "subject": "kiểm tra việc áp dụng TCVN ISO 9001:2015",
        "unit": "Sở Y tế tỉnh Nam Định",
        "findings": ["đạt yêu cầu", "cần khắc phục", "chưa đầy đủ hồ sơ"],
        "rows": [
            {
                "index": i + 1,
                "name": f"Nguyễn Văn Thành {i + 1}",
                "position": "Chuyên viên",
                "unit": "Phòng Quản lý chất lượng",
                "note": "Thành viên" if i else "Trưởng đoàn",
            }
            for i in range(rows)
        ],
        "closing": "Biên bản được lập thành 02 bản có giá trị như nhau.",
        "recipient": "Sở Y tế",
        "signer": "Trần Thị Hạnh",
        "page_note": "1",
    }


def best_ms(action: Callable[[], object], repeat: int) -> float:
    """Best wall time of ``action`` in milliseconds, after one warm-up call.

    The minimum, as timeit advises: slower runs measure other processes on
    the machine, not the code.
    """
    action()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def docxtpl_render(path: Path, context: dict[str, Any]) -> bytes:
    """docxtpl as its users write it: a new DocxTemplate per document."""
    template = DocxTemplate(str(path))
    template.render(context)
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


def main(quick: bool = False) -> dict[str, float]:
    scale = 0.2 if quick else 1.0
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "minutes.docx"
        build_template(path)
        engine = Engine()
        engine_level6 = Engine(compresslevel=6)
        small, large = make_context(10), make_context(2000)

        def ours(context: dict[str, Any], which: Engine = engine) -> bytes:
            return which.load(path).render(context)

        ours_small = best_ms(lambda: ours(small), max(20, int(300 * scale)))
        theirs_small = best_ms(lambda: docxtpl_render(path, small), max(5, int(40 * scale)))
        ours_large = best_ms(lambda: ours(large), max(3, int(15 * scale)))
        ours_large_6 = best_ms(lambda: ours(large, engine_level6), max(3, int(15 * scale)))
        theirs_large = best_ms(lambda: docxtpl_render(path, large), max(2, int(5 * scale)))
        size_1, size_6 = len(ours(large)), len(ours(large, engine_level6))
        size_docxtpl = len(docxtpl_render(path, large))

    print(
        f"typical (10 rows)   docgen {ours_small:8.2f} ms   docxtpl {theirs_small:8.2f} ms"
        f"   ratio {ours_small / theirs_small:.3f} (budget 0.200)"
    )
    print(
        f"2,000 rows          docgen {ours_large:8.2f} ms   docxtpl {theirs_large:8.2f} ms"
        f"   ratio {ours_large / theirs_large:.3f} (budget 0.333)"
    )
    print(
        f"2,000 rows, zlib 1 vs 6: {ours_large:.2f} ms / {size_1 / 1024:.0f} KiB"
        f"  vs  {ours_large_6:.2f} ms / {size_6 / 1024:.0f} KiB"
        f"  (docxtpl's file: {size_docxtpl / 1024:.0f} KiB)"
    )
    figures = {
        "render_ratio_vs_docxtpl": round(ours_small / theirs_small, 4),
        "rows_2000_seconds": round(ours_large / 1000, 4),
        "rows_2000_ratio_vs_docxtpl": round(ours_large / theirs_large, 4),
    }
    print(json.dumps(figures))
    return figures


if __name__ == "__main__":
    main(quick="--quick" in sys.argv[1:])
