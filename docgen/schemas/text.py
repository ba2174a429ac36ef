"""Typed text to payload values, by field kind: one set of rules for the form and batch.

A clerk types text — into the form, or into a spreadsheet cell — and the schema
wants JSON: ISO dates, integers, choice values. :func:`text_value` converts by
the kind of the field (:class:`~docgen.schemas.walk.FieldSpec`), by the rules of
:mod:`docgen.vi.reading` — the ones the schema's fields apply to JSON too, so every
entry point reads "2.150" and "31/02/2017" alike:

- dates as ``14/12/2017``, ``4/3/2017``, ``14-12-2017``, ``14.12.2017`` or ISO, the
  year in four digits; a day that does not exist is called that;
- date-times as ``12/10/2017 08:00``, ``08:00 12/10/2017``, ``8h30``, or ISO;
- integers as digits, dots (or spaces) grouping thousands: ``1.200``, ``60.000.000``;
- money (whole đồng) the same, ``1.500.000 đồng`` too;
- decimals and percentages as ``12,5``, ``1.234,5`` or ``12.5`` (``95,34%`` too);
- choices by value or by their Vietnamese label (``Trưởng đoàn`` -> ``truong_doan``).

A number no rule reads passes through as typed, so the schema reports it with
the same message and code at its path. A date or date-time no rule reads raises
:class:`UnreadableText` with the rule's code and a message in the clerk's format
(dd/mm/yyyy), which each caller presents its own way: batch in the row report,
the form under the field. Blank input is the caller's to handle (a blank cell is
skipped, a blank form input may mean "null" or "the default"). Excel serial dates
live in :mod:`docgen.batch._values`, a thin layer over this module.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from docgen.schemas.walk import FieldSpec
from docgen.vi.reading import (
    InputError,
    read_date,
    read_datetime,
    read_decimal,
    read_integer,
    read_money,
)

_SPACES = re.compile(r"\s+")


class UnreadableText(ValueError):
    """Text no rule of its field's kind reads: ``kind`` says which rule failed, ``code``
    and ``message`` why (``nonexistent_date``, ``year_four_digits``, ``invalid``)."""

    def __init__(self, text: str, kind: str, code: str = "invalid", message: str = "") -> None:
        super().__init__(message or f"{kind}: {text!r}")
        self.text = text
        self.kind = kind
        self.code = code
        self.message = message or f"{kind}: {text!r}"


def fold(text: str) -> str:
    """The comparison form of a label or key: NFC, casefolded, single spaces.

    >>> fold("  Họ  và TÊN ") == fold("họ và tên")
    True
    """
    text = unicodedata.normalize("NFC", str(text))
    return _SPACES.sub(" ", text).strip().casefold()


def parse_date(text: str) -> dt.date | None:
    """'14/12/2017', '4/3/2017', '14-12-2017', '14.12.2017' or '2017-12-14'; None for
    anything else (:func:`docgen.vi.reading.read_date` says why).

    >>> parse_date("05/3/2014")
    datetime.date(2014, 3, 5)
    >>> parse_date("2014-03-05")
    datetime.date(2014, 3, 5)
    >>> parse_date("31/02/2014") is None
    True
    """
    try:
        return read_date(text)
    except InputError:
        return None


def parse_datetime(text: str) -> dt.datetime | None:
    """'12/10/2017 08:00', '08:00 12/10/2017', '2017-10-12T08:00' or '2017-10-12 08:00:00'.

    >>> parse_datetime("12/10/2017 8:30")
    datetime.datetime(2017, 10, 12, 8, 30)
    >>> parse_datetime("12/10/2017") is None
    True
    """
    try:
        return read_datetime(text)
    except InputError:
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
    """``"12"`` -> 12, ``"1.200"`` -> 1200; anything else as given (the schema names it).

    >>> integer_value(" -3 "), integer_value("60.000.000"), integer_value("2,150")
    (-3, 60000000, '2,150')
    """
    try:
        return read_integer(text)
    except InputError:
        return text


def money_value(text: str) -> int | str:
    """``"1.500.000"`` -> 1500000, ``"2 050 000 đồng"`` -> 2050000; else as given.

    >>> money_value("1.005.000 đồng"), money_value("12,5")
    (1005000, '12,5')
    """
    try:
        return read_money(text)
    except InputError:
        return text


def decimal_value(text: str) -> str:
    """``"12,5"`` -> ``"12.5"`` (the decimal comma), ``"95,34%"`` -> ``"95.34"``; else as
    given. The schema's Decimal field reads the string, so no float rounding happens.

    >>> decimal_value("12,5"), decimal_value("95,34 %"), decimal_value("1.234,5"), decimal_value("abc")
    ('12.5', '95.34', '1234.5', 'abc')
    """
    try:
        return str(read_decimal(text, percent=True))
    except InputError:
        return text


def text_value(spec: FieldSpec, text: str) -> Any:
    """The payload value of non-blank ``text`` typed for the field ``spec``.

    Text (and kinds this module has no rule for) comes back as typed — trimming
    and normalising are the schema's, so an error shows what was typed.
    """
    if spec.kind in ("date", "datetime"):
        try:
            if spec.kind == "date":
                return read_date(text).isoformat()
            return read_datetime(text).isoformat()
        except InputError as exc:
            raise UnreadableText(text, spec.kind, exc.code, exc.message) from None
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
