"""The one-template merger (docgen.batch._merge): sections, headers, numbering, ids, pages.

The template made here has what the shipped ones do not yet use, so each rule is
exercised: a first-page header that differs per document, a static default
header, a list numbered through its style and one numbered directly, a picture
(a drawing id), a bookmark, and a body that ends in a table.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib
from collections import Counter
from pathlib import Path

import docx
import pytest
from lxml import etree

from docgen.batch._merge import MergedDocument
from docgen.engine import Engine

from ..docx_text import docx_text, open_docx
from ..pdf.support import requires_libreoffice

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W,
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
}
UNITS = ["UBND xã Mỹ Tú", "Sở Tư pháp", "UBND huyện Châu Thành"]


def _png() -> bytes:
    """A 1×1 white PNG, written out so the test needs no image file."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b""))


@pytest.fixture(scope="module")
def parts(tmp_path_factory: pytest.TempPathFactory) -> list[bytes]:
    """Three documents rendered by the engine from one template."""
    document = docx.Document()
    section = document.sections[0]
    section.different_first_page_header_footer = True
    section.first_page_header.paragraphs[0].text = "Trang đầu: {{ unit }}"
    section.header.paragraphs[0].text = "Đầu trang chung"
    document.add_paragraph("Biên bản tại {{ unit }}")
    bookmarked = document.add_paragraph("Mục có dấu trang")
    start = etree.SubElement(bookmarked._p, f"{{{W}}}bookmarkStart")
    start.set(f"{{{W}}}id", "0")
    start.set(f"{{{W}}}name", "muc_1")
    etree.SubElement(bookmarked._p, f"{{{W}}}bookmarkEnd").set(f"{{{W}}}id", "0")
    document.add_paragraph("Kiến nghị thứ nhất", style="List Number")
    document.add_paragraph("Kiến nghị thứ hai", style="List Number")
    direct = document.add_paragraph("Ý kiến đánh số trực tiếp")
    num_pr = etree.SubElement(direct._p.get_or_add_pPr(), f"{{{W}}}numPr")
    etree.SubElement(num_pr, f"{{{W}}}ilvl").set(f"{{{W}}}val", "0")
    etree.SubElement(num_pr, f"{{{W}}}numId").set(f"{{{W}}}val", "1")
    image = tmp_path_factory.mktemp("img") / "dot.png"
    image.write_bytes(_png())
    document.add_picture(str(image))
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Đại diện"
    table.cell(0, 1).text = "{{ unit }}"
    path = tmp_path_factory.mktemp("tpl") / "template.docx"
    document.save(str(path))
    template = Engine().load(path)
    return [template.render({"unit": unit}) for unit in UNITS]


@pytest.fixture(scope="module")
def merged(parts: list[bytes]) -> bytes:
    merger = MergedDocument()
    for part in parts:
        merger.add(part)
    out = io.BytesIO()
    assert merger.save(out)
    assert merger.count == 3
    return out.getvalue()


