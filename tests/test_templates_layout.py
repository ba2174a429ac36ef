"""Decree 30/2020/NĐ-CP layout of the shipped packs' Word templates (templates/<id>/).

The committed template.docx files are the source of truth (scripts/build_templates.py
and scripts/scaffold_pack.py wrote them once; an administrator edits them in Word).
These tests read their XML directly (zipfile + lxml, no rendering) and check what the
decree fixes: A4 portrait, margins, Times New Roman, page numbers from page 2, the
national header, the recipients block.

The last section renders each template through docgen.render.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from .docx_text import docx_text

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE_DIR = ROOT / "templates"
BUILD_SCRIPT = ROOT / "scripts" / "build_templates.py"
EXAMPLES_DIR = ROOT / "schemas" / "examples"
DOC_TYPES = ("plan", "decision", "minutes", "report")
#: Every shipped pack's template is held to the layout, the scaffolded ones too.
PACKS = (*DOC_TYPES, "approval", "notice", "letter")

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W_NS, "r": R_NS}
FONT = "Times New Roman"

# Decree 30 margin ranges in twips (20-25 mm, 30-35 mm, 15-20 mm).
MARGIN_RANGES = {
    "top": (1134, 1418),
    "bottom": (1134, 1418),
    "left": (1701, 1985),
    "right": (850, 1134),
}


def w(name: str) -> str:
    return f"{{{W_NS}}}{name}"


def read_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist()}


class Template:
    """One template package with its XML parts parsed on demand."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.parts = read_parts(path)

    def xml(self, part: str) -> etree._Element:
        return etree.fromstring(self.parts[part])

    @property
    def document(self) -> etree._Element:
        return self.xml("word/document.xml")

    @property
    def styles(self) -> etree._Element:
        return self.xml("word/styles.xml")

    def header(self, kind: str) -> etree._Element | None:
        """The header part referenced from sectPr as ``kind`` (default, first, even)."""
        refs = self.document.xpath(f"//w:sectPr/w:headerReference[@w:type='{kind}']",
                                   namespaces=NS)
        if not refs:
            return None
        rels = self.xml("word/_rels/document.xml.rels")
        r_id = refs[0].get(f"{{{R_NS}}}id")
        target = rels.xpath(f"//*[@Id='{r_id}']/@Target")[0]
        return self.xml(f"word/{target}")

    def text(self) -> str:
        return "".join(self.document.itertext())


@pytest.fixture(params=PACKS)
def template(request: pytest.FixtureRequest) -> Template:
    return Template(TEMPLATE_DIR / request.param / "template.docx")


def test_page_is_a4_portrait(template: Template) -> None:
    size = template.document.find(".//w:sectPr/w:pgSz", NS)
    assert (size.get(w("w")), size.get(w("h"))) == ("11906", "16838")
    assert size.get(w("orient")) in (None, "portrait")


def test_margins_within_decree_ranges(template: Template) -> None:
    margins = template.document.find(".//w:sectPr/w:pgMar", NS)
    for side, (low, high) in MARGIN_RANGES.items():
        assert low <= int(margins.get(w(side))) <= high, side


def test_times_new_roman_in_defaults_and_normal(template: Template) -> None:
    styles = template.styles
    for fonts in (styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS),
                  styles.find("w:style[@w:styleId='Normal']/w:rPr/w:rFonts", NS)):
        assert fonts is not None
        for script in ("ascii", "hAnsi", "cs", "eastAsia"):
            assert fonts.get(w(script)) == FONT, script
        # a theme font attribute would override the explicit one
        assert not [a for a in fonts.attrib if a.endswith(("Theme", "theme"))]
    lang = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert lang.get(w("val")) == "vi-VN"


def test_no_other_font_anywhere(template: Template) -> None:
    for part in ("word/document.xml", "word/styles.xml"):
        for fonts in template.xml(part).iter(w("rFonts")):
            assert {v for k, v in fonts.attrib.items()} <= {FONT}, part


def test_page_number_only_from_page_two(template: Template) -> None:
    assert template.document.find(".//w:sectPr/w:titlePg", NS) is not None
    default = template.header("default")
    assert default is not None
    instructions = default.xpath("//w:instrText/text() | //w:fldSimple/@w:instr", namespaces=NS)
    assert any(i.strip().split()[0] == "PAGE" for i in instructions)
    centred = default.xpath("//w:p[.//w:instrText]/w:pPr/w:jc/@w:val", namespaces=NS)
    assert centred == ["center"]
    first = template.header("first")
    assert first is None or "".join(first.itertext()).strip() == ""


def test_national_header_and_recipients(template: Template) -> None:
    text = template.text()
    # A công văn has no type name; its summary is "V/v …" under the number, Nơi nhận
    # starts "- Như trên;" (Decree 30, Appendix I).
    title = (("V/v {{ summary }}", "- Như trên;") if template.path.parent.name == "letter"
             else ("{{ type_name }}", "{{ summary }}"))
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                     "Nơi nhận:", "Số: {{ number_symbol }}", *title, "- Lưu: {{ archive }}."):
        assert expected in text


def test_date_line_run_is_italic(template: Template) -> None:
    runs = template.document.xpath("//w:r[w:t='{{ date_line }}']", namespaces=NS)
    assert len(runs) == 1
    italic = runs[0].find("w:rPr/w:i", NS)
    assert italic is not None and italic.get(w("val")) in (None, "1", "true")


def test_each_tag_sits_in_one_run(template: Template) -> None:
    """Word must not split a tag across runs; docxtpl and the engine rely on it."""
    for text in template.document.xpath("//w:t/text()", namespaces=NS):
        assert text.count("{{") == text.count("}}"), text
        assert text.count("{%") == text.count("%}"), text


