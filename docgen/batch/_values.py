"""Cell values to payload values, by the type of the field the column names.

A spreadsheet gives strings (CSV), or numbers, dates and strings (XLSX). The
schema wants JSON: ISO dates, integers, choice values. Conversion here is
forgiving where a clerk's habit is unambiguous (``14/12/2017``, ``2.0`` for 2,
"Trưởng đoàn" for ``truong_doan``) and otherwise passes the value through, so
the schema reports it with its usual Vietnamese message and path. Only a date
written in a way no rule reads is refused here, with a message that shows the
sheet's own format (dd/mm/yyyy) rather than the API's (YYYY-MM-DD).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from marshmallow import fields

from docgen.batch._fields import Node, choice_value
from docgen.schemas.fields import Choice

#: Excel's day zero for serial dates (the 1900 system, as Windows Excel saves).
EXCEL_EPOCH_1900 = dt.datetime(1899, 12, 30)

_DATE_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_TIME = re.compile(r"^(\d{1,2})[:hg](\d{2})(?::(\d{2}))?$")
_INTEGER = re.compile(r"^[+-]?\d+$")


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


def _date(value: Any, epoch: dt.datetime) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return from_excel_serial(value, epoch).date().isoformat()
    parsed = parse_date(_text(value))
    if parsed is None:
        raise CellError(
            f"Ngày '{_text(value)}' không hợp lệ; ghi dạng dd/mm/yyyy (ví dụ 14/12/2017)."
        )
    return parsed.isoformat()


def _datetime(value: Any, epoch: dt.datetime) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return from_excel_serial(value, epoch).isoformat()
    text = _text(value)
    parsed = parse_datetime(text)
    if parsed is None:
        raise CellError(
            f"Thời điểm '{text}' không hợp lệ; ghi ngày và giờ dạng dd/mm/yyyy hh:mm "
            "(ví dụ 12/10/2017 08:00)."
        )
    return parsed.isoformat()


def _integer(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    text = str(value).strip()
    return int(text) if _INTEGER.match(text) else text


def cell_value(node: Node, value: Any, *, whole_list: bool = False,
               epoch: dt.datetime = EXCEL_EPOCH_1900) -> Any:
    """The payload value of one non-blank cell for ``node``.

    ``whole_list`` is set for a text-list column without an index: the cell
    holds the whole list, one item per line.
    """
    if whole_list:
        return [line.strip() for line in _text(value).splitlines() if line.strip()]
    f = node.leaf_field
    if isinstance(f, fields.Date):  # before DateTime: marshmallow's Date is a DateTime
        return _date(value, epoch)
    if isinstance(f, fields.DateTime):
        return _datetime(value, epoch)
    if isinstance(f, fields.Integer):
        return _integer(value)
    text = _text(value)
    return choice_value(node, text.strip()) if isinstance(f, Choice) else text


__all__ = ["CellError", "cell_value", "from_excel_serial", "is_blank", "parse_date",
           "parse_datetime"]
