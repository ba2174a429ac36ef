"""The letterhead pass: a rendered ``word/document.xml`` in, the same with its header
table laid out as Decree 30 shows it.

Runs after the template is filled in (a post-render hook the Renderer hands the
engine), over the header table only — the first table of the body, recognised by the
national name "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in it. It:

1. breaks the agency names (parent and issuer) where a văn thư would
   (:func:`break_name`), or where the clerk put a line break in the name field;
2. sets the two columns' widths from the content, within the table's width: the
   right one holds the national name, the motto and the date line each on one line,
   the left one the widest unit of the names and the "Số:" line (when both cannot hold,
   the date line takes 13 pt, the smaller size Phụ lục I allows);
3. sets the rules: under the issuer, 2/5 of the issuer text's widest line (Phụ lục I:
   1/3 to 1/2), under the motto its text's width, each centred in its column.

Parts are found by words and by the paragraphs' own formatting, never by position, so
a template an administrator edited in Word (runs split, other styles, columns resized)
still comes out right; a table this pass does not recognise is left as it is.

It runs on every render, so it reads the table as a list of tags and texts (one
``re.split``, no XML tree), decides from what it read through a cache (a batch from one
agency decides once), and writes back only the tags it changes.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ._plan import Content, Line, plan
from ._reader import PIECES, Cell, Paragraph, Table, attrs, read, tag_name

__all__ = ["MOTTO", "NATIONAL_NAME", "layout_letterhead"]

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"

#: What a line break in a name becomes (the engine writes "\n" in a value the same way).
LINE_BREAK = '</w:t><w:br/><w:t xml:space="preserve">'

_TBL = re.compile(r"<w:tbl[ >]")


# --- the header's parts ---------------------------------------------------------------------


@dataclass
class _Header:
    agency: Cell
    national: Cell
    names: list[Paragraph]  # parent line(s) then the issuer, top to bottom
    issuer: Paragraph | None
    issuer_rule: Paragraph | None
    motto: Paragraph | None
    motto_rule: Paragraph | None
    number: list[Paragraph]  # "Số: …" (must not wrap)
    right: list[Paragraph]  # national name, motto (must not wrap)
    date: list[Paragraph]  # the date line (must not wrap)


def _find_parts(table: Table) -> _Header | None:
    found = next(((row, cell) for row in table.rows for cell in row
                  if NATIONAL_NAME in cell.plain), None)
    if found is None:
        return None
    row, national = found
    agency = next((cell for cell in row if cell is not national), None)
    if agency is None:
        return None
    paragraphs = agency.paragraphs
    rule_index = next((i for i, p in enumerate(paragraphs) if p.is_rule()), None)
    above = paragraphs[:rule_index] if rule_index is not None else paragraphs
    names = [p for p in above if p.plain.strip()]
    right = national.paragraphs
    motto = next((p for p in right if p.plain.strip() == MOTTO), None)
    motto_rule = None
    if motto is not None:
        motto_rule = next((p for p in right[right.index(motto) + 1:] if p.is_rule()), None)
    fixed_right = [p for p in right if p.plain.strip() in (NATIONAL_NAME, MOTTO)]
    number: list[Paragraph] = []
    date: list[Paragraph] = []
    for other in table.rows:
        for cell in other:
            for p in cell.paragraphs:
                text = p.plain.strip()
                if cell.column == agency.column and text.startswith("Số"):
                    number.append(p)
                elif cell.column == national.column and ", ngày" in text:
                    date.append(p)
    return _Header(agency, national, names, names[-1] if names else None,
                   paragraphs[rule_index] if rule_index is not None else None,
                   motto, motto_rule, number, fixed_right, date)


# --- writing back ---------------------------------------------------------------------------


def _plain(text: str) -> str:
    return html.unescape(text) if "&" in text else text


def _paragraph_lines(paragraph: Paragraph) -> tuple[Line, ...]:
    out = []
    for texts in paragraph.lines:
        if not texts:
            continue
        first = texts[0]
        out.append((_plain("".join(t.text for t in texts)), first.size, first.bold,
                    first.italic))
    return tuple(out)


def _break(paragraph: Paragraph, lines: Sequence[str], edits: _Edits) -> None:
    """Line breaks for the spaces between ``lines`` in the paragraph's texts.

    Escaping adds no space, so words are counted on the texts as written."""
    targets = set(itertools.accumulate(len(line.split()) for line in lines[:-1]))
    counted, inside = 0, False
    for text in paragraph.texts:
        offsets = []
        for position, char in enumerate(text.text):
            if char == " ":
                if inside:
                    inside = False
                    if counted in targets:
                        offsets.append(position)
                        targets.discard(counted)
            elif not inside:
                inside = True
                counted += 1
        if offsets:
            edits.breaks[text.piece] = tuple(offsets)


def _set_attrs(tag: str, values: Mapping[str, str], drop: Sequence[str] = ()) -> str:
    """``tag`` with the w: attributes ``values`` set and ``drop`` removed."""
    kept = {k: v for k, v in attrs(tag).items() if k not in drop}
    kept.update(values)
    body = " ".join(f'{k}="{v}"' for k, v in kept.items())
    return f"<{tag_name(tag)} {body}/>"


_IND_DROP = ("w:start", "w:end", "w:firstLine", "w:hanging", "w:leftChars", "w:rightChars",
             "w:startChars", "w:endChars")


def _set_rule(paragraph: Paragraph, rule: tuple[int, int], pieces: list[str],
              edits: _Edits) -> None:
    """Centre the rule ``length`` twips long in ``available`` twips of its cell."""
    length, available = rule
    side = str(max((available - min(length, available)) // 2, 0))
    values = {"w:left": side, "w:right": side}
    if paragraph.ind is not None:
        edits.tags[paragraph.ind] = _set_attrs(pieces[paragraph.ind], values, _IND_DROP)
    elif paragraph.ppr_end is not None:  # w:ind comes late in pPr: just before jc/rPr…
        edits.tags[paragraph.ppr_end] = _set_attrs("<w:ind/>", values) + \
            pieces[paragraph.ppr_end]


def _set_columns(table: Table, header: _Header, left: int, edits: _Edits) -> None:
    total = sum(width for _piece, width in table.grid)
    widths = {header.agency.column: left, header.national.column: total - left}
    for column, (piece, _width) in enumerate(table.grid):
        if column in widths:
            edits.tags[piece] = _set_attrs(table.pieces[piece], {"w:w": str(widths[column])})
    for row in table.rows:
        for cell in row:
            if cell.width_piece is not None and not cell.spans and cell.column in widths:
                edits.tags[cell.width_piece] = _set_attrs(
                    table.pieces[cell.width_piece],
                    {"w:w": str(widths[cell.column]), "w:type": "dxa"})


# --- the pass ---------------------------------------------------------------------------------


def _header_table_span(xml: str) -> tuple[int, int] | None:
    """Start and end offsets of the body's first table, if it is the letterhead."""
    body = xml.find("<w:body>")
    match = _TBL.search(xml, max(body, 0))
    if match is None:
        return None
    start = match.start()
    end = xml.find("</w:tbl>", start)
    # A table inside it closes first: take the end that balances the openings.
    while end >= 0 and _openings(xml, start, end) > xml.count("</w:tbl>", start, end) + 1:
        end = xml.find("</w:tbl>", end + 1)
    if end < 0:
        return None
    end += len("</w:tbl>")
    if xml.find(NATIONAL_NAME, start, end) < 0:
        return None
    return start, end


