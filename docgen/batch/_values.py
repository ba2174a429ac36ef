"""Cell values to payload values, by the type of the field the column names.

A spreadsheet gives strings (CSV), or numbers, dates and strings (XLSX). The
schema wants JSON: ISO dates, integers, choice values. Conversion here is
forgiving where a clerk's habit is unambiguous (``14/12/2017``, ``2.0`` for 2,
"Trưởng đoàn" for ``truong_doan``) and otherwise passes the value through, so
the schema reports it with its usual Vietnamese message and path. Only a date
no rule reads is refused here, with the rule's code and a message in the sheet's
own format (dd/mm/yyyy) rather than the API's (YYYY-MM-DD): "31/02/2017" is a day
that does not exist, "09/03/21" a year without its four digits.

Text rules are the form's too (:mod:`docgen.schemas.text`); what is left here
is what only a spreadsheet has: typed cells (dates, numbers, booleans) and
Excel's serial dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from docgen.batch._fields import Node
from docgen.schemas.text import UnreadableText, parse_date, parse_datetime, text_value

#: Excel's day zero for serial dates (the 1900 system, as Windows Excel saves).
EXCEL_EPOCH_1900 = dt.datetime(1899, 12, 30)


class CellError(ValueError):
    """A cell no rule can read; ``message`` is what the clerk sees in errors.csv."""

    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def from_excel_serial(value: float, epoch: dt.datetime = EXCEL_EPOCH_1900) -> dt.datetime:
    """An Excel serial number (days since the epoch, fraction = time of day)."""
    moment = epoch + dt.timedelta(days=float(value))
    return moment.replace(microsecond=0) if moment.microsecond < 500_000 else (
        moment + dt.timedelta(seconds=1)).replace(microsecond=0)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return str(value)


def _date(value: Any, epoch: dt.datetime) -> Any:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return from_excel_serial(value, epoch).date().isoformat()
    return None  # text: the shared rules read it


def _datetime(value: Any, epoch: dt.datetime) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return from_excel_serial(value, epoch).isoformat()
    return None


def _integer(value: Any, epoch: dt.datetime) -> Any:
    if isinstance(value, bool | int):
        return value  # True: the schema says "not an integer"
    if isinstance(value, float):
        return int(value) if value.is_integer() else value  # 2.0 from a number cell is 2
    return None


def _decimal(value: Any, epoch: dt.datetime) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):  # the cell's shortest repr: 12.5, not 12.4999…
        return int(value) if value.is_integer() else repr(value)
    return None


#: What XLSX types itself, by field kind: read here, or None to read the cell as text.
_NATIVE: dict[str, Callable[[Any, dt.datetime], Any]] = {
    "date": _date, "datetime": _datetime, "integer": _integer, "money": _integer,
    "decimal": _decimal, "percent": _decimal}

def cell_value(node: Node, value: Any, *, whole_list: bool = False,
               epoch: dt.datetime = EXCEL_EPOCH_1900) -> Any:
    """The payload value of one non-blank cell for ``node``.

    ``whole_list`` is set for a text-list column without an index: the cell
    holds the whole list, one item per line. Values XLSX types itself (dates,
    numbers, Excel serials) are read here; text goes through the rules the form
    uses too (:func:`docgen.schemas.text.text_value`).
    """
    if whole_list:
        return [line.strip() for line in _text(value).splitlines() if line.strip()]
    spec = node.leaf_spec
    native = _NATIVE.get(spec.kind)
    converted = native(value, epoch) if native is not None else None
    if converted is not None:
        return converted
    text = _text(value)
    try:
        return text_value(spec, text)
    except UnreadableText as exc:
        raise CellError(exc.message, exc.code) from exc


__all__ = ["CellError", "cell_value", "from_excel_serial", "is_blank", "parse_date",
           "parse_datetime"]
