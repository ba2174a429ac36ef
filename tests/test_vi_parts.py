"""The shared parts' punctuation (docgen.vi.parts), as clerks type the items.

Issue 15, point 6: "Căn cứ Căn cứ …;;" when a clerk typed the prefix or the ";", a
recipient that is the report's addressee ("- Như trên;" is the practice), several
addressees after "Kính gửi:". Each odd row names what it guards.
"""

from __future__ import annotations

import doctest

import pytest

import docgen
from docgen import context
from docgen.vi import parts

from .conftest import load_example
from .docx_text import docx_text


def test_doctests():
    assert doctest.testmod(parts).failed == 0
    assert doctest.testmod(context).failed == 0


@pytest.mark.parametrize(("typed", "item"), [
    ("Luật Tổ chức chính quyền địa phương", "Luật Tổ chức chính quyền địa phương"),
    ("Căn cứ Luật A;", "Luật A"),
    ("Căn cứ Căn cứ Luật A;;", "Luật A"),  # the prefix typed twice, the mark twice
    ("căn cứ: Luật A.", "Luật A"),  # lower case, a colon, a full stop
    ("  - Căn cứ Luật A ; ", "Luật A"),  # a dash and stray spaces
    ("Luật A; Luật B", "Luật A; Luật B"),  # a ";" inside the item stays
    ("Quyết định số 04/QĐ-BCĐISO...", "Quyết định số 04/QĐ-BCĐISO..."),  # an ellipsis stays
])
def test_basis_item(typed, item):
    assert parts.basis_item(typed) == item


@pytest.mark.parametrize(("bases", "more_follows", "lines"), [
    (["Luật A", "Nghị định B"], False, ["Căn cứ Luật A;", "Căn cứ Nghị định B."]),
    (["Căn cứ Luật A;", "Căn cứ Nghị định B;"], False, ["Căn cứ Luật A;", "Căn cứ Nghị định B."]),
    # a "Xét đề nghị …" line follows: the last căn cứ ends with ";"
    (["Luật A", "Nghị định B."], True, ["Căn cứ Luật A;", "Căn cứ Nghị định B;"]),
    (["Luật A", "  ", ";"], False, ["Căn cứ Luật A."]),  # blank items are dropped
    ([], False, []),
])
def test_basis_lines(bases, more_follows, lines):
    assert parts.basis_lines(bases, more_follows=more_follows) == lines


@pytest.mark.parametrize(("typed", "item"), [
    ("Sở Tài chính", "Sở Tài chính"),
    ("- Sở Tài chính;", "Sở Tài chính"),
    ("– Sở Tài chính.", "Sở Tài chính"),  # an en dash, a full stop
    ("+ Sở Tài chính", "Sở Tài chính"),
    ("1. Kiểm tra hồ sơ;", "Kiểm tra hồ sơ"),  # a number typed before a list item
    ("Bộ KH&CN (b/c);", "Bộ KH&CN (b/c)"),  # the purpose in brackets stays
    ("Sở\nTài chính", "Sở Tài chính"),  # a line break inside an item
])
def test_list_item(typed, item):
    assert parts.list_item(typed) == item


@pytest.mark.parametrize(("items", "dashes", "numbers"), [
    (["Một", "Hai"], ["- Một;", "- Hai."], ["1. Một;", "2. Hai."]),
    (["- Một;", "- Hai;"], ["- Một;", "- Hai."], ["1. Một;", "2. Hai."]),
    (["Một."], ["- Một."], ["1. Một."]),
    ([], [], []),
    (None, [], []),
])
def test_dash_and_numbered_lists(items, dashes, numbers):
    assert parts.dash_list(items) == dashes
    assert parts.numbered_list(items) == numbers


