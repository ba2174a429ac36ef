#!/usr/bin/env python3
"""The Decree 30/2020/NĐ-CP building blocks of docgen's Word templates, and the first
build of the four shipped ones.

    .venv/bin/python scripts/build_templates.py --out-dir DIR  # -> DIR/<id>/template.docx

The committed ``templates/<id>/template.docx`` files are the source of truth: an
administrator edits them in Word and ``docgen check`` guards them. This script made
them once (and made them again when the signature block gained its second
"KT. …" line; later edits are scripts/template_edits/); it is not a gate on edited files. ``scripts/scaffold_pack.py`` uses
the same blocks to write a *new* pack's template once. The build is deterministic:
fixed document-property dates, fixed zip timestamps, no random ids.

Tags follow docxtpl's conventions (the docgen engine uses the same ones):
``{{ expr }}`` inline; ``{%p ... %}`` alone in a paragraph and ``{%tr ... %}``
alone in the first cell of a table row (the paragraph or row is replaced by the
statement). Every tag is written with a single ``add_run`` so Word never splits it.
Only names of the engine's context contract are used (see docgen/engine).

Horizontal rules (the short line under the issuing agency, the line under
"Độc lập - Tự do - Hạnh phúc", the line under the summary / trích yếu) are the
bottom border of an empty 1 pt paragraph whose left and right indents leave
exactly the wanted length, centred. Unlike a drawing shape they flow with the
text, render the same in Word and LibreOffice, and survive docxtpl untouched.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor, Twips
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT_DIR = ROOT / "templates"

# --------------------------------------------------------------------------
# Page geometry (twips: 1/20 pt; 1 cm = 566.93 twips). Decree 30, Appendix I.
# --------------------------------------------------------------------------


def cm(value: float) -> int:
    """Centimetres to whole twips."""
    return round(value * 1440 / 2.54)


PAGE_WIDTH, PAGE_HEIGHT = 11906, 16838  # A4 portrait, 210 x 297 mm
MARGIN_TOP = MARGIN_BOTTOM = 1134  # 20 mm (allowed 20-25 mm)
MARGIN_LEFT = 1701  # 30 mm (allowed 30-35 mm)
MARGIN_RIGHT = 850  # 15 mm (allowed 15-20 mm)
HEADER_DISTANCE = FOOTER_DISTANCE = cm(1.0)  # page number sits in the top margin
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT  # 9355 twips = 16.5 cm

# The letterhead's two columns fill the text width. The left one is 7.2 cm, not
# 6.5: "SỞ KHOA HỌC VÀ CÔNG NGHỆ" in 13 pt bold Times New Roman measures 7.01 cm
# and would otherwise break as "... CÔNG / NGHỆ". The right one (9.3 cm) still holds
# "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in 12 pt bold (8.82 cm) on one line.
LETTERHEAD_LEFT = cm(7.2)
LETTERHEAD_RIGHT = TEXT_WIDTH - LETTERHEAD_LEFT
LAYOUT_CELL_MARGIN = cm(0.05)  # left/right cell margin of the borderless layout tables

AGENCY_RULE = cm(2.6)  # 1/3-1/2 of an agency name line (5-7 cm in practice)
MOTTO_RULE = cm(5.61)  # "Độc lập - Tự do - Hạnh phúc", 13 pt bold, measured
SUMMARY_RULE = cm(5.5)  # 1/3 of a full summary line

SIGNATURE_BLANK_LINES = 4  # room for the signature and the seal

# Font sizes (pt).
BODY_SIZE = 14
LETTERHEAD_SIZE = 13  # agency names, "Số:"
NATIONAL_NAME_SIZE = 12  # "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" (12-13)
MOTTO_SIZE = 13  # "Độc lập - Tự do - Hạnh phúc" (13-14)
DATE_LINE_SIZE = 14
TABLE_SIZE = 13
RECIPIENTS_LABEL_SIZE = 12
RECIPIENT_SIZE = 11
PAGE_NUMBER_SIZE = 14

FONT = "Times New Roman"
LANGUAGE = "vi-VN"
BUILD_TIMESTAMP = dt.datetime(2020, 3, 5)  # Decree 30 took effect; fixed for reproducibility
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)

# --------------------------------------------------------------------------
# Paragraph styles. Named "ND30 ..." so a person editing in Word sees where
# each paragraph kind comes from; everything else is pruned from styles.xml.
# --------------------------------------------------------------------------

BODY = "ND30 Body"
HEADING = "ND30 Heading"
BASIS = "ND30 Legal Basis"
CENTERED = "ND30 Centered"
TITLE = "ND30 Title"
SUMMARY = "ND30 Summary"
RULE = "ND30 Rule"
LETTERHEAD = "ND30 Letterhead"
TABLE_TEXT = "ND30 Table Text"
TABLE_HEADING = "ND30 Table Heading"
SIGNATURE = "ND30 Signature"
RECIPIENTS_LABEL = "ND30 Recipients Label"
RECIPIENT = "ND30 Recipient"
TAG = "Normal"  # {%p %} paragraphs disappear on rendering


@dataclass(frozen=True)
class ParagraphStyle:
    name: str
    base: str = "Normal"
    size: float | None = None
    bold: bool = False
    italic: bool = False
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.LEFT
    first_line: int = 0  # twips
    before: float = 0  # pt
    after: float = 0  # pt
    keep_next: bool = False


JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY
CENTER = WD_ALIGN_PARAGRAPH.CENTER
LEFT = WD_ALIGN_PARAGRAPH.LEFT
FIRST_LINE_INDENT = 720  # 1.27 cm

STYLES = (
    ParagraphStyle(BODY, align=JUSTIFY, first_line=FIRST_LINE_INDENT, after=6),
    ParagraphStyle(HEADING, BODY, bold=True, align=JUSTIFY, first_line=FIRST_LINE_INDENT,
                   before=6, after=6, keep_next=True),
    ParagraphStyle(BASIS, BODY, italic=True, align=JUSTIFY, first_line=FIRST_LINE_INDENT,
                   after=6),
    ParagraphStyle(CENTERED, align=CENTER, after=6),
    ParagraphStyle(TITLE, bold=True, align=CENTER, before=18, keep_next=True),
    ParagraphStyle(SUMMARY, bold=True, align=CENTER, keep_next=True),
    ParagraphStyle(RULE, size=1, align=CENTER, before=2, after=12, keep_next=True),
    ParagraphStyle(LETTERHEAD, size=LETTERHEAD_SIZE, align=CENTER),
    ParagraphStyle(TABLE_TEXT, size=TABLE_SIZE, align=LEFT, before=2, after=2),
    ParagraphStyle(TABLE_HEADING, TABLE_TEXT, size=TABLE_SIZE, bold=True, align=CENTER,
                   before=2, after=2),
    ParagraphStyle(SIGNATURE, bold=True, align=CENTER),
    ParagraphStyle(RECIPIENTS_LABEL, size=RECIPIENTS_LABEL_SIZE, bold=True, italic=True),
    ParagraphStyle(RECIPIENT, size=RECIPIENT_SIZE),
)

# --------------------------------------------------------------------------
# Small XML helpers for what python-docx has no API for.
# --------------------------------------------------------------------------


# Child order the WordprocessingML schema imposes on the elements this script
# edits by hand (Word refuses a file whose children are out of order).
_CHILD_ORDER = {
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize "
             "tblW jc tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook",
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
           "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap "
           "overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid "
           "spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
           "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss "
           "imprint noProof snapToGrid vanish webHidden color spacing w kern position sz szCs "
           "highlight u effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout "
           "specVanish oMath",
    "pBdr": "top left bottom right between bar",
    "tblBorders": "top left bottom right insideH insideV",
    "tblCellMar": "top left bottom right",
    "trPr": "cantSplit tblHeader",
}


def _set(parent, tag: str, **attrs: str):
    """Get or create child ``tag`` of ``parent`` (in schema order); set its w: attributes."""
    child = parent.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        order = _CHILD_ORDER.get(etree.QName(parent).localname, "").split()
        name = tag.split(":")[1]
        later = order[order.index(name) + 1:] if name in order else []
        successor = next((el for el in parent if etree.QName(el).localname in later), None)
        if successor is None:
            parent.append(child)
        else:
            successor.addprevious(child)
    for key, value in attrs.items():
        child.set(qn(f"w:{key}"), value)
    return child


def _set_fonts(r_pr) -> None:
    """Times New Roman for every script, with no theme font that could override it."""
    fonts = _set(r_pr, "w:rFonts")
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for script in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{script}"), FONT)


def _bottom_border(p_pr) -> None:
    borders = _set(p_pr, "w:pBdr")
    _set(borders, "w:bottom", val="single", sz="6", space="1", color="000000")


def _table_borders(table: Table, visible: bool) -> None:
    borders = _set(table._tbl.tblPr, "w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        if visible:
            _set(borders, f"w:{edge}", val="single", sz="4", space="0", color="000000")
        else:
            _set(borders, f"w:{edge}", val="nil")


# --------------------------------------------------------------------------
# Document skeleton: page, styles, page-number header, properties.
# --------------------------------------------------------------------------


def new_document(title: str) -> DocxDocument:
    doc = Document()
    _setup_page(doc)
    _setup_styles(doc)
    _setup_page_number_header(doc)
    _setup_properties(doc, title)
    # python-docx's default body holds no paragraph; the letterhead table comes first.
    return doc


def _setup_page(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Twips(PAGE_WIDTH), Twips(PAGE_HEIGHT)
    section.top_margin, section.bottom_margin = Twips(MARGIN_TOP), Twips(MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Twips(MARGIN_LEFT), Twips(MARGIN_RIGHT)
    section.header_distance = Twips(HEADER_DISTANCE)
    section.footer_distance = Twips(FOOTER_DISTANCE)
    section.gutter = Twips(0)
    # Word 2013+ layout: a table's edge (not its cell text) lines up with the margin.
    settings = doc.settings.element
    for setting in settings.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")
    # The engine turns "\n" in a value into a line break; in a justified paragraph Word and
    # LibreOffice would stretch the line before it across the page unless told not to.
    compat = settings.find(qn("w:compat"))
    compat.insert(0, OxmlElement("w:doNotExpandShiftReturn"))


def _setup_styles(doc: DocxDocument) -> None:
    styles = doc.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(r_pr)
    _set(r_pr, "w:color", val="000000")
    _set(r_pr, "w:sz", val=str(BODY_SIZE * 2))
    _set(r_pr, "w:szCs", val=str(BODY_SIZE * 2))
    lang = _set(r_pr, "w:lang", val=LANGUAGE)
    lang.attrib.pop(qn("w:eastAsia"), None)
    lang.attrib.pop(qn("w:bidi"), None)
    p_pr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    _set(p_pr, "w:spacing", after="0", line="240", lineRule="auto")

    normal = styles["Normal"]
    normal.font.size = Pt(BODY_SIZE)
    normal.font.color.rgb = RGBColor(0, 0, 0)
    normal_r_pr = normal.element.get_or_add_rPr()
    _set_fonts(normal_r_pr)
    _set(normal_r_pr, "w:lang", val=LANGUAGE)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0

    for spec in STYLES:
        style = styles.add_style(spec.name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[spec.base]
        style.quick_style = True
        # Only what differs from the base style is written (None = inherit).
        font = style.font
        if spec.size is not None:
            font.size = Pt(spec.size)
        font.bold, font.italic = spec.bold or None, spec.italic or None
        fmt = style.paragraph_format
        fmt.alignment = spec.align
        fmt.first_line_indent = Twips(spec.first_line) if spec.first_line else None
        fmt.space_before, fmt.space_after = Pt(spec.before), Pt(spec.after)
        fmt.line_spacing = 1.0
        fmt.keep_with_next = spec.keep_next or None
        fmt.widow_control = True
        if spec.name == RULE:
            _bottom_border(style.element.get_or_add_pPr())


def _setup_page_number_header(doc: DocxDocument) -> None:
    """Page number top centre from page 2 on: "different first page" + empty first header."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True  # <w:titlePg/>
    section.first_page_header.is_linked_to_previous = False  # creates it, empty
    section.header.is_linked_to_previous = False
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = CENTER
    for field_char, instruction, text in (
        ("begin", None, None),
        (None, " PAGE ", None),
        ("separate", None, None),
        (None, None, "2"),
        ("end", None, None),
    ):
        run = paragraph.add_run()
        run.font.size = Pt(PAGE_NUMBER_SIZE)
        if field_char:
            _set(run._r, "w:fldChar", fldCharType=field_char)
        elif instruction:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = instruction
            run._r.append(instr)
        else:
            run.text = text


