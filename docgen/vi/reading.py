"""Reading what a clerk types — dates, numbers — by one set of rules for every entry point.

The JSON API, the CLI, the web form and batch cells all reach these functions
(through the schema's fields, :mod:`docgen.schemas.fields`, and the typed-text
rules, :mod:`docgen.schemas.text`), so "2.150" is 2150 and "31/02/2017" is a day
that does not exist wherever it is typed. Each refusal is an :class:`InputError`
with a stable ``code`` and a Vietnamese message that says what to type instead.

Dates (Decree 30 writes them with a four-digit year):

- typed text (form, batch): ``14/12/2017``, ``4/3/2017``, ``14-12-2017``,
  ``14.12.2017`` — day first, always — or ISO ``2017-12-14``;
- JSON: ISO 8601 (``2017-12-14``), as the JSON Schema's ``format: date`` says; a
  ``14/12/2017`` there is refused with the ISO spelling it stands for, since a
  system posting JSON may mean month first;
- either way a year must have four digits and lie in 1900–2100 ("0021-03-09" and
  "09/03/21" are refused: they printed "năm 21" and named files "…-0021-…"), and
  a day that does not exist is called that (``nonexistent_date``), not "wrong format".

Numbers (counts, money, decimals) may be JSON numbers or strings:

- a dot groups thousands, as Vietnamese writes them: "2.150" and "60.000.000" are
  whole numbers; so do spaces ("1 200");
- a comma is the decimal sign ("12,5"); for a decimal field a lone dot is JSON's
  decimal point ("12.5");
- what could be read two ways — "2,150" for a count (2150 in English, 2,15 in
  Vietnamese), "1.234" for a decimal (1234 to a clerk, 1,234 to JSON) — is refused
  as ``ambiguous_number``, naming both spellings to use.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date, datetime, time
from decimal import Decimal

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "InputError",
    "read_date",
    "read_datetime",
    "read_decimal",
    "read_integer",
    "read_money",
]

#: The years a document's date may have: a four-digit year of this era.
MIN_YEAR, MAX_YEAR = 1900, 2100

#: Example dates in messages.
_EXAMPLE_TYPED, _EXAMPLE_ISO = "14/12/2017", "2017-12-14"


class InputError(ValueError):
    """A value no rule reads: ``code`` is stable, ``message`` is what the clerk sees."""

    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


# --- dates -------------------------------------------------------------------------------

_DMY = re.compile(r"^(\d{1,2})([/.\-])(\d{1,2})[/.\-](\d{1,4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_TIME = re.compile(r"^(\d{1,2})(?::|h|g|giờ)(\d{2})?(?::(\d{2}))?(?:p|phút)?$", re.IGNORECASE)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def _year_error(year: int, text: str, example: str) -> InputError:
    if year < 1000:
        return InputError(
            f"Năm phải ghi đủ bốn chữ số (ví dụ {example}); '{text}' cho năm {year}.",
            "year_four_digits")
    return InputError(
        f"Năm {year} trong '{text}' nằm ngoài khoảng {MIN_YEAR}–{MAX_YEAR}; kiểm tra lại năm.",
        "year_out_of_range")


def _make_date(year: int, month: int, day: int, text: str, *, typed_order: bool,
               example: str) -> date:
    """The date, or the reason it is none: the year first, then whether the day exists."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _year_error(year, text, example)
    if not 1 <= month <= 12:
        hint = " (ghi ngày trước, tháng sau: dd/mm/yyyy)" if typed_order and day <= 12 else ""
        raise InputError(f"'{text}' là ngày không tồn tại: không có tháng {month}{hint}.",
                         "nonexistent_date")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise InputError(
            f"'{text}' là ngày không tồn tại: tháng {month} năm {year} có {last} ngày.",
            "nonexistent_date")
    return date(year, month, day)


def _typed_date(text: str) -> date | None:
    """dd/mm/yyyy or ISO typed by a person; None when the text has neither shape."""
    match = _DMY.match(text)
    if match:
        day, month, year_text = int(match[1]), int(match[3]), match[4]
        year = int(year_text)
        if len(year_text) < 4:
            # "09/03/21": the year the clerk most likely meant, as the example to type.
            guess = 2000 + year if len(year_text) <= 2 else year
            example = f"{day:02d}{match[2]}{month:02d}{match[2]}{guess}"
            raise InputError(
                f"Năm phải ghi đủ bốn chữ số (ví dụ {example}); nhận được '{text}'.",
                "year_four_digits")
        return _make_date(year, month, day, text, typed_order=True,
                          example=f"{day:02d}/{month:02d}/2021")
    match = _ISO.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return _make_date(year, month, day, text, typed_order=False,
                          example=f"2021-{month:02d}-{day:02d}")
    return None


