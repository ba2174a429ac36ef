"""Dates and times as Decree 30/2020/NĐ-CP writes them.

The date line of an administrative document reads
``{place}, ngày {dd} tháng {m} năm {yyyy}``. Days below 10 and the months
January and February take a leading zero ("ngày 05 tháng 3", "tháng 02"),
other months do not ("tháng 3", "tháng 12"). The decree asks for the zero so
that nobody can turn a handwritten or typed 1 or 2 into 11 or 12 after signing;
months 3 to 9 cannot be extended that way, so they are written bare.

Every function accepts ``date``/``datetime`` objects (a ``datetime`` is read in
whatever time zone it carries; nothing is converted) and ISO 8601 strings in
extended form: ``"2014-03-05"`` or ``"2014-03-05T08:00"`` for dates,
``"08:00"`` or ``"08:00:00"`` for times. Other values raise ``TypeError``
(wrong type) or ``ValueError`` (a string that is not such a date).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

from docgen.vi._coerce import describe
from docgen.vi.numbers import two_digits
from docgen.vi.text import normalize_text

__all__ = [
    "DateLike", "TimeLike", "date_line", "date_short", "period_text", "time_of_day", "to_date",
]

DateLike = date | datetime | str
TimeLike = datetime | time | str

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}.*")
_ISO_TIME = re.compile(r"\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?")


def to_date(value: DateLike) -> date:
    """Return the calendar date of ``value``, parsing ISO strings.

    >>> to_date("2014-03-05")
    datetime.date(2014, 3, 5)
    >>> to_date("2017-12-14T08:30:00+07:00")
    datetime.date(2017, 12, 14)
    >>> to_date("05/3/2014")
    Traceback (most recent call last):
    ...
    ValueError: Ngày phải theo dạng ISO YYYY-MM-DD (ví dụ 2014-03-05), nhận được '05/3/2014'
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise TypeError(
            f"Ngày phải là date, datetime hoặc chuỗi ISO YYYY-MM-DD, nhận được {describe(value)}"
        )
    text = value.strip()
    try:
        if _ISO_DATE.fullmatch(text):
            return date.fromisoformat(text)
        if _ISO_DATETIME.fullmatch(text):
            return datetime.fromisoformat(text).date()
    except ValueError as exc:
        raise ValueError(f"Ngày không tồn tại hoặc sai dạng ISO: {value!r}") from exc
    raise ValueError(f"Ngày phải theo dạng ISO YYYY-MM-DD (ví dụ 2014-03-05), nhận được {value!r}")


def _to_time(value: TimeLike) -> time:
    if isinstance(value, datetime):
        return value.time()
    if isinstance(value, time):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            if _ISO_TIME.fullmatch(text):
                return time.fromisoformat(text)
            if _ISO_DATETIME.fullmatch(text):
                return datetime.fromisoformat(text).time()
        except ValueError as exc:
            raise ValueError(f"Giờ không tồn tại hoặc sai dạng ISO: {value!r}") from exc
        raise ValueError(f"Giờ phải theo dạng ISO HH:MM (ví dụ 08:00), nhận được {value!r}")
    # A bare date has no time of day: refusing it beats printing "00 giờ 00 phút".
    raise TypeError(f"Giờ phải là datetime, time hoặc chuỗi ISO HH:MM, nhận được {describe(value)}")


def _month(month: int) -> str:
    # Only January and February take the zero (Decree 30): see the module docstring.
    return two_digits(month) if month < 3 else str(month)


def date_line(d: DateLike, place: str | None = None) -> str:
    """The date line under the national motto: ``ngày dd tháng m năm yyyy``.

    With ``place`` (the province or city where the agency sits) the line starts
    with it and a comma. An empty or blank ``place`` counts as none.

    >>> date_line(date(2014, 3, 5))
    'ngày 05 tháng 3 năm 2014'
    >>> date_line(date(2014, 3, 5), "Sóc Trăng")
    'Sóc Trăng, ngày 05 tháng 3 năm 2014'
    >>> date_line("2020-02-09")
    'ngày 09 tháng 02 năm 2020'
    >>> date_line(date(2017, 12, 14))
    'ngày 14 tháng 12 năm 2017'
    """
    day = to_date(d)
    line = f"ngày {two_digits(day.day)} tháng {_month(day.month)} năm {day.year}"
    if place is None:
        return line
    if not isinstance(place, str):
        raise TypeError(f"Địa danh phải là chuỗi, nhận được {describe(place)}")
    place = normalize_text(place)
    return f"{place}, {line}" if place else line


def date_short(d: DateLike) -> str:
    """The date in figures, with the same leading zeros as :func:`date_line`.

    >>> date_short(date(2014, 3, 5))
    '05/3/2014'
    >>> date_short("2020-02-09")
    '09/02/2020'
    >>> date_short(date(2017, 12, 14))
    '14/12/2017'
    """
    day = to_date(d)
    return f"{two_digits(day.day)}/{_month(day.month)}/{day.year}"


def period_text(start: DateLike, end: DateLike, by: str = "days") -> str:
    """A period as the body of a plan, decision or report writes it.

    ``by="days"`` gives the dates in figures; ``by="months"`` only the months, for a
    period a plan fixes by month ("từ tháng 4 đến tháng 9 năm 2023"): the year once
    when both months fall in it, "trong tháng …" for a single month. Months take the
    leading zero of :func:`date_line` (01, 02).

    >>> period_text("2017-09-18", "2017-11-30")
    'từ ngày 18/9/2017 đến ngày 30/11/2017'
    >>> period_text("2023-04-01", "2023-09-30", by="months")
    'từ tháng 4 đến tháng 9 năm 2023'
    >>> period_text("2023-11-01", "2024-02-29", by="months")
    'từ tháng 11 năm 2023 đến tháng 02 năm 2024'
    >>> period_text("2023-04-03", "2023-04-28", by="months")
    'trong tháng 4 năm 2023'
    """
    first, last = to_date(start), to_date(end)
    if by == "days":
        return f"từ ngày {date_short(first)} đến ngày {date_short(last)}"
    if by != "months":
        raise ValueError(f"Cách ghi thời gian không hợp lệ: {by!r} (days hoặc months)")
    if (first.year, first.month) == (last.year, last.month):
        return f"trong tháng {_month(first.month)} năm {first.year}"
    if first.year == last.year:
        return f"từ tháng {_month(first.month)} đến tháng {_month(last.month)} năm {last.year}"
    return (f"từ tháng {_month(first.month)} năm {first.year} "
            f"đến tháng {_month(last.month)} năm {last.year}")


def time_of_day(dt: TimeLike) -> str:
    """The time as minutes write it: ``08 giờ 00 phút``.

    Hours (0–23) and minutes take two digits; seconds are dropped, not rounded,
    since a meeting that began at 08:00:59 began at 08 giờ 00 phút.

    >>> time_of_day(time(8, 0))
    '08 giờ 00 phút'
    >>> time_of_day(datetime(2017, 12, 14, 14, 30, 59))
    '14 giờ 30 phút'
    >>> time_of_day("07:05")
    '07 giờ 05 phút'
    """
    moment = _to_time(dt)
    return f"{two_digits(moment.hour)} giờ {two_digits(moment.minute)} phút"
