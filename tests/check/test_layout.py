"""Decree 30 layout (Phụ lục I): one small .docx per rule, each breaking only that rule.

Each row of the table is a fixture from :func:`make_docx` with one change, the one
finding it must give (code, severity) and where (a piece of its location) and what
(a piece of its message). The base fixture gives no finding at all.
"""

from __future__ import annotations

from typing import Any

import pytest

from docgen.check import check_template

from .builders import PAGE_HEADER, P, make_docx, slot

PAGE_SETUP = "bố cục trang"


def test_the_base_fixture_conforms() -> None:
    assert check_template(make_docx()) == []


# (id, make_docx arguments, code, severity, location piece, message piece)
CASES: list[tuple[str, dict[str, Any], str, str, str, str]] = [
    # page: A4 portrait, margins of Phụ lục I
    ("letter-paper", {"page_size": '<w:pgSz w:w="12240" w:h="15840"/>'},
     "page_size", "error", PAGE_SETUP, "216 × 279 mm"),
    ("landscape", {"page_size": '<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>'},
     "page_size", "error", PAGE_SETUP, "nằm ngang"),
    # 25 mm on the left: Phụ lục I wants 30–35
    ("left-margin-25mm", {"margins": '<w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1417"/>'},
     "margin", "error", PAGE_SETUP, "Lề trái 25 mm; Phụ lục I: 30–35 mm"),
    ("top-margin-30mm", {"margins": '<w:pgMar w:top="1701" w:right="850" w:bottom="1134" w:left="1701"/>'},
     "margin", "error", PAGE_SETUP, "Lề trên 30 mm"),
    ("right-margin-10mm", {"margins": '<w:pgMar w:top="1134" w:right="567" w:bottom="1134" w:left="1701"/>'},
     "margin", "error", PAGE_SETUP, "Lề phải 10 mm"),
    # fonts in effect: on the run, through a style, through the theme
    ("arial-on-a-run", {"slots": slot("body2", run_fonts='w:ascii="Arial" w:hAnsi="Arial"')},
     "font", "error", "đoạn «Đoạn thứ hai của nội dung.»", "«Arial»"),
    ("arial-through-a-style", {"slots": slot("body2", style="ArialText")},
     "font", "error", "Đoạn thứ hai", "«Arial»"),
    # asciiTheme wins over w:ascii and names the theme's minor font
    ("theme-font", {"slots": slot("body2", run_fonts='w:ascii="Times New Roman" '
                                  'w:asciiTheme="minorHAnsi" w:hAnsiTheme="minorHAnsi"')},
     "font", "error", "Đoạn thứ hai", "«Calibri»"),
    # the motto: exact text, sizes, bold
    ("quoc-hieu-old-accent", {"slots": slot("quoc_hieu", text="CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM")},
     "motto_text", "error", "bảng 1 hàng 1 ô 2, đoạn «CỘNG HOÀ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("tieu-ngu-en-dashes", {"slots": slot("tieu_ngu", text="Độc lập – Tự do – Hạnh phúc")},
     "motto_text", "error", "«Độc lập – Tự do", "«Độc lập - Tự do - Hạnh phúc»"),
    ("tieu-ngu-lower-case", {"slots": slot("tieu_ngu", text="Độc lập - tự do - hạnh phúc")},
     "motto_text", "error", "Độc lập", "Tiêu ngữ phải viết đúng"),
    ("quoc-hieu-14pt", {"slots": slot("quoc_hieu", size=14)},
     "font_size", "error", "«CỘNG HÒA", "Quốc hiệu: cỡ chữ 14 pt; Phụ lục I: 12–13 pt"),
    ("quoc-hieu-not-bold", {"slots": slot("quoc_hieu", bold=False)},
     "font_weight", "error", "«CỘNG HÒA", "Quốc hiệu phải in đậm"),
    ("tieu-ngu-12pt", {"slots": slot("tieu_ngu", size=12)},
     "font_size", "error", "«Độc lập", "Tiêu ngữ: cỡ chữ 12 pt; Phụ lục I: 13–14 pt"),
    # the agency lines: parent regular, issuer bold, both 12–13
    ("issuer-not-bold", {"slots": slot("issuer", bold=False)},
     "font_weight", "error", "bảng 1 hàng 1 ô 1, đoạn «SỞ KHOA HỌC", "Tên cơ quan ban hành phải in đậm"),
    ("parent-bold", {"slots": slot("parent", bold=True)},
     "font_weight", "error", "«UBND TỈNH SÓC TRĂNG»", "Tên cơ quan chủ quản phải không in đậm"),
    ("issuer-14pt", {"slots": slot("issuer", size=14)},
     "font_size", "error", "«SỞ KHOA HỌC", "Tên cơ quan ban hành: cỡ chữ 14 pt"),
    # number line 13 pt upright; date line italic 13–14
    ("number-line-italic", {"slots": slot("number", italic=True)},
     "font_weight", "error", "bảng 1 hàng 2 ô 1, đoạn «Số: {{ number_symbol }}»", "không in nghiêng"),
    ("number-line-14pt", {"slots": slot("number", size=14)},
     "font_size", "error", "«Số:", "Số, ký hiệu: cỡ chữ 14 pt; Phụ lục I: 13 pt"),
    ("date-line-upright", {"slots": slot("date", italic=False)},
     "font_weight", "error", "bảng 1 hàng 2 ô 2, đoạn «{{ date_line }}»", "phải in nghiêng"),
    ("date-line-literal-12pt", {"slots": slot("date", text="Sóc Trăng, ngày 05 tháng 3 năm 2020", size=12)},
     "font_size", "error", "«Sóc Trăng, ngày 05", "Địa danh, ngày tháng: cỡ chữ 12 pt"),
    # title and summary bold 13–14, body 13–14 (a size from a basedOn chain counts)
    ("title-not-bold", {"slots": slot("title", bold=False)},
     "font_weight", "error", "đoạn «{{ type_name }}»", "Tên loại văn bản phải in đậm"),
    ("summary-12pt", {"slots": slot("summary", size=12)},
     "font_size", "error", "đoạn «{{ summary }}»", "Trích yếu: cỡ chữ 12 pt"),
    ("body-12pt-through-basedOn", {"slots": slot("body2", size=None, style="Small")},
     "font_size", "error", "«Đoạn thứ hai", "Nội dung: cỡ chữ 12 pt; Phụ lục I: 13–14 pt"),
    ("body-15pt", {"slots": slot("body", size=15)},
     "font_size", "error", "«Nội dung văn bản:", "cỡ chữ 15 pt"),
    # signature bold 13–14; Nơi nhận label 12 bold italic, lines 11
    ("signer-not-bold", {"slots": slot("signer", bold=False)},
     "font_weight", "error", "bảng 2 hàng 1 ô 2, đoạn «{{ signer.full_name }}»", "Khối chữ ký phải in đậm"),
    ("recipients-label-13pt", {"slots": slot("recipients_label", size=13)},
     "font_size", "error", "bảng 2 hàng 1 ô 1, đoạn «Nơi nhận:»", "cỡ chữ 13 pt; Phụ lục I: 12 pt"),
    ("recipients-label-not-italic", {"slots": slot("recipients_label", italic=False)},
     "font_weight", "error", "«Nơi nhận:»", "phải in nghiêng"),
    ("recipient-line-13pt", {"slots": slot("recipient", size=13)},
     "font_size", "error", "«- Lưu: {{ archive }}.»", "Các dòng Nơi nhận: cỡ chữ 13 pt; Phụ lục I: 11 pt"),
    # page numbers: from page 2, centred, 13–14
    ("no-different-first-page", {"title_pg": False},
     "page_number", "error", PAGE_SETUP, "Trang 1 cũng hiện số trang"),
    ("no-page-field", {"default_header": "<w:p/>"},
     "page_number", "error", "đầu trang", "không có số trang"),
    ("page-number-on-the-first-page", {"first_header": PAGE_HEADER},
     "page_number", "error", "đầu trang (trang đầu)", "trang 1 không đánh số"),
    ("page-number-left", {"default_header": PAGE_HEADER.replace('<w:jc w:val="center"/>', "")},
     "page_number", "error", "đầu trang, đoạn trống thứ 1", "căn giữa"),
    ("page-number-10pt", {"default_header": PAGE_HEADER.replace('w:val="28"', 'w:val="20"')},
     "font_size", "error", "đầu trang", "Số trang: cỡ chữ 10 pt"),
    # a part that cannot be found is a warning, never a crash
    ("no-quoc-hieu", {"slots": {"quoc_hieu": None}},
     "part_not_found", "warning", "phần thân", "Quốc hiệu"),
    ("no-number-line", {"slots": {"number": P("Văn bản không số", 13)}},
     "part_not_found", "warning", "phần thân", "Số, ký hiệu"),
]


