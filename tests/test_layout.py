"""The letterhead pass (docgen.layout): name breaks, column widths, rules, on real XML.

The page as LibreOffice sets it is checked in tests/pdf/test_letterhead_pdf.py; here the
decisions, the width table and what the pass writes into the header table.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import docgen
from docgen import layout, vi
from docgen.engine import Engine
from docgen.layout import break_name, layout_letterhead, place_spans, text_width
from docgen.rendering import Renderer

from .conftest import load_example

ROOT = Path(__file__).resolve().parents[1]
COLUMN = 4082 - 56  # the shipped agency column's text width (7.2 cm less cell margins)


def cm(twips: float) -> float:
    return twips * 2.54 / 1440


# --------------------------------------------------------------------------- widths


def test_width_table_is_the_fonts_own():
    # The committed table is what fontTools reads from fonts-liberation2 (Times New Roman's
    # metric twin): rebuilding it changes nothing.
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_width_table.py"),
                             "--check"], check=False, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("text", "size", "bold", "italic", "expected_cm"), [
    # build_templates.py measured these by hand for the shipped letterhead
    ("SỞ KHOA HỌC VÀ CÔNG NGHỆ", 13, True, False, 7.02),
    ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, True, False, 8.83),
    ("Độc lập - Tự do - Hạnh phúc", 13, True, False, 5.61),
    # the date line that wraps in a 9.3 cm column (issue 15)
    ("Thành phố Cần Thơ, ngày 21 tháng 11 năm 2023", 14, False, True, 9.76),
])
def test_text_width(text, size, bold, italic, expected_cm):
    assert cm(text_width(text, size, bold=bold, italic=italic)) == pytest.approx(expected_cm,
                                                                                abs=0.02)


def test_digits_are_one_width():
    # The pass reuses a layout for texts differing only in digits (the number, the date).
    widths = {text_width(d, 14, italic=True) for d in "0123456789"}
    assert len(widths) == 1


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(("name", "spans"), [
    ("ỦY BAN NHÂN DÂN TỈNH BÀ RỊA - VŨNG TÀU", ["TỈNH BÀ RỊA - VŨNG TÀU"]),
    ("ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ", ["THÀNH PHỐ CẦN THƠ"]),
    ("ỦY BAN NHÂN DÂN XÃ AN THẠNH NAM HUYỆN CÙ LAO DUNG",
     ["XÃ AN THẠNH NAM", "HUYỆN CÙ LAO DUNG"]),
    ("UBND THỊ XÃ NGÃ NĂM", ["THỊ XÃ NGÃ NĂM"]),  # THỊ XÃ, not XÃ
    ("SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", []),  # XÃ HỘI is society, no commune
    ("SỞ KHOA HỌC VÀ CÔNG NGHỆ", []),
])
def test_place_spans(name, spans):
    words = name.split()
    assert [" ".join(words[a:b]) for a, b in place_spans(words)] == spans


@pytest.mark.parametrize(("name", "size", "bold", "lines"), [
    # issue 15's example: between units of meaning, never inside the place
    ("ỦY BAN NHÂN DÂN TỈNH BÀ RỊA - VŨNG TÀU", 13, True,
     ("ỦY BAN NHÂN DÂN", "TỈNH BÀ RỊA - VŨNG TÀU")),
    ("ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ", 13, False, ("ỦY BAN NHÂN DÂN", "THÀNH PHỐ CẦN THƠ")),
    # two places: each stays whole
    ("ỦY BAN NHÂN DÂN XÃ AN THẠNH NAM HUYỆN CÙ LAO DUNG", 13, True,
     ("ỦY BAN NHÂN DÂN", "XÃ AN THẠNH NAM", "HUYỆN CÙ LAO DUNG")),
    # a line never ends on "VÀ"
    ("SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI THÀNH PHỐ HỒ CHÍ MINH", 13, True,
     ("SỞ LAO ĐỘNG - THƯƠNG BINH", "VÀ XÃ HỘI", "THÀNH PHỐ HỒ CHÍ MINH")),
    # fits: one line
    ("SỞ KHOA HỌC VÀ CÔNG NGHỆ", 13, True, ("SỞ KHOA HỌC VÀ CÔNG NGHỆ",)),
])
def test_break_name(name, size, bold, lines):
    assert break_name(name, COLUMN, size, bold) == lines


def test_break_name_keeps_two_syllable_words_whole():
    lines = break_name("BAN CHỈ ĐẠO ÁP DỤNG HỆ THỐNG QUẢN LÝ CHẤT LƯỢNG", 3600, 13, True)
    text = " / ".join(lines)
    for word in ("CHỈ ĐẠO", "ÁP DỤNG", "HỆ THỐNG", "QUẢN LÝ", "CHẤT LƯỢNG"):
        assert word in text, text
    assert all(text_width(line, 13, bold=True) <= 3600 for line in lines)


def test_a_place_too_wide_for_any_column_still_breaks():
    # Nothing fits whole: the place is broken rather than the line run out of the cell.
    lines = break_name("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH", 1500, 13, True)
    assert all(text_width(line, 13, bold=True) <= 1500 for line in lines)


# --------------------------------------------------------------------------- the pass


def _render(doc_type: str, **agency: str) -> bytes:
    data = load_example(doc_type)
    data["agency"].update(agency)
    return docgen.render(doc_type, data)


def _document(docx: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()


def _header(xml: str) -> str:
    start = xml.index("<w:tbl>")
    return xml[start:xml.index("</w:tbl>", start)]


def _cells(xml: str) -> list[list[str]]:
    """The header's cells, each as its paragraphs' text with line breaks as "\\n"."""
    cells = []
    for cell in re.findall(r"<w:tc>.*?</w:tc>", _header(xml), re.DOTALL):
        paragraphs = []
        for p in re.findall(r"<w:p[ >].*?</w:p>", cell, re.DOTALL):
            p = p.replace("<w:br/>", "<w:t>\n</w:t>")
            paragraphs.append("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p)))
        cells.append([p for p in paragraphs if p])
    return cells


def _grid(xml: str) -> list[int]:
    return [int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"/>', _header(xml))]


def _rule_indents(xml: str) -> list[tuple[int, int]]:
    return [(int(a), int(b)) for a, b in re.findall(
        r'<w:pStyle w:val="ND30Rule"/><w:ind w:left="(\d+)" w:right="(\d+)"/>', _header(xml))]


def test_long_name_breaks_between_units_and_the_rule_follows_it():
    xml = _document(_render("plan", parent_name="",
                            name="Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu", place="Bà Rịa - Vũng Tàu"))
    agency, *_ = _cells(xml)
    assert agency[0] == "ỦY BAN NHÂN DÂN\nTỈNH BÀ RỊA - VŨNG TÀU"
    left, right = _grid(xml)
    assert left + right == 9355  # within the margins
    (issuer_left, issuer_right), _motto = _rule_indents(xml)
    rule = left - 56 - issuer_left - issuer_right
    widest = text_width("TỈNH BÀ RỊA - VŨNG TÀU", 13, bold=True)
    assert widest / 3 <= rule <= widest / 2
    assert abs(issuer_left - issuer_right) <= 1  # centred


def test_short_name_gets_a_short_rule():
    # Issue 15: a fixed 2.6 cm rule is longer than "SỞ NỘI VỤ" itself.
    xml = _document(_render("minutes", parent_name="UBND tỉnh Sóc Trăng", name="Sở Nội vụ",
                            code="SNV"))
    left, _right = _grid(xml)
    (a, b), _motto = _rule_indents(xml)
    rule = left - 56 - a - b
    width = text_width("SỞ NỘI VỤ", 13, bold=True)
    assert width / 3 <= rule <= width / 2


def test_long_place_keeps_the_date_line_on_one_line():
    data = load_example("report")
    data["agency"].update(parent_name="Ủy ban nhân dân thành phố Cần Thơ",
                          name="Sở Khoa học và Công nghệ", place="Thành phố Cần Thơ")
    data["date"] = "2023-11-21"
    xml = _document(docgen.render("report", data))
    _left, right = _grid(xml)
    date_line = "Thành phố Cần Thơ, ngày 21 tháng 11 năm 2023"
    assert date_line in xml
    assert right - 56 >= text_width(date_line, 14, italic=True)
    # the agency column gave way, and its names broke where they may
    agency = _cells(xml)[0]
    assert agency[0] == "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ CẦN THƠ"
    assert agency[1] == "SỞ KHOA HỌC\nVÀ CÔNG NGHỆ"


def test_the_clerks_own_break_prints_in_the_header_only():
    data = load_example("notice")
    data["agency"].update(name="Ban Chỉ đạo ISO\ntỉnh Sóc Trăng", parent_name="")
    xml = _document(docgen.render("notice", data))
    assert _cells(xml)[0][0] == "BAN CHỈ ĐẠO ISO\nTỈNH SÓC TRĂNG"
    body = xml[xml.index("</w:tbl>"):]
    assert "Ban Chỉ đạo ISO tỉnh Sóc Trăng" in body  # the body keeps one line
    assert "Ban Chỉ đạo ISO</w:t><w:br/>" not in body


def test_the_shipped_example_is_unchanged_but_for_the_rule():
    # Today's right output stays: "SỞ KHOA HỌC VÀ CÔNG NGHỆ" on one line, columns ~7.2/9.3 cm.
    xml = _document(docgen.render("plan", load_example("plan")))
    assert _cells(xml)[0] == ["UBND TỈNH SÓC TRĂNG", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"]
    left, right = _grid(xml)
    assert abs(left - 4082) <= 114 and left + right == 9355


def _without_pass(doc_type: str, **agency: str) -> str:
    """The rendered document.xml as the engine writes it, before the letterhead pass."""
    renderer = Renderer()
    renderer.engine = Engine(filters=vi.FILTERS)
    data = load_example(doc_type)
    data["agency"].update(agency)
    return _document(renderer.render(doc_type, data).content)


def test_a_template_edited_in_word_still_comes_out_right():
    # The shipped header as Word saves it after an administrator's edit: the issuer's text
    # split over two runs, the rule a direct bottom border (no ND30 Rule style), the
    # columns resized to 6.5 / 10 cm.
    xml = _without_pass("plan", parent_name="", name="Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu")
    header = _header(xml)
    edited = header.replace(">ỦY BAN NHÂN DÂN TỈNH BÀ RỊA - VŨNG TÀU<",
                            ">ỦY BAN NHÂN </w:t></w:r><w:r><w:rPr><w:b/></w:rPr>"
                            "<w:t xml:space=\"preserve\">DÂN TỈNH BÀ RỊA - VŨNG TÀU<")
    edited = edited.replace('<w:pStyle w:val="ND30Rule"/><w:ind w:left="1276" w:right="1276"/>',
                            '<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" '
                            'w:color="000000"/></w:pBdr>', 1)
    edited = edited.replace('w:w="4082"', 'w:w="3685"').replace('w:w="5273"', 'w:w="5670"')
    assert edited.count("<w:pBdr>") == 1 and "3685" in edited
    laid_out = layout_letterhead(xml.replace(header, edited), {})
    assert _cells(laid_out)[0][0] == "ỦY BAN NHÂN DÂN\nTỈNH BÀ RỊA - VŨNG TÀU"
    left, right = _grid(laid_out)
    assert left + right == 9355
    assert left >= text_width("TỈNH BÀ RỊA - VŨNG TÀU", 13, bold=True) + 56
    found = re.search(r'<w:pBdr><w:bottom [^>]*/></w:pBdr><w:ind w:left="(\d+)" '
                      r'w:right="(\d+)"/>', _header(laid_out))
    assert found is not None  # the direct border is the issuer's rule, set and centred
    rule = left - 56 - int(found.group(1)) - int(found.group(2))
    widest = text_width("TỈNH BÀ RỊA - VŨNG TÀU", 13, bold=True)
    assert widest / 3 <= rule <= widest / 2


def test_a_line_break_in_the_template_is_kept():
    xml = _without_pass("plan")
    header = _header(xml)
    edited = header.replace(">SỞ KHOA HỌC VÀ CÔNG NGHỆ<",
                            ">SỞ KHOA HỌC</w:t><w:br/><w:t>VÀ CÔNG NGHỆ<")
    laid_out = layout_letterhead(xml.replace(header, edited), {})
    assert _cells(laid_out)[0][1] == "SỞ KHOA HỌC\nVÀ CÔNG NGHỆ"


def test_the_pass_is_idempotent_and_keeps_the_rest():
    xml = _document(_render("decision", parent_name="Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu",
                            name="Ban Chỉ đạo áp dụng Hệ thống quản lý chất lượng tỉnh Bà Rịa"
                                 " - Vũng Tàu"))
    again = layout_letterhead(xml, {})
    assert again == xml
    assert xml[xml.index("</w:tbl>"):] == again[again.index("</w:tbl>"):]


def test_a_document_without_a_letterhead_is_left_alone():
    xml = ('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           '<w:body><w:tbl><w:tr><w:tc><w:p><w:r><w:t>Bảng</w:t></w:r></w:p></w:tc></w:tr>'
           '</w:tbl></w:body></w:document>')
    assert layout_letterhead(xml, {}) is xml
    assert layout_letterhead("<w:document><w:body/></w:document>", {}) == \
        "<w:document><w:body/></w:document>"


def test_texts_differing_in_digits_share_a_layout_but_keep_their_digits():
    first = _render("minutes", name="Ủy ban nhân dân xã An Thạnh 1 huyện Cù Lao Dung")
    second = _render("minutes", name="Ủy ban nhân dân xã An Thạnh 2 huyện Cù Lao Dung")
    one, two = _cells(_document(first))[0], _cells(_document(second))[0]
    assert "XÃ AN THẠNH 1" in one[-1] and "XÃ AN THẠNH 2" in two[-1]
    assert one[-1].replace("1", "2") == two[-1]


def test_the_renderer_hands_the_pass_to_the_engine():
    from docgen.rendering import default_renderer

    assert default_renderer().engine.post_render == layout.POST_RENDER