@pytest.mark.parametrize(("recipients", "addressees", "items"), [
    # the report to the People's Committee: "UBND tỉnh (b/c)" is "Như trên"
    (["UBND tỉnh (b/c)", "Bộ KH&CN (b/c)"], ["Ủy ban nhân dân tỉnh Sóc Trăng"],
     ["Như trên", "Bộ KH&CN (b/c)"]),
    # a city under the central government
    (["UBND thành phố (b/c)", "Sở Xây dựng"], ["Ủy ban nhân dân thành phố Cần Thơ"],
     ["Như trên", "Sở Xây dựng"]),
    # the old tone placement (Uỷ) names the same body
    (["Uỷ ban nhân dân tỉnh Sóc Trăng"], ["Ủy ban nhân dân tỉnh Sóc Trăng"], ["Như trên"]),
    # two addressees among the recipients: one "Như trên", first
    (["Lãnh đạo Sở", "Sở Nội vụ", "Sở Tài chính"], ["Sở Tài chính", "Sở Nội vụ"],
     ["Như trên", "Lãnh đạo Sở"]),
    # the clerk wrote "Như trên" already: not twice
    (["Như trên", "UBND tỉnh"], ["UBND tỉnh Sóc Trăng"], ["Như trên"]),
    # another district's committee is not the province's
    (["UBND huyện Mỹ Tú"], ["Ủy ban nhân dân tỉnh Sóc Trăng"], ["UBND huyện Mỹ Tú"]),
    # no Kính gửi (a plan, a decision): nothing becomes "Như trên"
    (["UBND tỉnh (b/c)", "- Ban Chỉ đạo ISO tỉnh;"], [],
     ["UBND tỉnh (b/c)", "Ban Chỉ đạo ISO tỉnh"]),
])
def test_recipient_items(recipients, addressees, items):
    assert parts.recipient_items(recipients, addressees) == items


@pytest.mark.parametrize(("typed", "item"), [
    ("VT, TĐC", "VT, TĐC"),
    ("- Lưu: VT, TĐC.", "VT, TĐC"),
    ("Lưu VT", "VT"),
    ("", "VT"),
])
def test_archive_item(typed, item):
    assert parts.archive_item(typed) == item


def _text(doc_type: str, data: dict) -> str:
    return docx_text(docgen.render(doc_type, data))


def test_a_clerks_punctuation_comes_out_once_in_every_part():
    data = load_example("decision")
    data["legal_bases"] = ["Căn cứ Căn cứ Quyết định số 19/2014/QĐ-TTg;;",
                           "căn cứ Thông tư số 26/2014/TT-BKHCN."]
    data["proposal"] = "Xét đề nghị của Chi cục trưởng Chi cục Tiêu chuẩn Đo lường Chất lượng;"
    data["recipients"] = ["- Như Điều 3;", "- UBND tỉnh (b/c);"]
    data["archive"] = "Lưu: VT, TĐC."
    text = _text("decision", data)
    assert "Căn cứ Quyết định số 19/2014/QĐ-TTg;\n" in text
    assert "Căn cứ Thông tư số 26/2014/TT-BKHCN;\n" in text  # a proposal follows
    assert "Xét đề nghị của Chi cục trưởng Chi cục Tiêu chuẩn Đo lường Chất lượng.\n" in text
    assert "- Như Điều 3;\n- UBND tỉnh (b/c);\n- Lưu: VT, TĐC." in text
    for doubled in ("Căn cứ Căn cứ", ";;", ";.", ".;", "..", "- -", "Lưu: Lưu"):
        assert doubled not in text, doubled


def test_lists_end_each_item_and_the_last():
    data = load_example("minutes")
    data["requests"] = ["- Cập nhật quy trình;", "Rà soát hồ sơ."]
    text = _text("minutes", data)
    assert "- Cập nhật quy trình;\n- Rà soát hồ sơ.\n" in text
    assert "Căn cứ Quyết định số 04/QĐ-" in text and "Căn cứ Căn cứ" not in text
    # the content ends "./." in the minutes as in every other type (Phụ lục I)
    assert "thống nhất ký tên./.\n" in text


def test_several_addressees_line_up_under_the_first():
    data = load_example("report")
    data["addressees"] = ["Ủy ban nhân dân tỉnh Sóc Trăng", "Bộ Khoa học và Công nghệ;"]
    data["recipients"] = ["UBND tỉnh (b/c)", "Bộ KH&CN", "Lãnh đạo Sở"]
    docx = docgen.render("report", data)
    text = docx_text(docx)
    # one paragraph each (ND30 Addressees: a hanging indent whose tab stop lines them up)
    assert "Kính gửi:\t- Ủy ban nhân dân tỉnh Sóc Trăng;\n\t- Bộ Khoa học và Công nghệ." in text
    assert "Nơi nhận:\n- Như trên;\n- Lãnh đạo Sở;\n- Lưu: VT, TĐC." in text


def test_one_addressee_stays_on_the_kinh_gui_line():
    text = _text("report", load_example("report"))
    assert "Kính gửi: Ủy ban nhân dân tỉnh Sóc Trăng\n" in text