def _setup_properties(doc: DocxDocument, title: str) -> None:
    props = doc.core_properties
    props.title = title
    # Rendered documents inherit these, so they describe the document, not the template.
    props.subject = "Văn bản hành chính theo Nghị định 30/2020/NĐ-CP"
    props.author = "docgen"
    props.last_modified_by = "docgen"
    props.comments = ""
    props.keywords = "docgen; Nghị định 30/2020/NĐ-CP; ISO 9001"
    props.category = ""
    props.language = LANGUAGE
    props.revision = 1
    props.created = props.modified = BUILD_TIMESTAMP


# --------------------------------------------------------------------------
# Paragraph and table helpers.
# --------------------------------------------------------------------------

Container = DocxDocument | _Cell


@dataclass(frozen=True)
class R:
    """One run: text (may hold whole Jinja tags) and its direct formatting."""

    text: str
    bold: bool = False
    italic: bool = False
    size: float | None = None


def par(container: Container, *runs: str | R, style: str = BODY,
        align: WD_ALIGN_PARAGRAPH | None = None) -> Paragraph:
    """Add a paragraph of runs; a plain string is a run without direct formatting."""
    paragraph = container.add_paragraph(style=style)
    if align is not None:
        paragraph.alignment = align
    for item in runs:
        spec = R(item) if isinstance(item, str) else item
        run = paragraph.add_run(spec.text)  # one run per tag: Word never splits it
        if spec.bold:
            run.bold = True
        if spec.italic:
            run.italic = True
        if spec.size is not None:
            run.font.size = Pt(spec.size)
    return paragraph