def test_lines_under_headers_are_paragraph_borders(template: Template) -> None:
    rules = template.document.xpath(
        "//w:p[w:pPr/w:pStyle/@w:val='ND30Rule']", namespaces=NS)
    # under the agency, under the motto, under the summary (a công văn has no title block)
    assert len(rules) == (2 if template.path.parent.name == "letter" else 3)
    style = template.styles.find("w:style[@w:styleId='ND30Rule']/w:pPr/w:pBdr/w:bottom", NS)
    assert style.get(w("val")) == "single"


TEXT_WIDTH = 11906 - 1701 - 850  # twips between the margins: 16.5 cm


def test_tables_fit_the_text_width(template: Template) -> None:
    for table in template.document.iter(w("tbl")):
        grid = [int(c.get(w("w"))) for c in table.findall("w:tblGrid/w:gridCol", NS)]
        assert sum(grid) == TEXT_WIDTH
        assert table.find("w:tblPr/w:tblLayout", NS).get(w("type")) == "fixed"


def test_looped_tables_repeat_their_heading_row(template: Template) -> None:
    for table in template.document.iter(w("tbl")):
        if "{%tr for" in "".join(table.itertext()):
            first_row = table.find("w:tr", NS)
            assert first_row.find("w:trPr/w:tblHeader", NS) is not None


def test_recipients_label_is_bold_italic_12pt(template: Template) -> None:
    label = template.document.xpath("//w:p[w:r/w:t='Nơi nhận:']", namespaces=NS)[0]
    style_id = label.find("w:pPr/w:pStyle", NS).get(w("val"))
    r_pr = template.styles.find(f"w:style[@w:styleId='{style_id}']/w:rPr", NS)
    assert r_pr.find("w:b", NS) is not None and r_pr.find("w:i", NS) is not None
    assert r_pr.find("w:sz", NS).get(w("val")) == "24"


# ===========================================================================
# Rendered through the real pipeline (docgen.render: schema, context, engine),
# with the examples and with sparse variants that take the {% if %} branches
# the examples skip.
# ===========================================================================

# Optional fields emptied, to render the {% if %} branches the examples skip.
SPARSE = {
    "plan": {"budget_amount": None, "number": None},
    "decision": {"proposal": None},
    "minutes": {"recipients": [], "unit": {"name": "UBND xã Đại Ân 2", "address": None}},
    "report": {"integrated_with": None, "not_inspected_reason": None,
               "recommendations_province": [],
               "addressees": ["Ủy ban nhân dân tỉnh Sóc Trăng", "Bộ Khoa học và Công nghệ"]},
}


def render_example(doc_type: str, out: Path, overrides: dict[str, Any] | None = None) -> Path:
    """Render schemas/examples/<type>.json through docgen.render into ``out``."""
    import docgen

    payload = json.loads((EXAMPLES_DIR / f"{doc_type}.json").read_text(encoding="utf-8"))
    payload.update(overrides or {})
    out.write_bytes(docgen.render(doc_type, payload))
    return out


def _visible_text(path: Path) -> str:
    parts = read_parts(path)
    names = [n for n in parts if re.fullmatch(r"word/(document|header\d+)\.xml", n)]
    return "\n".join("".join(etree.fromstring(parts[n]).itertext()) for n in names)


@pytest.mark.parametrize("variant", ["example", "sparse"])
@pytest.mark.parametrize("doc_type", DOC_TYPES)
def test_render_leaves_no_tag(doc_type: str, variant: str, tmp_path: Path) -> None:
    overrides = SPARSE[doc_type] if variant == "sparse" else None
    out = render_example(doc_type, tmp_path / f"{doc_type}.docx", overrides)
    text = _visible_text(out)
    assert "{{" not in text and "{%" not in text and "}}" not in text
    payload = json.loads((EXAMPLES_DIR / f"{doc_type}.json").read_text(encoding="utf-8"))
    assert payload["signer"]["full_name"] in text
    assert payload["agency"]["name"].upper() in text
    assert "- Lưu: " + payload["archive"] + "." in text
    assert "Nơi nhận:" in text


def test_render_values(tmp_path: Path) -> None:
    text = _visible_text(render_example("decision", tmp_path / "decision.docx"))
    assert "Số: 04/QĐ-SKHCN" in text
    assert "Sóc Trăng, ngày 15 tháng 9 năm 2017" in text
    assert "GIÁM ĐỐC SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH SÓC TRĂNG" in text
    assert "từ ngày 18/9/2017 đến ngày 30/11/2017" in text
    assert "chịu trách nhiệm thi hành Quyết định này./." in text
    # last basis ends with ";" because the proposal line follows and ends the preamble
    assert "duy trì và cải tiến Hệ thống quản lý chất lượng năm 2017;\nXét đề nghị" in docx_text(
        (tmp_path / "decision.docx").read_bytes())
    assert "Xét đề nghị của Chi cục trưởng Chi cục Tiêu chuẩn Đo lường Chất lượng." in text

    text = _visible_text(render_example("report", tmp_path / "report.docx"))
    assert "Kính gửi: Ủy ban nhân dân tỉnh Sóc Trăng" in text
    assert "(chiếm 38,33%)" in text
    assert "KT. GIÁM ĐỐC" in text and "PHÓ GIÁM ĐỐC" in text

    text = _visible_text(render_example("report", tmp_path / "sparse.docx", SPARSE["report"]))
    assert "Kính gửi:" in text and "- Bộ Khoa học và Công nghệ." in text
