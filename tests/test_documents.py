"""The four documents rendered from their examples: content a person would check."""

from __future__ import annotations

import io
import zipfile

import pytest
from lxml import etree

import docgen
from docgen.errors import ValidationError

from .conftest import DOC_TYPES, load_example
from .docx_text import docx_text, open_docx


@pytest.fixture(scope="module")
def rendered() -> dict[str, bytes]:
    return {t: docgen.render(t, load_example(t)) for t in DOC_TYPES}


def _strings(value):
    """Every string in a payload (the values a reader must find in the document)."""
    if isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, str):
        yield value


# Fields whose raw value is a code or an ISO date that the document shows formatted.
NOT_VERBATIM = {"truong_doan", "pho_doan", "thanh_vien", "thu_ky", "scope", "dissemination",
                "conformity", "execution", "internal_audit", "improvement", "on_site",
                "by_report", "KT.", ""}


@pytest.mark.parametrize("doc_type", DOC_TYPES)
def test_every_part_is_xml_and_no_tag_left(doc_type, rendered):
    with zipfile.ZipFile(io.BytesIO(rendered[doc_type])) as zf:
        assert zf.testzip() is None
        for name in zf.namelist():
            if name.endswith((".xml", ".rels")):
                data = zf.read(name)
                etree.fromstring(data)  # raises if not well-formed
                assert b"{{" not in data and b"{%" not in data and b"{#" not in data, name
    open_docx(rendered[doc_type])  # python-docx opens it


@pytest.mark.parametrize("doc_type", DOC_TYPES)
def test_document_shows_every_payload_value(doc_type, rendered):
    text = docx_text(rendered[doc_type])
    data = load_example(doc_type)
    for value in _strings(data):
        if value in NOT_VERBATIM or value[:4].isdigit() and "-" in value:
            continue
        for line in value.split("\n"):
            # agency names and signer positions are printed upper case (Decree 30)
            assert line in text or line.upper() in text, f"{doc_type}: {line!r} not in the document"


@pytest.mark.parametrize("doc_type", DOC_TYPES)
def test_header_motto_number_and_date_line(doc_type, rendered):
    text = docx_text(rendered[doc_type])
    data = load_example(doc_type)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    # The letterhead breaks a long name between units of meaning (docgen.layout).
    flowing = " ".join(text.split())
    assert data["agency"]["name"].upper() in flowing
    assert data["agency"]["parent_name"].upper() in flowing
    assert "Nơi nhận:" in text
    assert f"- Lưu: {data['archive']}." in text
    assert data["signer"]["full_name"] in text


def test_number_symbol_and_date_line_per_type(rendered):
    expected = {
        "plan": ("Số: 105/KH-SKHCN", "Sóc Trăng, ngày 25 tháng 8 năm 2017"),
        "decision": ("Số: 04/QĐ-SKHCN", "Sóc Trăng, ngày 15 tháng 9 năm 2017"),
        "minutes": ("Số: 12/BB-ĐKT", "Sóc Trăng, ngày 12 tháng 10 năm 2017"),
        "report": ("Số: 215/BC-SKHCN", "Sóc Trăng, ngày 14 tháng 12 năm 2017"),
    }
    for doc_type, (number, date_line) in expected.items():
        text = docx_text(rendered[doc_type])
        assert number in text and date_line in text, doc_type


def test_report_shows_the_2017_figures(rendered):
    text = docx_text(rendered["report"])
    for figure in ("120", "46", "9", "1", "74", "38,33%"):
        assert figure in text
    assert "KT. GIÁM ĐỐC" in text and "PHÓ GIÁM ĐỐC" in text


def test_minutes_tables_and_titles(rendered):
    doc = open_docx(rendered["minutes"])
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    assert {"Trần Văn Lâu", "Trưởng đoàn", "Thư ký", "Võ Văn Thuận"} <= cells
    text = docx_text(rendered["minutes"])
    assert "Phạm vi áp dụng Hệ thống quản lý chất lượng" in text
    assert "08 giờ 00 phút, ngày 12 tháng 10 năm 2017" in text


def test_plan_schedule_table(rendered):
    doc = open_docx(rendered["plan"])
    rows = [[c.text for c in row.cells] for t in doc.tables for row in t.rows]
    units = [r for r in rows if "Sở Nội vụ" in r]
    assert units and "Tại trụ sở" in units[0] and "20/9/2017" in units[0]
    assert any("UBND xã Đại Ân 2" in r and "Qua báo cáo" in r for r in rows)
    assert "Bốn mươi lăm triệu đồng" in docx_text(rendered["plan"])


def test_special_characters_survive_exactly(example):
    tricky = 'Bộ KH&CN <Sở> "x" \'y\''
    data = example("minutes", **{"unit.name": tricky})
    data["recipients"].append(tricky)
    text = docx_text(docgen.render("minutes", data))
    assert tricky in text
    assert f"- {tricky};" in text


def test_a_multi_line_conclusion_is_two_body_paragraphs(rendered):
    """Issue 15, point 3: the second sentence keeps the body's first-line indent."""
    doc = open_docx(rendered["minutes"])
    first = next(i for i, p in enumerate(doc.paragraphs) if p.text.startswith("UBND huyện Mỹ Tú đã"))
    both = doc.paragraphs[first:first + 2]
    assert [p.text for p in both] == [
        "UBND huyện Mỹ Tú đã áp dụng, duy trì Hệ thống quản lý chất lượng phù hợp với TCVN ISO "
        + "9001:2008.", "Cần khắc phục những tồn tại nêu trên."]
    assert {p.style.name for p in both} == {"ND30 Body"}
    assert "\n" not in both[0].text


def test_control_character_refused_with_its_path(example):
    with pytest.raises(ValidationError) as info:
        docgen.render("minutes", example("minutes", conclusion="Kết luận\x0b"))
    assert [(e.path, e.code) for e in info.value.errors] == [("conclusion", "illegal_character")]


def test_no_number_leaves_room_to_write_it(example):
    text = docx_text(docgen.render("report", example("report", number=None)))
    assert "/BC-SKHCN" in text and "215/BC" not in text


def test_rendering_twice_gives_the_same_document(example):
    first = docgen.render("decision", example("decision"))
    second = docgen.render("decision", example("decision"))
    assert docx_text(first) == docx_text(second)


def test_legal_basis_prefix_and_punctuation_written_once(example):
    data = example("decision", legal_bases=["Luật A", "Căn cứ Nghị định B;"], proposal=None)
    text = docx_text(docgen.render("decision", data))
    assert "Căn cứ Luật A;" in text
    assert "Căn cứ Nghị định B." in text
    assert "Căn cứ Căn cứ" not in text and ";;" not in text