def _openings(xml: str, start: int, end: int) -> int:
    return xml.count("<w:tbl>", start, end) + xml.count("<w:tbl ", start, end)


def _content(table: Table, header: _Header, typed: tuple[tuple[str, ...], ...]) -> Content:
    grid = [width for _piece, width in table.grid]
    two_columns = len(grid) == 2 and all(grid) and \
        {header.agency.column, header.national.column} == {0, 1}
    return Content(
        names=tuple(_issuer_bold(_paragraph_lines(p)) if p is header.issuer
                    else _paragraph_lines(p) for p in header.names),
        fixed_names=tuple(p.breaks > 0 for p in header.names),
        issuer=header.names.index(header.issuer) if header.issuer is not None else None,
        number=tuple(line for p in header.number for line in _paragraph_lines(p)),
        right=tuple(line for p in header.right for line in _paragraph_lines(p)),
        date=tuple(line for p in header.date for line in _paragraph_lines(p)),
        motto=_paragraph_lines(header.motto)[0] if header.motto is not None else None,
        grid=(grid[header.agency.column], grid[header.national.column]) if two_columns
        else None,
        cell_text=((header.agency.width or 4082) - table.margins,
                   (header.national.width or 5273) - table.margins),
        margins=table.margins,
        typed=typed,
    )


