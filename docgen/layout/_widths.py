"""Text widths in Times New Roman, from the committed table (no font file at run time).

``widths.json`` holds the advance widths of Liberation Serif 2, metric-compatible with
Times New Roman (scripts/build_width_table.py made it from Debian's fonts-liberation2).
A width is in twips (1/20 pt), the unit of WordprocessingML's indents and column widths.
"""

from __future__ import annotations

import functools
import json
import unicodedata
from pathlib import Path

__all__ = ["STYLES", "text_width"]

_TABLE = Path(__file__).with_name("widths.json")
STYLES = ("regular", "bold", "italic", "bold_italic")


@functools.cache
def _table() -> tuple[int, dict[str, dict[str, int]]]:
    data = json.loads(_TABLE.read_text("utf-8"))
    return int(data["units_per_em"]), data["styles"]


def _style(bold: bool, italic: bool) -> str:
    return STYLES[(1 if bold else 0) + (2 if italic else 0)]


@functools.cache
def _char_width(char: str, style: str) -> int:
    """Font units of one character; a character the table lacks is measured by its base
    letter (NFD), else as a wide letter, so an unknown text is never under-measured."""
    widths = _table()[1][style]
    if char in widths:
        return widths[char]
    base = unicodedata.normalize("NFD", char)[:1]
    return widths.get(base, widths["M"])


def text_width(text: str, size: float, *, bold: bool = False, italic: bool = False) -> float:
    """Width of ``text`` set in ``size`` pt Times New Roman, in twips.

    >>> round(text_width("SỞ KHOA HỌC VÀ CÔNG NGHỆ", 13, bold=True))  # 7.02 cm
    3980
    >>> text_width("", 13)
    0.0
    """
    units, _ = _table()
    style = _style(bold, italic)
    total = sum(_char_width(char, style) for char in text)
    return total * size * 20 / units
