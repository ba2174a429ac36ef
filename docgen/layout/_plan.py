"""The letterhead's layout decided from its texts alone: pure, cached per content.

:class:`Content` is every header text that matters (with its size and weight) and the
table's grid; :func:`plan` gives the agency column's width, each name's lines and the
two rules. Equal content gives the same plan from the cache, so a batch from one agency
decides once.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from ._names import break_name, longest_unit
from ._widths import text_width

__all__ = ["MIN_COLUMN", "RULE_SHARE", "SLACK", "SLACK_TWIPS", "Content", "Line", "Plan", "plan"]

#: Measured widths are Liberation Serif's; renderers round differently, so a line
#: "fits" only with this much room to spare.
SLACK = 1.02
SLACK_TWIPS = 20
#: The issuer's rule as a share of its text's widest line (Phụ lục I: 1/3 to 1/2).
RULE_SHARE = 0.4
#: A column never gets narrower than this (3 cm), whatever the other one asks.
MIN_COLUMN = 1701
#: Widening the agency column to save a line goes in steps of 1 mm.
STEP = 57
#: Phụ lục I sets the date line in 13–14 pt: when a long place and a long name cannot
#: both hold at 14 pt, the date line takes 13.
DATE_MIN_SIZE = 13.0

#: One line of a paragraph as the decision sees it: text, size, bold, italic.
Line = tuple[str, float, bool, bool]


@dataclass(frozen=True)
class Content:
    """What decides the layout: every header text that matters, and the table's grid."""

    names: tuple[tuple[Line, ...], ...]  # each name paragraph's lines
    fixed_names: tuple[bool, ...]  # the paragraph breaks itself (w:br in the template)
    issuer: int | None  # index in names
    number: tuple[Line, ...]  # "Số: …" lines (must not wrap)
    right: tuple[Line, ...]  # national name, motto (must not wrap)
    date: tuple[Line, ...]  # the date line (must not wrap)
    motto: Line | None
    grid: tuple[int, int] | None  # (agency, national) when the pass may set them
    cell_text: tuple[int, int]  # text widths of the two cells when it may not
    margins: int
    typed: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Plan:
    agency_width: int | None  # the agency column's new width, the national one the rest
    date_size: float | None  # the date line's new size (13 pt) when 14 pt cannot fit
    lines: tuple[tuple[str, ...], ...]  # each name paragraph's lines
    issuer_rule: tuple[int, int] | None  # (length, available)
    motto_rule: tuple[int, int] | None


def _measure(line: Line) -> float:
    text, size, bold, italic = line
    return text_width(text, size, bold=bold, italic=italic)


def _need(width: float) -> float:
    return width * SLACK + SLACK_TWIPS


def _room(available: float) -> float:
    """The text width a line may take in ``available`` twips."""
    return (available - SLACK_TWIPS) / SLACK


def _typed_lines(words: Sequence[str], typed: Sequence[Sequence[str]]) -> list[str] | None:
    """The clerk's own lines for this paragraph, when one of the typed names is it."""
    folded = [w.casefold() for w in words]
    for lines in typed:
        if [w.casefold() for line in lines for w in line.split()] == folded:
            return [" ".join(line.split()) for line in lines if line.split()]
    return None


def _break_all(content: Content, room: float) -> tuple[tuple[str, ...], ...]:
    """Each name paragraph's lines in a column with ``room`` twips for text."""
    result = []
    for fixed, lines in zip(content.fixed_names, content.names, strict=True):
        if fixed or not lines:
            result.append(tuple(line[0] for line in lines))
            continue
        text, size, bold, _italic = lines[0]
        words = text.split()
        parts = _typed_lines(words, content.typed) or [" ".join(words)]
        out: list[str] = []
        for part in parts:
            out.extend(break_name(part, room, size, bold))
        result.append(tuple(out))
    return tuple(result)


def _agency_width(content: Content, date_size: float | None = None) -> int | None:
    """The agency column's width: the content's needs within the table's width; None
    when the date line (at ``date_size``, if given) and the names cannot both hold."""
    assert content.grid is not None
    left, right = content.grid
    total, margins = left + right, content.margins
    dates = [(t, date_size or s, b, i) for t, s, b, i in content.date]
    right_need = max((_need(_measure(line)) for line in (*content.right, *dates)),
                     default=0) + margins
    units = [longest_unit(line[0], line[1], line[2]) for lines in content.names for line in lines]
    left_need = max([_need(u) for u in units] +
                    [_need(_measure(line)) for line in content.number]) + margins
    low = max(left_need, MIN_COLUMN)
    high = max(total - right_need, MIN_COLUMN)
    if low > high:
        return None
    width = int(min(max(left, low), high))

    def count(column: float) -> int:
        return sum(len(lines) for lines in _break_all(content, _room(column - margins)))

    # A long name: widen the column (within what the right one spares) while that saves
    # a line, to the narrowest width that does (1 mm steps).
    fewest = count(high)
    while width < high and count(width) > fewest:
        width = int(min(width + STEP, high))
    return width


def _layout_columns(content: Content) -> tuple[int | None, float | None]:
    """(agency column width, the date line's new size or None)."""
    if content.grid is None:
        return None, None
    width = _agency_width(content)
    if width is not None:
        return width, None
    if any(line[1] > DATE_MIN_SIZE for line in content.date):
        width = _agency_width(content, DATE_MIN_SIZE)
        if width is not None:
            return width, DATE_MIN_SIZE
    # Both cannot hold even so: the names' units first, the date line wraps.
    left, right = content.grid
    units = [longest_unit(line[0], line[1], line[2]) for lines in content.names for line in lines]
    low = max([_need(u) for u in units] + [MIN_COLUMN]) + content.margins
    return int(min(low, left + right - MIN_COLUMN)), None


@functools.lru_cache(maxsize=256)
def plan(content: Content) -> Plan:
    """The layout for ``content`` (see the module's docstring)."""
    agency_width, date_size = _layout_columns(content)
    if agency_width is not None and content.grid is not None:
        left_text = agency_width - content.margins
        right_text = sum(content.grid) - agency_width - content.margins
    else:
        left_text, right_text = content.cell_text
    lines = _break_all(content, _room(left_text))
    issuer_rule = None
    if content.issuer is not None and lines[content.issuer]:
        _text, size, bold, italic = content.names[content.issuer][0]
        widest = max(text_width(line, size, bold=bold, italic=italic)
                     for line in lines[content.issuer])
        issuer_rule = (int(widest * RULE_SHARE), left_text)
    motto_rule = (int(_measure(content.motto)), right_text) if content.motto else None
    return Plan(agency_width, date_size, lines, issuer_rule, motto_rule)