def _issuer_bold(lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """The issuer is set bold (Phụ lục I) even when a style, not its runs, makes it so:
    measured bold, it is never wider than measured."""
    return tuple((text, size, True, italic) for text, size, _bold, italic in lines)


def _typed(context: Mapping[str, Any]) -> tuple[tuple[str, ...], ...]:
    letterhead = context.get("letterhead")
    lines = letterhead.get("lines", ()) if isinstance(letterhead, Mapping) else ()
    return tuple(tuple(str(line) for line in name) for name in lines)


@dataclass
class _Edits:
    """What the pass changes in a table's pieces: whole tags, and line breaks at the
    spaces at these offsets of a text."""

    tags: dict[int, str] = field(default_factory=dict)
    breaks: dict[int, tuple[int, ...]] = field(default_factory=dict)


def _edits(pieces: list[str], typed: tuple[tuple[str, ...], ...]) -> _Edits | None:
    table = read(pieces)
    header = _find_parts(table) if table is not None else None
    if table is None or header is None:
        return None
    decided = plan(_content(table, header, typed))
    edits = _Edits()
    if decided.agency_width is not None:
        _set_columns(table, header, decided.agency_width, edits)
    if decided.date_size is not None:
        half_points = str(round(decided.date_size * 2))
        for paragraph in header.date:
            for piece in paragraph.sizes:
                edits.tags[piece] = _set_attrs(pieces[piece], {"w:val": half_points})
    for paragraph, lines in zip(header.names, decided.lines, strict=True):
        if not paragraph.breaks and len(lines) > 1:
            _break(paragraph, lines, edits)
    if decided.issuer_rule is not None and header.issuer_rule is not None:
        _set_rule(header.issuer_rule, decided.issuer_rule, pieces, edits)
    if decided.motto_rule is not None and header.motto_rule is not None:
        _set_rule(header.motto_rule, decided.motto_rule, pieces, edits)
    return edits


#: Digits are all one width in Times New Roman: a table whose texts differ only in their
#: digits (the number, the date) is laid out the same.
_DIGITS = re.compile("[1-9]")
_CACHE: dict[tuple[str, str, tuple[tuple[str, ...], ...]], _Edits | None] = {}
#: The same table again (a preview, the same document twice): its laid-out text.
_EXACT: dict[tuple[str, tuple[tuple[str, ...], ...]], str | None] = {}
_CACHE_SIZE = 512


def _cached_edits(pieces: list[str], typed: tuple[tuple[str, ...], ...]) -> _Edits | None:
    key = ("\x00".join(pieces[1::2]), _DIGITS.sub("0", "\x00".join(pieces[0::2])), typed)
    try:
        return _CACHE[key]
    except KeyError:
        pass
    edits = _edits(pieces, typed)
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.clear()
    _CACHE[key] = edits
    return edits


def _apply(pieces: list[str], edits: _Edits) -> str:
    out = list(pieces)
    for index, tag in edits.tags.items():
        out[index] = tag
    for index, offsets in edits.breaks.items():
        text, parts, last = out[index], [], 0
        for offset in offsets:
            parts.append(text[last:offset])
            last = offset + 1
        parts.append(text[last:])
        out[index] = LINE_BREAK.join(parts)
    return "".join(out)


def layout_letterhead(xml: str, context: Mapping[str, Any]) -> str:
    """``word/document.xml`` with its letterhead laid out (see the module's docstring).

    ``context["letterhead"]["lines"]``, when there, lists the agency names as the clerk
    broke them (a list of lines each); a name paragraph with the same words breaks there.
    A document without a recognisable letterhead comes back unchanged.
    """
    span = _header_table_span(xml)
    if span is None:
        return xml
    start, end = span
    fragment, typed = xml[start:end], _typed(context)
    try:
        laid_out = _EXACT[fragment, typed]
    except KeyError:
        pieces = PIECES.split(fragment)
        edits = _cached_edits(pieces, typed)
        laid_out = _apply(pieces, edits) if edits is not None else None
        if len(_EXACT) >= _CACHE_SIZE:
            _EXACT.clear()
        _EXACT[fragment, typed] = laid_out
    if laid_out is None:
        return xml
    return xml[:start] + laid_out + xml[end:]