def tag(container: Container, statement: str, style: str = TAG) -> Paragraph:
    """A ``{%p ... %}`` paragraph (removed by rendering, replaced by the statement)."""
    return par(container, statement, style=style)


def rule(container: Container, length: int, available: int) -> Paragraph:
    """A centred horizontal line ``length`` twips long in a column ``available`` wide."""
    paragraph = container.add_paragraph(style=RULE)
    indent = (available - length) // 2
    paragraph.paragraph_format.left_indent = Twips(indent)
    paragraph.paragraph_format.right_indent = Twips(available - length - indent)
    return paragraph


def _new_table(doc: DocxDocument, widths: Sequence[int], rows: int, *, borders: bool) -> Table:
    table = doc.add_table(rows=rows, cols=len(widths))
    table.autofit = False  # <w:tblLayout w:type="fixed"/>
    tbl_pr = table._tbl.tblPr
    _set(tbl_pr, "w:tblW", w=str(sum(widths)), type="dxa")
    _set(tbl_pr, "w:tblInd", w="0", type="dxa")
    _table_borders(table, borders)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Twips(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Twips(width)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
            for paragraph in cell.paragraphs:  # each cell is filled from scratch
                cell._tc.remove(paragraph._p)
    return table


def _widths(columns_cm: Sequence[float]) -> list[int]:
    """Column widths in twips; the last column absorbs rounding so they sum to TEXT_WIDTH."""
    widths = [cm(value) for value in columns_cm[:-1]]
    return [*widths, TEXT_WIDTH - sum(widths)]


def _row_flags(row, *, header: bool = False) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    _set(tr_pr, "w:cantSplit")
    if header:
        _set(tr_pr, "w:tblHeader")  # repeated at the top of every page


@dataclass(frozen=True)
class Column:
    heading: str
    width_cm: float
    cell: str  # the data row's text (Jinja)
    align: WD_ALIGN_PARAGRAPH = LEFT


def grid_table(doc: DocxDocument, columns: Sequence[Column], loop: str) -> Table:
    """A bordered table: heading row, then one data row repeated by ``{%tr for ... %}``."""
    widths = _widths([column.width_cm for column in columns])
    table = _new_table(doc, widths, rows=4, borders=True)
    heading, loop_start, data, loop_end = table.rows
    _row_flags(heading, header=True)
    _row_flags(data)
    for index, column in enumerate(columns):
        par(heading.cells[index], column.heading, style=TABLE_HEADING)
        heading.cells[index].vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        par(data.cells[index], column.cell, style=TABLE_TEXT, align=column.align)
        data.cells[index].vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        par(loop_start.cells[index], loop if index == 0 else "", style=TABLE_TEXT)
        par(loop_end.cells[index], "{%tr endfor %}" if index == 0 else "", style=TABLE_TEXT)
    return table


def static_table(doc: DocxDocument, headings: Sequence[str], widths_cm: Sequence[float],
                 rows: Sequence[Sequence[str]]) -> Table:
    """A bordered table with fixed rows (the first column left, the others centred)."""
    widths = _widths(widths_cm)
    table = _new_table(doc, widths, rows=1 + len(rows), borders=True)
    _row_flags(table.rows[0], header=True)
    for cell, text in zip(table.rows[0].cells, headings, strict=True):
        par(cell, text, style=TABLE_HEADING)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for row, texts in zip(table.rows[1:], rows, strict=True):
        _row_flags(row)
        for index, (cell, text) in enumerate(zip(row.cells, texts, strict=True)):
            par(cell, text, style=TABLE_TEXT, align=LEFT if index == 0 else CENTER)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    return table


def _borderless(doc: DocxDocument, widths: Sequence[int], rows: int = 1) -> Table:
    """A layout table without borders whose text almost touches the margins."""
    table = _new_table(doc, widths, rows=rows, borders=False)
    margins = _set(table._tbl.tblPr, "w:tblCellMar")
    for side in ("left", "right"):
        _set(margins, f"w:{side}", w=str(LAYOUT_CELL_MARGIN), type="dxa")
    for row in table.rows:
        _row_flags(row)
    return table


# --------------------------------------------------------------------------
# Blocks every document shares.
# --------------------------------------------------------------------------


def letterhead(doc: DocxDocument) -> None:
    """Agency names and number (left) / national name, motto and date line (right)."""
    table = _borderless(doc, [LETTERHEAD_LEFT, LETTERHEAD_RIGHT], rows=2)
    left_width = LETTERHEAD_LEFT - 2 * LAYOUT_CELL_MARGIN
    right_width = LETTERHEAD_RIGHT - 2 * LAYOUT_CELL_MARGIN
    left, right = table.rows[0].cells

    tag(left, "{%p if agency.parent_name %}", style=LETTERHEAD)
    par(left, "{{ agency.parent_name|upper }}", style=LETTERHEAD)
    tag(left, "{%p endif %}", style=LETTERHEAD)
    par(left, R("{{ agency.name|upper }}", bold=True), style=LETTERHEAD)
    rule(left, AGENCY_RULE, left_width)

    par(right, R("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=NATIONAL_NAME_SIZE),
        style=LETTERHEAD)
    par(right, R("Độc lập - Tự do - Hạnh phúc", bold=True, size=MOTTO_SIZE), style=LETTERHEAD)
    rule(right, MOTTO_RULE, right_width)

    # Number and date line share a row, so they sit on the same line as the decree shows.
    number_cell, date_cell = table.rows[1].cells
    par(number_cell, "Số: {{ number_symbol }}", style=LETTERHEAD)
    par(date_cell, R("{{ date_line }}", italic=True, size=DATE_LINE_SIZE), style=LETTERHEAD)


def title(doc: DocxDocument) -> None:
    """Type name, summary (trích yếu) and the short line under it."""
    par(doc, "{{ type_name }}", style=TITLE)
    par(doc, "{{ summary }}", style=SUMMARY)
    rule(doc, SUMMARY_RULE, TEXT_WIDTH)


def legal_bases(doc: DocxDocument, prefix: str = "", last_mark: str = '"."') -> None:
    """One italic "Căn cứ ..." paragraph per basis: ";" after each, the last one ends."""
    tag(doc, "{%p for b in legal_bases %}", style=BASIS)
    par(doc, prefix + "{{ b }}", '{{ ";" if not loop.last else ' + last_mark + " }}", style=BASIS)
    tag(doc, "{%p endfor %}", style=BASIS)


def dash_list(doc: DocxDocument, items: str, var: str) -> None:
    """ "- item;" paragraphs, the last ending with "." """
    tag(doc, f"{{%p for {var} in {items} %}}")
    par(doc, f"- {{{{ {var} }}}}", '{{ ";" if not loop.last else "." }}')
    tag(doc, "{%p endfor %}")


def signature_space(cell: _Cell) -> None:
    """Blank lines for the signature and the seal."""
    for _ in range(SIGNATURE_BLANK_LINES):
        par(cell, style=SIGNATURE)


def recipients(container: Container) -> list[Paragraph]:
    """ "Nơi nhận:" block: bold italic 12 pt label, 11 pt lines, the archive copy last."""
    return [
        par(container, "Nơi nhận:", style=RECIPIENTS_LABEL),
        tag(container, "{%p for r in recipients %}", style=RECIPIENT),
        par(container, "- {{ r }};", style=RECIPIENT),
        tag(container, "{%p endfor %}", style=RECIPIENT),
        par(container, "- Lưu: {{ archive }}.", style=RECIPIENT),
    ]


def closing(doc: DocxDocument, *runs: str | R) -> None:
    """The last body paragraph, kept on the page of the signature that follows it."""
    par(doc, *runs).paragraph_format.keep_with_next = True
    spacer = par(doc, style=TAG)  # one blank line above the signature
    spacer.paragraph_format.keep_with_next = True


def signer_lines(cell: _Cell) -> None:
    """The lines above the signature from the shared part ``signer.lines``: "TM. ỦY BAN
    NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH" (or "Q. GIÁM ĐỐC" alone)."""
    tag(cell, "{%p for line in signer.lines %}", style=SIGNATURE)
    par(cell, "{{ line }}", style=SIGNATURE)
    tag(cell, "{%p endfor %}", style=SIGNATURE)


def signature_block(doc: DocxDocument) -> None:
    """Nơi nhận bottom left, signature bottom right (under the national name)."""
    table = _borderless(doc, [LETTERHEAD_LEFT, LETTERHEAD_RIGHT])
    left, right = table.rows[0].cells
    recipients(left)
    signer_lines(right)
    signature_space(right)
    par(right, "{{ signer.full_name }}", style=SIGNATURE)


def end_of_body(doc: DocxDocument) -> None:
    """Word wants a paragraph after a final table; keep it 1 pt so it never makes a page."""
    paragraph = doc.add_paragraph(style=TAG)
    fmt = paragraph.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(1)  # exact, so no renderer gives it a full line's height
    _set(_set(paragraph._p.get_or_add_pPr(), "w:rPr"), "w:sz", val="2")


def heading(doc: DocxDocument, text: str) -> Paragraph:
    return par(doc, text, style=HEADING)


# --------------------------------------------------------------------------
# The four documents.
# --------------------------------------------------------------------------


def build_plan(doc: DocxDocument) -> None:
    """Kế hoạch kiểm tra (KH)."""
    letterhead(doc)
    title(doc)
    legal_bases(doc, prefix="Căn cứ ")
    par(doc, "{{ agency.name }} xây dựng Kế hoạch kiểm tra việc áp dụng, duy trì và cải tiến "
        "Hệ thống quản lý chất lượng năm {{ year }} như sau:")

    heading(doc, "I. MỤC ĐÍCH, YÊU CẦU")
    heading(doc, "1. Mục đích")
    par(doc, "{{ purpose }}")
    heading(doc, "2. Yêu cầu")
    par(doc, "{{ requirements }}")

    heading(doc, "II. PHẠM VI, ĐỐI TƯỢNG")
    par(doc, "Các cơ quan hành chính nhà nước áp dụng Hệ thống quản lý chất lượng theo TCVN "
        "ISO 9001, tổng số {{ units_count }} cơ quan, đơn vị, trong đó:")
    par(doc, "- Kiểm tra tại trụ sở: {{ on_site_count }} đơn vị;")
    par(doc, "- Kiểm tra qua báo cáo: {{ by_report_count }} đơn vị.")
    par(doc, "Danh sách cơ quan, đơn vị và lịch kiểm tra dự kiến tại Mục IV.")

    heading(doc, "III. NỘI DUNG KIỂM TRA")
    tag(doc, "{%p for c in contents %}")
    par(doc, "{{ loop.index }}. {{ c }}", '{{ ";" if not loop.last else "." }}')
    tag(doc, "{%p endfor %}")

    heading(doc, "IV. THỜI GIAN, HÌNH THỨC")
    par(doc, "1. Thời gian: từ ngày {{ period_start|date_short }} đến ngày "
        "{{ period_end|date_short }}.")
    par(doc, "2. Hình thức: kiểm tra tại trụ sở hoặc kiểm tra qua báo cáo, theo lịch dự kiến "
        "sau:")
    grid_table(doc, [
        Column("STT", 1.4, "{{ u.stt }}", CENTER),
        Column("Tên cơ quan, đơn vị", 7.4, "{{ u.name }}"),
        Column("Hình thức kiểm tra", 3.8, "{{ u.mode_title }}", CENTER),
        Column("Thời gian dự kiến", 3.9, "{{ u.scheduled_on|date_short }}", CENTER),
    ], loop="{%tr for u in units %}")

    heading(doc, "V. ĐOÀN KIỂM TRA")
    par(doc, "{{ team }}")

    heading(doc, "VI. KINH PHÍ")
    par(doc, "{{ budget }}")
    tag(doc, "{%p if budget_amount is not none %}")
    par(doc, "Bằng chữ: {{ budget_amount|amount_in_words }}.")
    tag(doc, "{%p endif %}")

    heading(doc, "VII. TỔ CHỨC THỰC HIỆN")
    tag(doc, "{%p for r in responsibilities %}")
    heading(doc, "{{ loop.index }}. {{ r.party }}")
    par(doc, "{{ r.duties }}")
    tag(doc, "{%p endfor %}")
    closing(doc, "Trên đây là Kế hoạch kiểm tra việc áp dụng, duy trì và cải tiến Hệ thống "
            "quản lý chất lượng năm {{ year }} của {{ agency.name }}./.")

    signature_block(doc)
    end_of_body(doc)


def build_decision(doc: DocxDocument) -> None:
    """Quyết định thành lập Đoàn kiểm tra (QĐ)."""
    letterhead(doc)
    title(doc)
    par(doc, R("{{ decider|upper }}", bold=True), style=CENTERED)
    # With a "Xét đề nghị ..." line after them, the bases all end with ";".
    legal_bases(doc, prefix="Căn cứ ", last_mark='(";" if proposal else ".")')
    tag(doc, "{%p if proposal %}", style=BASIS)
    par(doc, "{{ proposal }}.", style=BASIS)
    tag(doc, "{%p endif %}", style=BASIS)

    par(doc, R("QUYẾT ĐỊNH:", bold=True), style=CENTERED)
    par(doc, R("Điều 1.", bold=True), " Thành lập Đoàn kiểm tra việc áp dụng, duy trì và cải "
        "tiến Hệ thống quản lý chất lượng năm {{ year }}, gồm các ông (bà) có tên sau:")
    grid_table(doc, [
        Column("STT", 1.4, "{{ loop.index }}", CENTER),
        Column("Họ và tên", 3.9, "{{ m.full_name }}"),
        Column("Chức vụ", 3.8, "{{ m.position }}"),
        Column("Đơn vị công tác", 3.8, "{{ m.unit }}"),
        Column("Nhiệm vụ trong Đoàn", 3.6, "{{ m.role_title }}"),
    ], loop="{%tr for m in members %}")
    par(doc, R("Điều 2.", bold=True), " {{ duties }}").paragraph_format.space_before = Pt(6)
    par(doc, "Thời gian kiểm tra: từ ngày {{ period_start|date_short }} đến ngày "
        "{{ period_end|date_short }}.")
    closing(doc, R("Điều 3.", bold=True), " Quyết định này có hiệu lực kể từ ngày ký. "
            "{{ executors }}./.")

    signature_block(doc)
    end_of_body(doc)


def build_minutes(doc: DocxDocument) -> None:
    """Biên bản kiểm tra (BB), signed by both sides."""
    letterhead(doc)
    title(doc)
    par(doc, "Căn cứ {{ basis }};", style=BASIS)
    par(doc, "Hôm nay, vào lúc {{ started_line }}, tại {{ location }}, Đoàn kiểm tra tiến hành "
        "kiểm tra tại {{ unit.name }}.")
    tag(doc, "{%p if unit.address %}")
    par(doc, "Địa chỉ: {{ unit.address }}.")
    tag(doc, "{%p endif %}")

    heading(doc, "I. THÀNH PHẦN")
    heading(doc, "1. Đoàn kiểm tra:")
    grid_table(doc, [
        Column("STT", 1.4, "{{ loop.index }}", CENTER),
        Column("Họ và tên", 3.9, "{{ m.full_name }}"),
        Column("Chức vụ", 4.2, "{{ m.position }}"),
        Column("Đơn vị", 3.4, "{{ m.unit }}"),
        Column("Nhiệm vụ", 3.6, "{{ m.role_title }}"),
    ], loop="{%tr for m in members %}")
    heading(doc, "2. Đại diện đơn vị được kiểm tra:")
    grid_table(doc, [
        Column("STT", 1.4, "{{ loop.index }}", CENTER),
        Column("Họ và tên", 5.3, "{{ p.full_name }}"),
        Column("Chức vụ", 9.8, "{{ p.position }}"),
    ], loop="{%tr for p in unit_representatives %}")

    heading(doc, "II. NỘI DUNG KIỂM TRA VÀ KẾT QUẢ")
    tag(doc, "{%p for f in findings %}")
    heading(doc, "{{ loop.index }}. {{ f.title }}")
    par(doc, "{{ f.content }}")
    tag(doc, "{%p endfor %}")

    heading(doc, "III. KẾT LUẬN")
    par(doc, "{{ conclusion }}")

    heading(doc, "IV. KIẾN NGHỊ ĐỐI VỚI ĐƠN VỊ")
    dash_list(doc, "requests", "q")

    closing(doc, "Biên bản kết thúc vào lúc {{ ended_line }}, được lập thành {{ copies_2d }} bản "
            "có giá trị như nhau, đã được đọc lại cho các bên cùng nghe và thống nhất ký tên.")

    # One row per line kind, so both names sit on one line however the headings wrap.
    half = TEXT_WIDTH // 2
    table = _borderless(doc, [half, TEXT_WIDTH - half], rows=4)
    headings, positions, space, names = table.rows
    for side, heading_text, position, full_name in (
        # python-docx writes "\n" as <w:br/>: break where the heading reads well.
        (0, "ĐẠI DIỆN ĐƠN VỊ\nĐƯỢC KIỂM TRA", "{{ representative_signer.position|upper }}",
         "{{ representative_signer.full_name }}"),
        (1, "ĐOÀN KIỂM TRA", "{{ signer.position|upper }}", "{{ signer.full_name }}"),
    ):
        par(headings.cells[side], heading_text, style=SIGNATURE)
        if side == 1:  # the team's signer may sign "TM. ĐOÀN KIỂM TRA"/"KT. TRƯỞNG ĐOÀN"
            signer_lines(positions.cells[side])
        else:
            par(positions.cells[side], position, style=SIGNATURE)
        signature_space(space.cells[side])
        par(names.cells[side], full_name, style=SIGNATURE)
    # Keep the signatures and the Nơi nhận block on one page, never split or orphaned.
    keep = [paragraph for row in table.rows for cell in row.cells for paragraph in cell.paragraphs]
    keep.append(par(doc, style=RECIPIENT))  # a blank line between the signatures and Nơi nhận
    keep.extend(recipients(doc)[:-1])
    for paragraph in keep:
        paragraph.paragraph_format.keep_with_next = True


def build_report(doc: DocxDocument) -> None:
    """Báo cáo kết quả kiểm tra (BC) to the Provincial People's Committee."""
    letterhead(doc)
    title(doc)
    tag(doc, "{%p if addressees|length == 1 %}", style=CENTERED)
    par(doc, "Kính gửi: {{ addressees[0] }}", style=CENTERED)
    tag(doc, "{%p else %}", style=CENTERED)
    par(doc, "Kính gửi:", style=CENTERED)
    tag(doc, "{%p for a in addressees %}", style=CENTERED)
    par(doc, "- {{ a }}", '{{ ";" if not loop.last else "." }}', style=CENTERED)
    tag(doc, "{%p endfor %}", style=CENTERED)
    tag(doc, "{%p endif %}", style=CENTERED)
    par(doc, "{{ basis }}").paragraph_format.space_before = Pt(6)

    heading(doc, "I. KẾT QUẢ KIỂM TRA")
    par(doc, "Theo Kế hoạch kiểm tra năm {{ year }}, có {{ counts.planned }} cơ quan, đơn vị "
        "được kiểm tra, trong đó kiểm tra tại trụ sở {{ counts.on_site }} đơn vị (chiếm "
        "{{ on_site_percent }}) và kiểm tra qua báo cáo {{ counts.by_report }} đơn vị. Trong "
        "số đơn vị kiểm tra tại trụ sở, có {{ counts.integrated }} đơn vị được kiểm tra lồng "
        'ghép với {{ integrated_with or "Đoàn kiểm tra cải cách hành chính của tỉnh" }} và '
        "{{ counts.not_inspected }} đơn vị chưa kiểm tra được"
        "{% if not_inspected_reason %} do {{ not_inspected_reason }}{% endif %}.")
    par(doc, "Thời gian kiểm tra: từ ngày {{ period_start|date_short }} đến ngày "
        "{{ period_end|date_short }}.")
    static_table(doc, ["Nội dung", "Số đơn vị"], [12.5, 4.0], [
        ["Số đơn vị trong kế hoạch", "{{ counts.planned }}"],
        ["Kiểm tra tại trụ sở", "{{ counts.on_site }}"],
        ["— trong đó kiểm tra lồng ghép với Đoàn kiểm tra CCHC", "{{ counts.integrated }}"],
        ["— trong đó chưa kiểm tra được", "{{ counts.not_inspected }}"],
        ["Kiểm tra qua báo cáo", "{{ counts.by_report }}"],
    ])
    tag(doc, "{%p for f in findings %}")
    heading(doc, "{{ loop.index }}. {{ f.title }}")
    par(doc, "{{ f.content }}")
    tag(doc, "{%p endfor %}")

    heading(doc, "II. TỒN TẠI, HẠN CHẾ")
    dash_list(doc, "shortcomings", "s")

    heading(doc, "III. KIẾN NGHỊ, ĐỀ XUẤT")
    tag(doc, "{%p if recommendations_province %}")
    heading(doc, "1. Đối với UBND tỉnh:")
    dash_list(doc, "recommendations_province", "x")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if recommendations_ministry %}")
    heading(doc, "{{ 2 if recommendations_province else 1 }}. Đối với Bộ Khoa học và Công nghệ:")
    dash_list(doc, "recommendations_ministry", "x")
    tag(doc, "{%p endif %}")
    closing(doc, "Trên đây là báo cáo kết quả kiểm tra việc áp dụng, duy trì và cải tiến Hệ "
            "thống quản lý chất lượng năm {{ year }} của {{ agency.name }}./.")

    signature_block(doc)
    end_of_body(doc)


@dataclass(frozen=True)
class TemplateSpec:
    doc_type: str
    title: str
    build: Callable[[DocxDocument], None]


TEMPLATES = (
    TemplateSpec("plan", "Kế hoạch kiểm tra", build_plan),
    TemplateSpec("decision", "Quyết định thành lập Đoàn kiểm tra", build_decision),
    TemplateSpec("minutes", "Biên bản kiểm tra", build_minutes),
    TemplateSpec("report", "Báo cáo kết quả kiểm tra", build_report),
)

# --------------------------------------------------------------------------
# Clean-up and reproducible saving.
# --------------------------------------------------------------------------

# Parts of python-docx's default template that a Decree 30 template does not need:
# a Word 2010 copy of all styles, a bibliography store and a blank-page thumbnail.
UNUSED_RELTYPE_SUFFIXES = ("/stylesWithEffects", "/customXml", "/metadata/thumbnail")


def _drop_unused_parts(doc: DocxDocument) -> None:
    for rels in (doc.part.package.rels, doc.part.rels):
        for r_id in [r_id for r_id, rel in rels.items()
                     if rel.reltype.endswith(UNUSED_RELTYPE_SUFFIXES)]:
            del rels[r_id]


def _prune_styles(doc: DocxDocument) -> None:
    """Keep only the styles in use (and the defaults), all in Times New Roman."""
    styles_el = doc.styles.element
    by_id = {style.get(qn("w:styleId")): style for style in styles_el.iter(qn("w:style"))}
    # Defaults, and every ND30 style so each template offers the full set when edited.
    wanted = {style_id for style_id, style in by_id.items()
              if style.get(qn("w:default")) == "1" or style_id.startswith("ND30")}
    for part in doc.part.package.iter_parts():
        if part.partname.startswith(("/word/document", "/word/header", "/word/footer")):
            wanted.update(part.element.xpath(
                "//w:pStyle/@w:val | //w:rStyle/@w:val | //w:tblStyle/@w:val"))
    pending = list(wanted)
    while pending:
        style = by_id.get(pending.pop())
        if style is None:
            continue
        for link in ("w:basedOn", "w:next", "w:link"):
            ref = style.find(qn(link))
            if ref is not None and ref.get(qn("w:val")) not in wanted:
                wanted.add(ref.get(qn("w:val")))
                pending.append(ref.get(qn("w:val")))
    for style_id, style in by_id.items():
        if style_id not in wanted:
            styles_el.remove(style)
        else:
            fonts = style.find(qn("w:rPr") + "/" + qn("w:rFonts"))
            if fonts is not None:
                _set_fonts(style.find(qn("w:rPr")))


def rewrite_package(data: bytes, replace: Mapping[str, bytes] | None = None) -> bytes:
    """The package with the members in ``replace`` swapped, in the same member order, with
    fixed timestamps so equal content gives equal bytes (the template-edit scripts use it)."""
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIMESTAMP)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            content = replace[info.filename] if info.filename in replace else src.read(info.filename)
            dst.writestr(fixed, content)
    return out.getvalue()


def _reproducible_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed timestamps so equal content gives equal bytes."""
    return rewrite_package(data)


def build(spec: TemplateSpec) -> bytes:
    """The finished .docx for one document type."""
    doc = new_document(spec.title)
    spec.build(doc)
    _drop_unused_parts(doc)
    _prune_styles(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    return _reproducible_zip(buffer.getvalue())


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT_DIR,
                        help=f"where to write the .docx files (default: {DEFAULT_OUT_DIR})")
    args = parser.parse_args(None if argv is None else list(argv))
    args.out_dir.mkdir(parents=True, exist_ok=True)
    for spec in TEMPLATES:
        path = args.out_dir / spec.doc_type / "template.docx"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(build(spec))
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