def read_date(value: str, *, typed: bool = True) -> date:
    """The date a person (``typed``) or a JSON payload (``typed=False``) gives.

    >>> read_date("05/11/2021")
    datetime.date(2021, 11, 5)
    >>> read_date("2021-11-05", typed=False)
    datetime.date(2021, 11, 5)
    >>> read_date("31/02/2017")
    Traceback (most recent call last):
    ...
    docgen.vi.reading.InputError: '31/02/2017' là ngày không tồn tại: tháng 2 năm 2017 có 28 ngày.
    >>> read_date("0021-03-09", typed=False)
    Traceback (most recent call last):
    ...
    docgen.vi.reading.InputError: Năm phải ghi đủ bốn chữ số (ví dụ 2021-03-09); '0021-03-09' cho năm 21.
    """
    text = _nfc(value)
    if typed:
        day = _typed_date(text)
        if day is None:
            raise InputError(
                f"Ngày '{text}' không hợp lệ; ghi dạng dd/mm/yyyy (ví dụ {_EXAMPLE_TYPED}).")
        return day
    try:
        parsed = date.fromisoformat(text)  # what JSON payloads have always been read with
    except ValueError:
        parsed = None
    if parsed is not None:
        if not MIN_YEAR <= parsed.year <= MAX_YEAR:
            raise _year_error(parsed.year, text, f"2021-{parsed.month:02d}-{parsed.day:02d}")
        return parsed
    # Not ISO: say why, in the same words as for a typed date; a readable dd/mm/yyyy
    # is still refused, since JSON from another system may mean mm/dd.
    day = _typed_date(text)
    if day is None:
        raise InputError(f"Ngày không hợp lệ; dùng dạng YYYY-MM-DD (ví dụ {_EXAMPLE_ISO}).")
    raise InputError(
        f"Ngày trong dữ liệu JSON ghi dạng YYYY-MM-DD: '{text}' ghi là {day.isoformat()}.")