def _document(content: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return etree.fromstring(archive.read("word/document.xml"))


def _member(content: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return etree.fromstring(archive.read(name))


def test_every_document_is_a_section_in_order(merged: bytes) -> None:
    root = _document(merged)
    sections = root.findall(".//w:sectPr", NS)
    assert len(sections) == 3
    assert root.find("w:body", NS)[-1].tag == f"{{{W}}}sectPr"  # the last stays the body's
    for section in sections:
        assert section.find("w:titlePg", NS) is not None
        kinds = [ref.get(f"{{{W}}}type") for ref in section.findall("w:headerReference", NS)]
        assert sorted(kinds) == ["default", "first"]
        kind = section.find("w:type", NS)
        assert kind is None or kind.get(f"{{{W}}}val") == "nextPage"
    text = docx_text(merged)
    positions = [text.find(f"Biên bản tại {unit}") for unit in UNITS]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)
    assert len(open_docx(merged).sections) == 3  # python-docx reads it as Word would


def test_each_document_has_its_own_first_page_header(merged: bytes) -> None:
    root = _document(merged)
    rels = {rel.get("Id"): rel.get("Target") for rel in _member(merged, "word/_rels/document.xml.rels")}
    firsts, defaults = [], []
    for section in root.findall(".//w:sectPr", NS):
        for ref in section.findall("w:headerReference", NS):
            target = rels[ref.get(f"{{{NS['r']}}}id")]
            (firsts if ref.get(f"{{{W}}}type") == "first" else defaults).append(target)
    assert len(set(firsts)) == 3  # its own content: three parts
    assert len(set(defaults)) == 1  # the same bytes: one part shared
    with zipfile.ZipFile(io.BytesIO(merged)) as archive:
        texts = ["".join(etree.fromstring(archive.read(f"word/{t}")).itertext()).strip()
                 for t in firsts]
        types = archive.read("[Content_Types].xml").decode()
    assert texts == [f"Trang đầu: {unit}" for unit in UNITS]
    assert all(f'PartName="/word/{t}"' in types for t in firsts)


def test_numbering_restarts_in_each_document(parts: list[bytes], merged: bytes) -> None:
    root = _document(merged)
    numbering = _member(merged, "word/numbering.xml")
    abstract_of = {
        num.get(f"{{{W}}}numId"): num.find("w:abstractNumId", NS).get(f"{{{W}}}val")
        for num in numbering.findall("w:num", NS)
    }
    per_document: list[list[str]] = [[] for _ in UNITS]
    index = 0
    for paragraph in root.iter(f"{{{W}}}p"):
        num_id = paragraph.find("w:pPr/w:numPr/w:numId", NS)
        if num_id is not None:
            per_document[index].append(num_id.get(f"{{{W}}}val"))
        if paragraph.find("w:pPr/w:sectPr", NS) is not None:
            index += 1
    first, second, third = per_document
    assert len(first) == 1 and len(second) == 3 and len(third) == 3  # style lists made explicit
    assert not set(first) & set(second) and not set(second) & set(third)
    for later in (second, third):
        for num_id in set(later):
            num = numbering.find(f"w:num[@w:numId='{num_id}']", NS)
            assert num.find("w:lvlOverride[@w:ilvl='0']/w:startOverride", NS) is not None
    # the same list definitions, counted afresh
    assert [abstract_of[n] for n in second] == [abstract_of[n] for n in third]
    original = _member(parts[0], "word/numbering.xml")  # list definitions are not copied
    assert len(numbering.findall("w:abstractNum", NS)) == len(original.findall("w:abstractNum", NS))


def test_drawing_and_bookmark_ids_are_unique(merged: bytes) -> None:
    root = _document(merged)
    drawings = [e.get("id") for e in root.iter(f"{{{NS['wp']}}}docPr")]
    assert len(drawings) == 3 and len(set(drawings)) == 3
    starts = [e.get(f"{{{W}}}id") for e in root.iter(f"{{{W}}}bookmarkStart")]
    ends = [e.get(f"{{{W}}}id") for e in root.iter(f"{{{W}}}bookmarkEnd")]
    assert len(starts) == 3 and len(set(starts)) == 3
    assert Counter(starts) == Counter(ends)  # each start still has its end
    embeds = {e.get(f"{{{NS['r']}}}embed") for e in root.iter() if e.get(f"{{{NS['r']}}}embed")}
    rels = {rel.get("Id") for rel in _member(merged, "word/_rels/document.xml.rels")}
    assert embeds and embeds <= rels


def test_nothing_to_merge_writes_nothing(tmp_path: Path) -> None:
    assert MergedDocument().save(tmp_path / "m.docx") is False
    assert not (tmp_path / "m.docx").exists()


def test_a_shipped_template_merges_with_one_shared_header(tmp_path: Path) -> None:
    from docgen import render

    root = Path(__file__).resolve().parents[2]
    data = json.loads((root / "schemas" / "examples" / "minutes.json").read_text("utf-8"))
    merger = MergedDocument()
    for _ in range(20):
        merger.add(render("minutes", data))
    merger.save(tmp_path / "m.docx")
    with zipfile.ZipFile(tmp_path / "m.docx") as archive:
        headers = [n for n in archive.namelist() if "header" in n and n.endswith(".xml")]
    assert len(headers) == 2  # static headers: no copy per document
    assert len(_document((tmp_path / "m.docx").read_bytes()).findall(".//w:sectPr", NS)) == 20


@pytest.mark.libreoffice
@requires_libreoffice[1]
def test_page_count_is_the_sum_of_the_parts(parts: list[bytes], merged: bytes) -> None:
    from pypdf import PdfReader

    from docgen.pdf import ConverterPool

    def pages(content: bytes) -> int:
        return len(PdfReader(io.BytesIO(pool.convert(content))).pages)

    with ConverterPool(workers=1, timeout=60) as pool:
        expected = sum(pages(part) for part in parts)
        assert pages(merged) == expected
        text = "".join(page.extract_text() for page in PdfReader(
            io.BytesIO(pool.convert(merged))).pages)
    assert all(f"Trang đầu: {unit}" in text for unit in UNITS)
