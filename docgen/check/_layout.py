"""Decree 30/2020/NĐ-CP, Phụ lục I: page, fonts, and the parts of an administrative text.

Each part is found by its words and its place, never by a style name, so any template
— one written in Word by a clerk — can be checked: the motto by its words, the number
line by "Số:", the date line by ", ngày" (or the tag that prints it), Nơi nhận by
"Nơi nhận:", the issuing agency as the header cell beside the motto, the title as the
first text under the header, the signature as the cell beside Nơi nhận. A part that
cannot be found is a warning (``part_not_found``), never a crash. Sizes and weights
are those in effect (see :mod:`._styles`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from ._document import Document, Paragraph, normalise, w
from ._findings import ERROR, WARNING, Finding
from ._styles import RunFormat, Styles

__all__ = ["MARGINS_MM", "check_layout"]

TIMES = "Times New Roman"
QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
PAGE_SETUP = "bố cục trang (Layout › Page Setup)"

_TWIPS_PER_MM = 1440 / 25.4
#: A4 in twips and the slack allowed for rounding by the program that saved it (1 mm).
_A4 = (11906, 16838)
_A4_SLACK = 57
#: Phụ lục I margins in mm; rounding to whole twips may add 0.05 mm either way.
MARGINS_MM = {"top": (20, 25), "bottom": (20, 25), "left": (30, 35), "right": (15, 20)}
_MARGIN_NAMES = {"top": "trên", "bottom": "dưới", "left": "trái", "right": "phải"}
_STATEMENT_TAG = re.compile(r"\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_DATE_LINE = re.compile(r"(,|^)\s*ngày\b|date_line", re.IGNORECASE)


@dataclass(frozen=True)
class Rule:
    """What Phụ lục I says of one part: a size range in points, bold, italic (None: free)."""

    label: str
    sizes: tuple[float, float]
    bold: bool | None = None
    italic: bool | None = None


QUOC_HIEU_RULE = Rule("Quốc hiệu", (12, 13), bold=True)
TIEU_NGU_RULE = Rule("Tiêu ngữ", (13, 14), bold=True)
PARENT_RULE = Rule("Tên cơ quan chủ quản", (12, 13), bold=False)
ISSUER_RULE = Rule("Tên cơ quan ban hành", (12, 13), bold=True)
NUMBER_RULE = Rule("Số, ký hiệu", (13, 13), italic=False)
DATE_RULE = Rule("Địa danh, ngày tháng", (13, 14), italic=True)
TITLE_RULE = Rule("Tên loại văn bản", (13, 14), bold=True)
SUMMARY_RULE = Rule("Trích yếu", (13, 14), bold=True)
BODY_RULE = Rule("Nội dung", (13, 14))
SIGNATURE_RULE = Rule("Khối chữ ký", (13, 14), bold=True)
RECIPIENTS_LABEL_RULE = Rule("Chữ «Nơi nhận:»", (12, 12), bold=True, italic=True)
RECIPIENT_RULE = Rule("Các dòng Nơi nhận", (11, 11), bold=False)
PAGE_NUMBER_RULE = Rule("Số trang", (13, 14))


def check_layout(document: Document) -> list[Finding]:
    """Every Phụ lục I deviation of ``document``: page, fonts, then part by part."""
    styles = Styles(document)
    findings = _page_setup(document)
    findings += _fonts(document, styles)
    findings += _parts(document, styles)
    findings += _page_numbers(document, styles)
    return findings


# --- page ---------------------------------------------------------------------------------


def _page_setup(document: Document) -> list[Finding]:
    findings = []
    for section in document.sections[-1:] or []:  # the body's section; others follow it
        size = section.find(w("pgSz"))
        if size is not None:
            width, height = _twips(size, "w"), _twips(size, "h")
            landscape = size.get(w("orient")) == "landscape" or (width or 0) > (height or 0)
            a4 = width is not None and height is not None and all(
                abs(a - b) <= _A4_SLACK for a, b in zip(sorted((width, height)), _A4, strict=True))
            if not a4 or landscape:
                shown = f"{_mm(width)} × {_mm(height)} mm" if width and height else "không rõ"
                findings.append(Finding("page_size", ERROR, f"Khổ giấy {shown}"
                                        f"{', nằm ngang' if landscape else ''}; Phụ lục I: A4 "
                                        "(210 × 297 mm), khổ đứng.", PAGE_SETUP))
        margins = section.find(w("pgMar"))
        for side, (low, high) in MARGINS_MM.items():
            value = _twips(margins, side) if margins is not None else None
            if value is None:
                continue
            mm = abs(value) / _TWIPS_PER_MM
            if not low - 0.05 <= mm <= high + 0.05:
                findings.append(Finding("margin", ERROR, f"Lề {_MARGIN_NAMES[side]} "
                                        f"{_number(round(mm, 1))} mm; Phụ lục I: {low}–{high} mm.",
                                        PAGE_SETUP))
    return findings


def _twips(element: etree._Element, attribute: str) -> int | None:
    try:
        return int(element.get(w(attribute), ""))
    except ValueError:
        return None


def _mm(twips: int | None) -> str:
    return _number(round((twips or 0) / _TWIPS_PER_MM))


def _number(value: float) -> str:
    """``12.5`` -> ``'12,5'``, ``13.0`` -> ``'13'``: Vietnamese decimal comma."""
    return f"{value:g}".replace(".", ",")


# --- fonts --------------------------------------------------------------------------------


def _fonts(document: Document, styles: Styles) -> list[Finding]:
    """One finding per font other than Times New Roman, with how often and where first."""
    seen: dict[str, list[Paragraph]] = {}
    for paragraph in document.paragraphs():
        for fmt in _formats(paragraph, styles):
            for font in set(fmt.fonts) - {TIMES}:
                places = seen.setdefault(font, [])
                if not places or places[-1] is not paragraph:
                    places.append(paragraph)
    findings = []
    for font, places in seen.items():
        more = f" (và {len(places) - 1} đoạn khác)" if len(places) > 1 else ""
        findings.append(Finding("font", ERROR, f"Phông chữ «{font}» đang được dùng{more}; "
                                f"Phụ lục I: {TIMES}.", places[0].location))
    return findings


def visible_runs(paragraph: Paragraph) -> Iterator[etree._Element]:
    """The runs of ``paragraph`` that print something (statement tags print nothing)."""
    for run in paragraph.element.iter(w("r")):
        if next(run.iterancestors(w("p")), None) is not paragraph.element:
            continue
        text = "".join(t.text or "" for t in run.findall(w("t")))
        if _STATEMENT_TAG.sub("", text).strip():
            yield run


def _formats(paragraph: Paragraph, styles: Styles) -> list[RunFormat]:
    return [styles.run_format(paragraph.element, run) for run in visible_runs(paragraph)]


def _shows_text(paragraph: Paragraph) -> bool:
    return bool(_STATEMENT_TAG.sub("", paragraph.text).strip())


# --- the parts ----------------------------------------------------------------------------


def _key(text: str) -> str:
    """Letters only, without marks or case: how a motto is recognised even when misspelt.

    >>> _key("Cộng hoà xã hội chủ nghĩa Việt Nam")
    'conghoaxahoichunghiavietnam'
    """
    stripped = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in stripped.lower() if c.isalnum() and c.isascii())


def _apply(rule: Rule, paragraph: Paragraph, styles: Styles) -> list[Finding]:
    """The findings of one part against its rule (sizes, then bold, then italic)."""
    formats = _formats(paragraph, styles)
    if not formats:
        return []
    findings = []
    low, high = rule.sizes
    wrong = sorted({f.size for f in formats if not low <= f.size <= high})
    if wrong:
        allowed = f"{_number(low)} pt" if low == high else f"{_number(low)}–{_number(high)} pt"
        found = ", ".join(f"{_number(s)} pt" for s in wrong)
        findings.append(Finding("font_size", ERROR, f"{rule.label}: cỡ chữ {found}; "
                                f"Phụ lục I: {allowed}.", paragraph.location))
    for attribute, wanted, yes, no in (("bold", rule.bold, "in đậm", "không in đậm"),
                                       ("italic", rule.italic, "in nghiêng", "không in nghiêng")):
        if wanted is None:
            continue
        if any(getattr(f, attribute) != wanted for f in formats):
            findings.append(Finding("font_weight", ERROR, f"{rule.label} phải "
                                    f"{yes if wanted else no} (Phụ lục I).", paragraph.location))
    return findings


def _missing(label: str, how: str) -> Finding:
    return Finding("part_not_found", WARNING, f"Không tìm thấy {label} ({how}); "
                   "phần này chưa được kiểm tra thể thức.", "phần thân")


def _cell_of(paragraph: Paragraph) -> etree._Element | None:
    return next(paragraph.element.iterancestors(w("tc")), None)


def _parts(document: Document, styles: Styles) -> list[Finding]:
    body = [p for p in document.body.paragraphs]
    findings: list[Finding] = []
    quoc_hieu = next((p for p in body if _key(p.text) == _key(QUOC_HIEU)), None)
    tieu_ngu = next((p for p in body if _key(p.text) == _key(TIEU_NGU)), None)
    for paragraph, expected, rule in ((quoc_hieu, QUOC_HIEU, QUOC_HIEU_RULE),
                                      (tieu_ngu, TIEU_NGU, TIEU_NGU_RULE)):
        if paragraph is None:
            findings.append(_missing(rule.label, f"dòng chữ «{expected}»"))
            continue
        if normalise(paragraph.text) != expected:
            findings.append(Finding("motto_text", ERROR, f"{rule.label} phải viết đúng "
                                    f"«{expected}», mẫu đang ghi «{normalise(paragraph.text)}».",
                                    paragraph.location))
        findings += _apply(rule, paragraph, styles)

    number = next((p for p in body if re.match(r"Số\s*:", normalise(p.text))), None)
    date = next((p for p in body if _DATE_LINE.search(normalise(p.text))
                 and p is not number), None)
    for paragraph, rule, how in ((number, NUMBER_RULE, "đoạn bắt đầu «Số:»"),
                                 (date, DATE_RULE, "đoạn «…, ngày … tháng … năm …»")):
        if paragraph is None:
            findings.append(_missing(rule.label, how))
        else:
            findings += _apply(rule, paragraph, styles)

    findings += _agency(body, quoc_hieu or tieu_ngu, number, styles)
    header_end = max((p.index for p in (quoc_hieu, tieu_ngu, number, date) if p), default=0)
    header_table = _table_of(quoc_hieu or number)
    findings += _title(body, header_end, header_table, styles)
    label = next((p for p in body if normalise(p.text).startswith("Nơi nhận")), None)
    findings += _recipients_and_signature(body, label, styles)
    findings += _body_text(body, header_end, header_table, label, styles)
    return findings


def _table_of(paragraph: Paragraph | None) -> etree._Element | None:
    if paragraph is None:
        return None
    return next(paragraph.element.iterancestors(w("tbl")), None)


def _agency(body: list[Paragraph], motto: Paragraph | None, number: Paragraph | None,
            styles: Styles) -> list[Finding]:
    """The agency lines: the header cell beside the motto (or the lines above the motto)."""
    cell = _cell_of(motto) if motto is not None else None
    if cell is not None:
        row = cell.getparent()
        others = [c for c in row.findall(w("tc")) if c is not cell] if row is not None else []
        lines = [p for p in body if _cell_of(p) in others]
    elif motto is not None:
        lines = [p for p in body if p.index < motto.index]
    else:
        lines = []
    lines = [p for p in lines if _shows_text(p) and p is not number
             and not normalise(p.text).startswith("Số")]
    if not lines:
        return [_missing("tên cơ quan ban hành", "các dòng bên trái Quốc hiệu")]
    findings = []
    for paragraph in lines[:-1]:
        findings += _apply(PARENT_RULE, paragraph, styles)
    return findings + _apply(ISSUER_RULE, lines[-1], styles)


def _after_header(body: list[Paragraph], header_end: int,
                  header_table: etree._Element | None) -> list[Paragraph]:
    return [p for p in body if p.index > header_end and _shows_text(p)
            and (header_table is None or _table_of(p) is not header_table)]


def _title(body: list[Paragraph], header_end: int, header_table: etree._Element | None,
           styles: Styles) -> list[Finding]:
    in_header = [p for p in body if header_table is not None and _table_of(p) is header_table]
    if any(normalise(p.text).startswith("V/v") for p in in_header):
        return []  # a công văn: no title; its trích yếu "V/v …" stands under Số, in the header
    following = _after_header(body, header_end, header_table)
    if not following:
        return [_missing("tên loại văn bản", "đoạn đầu tiên dưới phần đầu văn bản")]
    if normalise(following[0].text).startswith("V/v"):  # a công văn: no title, V/v under Số
        return []
    findings = _apply(TITLE_RULE, following[0], styles)
    if len(following) > 1 and _table_of(following[1]) is None:
        findings += _apply(SUMMARY_RULE, following[1], styles)
    return findings


def _recipients_and_signature(body: list[Paragraph], label: Paragraph | None,
                              styles: Styles) -> list[Finding]:
    if label is None:
        return [_missing("Nơi nhận", "đoạn bắt đầu «Nơi nhận:»"),
                _missing("khối chữ ký", "ô bên cạnh Nơi nhận")]
    findings = _apply(RECIPIENTS_LABEL_RULE, label, styles)
    cell = _cell_of(label)
    for paragraph in body:
        in_block = _cell_of(paragraph) is cell if cell is not None else _table_of(paragraph) is None
        if in_block and paragraph.index > label.index and _shows_text(paragraph):
            findings += _apply(RECIPIENT_RULE, paragraph, styles)
    signature = _signature(body, label)
    if not signature:
        return findings + [_missing("khối chữ ký", "ô bên cạnh Nơi nhận hoặc bảng ngay trên nó")]
    for paragraph in signature:
        findings += _apply(SIGNATURE_RULE, paragraph, styles)
    return findings


def _signature(body: list[Paragraph], label: Paragraph) -> list[Paragraph]:
    """The signature block: the cells beside Nơi nhận's, or the table just above Nơi nhận
    (minutes put both sides' signatures in a table and Nơi nhận under it)."""
    cell = _cell_of(label)
    row = cell.getparent() if cell is not None else None
    others = [c for c in row.findall(w("tc")) if c is not cell] if row is not None else []
    if others:
        return [p for p in body if _cell_of(p) in others and _shows_text(p)]
    table = _table_just_above(body, label)
    return [p for p in body if table is not None and _table_of(p) is table and _shows_text(p)]


def _table_just_above(body: list[Paragraph], label: Paragraph) -> etree._Element | None:
    """The table whose last paragraph precedes ``label`` with only blank lines between."""
    own = _table_of(label)
    for paragraph in reversed([p for p in body if p.index < label.index]):
        table = _table_of(paragraph)
        if table is not None and table is not own:
            return table
        if _shows_text(paragraph):
            return None
    return None


def _body_text(body: list[Paragraph], header_end: int, header_table: etree._Element | None,
               label: Paragraph | None, styles: Styles) -> list[Finding]:
    """Body paragraphs (outside tables) between the title block and the signature: 13–14 pt."""
    following = [p for p in _after_header(body, header_end, header_table)
                 if _table_of(p) is None]
    end = label.index if label is not None else None
    if label is not None:
        signature = _signature(body, label)
        starts = [p.index for p in signature]
        table = _table_of(label)
        if table is not None:
            starts += [p.index for p in body if _table_of(p) is table]
        end = min([*starts, label.index])
    findings = []
    for paragraph in following[2:]:  # after the title and the summary
        if end is not None and paragraph.index >= end:
            break
        findings += _apply(BODY_RULE, paragraph, styles)
    return findings


# --- page numbers -------------------------------------------------------------------------


def _page_numbers(document: Document, styles: Styles) -> list[Finding]:
    """A PAGE field centred in the default header, none on page 1 ("different first page")."""
    if not document.sections:
        return [Finding("page_number", ERROR, "Không có thiết lập trang (w:sectPr), không có "
                        "số trang.", PAGE_SETUP)]
    section = document.sections[-1]
    headers = document.header_parts(section)
    default = document.story(headers["default"]) if "default" in headers else None
    fields = [p for p in default.paragraphs if _has_page_field(p.element)] if default else []
    if not fields:
        return [Finding("page_number", ERROR, "Đầu trang không có số trang (trường PAGE); "
                        "Phụ lục I: số trang ở giữa đầu trang, từ trang 2.",
                        default.label if default else "đầu trang")]
    findings = []
    title_pg = section.find(w("titlePg"))
    first_page = document.story(headers["first"]) if "first" in headers else None
    if title_pg is None or title_pg.get(w("val"), "1").lower() in ("0", "false", "off"):
        findings.append(Finding("page_number", ERROR, "Trang 1 cũng hiện số trang; bật «Different "
                                "First Page» (trang đầu khác) để số trang bắt đầu từ trang 2.",
                                PAGE_SETUP))
    elif first_page is not None and any(_has_page_field(p.element) for p in first_page.paragraphs):
        findings.append(Finding("page_number", ERROR, "Đầu trang của trang đầu có số trang; "
                                "trang 1 không đánh số.", first_page.label))
    for paragraph in fields:
        justification = paragraph.element.find(f"{w('pPr')}/{w('jc')}")
        if justification is None or justification.get(w("val")) != "center":
            findings.append(Finding("page_number", ERROR, "Số trang phải ở giữa đầu trang "
                                    "(căn giữa).", paragraph.location))
        findings += _apply_page_field(paragraph, styles)
    return findings


def _has_page_field(paragraph: etree._Element) -> bool:
    instructions = [t.text or "" for t in paragraph.iter(w("instrText"))]
    instructions += [f.get(w("instr"), "") for f in paragraph.iter(w("fldSimple"))]
    return any(i.split()[:1] == ["PAGE"] for i in instructions)


def _apply_page_field(paragraph: Paragraph, styles: Styles) -> list[Finding]:
    """Size of the runs of the PAGE field (they hold no w:t, so :func:`_apply` skips them)."""
    low, high = PAGE_NUMBER_RULE.sizes
    runs = [r for r in paragraph.element.iter(w("r"))
            if r.find(w("instrText")) is not None or r.find(w("fldChar")) is not None]
    runs += [r for f in paragraph.element.iter(w("fldSimple")) for r in f.iter(w("r"))]
    sizes = sorted({styles.run_format(paragraph.element, r).size for r in runs})
    if not runs and paragraph.element.find(f".//{w('fldSimple')}") is not None:
        sizes = [styles.run_format(paragraph.element, paragraph.element).size]
    wrong = [s for s in sizes if not low <= s <= high]
    if not wrong:
        return []
    return [Finding("font_size", ERROR, f"{PAGE_NUMBER_RULE.label}: cỡ chữ "
                    f"{', '.join(_number(s) + ' pt' for s in wrong)}; Phụ lục I: 13–14 pt.",
                    paragraph.location)]
