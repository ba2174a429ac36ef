"""Typed text to payload values, by field kind: one set of rules for the form and batch.

A clerk types text — into the form, or into a spreadsheet cell — and the schema
wants JSON: ISO dates, integers, choice values. :func:`text_value` converts by
the kind of the field (:class:`~docgen.schemas.walk.FieldSpec`), forgiving where
a clerk's habit is unambiguous:

- dates as ``14/12/2017``, ``4/3/2017``, ``14-12-2017``, ``14.12.2017`` or ISO;
- date-times as ``12/10/2017 08:00``, ``08:00 12/10/2017``, ``8h30``, or ISO;
- integers as digits with a sign (no grouping: ``1.000`` is a thousand in Vietnamese
  and 1.0 in English, so it is left for the schema to refuse);
- money (whole đồng) as ``1.500.000``, ``1 500 000`` or ``1500000 đồng`` — an amount
  has no decimals, so the dots can only group thousands;
- decimals and percentages as ``12,5`` or ``12.5`` (``95,34%`` too);
- choices by value or by their Vietnamese label (``Trưởng đoàn`` -> ``truong_doan``).

Text that is not a number passes through, so the schema reports it with its
usual message and path. A date or date-time no rule reads raises
:class:`UnreadableText`, which each caller presents its own way: batch names the
sheet's format (dd/mm/yyyy), the form passes the text on to the schema. Blank
input is the caller's to handle (a blank cell is skipped, a blank form input
may mean "null" or "the default"). Excel serial dates live in
:mod:`docgen.batch._values`, a thin layer over this module.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from docgen.schemas.walk import FieldSpec

_DATE_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_TIME = re.compile(r"^(\d{1,2})[:hg](\d{2})(?::(\d{2}))?$")
#: Up to 18 digits: a 64-bit integer, and more than any document number or count.
_INTEGER = re.compile(r"^[+-]?\d{1,18}$")
_SPACES = re.compile(r"\s+")


class UnreadableText(ValueError):
    """Text no rule of its field's kind reads; ``kind`` says which rule failed."""

    def __init__(self, text: str, kind: str) -> None:
        super().__init__(f"{kind}: {text!r}")
        self.text = text
        self.kind = kind


def fold(text: str) -> str:
    """The comparison form of a label or key: NFC, casefolded, single spaces.

    >>> fold("  Họ  và TÊN ") == fold("họ và tên")
    True
    """
    text = unicodedata.normalize("NFC", str(text))
    return _SPACES.sub(" ", text).strip().casefold()


def parse_date(text: str) -> dt.date | None:
    """'14/12/2017', '4/3/2017', '14-12-2017', '14.12.2017' or '2017-12-14'.

    >>> parse_date("05/3/2014")
    datetime.date(2014, 3, 5)
    >>> parse_date("2014-03-05")
    datetime.date(2014, 3, 5)
    >>> parse_date("31/02/2014") is None
    True
    """
    text = text.strip()
    try:
        match = _DATE_DMY.match(text)
        if match:
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day)
        match = _DATE_ISO.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            return dt.date(year, month, day)
    except ValueError:
        return None
    return None


def parse_datetime(text: str) -> dt.datetime | None:
    """'12/10/2017 08:00', '08:00 12/10/2017', '2017-10-12T08:00' or '2017-10-12 08:00:00'.

    >>> parse_datetime("12/10/2017 8:30")
    datetime.datetime(2017, 10, 12, 8, 30)
    >>> parse_datetime("12/10/2017") is None
    True
    """
    text = text.strip()
    if "T" in text:
        try:
            return dt.datetime.fromisoformat(text)
        except ValueError:
            return None
    parts = text.split()
    if len(parts) != 2:
        return None
    for date_part, time_part in ((parts[0], parts[1]), (parts[1], parts[0])):
        day = parse_date(date_part)
        match = _TIME.match(time_part)
        if day is not None and match:
            hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
            try:
                return dt.datetime.combine(day, dt.time(hour, minute, second))
            except ValueError:
                return None
    return None


def choice_value(spec: FieldSpec, text: str) -> str:
    """A choice given by its value or its Vietnamese label ('Trưởng đoàn' -> 'truong_doan').

    Anything else comes back as given, for the schema to refuse with the list of values.
    """
    labels = spec.choice_labels
    if text in labels:
        return text
    folded = fold(text)
    for value, label in spec.choices:
        if fold(value) == folded or fold(label) == folded:
            return value
    return text


def integer_value(text: str) -> int | str:
    """``"12"`` -> 12, ``" -3 "`` -> -3; anything else as given (the schema names it)."""
    stripped = text.strip()
    return int(stripped) if _INTEGER.match(stripped) else text


_MONEY = re.compile(r"^(\d{1,3}(?:[. ]\d{3})+|\d{1,18})(?:\s*(?:đồng|đ|VNĐ|VND))?$",
                    re.IGNORECASE)
_DECIMAL = re.compile(r"^([+-]?\d{1,18})(?:[.,](\d{1,18}))?\s*%?$")


def money_value(text: str) -> int | str:
    """``"1.500.000"`` -> 1500000, ``"2 050 000 đồng"`` -> 2050000; else as given.

    >>> money_value("1.005.000 đồng"), money_value("12,5")
    (1005000, '12,5')
    """
    stripped = unicodedata.normalize("NFC", text.strip())
    match = _MONEY.match(stripped)
    return int(re.sub(r"[. ]", "", match[1])) if match else text


def decimal_value(text: str) -> str:
    """``"12,5"`` -> ``"12.5"`` (the decimal comma), ``"95,34%"`` -> ``"95.34"``; else as
    given. The schema's Decimal field reads the string, so no float rounding happens.

    >>> decimal_value("12,5"), decimal_value("95,34 %"), decimal_value("abc")
    ('12.5', '95.34', 'abc')
    """
    match = _DECIMAL.match(text.strip())
    if not match:
        return text
    return f"{match[1]}.{match[2]}" if match[2] else match[1]


def text_value(spec: FieldSpec, text: str) -> Any:
    """The payload value of non-blank ``text`` typed for the field ``spec``.

    Text (and kinds this module has no rule for) comes back as typed — trimming
    and normalising are the schema's, so an error shows what was typed.
    """
    if spec.kind == "date":
        day = parse_date(text)
        if day is None:
            raise UnreadableText(text, "date")
        return day.isoformat()
    if spec.kind == "datetime":
        moment = parse_datetime(text)
        if moment is None:
            raise UnreadableText(text, "datetime")
        return moment.isoformat()
    if spec.kind == "integer":
        return integer_value(text)
    if spec.kind == "money":
        return money_value(text)
    if spec.kind in ("decimal", "percent"):
        return decimal_value(text)
    if spec.kind == "choice":
        return choice_value(spec, text.strip())
    return text


__all__ = [
    "UnreadableText",
    "choice_value",
    "decimal_value",
    "fold",
    "integer_value",
    "money_value",
    "parse_date",
    "parse_datetime",
    "text_value",
]