@pytest.mark.parametrize(("arguments", "code", "severity", "where", "what"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_one_rule_broken_gives_exactly_its_finding(arguments: dict[str, Any], code: str,
                                                   severity: str, where: str, what: str) -> None:
    findings = check_template(make_docx(**arguments))
    assert len(findings) == 1, [str(f) for f in findings]
    finding = findings[0]
    assert (finding.code, finding.severity) == (code, severity)
    assert where in finding.location
    assert what in finding.message


def test_every_problem_is_reported_at_once() -> None:
    findings = check_template(make_docx(
        margins='<w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1417"/>',
        title_pg=False,
        slots={**slot("quoc_hieu", size=14), **slot("signer", bold=False)}))
    assert sorted(f.code for f in findings) == ["font_size", "font_weight", "margin", "page_number"]


def test_a_font_used_in_many_paragraphs_is_one_finding_with_a_count() -> None:
    arial = 'w:ascii="Arial" w:hAnsi="Arial"'
    findings = check_template(make_docx(slots={**slot("body", run_fonts=arial),
                                               **slot("body2", run_fonts=arial)}))
    assert [(f.code, f.message) for f in findings] == [
        ("font", "Phông chữ «Arial» đang được dùng (và 1 đoạn khác); Phụ lục I: Times New Roman.")]
    assert "Nội dung văn bản" in findings[0].location


def test_a_cong_van_has_no_title_to_check() -> None:
    # V/v under the number: a công văn has no type name, so its summary is not a "title"
    findings = check_template(make_docx(slots={"title": P("V/v báo cáo kết quả", 12)}))
    assert findings == []