def _read_time(text: str) -> time | None:
    match = _TIME.match(text)
    if not match:
        return None
    hour, minute, second = int(match[1]), int(match[2] or 0), int(match[3] or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise InputError(f"'{text}' là giờ không tồn tại; giờ từ 00:00 đến 23:59.",
                         "nonexistent_time")
    return time(hour, minute, second)


_TYPED_DATETIME = ("Thời điểm '{text}' không hợp lệ; ghi ngày và giờ dạng dd/mm/yyyy hh:mm "
                   "(ví dụ 12/10/2017 08:00).")


def read_datetime(value: str, *, typed: bool = True) -> datetime:
    """A date and a time of day, typed (``12/10/2017 08:00``, ``08:00 12/10/2017``,
    ``8h30 12/10/2017``) or ISO (``2017-10-12T08:00``); the date by :func:`read_date`'s rules.

    >>> read_datetime("12/10/2017 8h30")
    datetime.datetime(2017, 10, 12, 8, 30)
    >>> read_datetime("2017-10-12T08:00:00", typed=False)
    datetime.datetime(2017, 10, 12, 8, 0)
    """
    text = _nfc(value)
    if not typed or "T" in text:
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            moment = None
        if moment is not None:
            if not MIN_YEAR <= moment.year <= MAX_YEAR:
                raise _year_error(moment.year, text, "2017-10-12T08:00")
            return moment
        if not typed:
            head = text.replace("T", " ").split()
            if head:
                read_date(head[0], typed=False)  # a date error says what it is
            raise InputError("Thời điểm không hợp lệ; dùng dạng YYYY-MM-DDTHH:MM "
                             "(ví dụ 2017-10-12T08:00).")
    parts = text.split()
    if len(parts) == 2:
        for date_part, time_part in ((parts[0], parts[1]), (parts[1], parts[0])):
            if _DMY.match(date_part) or _ISO.match(date_part):
                clock = _read_time(time_part)
                if clock is not None:
                    return datetime.combine(read_date(date_part), clock)
    raise InputError(_TYPED_DATETIME.format(text=text))


# --- numbers -----------------------------------------------------------------------------

#: Up to 18 digits: a 64-bit integer, and more than any count or amount in a document.
_DIGITS = r"\d{1,18}"
_SPACE = "[ \u00a0\u202f]"
_WHOLE = re.compile(rf"^[+-]?(?:{_DIGITS}|\d{{1,3}}(?:\.\d{{3}})+|\d{{1,3}}(?:{_SPACE}\d{{3}})+)$")
_COMMA_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+$")
_MONEY_UNIT = re.compile(r"\s*(?:đồng|đ|vnđ|vnd)$", re.IGNORECASE)
_INTEGER_HINT = "ví dụ 1200 hoặc 1.200"


def _ungroup(text: str) -> str:
    return re.sub(rf"[.{_SPACE[1:-1]}]", "", text)


def read_integer(value: object, what: str = "một số nguyên") -> int:
    """A whole number from a JSON number or a string of digits, dots grouping thousands.

    >>> read_integer("2.150"), read_integer("60.000.000"), read_integer(" 1 200 "), read_integer(12)
    (2150, 60000000, 1200, 12)
    >>> read_integer("2,150")
    Traceback (most recent call last):
    ...
    docgen.vi.reading.InputError: '2,150' không rõ là 2150 hay 2,15 (dấu phẩy là dấu thập phân); ghi 2150 hoặc 2.150.
    """
    if isinstance(value, bool):  # JSON true is not 1
        raise InputError(f"Phải là {what} ({_INTEGER_HINT}).")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e18:
            return int(value)  # 120.0: JSON Schema's "integer" includes it
        raise InputError(f"Phải là {what} ({_INTEGER_HINT}); nhận được {value!r}.")
    if not isinstance(value, str):
        raise InputError(f"Phải là {what} ({_INTEGER_HINT}).")
    text = _nfc(value)
    digits = _ungroup(text).lstrip("+-")
    if len(text) > 40 or (len(digits) > 18 and digits.isdigit()):  # past 64 bits
        raise InputError(f"Phải là {what} ({_INTEGER_HINT}); tối đa 18 chữ số.")
    if _WHOLE.match(text):
        return int(_ungroup(text))
    if _COMMA_THOUSANDS.match(text):
        digits = text.replace(",", "")
        grouped = f"{int(digits):,}".replace(",", ".")
        if text.count(",") == 1:  # 2,150: two thousand and … in English, 2,15 in Vietnamese
            reading = str(Decimal(text.replace(",", ".")).normalize()).replace(".", ",")
            raise InputError(
                f"'{text}' không rõ là {digits} hay {reading} (dấu phẩy là dấu thập phân); "
                f"ghi {digits} hoặc {grouped}.", "ambiguous_number")
        raise InputError(f"Dấu chấm (không phải dấu phẩy) nhóm hàng nghìn: ghi {grouped} "
                         f"hoặc {digits}; nhận được '{text}'.", "ambiguous_number")
    raise InputError(f"Phải là {what} ({_INTEGER_HINT}).")


def read_money(value: object) -> int:
    """An amount in đồng: :func:`read_integer` with an optional "đồng"/"đ"/"VNĐ" after it.

    >>> read_money("1.005.000 đồng"), read_money("2 050 000đ"), read_money(45000000)
    (1005000, 2050000, 45000000)
    """
    if isinstance(value, str):
        value = _MONEY_UNIT.sub("", _nfc(value))
    return read_integer(value, "số tiền bằng đồng, số nguyên")


_GROUPED_DECIMAL = re.compile(
    rf"^([+-]?(?:\d{{1,3}}(?:(?:\.|{_SPACE})\d{{3}})+|\d{{1,18}}))(?:,(\d{{1,18}}))?$")
_POINT_DECIMAL = re.compile(r"^([+-]?\d+)\.(\d+)$")
_DECIMAL_HINT = "ví dụ 12,5 hoặc 1.234,5"


def read_decimal(value: object, *, percent: bool = False) -> Decimal:
    """A number that may have decimals: a JSON number, or a string written either way.

    A comma is the decimal sign and dots group thousands ("1.234,5"); a single dot is
    JSON's decimal point ("12.5") — except before exactly three digits ("1.234"), which
    reads as 1234 to a Vietnamese clerk and 1,234 to JSON, and is refused as
    ambiguous. ``percent`` allows a trailing "%".

    >>> read_decimal("12,5"), read_decimal("12.5"), read_decimal("1.234,5"), read_decimal(97.5)
    (Decimal('12.5'), Decimal('12.5'), Decimal('1234.5'), Decimal('97.5'))
    >>> read_decimal("95,34 %", percent=True)
    Decimal('95.34')
    >>> read_decimal("1.234")
    Traceback (most recent call last):
    ...
    docgen.vi.reading.InputError: '1.234' không rõ là 1234 hay 1,234; ghi 1234 hoặc 1,234 (dấu phẩy thập phân).
    """
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise InputError("Phải là một số (dùng dấu chấm cho phần thập phân trong JSON, ví dụ 12.5).")
    if isinstance(value, int | float):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if not number.is_finite():
            raise InputError("Phải là một số hữu hạn.")
        return number
    text = _nfc(value)
    if percent and text.endswith("%"):
        text = text[:-1].rstrip()
    if len(text) > 40:
        raise InputError(f"Phải là một số ({_DECIMAL_HINT}).")
    match = _POINT_DECIMAL.match(text)
    if match:
        if len(match[2]) == 3 and len(match[1].lstrip("+-")) <= 3:
            raise InputError(
                f"'{text}' không rõ là {_ungroup(text)} hay {text.replace('.', ',')}; "
                f"ghi {_ungroup(text)} hoặc {text.replace('.', ',')} (dấu phẩy thập phân).",
                "ambiguous_number")
        return Decimal(text)
    match = _GROUPED_DECIMAL.match(text)
    if match:
        whole = _ungroup(match[1])
        return Decimal(f"{whole}.{match[2]}" if match[2] else whole)
    raise InputError(f"Phải là một số ({_DECIMAL_HINT}); nhận được '{text}'.")
