"""Reading a table's WordprocessingML as tags and texts: one ``re.split``, one sweep.

The letterhead pass runs on every render, so it reads no XML tree: the odd pieces of
``PIECES.split(xml)`` are tags, the even ones texts (still XML-escaped), and one sweep
collects the grid, the cells, their paragraphs (style, border, indent) and each text
with the size, weight and slant of its run.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

__all__ = ["DEFAULT_CELL_MARGIN", "DEFAULT_SIZE", "PIECES", "Cell", "Paragraph", "Table",
           "Text", "attrs", "read", "tag_name"]

#: Word's default left/right cell margin (twips) when the table sets none.
DEFAULT_CELL_MARGIN = 108
#: The letterhead's size when a run sets none (ND30 Letterhead: 13 pt).
DEFAULT_SIZE = 13.0

PIECES = re.compile(r"(<[^>]*>)")
_NAME = re.compile(r"</?([\w:]+)")
_NAMES = re.compile(r"<(?:/)?([\w:]*)")
_ATTR = re.compile(r'([\w:]+)="([^"]*)"')


def tag_name(tag: str) -> str:
    match = _NAME.match(tag)
    return match.group(1) if match else ""


def attrs(tag: str) -> dict[str, str]:
    return dict(_ATTR.findall(tag))



#: The tags the reader looks at; every other one is skipped at once.
_READ = frozenset({
    "w:t", "w:tbl", "w:tr", "w:tc", "w:gridCol", "w:tblCellMar", "w:left", "w:right",
    "w:start", "w:end", "w:gridSpan", "w:tcW", "w:p", "w:pPr", "w:r", "w:rPr", "w:pStyle",
    "w:ind", "w:pBdr", "w:bottom", "w:b", "w:i", "w:sz", "w:szCs", "w:br",
})


@dataclass
class Text:
    piece: int  # index of the text in the pieces
    text: str  # as written (XML-escaped)
    size: float
    bold: bool
    italic: bool


@dataclass
class Paragraph:
    style: str = ""
    border: bool = False  # a bottom border in its own pPr
    ind: int | None = None  # piece of its w:ind
    ppr_end: int | None = None  # piece of its </w:pPr> (where a w:ind goes)
    texts: list[Text] = field(default_factory=list)
    breaks: int = 0  # line breaks (w:br) it holds already
    sizes: list[int] = field(default_factory=list)  # pieces of its runs' w:sz / w:szCs
    lines: list[list[Text]] = field(default_factory=lambda: [[]])

    @property
    def text(self) -> str:
        return "".join(t.text for t in self.texts)

    @property
    def plain(self) -> str:
        text = self.text
        return html.unescape(text) if "&" in text else text

    def is_rule(self) -> bool:
        """An empty paragraph drawing a line: ND30 Rule, or a bottom border of its own."""
        return not self.plain.strip() and (self.border or self.style.lower() == "nd30rule")


@dataclass
class Cell:
    column: int
    width_piece: int | None = None
    width: int = 0
    spans: bool = False
    paragraphs: list[Paragraph] = field(default_factory=list)

    @property
    def plain(self) -> str:
        return "".join(p.plain for p in self.paragraphs)


@dataclass
class Table:
    pieces: list[str]
    grid: list[tuple[int, int]] = field(default_factory=list)  # (piece, width)
    rows: list[list[Cell]] = field(default_factory=list)
    margins: int = 0


def _toggle(tag: str) -> bool:
    value = attrs(tag).get("w:val")
    return value not in ("0", "false", "off")


def read(pieces: list[str]) -> Table | None:
    """The table's grid, cells, paragraphs and texts, in one sweep over its tags (odd
    pieces; the even ones are texts); None for what this pass does not read (a table
    inside the table)."""
    table = Table(pieces)
    depth = 0
    row: list[Cell] | None = None
    cell: Cell | None = None
    paragraph: Paragraph | None = None
    in_ppr = in_rpr = in_pbdr = in_cell_mar = False
    size, bold, italic = DEFAULT_SIZE, False, False
    margins: dict[str, int] = {}
    column = 0
    # Every tag's name in one regex pass over the tags (pieces 1, 3, 5…), in order.
    names = _NAMES.findall("".join(pieces[1::2]))
    for index, name in zip(range(1, len(pieces), 2), names, strict=True):
        if name not in _READ:
            continue
        tag = pieces[index]
        closing = tag[1] == "/"
        empty = tag[-2] == "/"
        if name == "w:t":
            if not closing and not empty and paragraph is not None:
                text = Text(index + 1, pieces[index + 1], size, bold, italic)
                paragraph.texts.append(text)
                paragraph.lines[-1].append(text)
        elif name == "w:tbl":
            depth += -1 if closing else 1
            if depth > 1:
                return None
        elif name == "w:tr":
            if not closing:
                row, column = [], 0
                table.rows.append(row)
        elif name == "w:tc":
            if not closing and row is not None:
                cell = Cell(column)
                row.append(cell)
            elif closing:
                column += 1
                cell = None
        elif name == "w:gridCol":
            value = attrs(tag).get("w:w", "")
            table.grid.append((index, int(value) if value.isdigit() else 0))
        elif name == "w:tblCellMar":
            in_cell_mar = not closing and not empty
        elif in_cell_mar and name in ("w:left", "w:right", "w:start", "w:end"):
            value = attrs(tag).get("w:w", "")
            if value.isdigit():
                margins[name] = int(value)
        elif cell is not None and paragraph is None and name in ("w:gridSpan", "w:tcW"):
            found = attrs(tag)
            if name == "w:gridSpan":
                span = int(found.get("w:val", "1") or 1)
                cell.spans = span > 1
                column += span - 1
            else:
                cell.width_piece = index
                value = found.get("w:w", "")
                cell.width = int(value) if value.isdigit() else 0
        elif name == "w:p":
            if closing or empty:
                if empty and cell is not None:
                    cell.paragraphs.append(Paragraph())
                paragraph = None
            elif cell is not None:
                paragraph = Paragraph()
                cell.paragraphs.append(paragraph)
        elif paragraph is None:
            continue
        elif name == "w:pPr":
            in_ppr = not closing and not empty
            if closing:
                paragraph.ppr_end = index
        elif name == "w:r":
            if not closing:
                size, bold, italic = DEFAULT_SIZE, False, False
        elif name == "w:rPr":
            in_rpr = not closing and not empty
        elif in_ppr and not in_rpr:
            if name == "w:pStyle":
                paragraph.style = attrs(tag).get("w:val", "")
            elif name == "w:ind":
                paragraph.ind = index
            elif name == "w:pBdr":
                in_pbdr = not closing and not empty
            elif in_pbdr and name == "w:bottom":
                paragraph.border = attrs(tag).get("w:val") not in (None, "nil", "none")
        elif in_rpr and not in_ppr:
            if name == "w:b":
                bold = _toggle(tag)
            elif name == "w:i":
                italic = _toggle(tag)
            elif name in ("w:sz", "w:szCs"):
                paragraph.sizes.append(index)
                value = attrs(tag).get("w:val", "")
                if name == "w:sz" and value.isdigit():
                    size = int(value) / 2
        elif name == "w:br" and attrs(tag).get("w:type", "textWrapping") == "textWrapping":
            paragraph.breaks += 1
            paragraph.lines.append([])
    left = margins.get("w:left", margins.get("w:start", DEFAULT_CELL_MARGIN))
    right = margins.get("w:right", margins.get("w:end", DEFAULT_CELL_MARGIN))
    table.margins = left + right
    return table


