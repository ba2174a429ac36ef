"""Table-driven tests of docgen.vi, the Vietnamese formatters.

Each table row is one input and what the user must see in the document. Rows
that guard a particular rule or an easy mistake carry a comment naming it.
The modules' doctests run here too (``test_doctests``), so the examples in
the docstrings are part of the suite.
"""

from __future__ import annotations

import doctest
import random
import re
import unicodedata
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from types import ModuleType
from typing import Any

import jinja2
import pytest
from lxml import etree

import docgen.vi
from docgen.vi import (
    BLANK_NUMBER,
    FILTERS,
    _coerce,
    amount_in_words,
    date_line,
    date_short,
    dates,
    document_number,
    filters,
    find_illegal_xml_char,
    format_number,
    format_percent,
    normalize_text,
    number_in_words,
    numbers,
    symbols,
    text,
    time_of_day,
    two_digits,
    words,
)

NBSP = "\u00a0"

# --------------------------------------------------------------------------- doctests

MODULES = [docgen.vi, _coerce, dates, filters, numbers, symbols, text, words]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_doctests(module: ModuleType) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, report=True)
    assert result.attempted > 0, f"{module.__name__} has no doctest examples"
    assert result.failed == 0


# --------------------------------------------------------------------------- dates

DATE_LINE = [
    # (value, place, expected)
    (date(2014, 3, 5), None, "ngày 05 tháng 3 năm 2014"),  # day < 10 takes a zero
    (date(2014, 3, 5), "Sóc Trăng", "Sóc Trăng, ngày 05 tháng 3 năm 2014"),
    (date(2020, 2, 9), None, "ngày 09 tháng 02 năm 2020"),  # February takes a zero
    (date(2021, 1, 31), None, "ngày 31 tháng 01 năm 2021"),  # January takes a zero
    (date(2017, 12, 14), None, "ngày 14 tháng 12 năm 2017"),  # two-digit month: no zero
    (date(2017, 12, 14), "Sóc Trăng", "Sóc Trăng, ngày 14 tháng 12 năm 2017"),
    (date(2014, 10, 10), None, "ngày 10 tháng 10 năm 2014"),  # day 10 is not < 10
    (date(2019, 9, 1), None, "ngày 01 tháng 9 năm 2019"),  # month 9: no zero
    (date(2019, 11, 30), None, "ngày 30 tháng 11 năm 2019"),  # 11 and 12 need no zero
    (date(2020, 2, 29), None, "ngày 29 tháng 02 năm 2020"),  # leap day
    (datetime(2014, 3, 5, 23, 59), None, "ngày 05 tháng 3 năm 2014"),  # datetime: date part
    # a datetime is read in its own zone, never converted (23:30 UTC stays the 5th)
    (datetime(2014, 3, 5, 23, 30, tzinfo=UTC), None, "ngày 05 tháng 3 năm 2014"),
    ("2014-03-05", None, "ngày 05 tháng 3 năm 2014"),  # ISO date string
    ("  2014-03-05 ", None, "ngày 05 tháng 3 năm 2014"),  # whitespace around the string
    ("2017-12-14T08:30:00", None, "ngày 14 tháng 12 năm 2017"),  # ISO datetime string
    ("2017-12-14 08:30+07:00", None, "ngày 14 tháng 12 năm 2017"),  # space separator, offset
    ("2020-02-09", "Hà Nội", "Hà Nội, ngày 09 tháng 02 năm 2020"),
    (date(2014, 3, 5), "  Cần Thơ \n", "Cần Thơ, ngày 05 tháng 3 năm 2014"),  # place trimmed
    (date(2014, 3, 5), "Hoa\u0300 Bi\u0300nh", "Hoà Bình, ngày 05 tháng 3 năm 2014"),  # NFC place
    (date(2014, 3, 5), "", "ngày 05 tháng 3 năm 2014"),  # empty place = no place, no comma
    (date(2014, 3, 5), "   ", "ngày 05 tháng 3 năm 2014"),  # blank place = no place
    (date(999, 1, 2), None, "ngày 02 tháng 01 năm 999"),  # year is not padded
]


@pytest.mark.parametrize(("value", "place", "expected"), DATE_LINE)
def test_date_line(value: Any, place: str | None, expected: str) -> None:
    assert date_line(value, place) == expected


DATE_SHORT = [
    (date(2014, 3, 5), "05/3/2014"),  # day zero, month 3 bare
    (date(2020, 2, 9), "09/02/2020"),  # February takes a zero
    (date(2021, 1, 31), "31/01/2021"),  # January takes a zero
    (date(2017, 12, 14), "14/12/2017"),
    (date(2014, 10, 10), "10/10/2014"),
    (datetime(2014, 3, 5, 8, 0), "05/3/2014"),  # datetime: date part
    ("2014-03-05", "05/3/2014"),  # ISO string
    ("2020-02-09T00:00:00Z", "09/02/2020"),  # ISO datetime with Z
]


@pytest.mark.parametrize(("value", "expected"), DATE_SHORT)
def test_date_short(value: Any, expected: str) -> None:
    assert date_short(value) == expected


def test_every_day_of_a_leap_year() -> None:
    # Exhaustive over 2020: the day and month written agree with the calendar and
    # with the leading-zero rule, in both forms.
    day = date(2020, 1, 1)
    while day.year == 2020:
        dd = f"{day.day:02d}"
        mm = f"{day.month:02d}" if day.month < 3 else str(day.month)
        assert date_line(day) == f"ngày {dd} tháng {mm} năm 2020"
        assert date_short(day) == f"{dd}/{mm}/2020"
        day += timedelta(days=1)


DATE_REFUSED: list[tuple[Any, type[Exception], str]] = [
    # (value, exception, part of the message)
    (None, TypeError, "Ngày phải là date"),  # the function itself refuses None; filters don't
    (20140305, TypeError, "nhận được int 20140305"),  # a number is not a date
    (1.5, TypeError, "float"),
    (time(8, 0), TypeError, "time"),  # a time of day has no date
    (b"2014-03-05", TypeError, "bytes"),
    ("05/3/2014", ValueError, "dạng ISO YYYY-MM-DD"),  # Vietnamese display form is not input
    ("2014-3-5", ValueError, "dạng ISO"),  # unpadded ISO is refused, not guessed
    ("20140305", ValueError, "dạng ISO"),  # basic format: too easy to mistype
    ("2014-W10-3", ValueError, "dạng ISO"),  # week dates are ISO but not for payloads
    ("2014-02-30", ValueError, "không tồn tại"),  # no such day
    ("2014-13-01", ValueError, "không tồn tại"),  # no such month
    ("2014-03-05T25:00", ValueError, "không tồn tại"),  # no such hour
    ("", ValueError, "dạng ISO"),
    ("hôm nay", ValueError, "dạng ISO"),
]


@pytest.mark.parametrize(("value", "error", "message"), DATE_REFUSED)
@pytest.mark.parametrize("func", [date_line, date_short], ids=["date_line", "date_short"])
def test_date_refused(
    func: Callable[[Any], str], value: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=re.escape(message)):
        func(value)


@pytest.mark.parametrize("place", [5, b"Hue", ["Huế"]])
def test_date_line_refuses_a_place_that_is_not_text(place: Any) -> None:
    with pytest.raises(TypeError, match="Địa danh phải là chuỗi"):
        date_line(date(2014, 3, 5), place)


def test_date_refusal_keeps_the_cause() -> None:
    with pytest.raises(ValueError) as info:
        date_line("2014-02-30")
    assert isinstance(info.value.__cause__, ValueError)


TIME_OF_DAY = [
    (time(8, 0), "08 giờ 00 phút"),  # both parts two digits
    (time(0, 0), "00 giờ 00 phút"),  # midnight
    (time(14, 30), "14 giờ 30 phút"),
    (time(23, 59, 59), "23 giờ 59 phút"),  # seconds dropped, not rounded up to 24:00
    (time(7, 5, 30, 500), "07 giờ 05 phút"),  # microseconds too
    (datetime(2017, 12, 14, 9, 7), "09 giờ 07 phút"),  # datetime: time part
    (datetime(2017, 12, 14, 9, 7, tzinfo=timezone(timedelta(hours=7))), "09 giờ 07 phút"),
    ("08:00", "08 giờ 00 phút"),  # ISO time string
    ("13:45:10", "13 giờ 45 phút"),
    ("2017-12-14T15:20:00", "15 giờ 20 phút"),  # ISO datetime string
]


@pytest.mark.parametrize(("value", "expected"), TIME_OF_DAY)
def test_time_of_day(value: Any, expected: str) -> None:
    assert time_of_day(value) == expected


TIME_REFUSED: list[tuple[Any, type[Exception], str]] = [
    (date(2017, 12, 14), TypeError, "Giờ phải là datetime"),  # a bare date has no time
    (None, TypeError, "None"),
    (800, TypeError, "int"),
    ("8:00", ValueError, "dạng ISO HH:MM"),  # unpadded hour
    ("8 giờ", ValueError, "dạng ISO HH:MM"),
    ("24:00", ValueError, "không tồn tại"),
    ("2017-12-14", ValueError, "dạng ISO HH:MM"),  # a date string has no time either
]


@pytest.mark.parametrize(("value", "error", "message"), TIME_REFUSED)
def test_time_of_day_refused(value: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=re.escape(message)):
        time_of_day(value)


# --------------------------------------------------------------------------- numbers

FORMAT_NUMBER: list[tuple[Any, int | None, str]] = [
    # (value, decimals, expected)
    (1234567.5, None, "1.234.567,5"),  # dot groups, comma decimals
    (1234567, None, "1.234.567"),
    (-1234, None, "-1.234"),  # ASCII hyphen-minus, no space
    (0, None, "0"),
    (999, None, "999"),  # no group separator below 1000
    (1000, None, "1.000"),
    (120, None, "120"),
    (10**21, None, "1.000.000.000.000.000.000.000"),
    (10**30 + 1, None, "1.000.000.000.000.000.000.000.000.000.001"),  # beyond 28 digits: exact
    (Decimal("1234567.5"), None, "1.234.567,5"),
    (Decimal("2.50"), None, "2,5"),  # trailing zeros dropped when decimals is None
    (Decimal("1E+5"), None, "100.000"),  # exponent form
    (0.1 + 0.2, None, "0,3"),  # float noise hidden: at most 3 decimals by default
    (1234567.123456, None, "1.234.567,123"),
    (1.0005, None, "1,001"),  # default rounding is half up too
    (-0.0, None, "0"),  # never print "-0"
    (-0.0004, None, "0"),  # rounds to zero: no sign
    (1234567.5, 2, "1.234.567,50"),  # fixed decimals keep their zeros
    (12, 2, "12,00"),
    (1234.5, 0, "1.235"),  # half up (Babel alone rounds half to even: 1.234)
    (1235.5, 0, "1.236"),
    (-1234.5, 0, "-1.235"),  # half away from zero for negatives
    (Decimal("2.665"), 2, "2,67"),  # half up on Decimal (half-even would give 2,66)
    (2.675, 2, "2,68"),  # float read as typed, not as binary 2.67499...
    (1.005, 2, "1,01"),  # same: binary 1.00499... would give 1,00
    (Decimal("0.125"), 2, "0,13"),
    (-0.004, 2, "0,00"),  # negative zero after rounding
    (Decimal("1234.5678"), 3, "1.234,568"),
    (5, 0, "5"),
    # a Decimal longer than the default 28-digit context still rounds exactly
    (
        Decimal("1000000000000000000000000000000.125"),
        2,
        "1.000.000.000.000.000.000.000.000.000.000,13",
    ),
]


@pytest.mark.parametrize(("value", "decimals", "expected"), FORMAT_NUMBER)
def test_format_number(value: Any, decimals: int | None, expected: str) -> None:
    assert format_number(value, decimals) == expected


NUMBER_REFUSED: list[tuple[Any, Any, type[Exception], str]] = [
    # (value, decimals, exception, part of the message)
    (None, None, TypeError, "nhận được None"),
    ("1234", None, TypeError, "str '1234'"),  # strings are not parsed: schemas do that
    (True, None, TypeError, "bool True"),  # bool is an int in Python, never in a document
    (float("nan"), None, ValueError, "hữu hạn"),
    (float("inf"), None, ValueError, "hữu hạn"),
    (Decimal("NaN"), None, ValueError, "hữu hạn"),
    (Decimal("-Infinity"), None, ValueError, "hữu hạn"),
    (5, -1, ValueError, "Số chữ số thập phân"),
    (5, 1.5, ValueError, "Số chữ số thập phân"),
    (5, True, ValueError, "Số chữ số thập phân"),  # bool decimals
]


@pytest.mark.parametrize(("value", "decimals", "error", "message"), NUMBER_REFUSED)
def test_format_number_refused(
    value: Any, decimals: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=re.escape(message)):
        format_number(value, decimals)


FORMAT_PERCENT: list[tuple[Any, int, str]] = [
    # (ratio, decimals, expected)
    (0.9534, 2, "95,34%"),  # comma decimals, no space before %
    (46 / 120, 2, "38,33%"),  # the Sóc Trăng on-site share
    (74 / 120, 2, "61,67%"),  # half up at the second decimal (61,666...)
    (0.5, 2, "50%"),  # trailing zeros after the comma are dropped
    (0.955, 2, "95,5%"),  # ... but only the trailing ones
    (1, 2, "100%"),
    (0, 2, "0%"),
    (0.0, 2, "0%"),
    (Decimal("0.9534"), 2, "95,34%"),
    (Decimal("0.12345"), 3, "12,345%"),
    (0.12345, 2, "12,35%"),  # half up on the typed value
    (0.955, 0, "96%"),  # decimals=0: whole percent, half up
    (0.333333, 1, "33,3%"),
    (12.345, 2, "1.234,5%"),  # grouping applies to percentages too
    (-0.05, 2, "-5%"),  # a fall
    (-0.00004, 2, "0%"),  # rounds to zero: no "-0%"
    (0.00004, 2, "0%"),
    (0.99999, 2, "100%"),  # rounding carries into the integer part
]


@pytest.mark.parametrize(("ratio", "decimals", "expected"), FORMAT_PERCENT)
def test_format_percent(ratio: Any, decimals: int, expected: str) -> None:
    assert format_percent(ratio, decimals) == expected


def test_format_percent_default_is_two_decimals() -> None:
    assert format_percent(0.123456) == "12,35%"


@pytest.mark.parametrize(
    ("ratio", "decimals", "error"),
    [
        (None, 2, TypeError),  # a missing ratio is an error, not "0%"
        ("95%", 2, TypeError),
        (False, 2, TypeError),
        (float("nan"), 2, ValueError),
        (0.5, -1, ValueError),
        (0.5, None, ValueError),  # decimals is a count here, not optional
    ],
)
def test_format_percent_refused(ratio: Any, decimals: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        format_percent(ratio, decimals)


TWO_DIGITS = [
    (0, "00"),
    (2, "02"),
    (9, "09"),
    (10, "10"),  # boundary: no zero from 10 up
    (12, "12"),
    (99, "99"),
    (105, "105"),  # never truncated
]


@pytest.mark.parametrize(("n", "expected"), TWO_DIGITS)
def test_two_digits(n: int, expected: str) -> None:
    assert two_digits(n) == expected


@pytest.mark.parametrize(
    ("n", "error"),
    [(-1, ValueError), (True, TypeError), (2.0, TypeError), ("2", TypeError), (None, TypeError)],
)
def test_two_digits_refused(n: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        two_digits(n)


# --------------------------------------------------------------------------- document numbers

DOCUMENT_NUMBER: list[tuple[int | None, str, str, str]] = [
    # (number, type code, issuer code, expected)
    (5, "KH", "SKHCN", "05/KH-SKHCN"),  # below 10: leading zero
    (1, "QĐ", "SKHCN", "01/QĐ-SKHCN"),  # numbering starts at 01
    (9, "BB", "ĐKT", "09/BB-ĐKT"),
    (10, "BC", "SKHCN", "10/BC-SKHCN"),  # boundary: no zero from 10
    (12, "KH", "SKHCN", "12/KH-SKHCN"),
    (105, "KH", "SKHCN", "105/KH-SKHCN"),
    (1234, "TB", "SKHCN", "1234/TB-SKHCN"),
    (4, "QĐ", "BCĐISO", "04/QĐ-BCĐISO"),  # the steering committee's code
    (7, "QyĐ", "UBND", "07/QyĐ-UBND"),  # mixed-case type code kept as written
    (3, "KH", "SKH&CN", "03/KH-SKH&CN"),  # "&" allowed in a code
    (123, "", "SKHCN-TĐC", "123/SKHCN-TĐC"),  # công văn: no type code
    (6, " KH ", " SKHCN ", "06/KH-SKHCN"),  # codes trimmed
    (8, "Q\u0110", "UBND", "08/QĐ-UBND"),  # NFC applied to codes
    (None, "KH", "SKHCN", NBSP * 8 + "/KH-SKHCN"),  # unnumbered: blank to write by hand
    (None, "", "SKHCN-TĐC", NBSP * 8 + "/SKHCN-TĐC"),
]


@pytest.mark.parametrize(("number", "type_code", "issuer", "expected"), DOCUMENT_NUMBER)
def test_document_number(number: int | None, type_code: str, issuer: str, expected: str) -> None:
    assert document_number(number, type_code, issuer) == expected


def test_blank_number_is_eight_no_break_spaces() -> None:
    assert BLANK_NUMBER == NBSP * 8
    # NFC leaves it alone, so normalising a rendered line never shrinks the blank.
    assert unicodedata.normalize("NFC", BLANK_NUMBER) == BLANK_NUMBER


DOCUMENT_NUMBER_REFUSED: list[tuple[Any, Any, Any, type[Exception], str]] = [
    (0, "KH", "SKHCN", ValueError, "bắt đầu từ 1"),  # numbers start at 1
    (-3, "KH", "SKHCN", ValueError, "bắt đầu từ 1"),
    (True, "KH", "SKHCN", TypeError, "bool"),
    (5.0, "KH", "SKHCN", TypeError, "float"),
    ("05", "KH", "SKHCN", TypeError, "str"),  # the zero is ours to add
    (5, "KH", "", ValueError, "Mã cơ quan ban hành"),  # issuer is always required
    (5, "KH", "S KHCN", ValueError, "khoảng trắng"),
    (5, "KH/2020", "SKHCN", ValueError, "Mã loại văn bản"),  # a slash breaks the symbol
    (5, "-KH", "SKHCN", ValueError, "Mã loại văn bản"),  # dangling hyphen
    (5, "KH", "SKHCN-", ValueError, "Mã cơ quan ban hành"),
    (5, None, "SKHCN", TypeError, "Mã loại văn bản"),
    (5, "KH", None, TypeError, "Mã cơ quan ban hành"),
]


@pytest.mark.parametrize(
    ("number", "type_code", "issuer", "error", "message"), DOCUMENT_NUMBER_REFUSED
)
def test_document_number_refused(
    number: Any, type_code: Any, issuer: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=re.escape(message)):
        document_number(number, type_code, issuer)


# --------------------------------------------------------------------------- words

AMOUNT_IN_WORDS: list[tuple[Any, str]] = [
    # (amount, expected) -- default options: "lẻ", "bốn", "đồng", no "chẵn"
    (0, "Không đồng"),
    (1, "Một đồng"),
    (4, "Bốn đồng"),
    (5, "Năm đồng"),  # a lone 5 is "năm"
    (10, "Mười đồng"),  # "mười" for 10..19
    (11, "Mười một đồng"),  # "một", not "mốt", after "mười"
    (14, "Mười bốn đồng"),  # "bốn" after "mười" even when four="tư" (see options)
    (15, "Mười lăm đồng"),  # "lăm" after "mười"
    (20, "Hai mươi đồng"),  # "mươi" from 20
    (21, "Hai mươi mốt đồng"),  # "mốt" after "mươi"
    (24, "Hai mươi bốn đồng"),  # "bốn" is the default
    (25, "Hai mươi lăm đồng"),  # "lăm" after "mươi"
    (50, "Năm mươi đồng"),  # tens digit 5 stays "năm"
    (55, "Năm mươi lăm đồng"),
    (100, "Một trăm đồng"),
    (101, "Một trăm lẻ một đồng"),  # "một" after "lẻ"
    (104, "Một trăm lẻ bốn đồng"),
    (105, "Một trăm lẻ năm đồng"),  # "năm", not "lăm", after "lẻ"
    (110, "Một trăm mười đồng"),  # no "lẻ" when the tens are not zero
    (111, "Một trăm mười một đồng"),
    (115, "Một trăm mười lăm đồng"),
    (121, "Một trăm hai mươi mốt đồng"),
    (1000, "Một nghìn đồng"),  # "nghìn", never "ngàn"
    (1001, "Một nghìn không trăm lẻ một đồng"),  # zero hundreds read in a later group
    (1010, "Một nghìn không trăm mười đồng"),
    (1015, "Một nghìn không trăm mười lăm đồng"),
    (1100, "Một nghìn một trăm đồng"),
    (10_000, "Mười nghìn đồng"),
    (21_000, "Hai mươi mốt nghìn đồng"),  # "mốt" in the leading group too
    (100_000, "Một trăm nghìn đồng"),
    (105_000, "Một trăm lẻ năm nghìn đồng"),  # leading group: no "không trăm" needed
    (1_000_000, "Một triệu đồng"),
    (1_000_005, "Một triệu không trăm lẻ năm đồng"),  # zero nghìn group skipped
    (1_005_000, "Một triệu không trăm lẻ năm nghìn đồng"),  # DOMAIN example
    (1_500_000, "Một triệu năm trăm nghìn đồng"),
    (2_050_000, "Hai triệu không trăm năm mươi nghìn đồng"),  # DOMAIN example
    (15_000_000, "Mười lăm triệu đồng"),  # DOMAIN example
    (45_000_000, "Bốn mươi lăm triệu đồng"),
    (1_000_000_000, "Một tỷ đồng"),  # "tỷ"; all-zero groups skipped
    (1_000_000_005, "Một tỷ không trăm lẻ năm đồng"),  # two zero groups skipped
    (1_000_001_000, "Một tỷ không trăm lẻ một nghìn đồng"),  # zero middle group skipped
    (1_001_000_000, "Một tỷ không trăm lẻ một triệu đồng"),
    (
        1_234_567_891,
        "Một tỷ hai trăm ba mươi bốn triệu năm trăm sáu mươi bảy nghìn tám trăm chín mươi mốt đồng",
    ),
    (10**12, "Một nghìn tỷ đồng"),  # "nghìn tỷ" above 10^12
    (2_000_000_000_000, "Hai nghìn tỷ đồng"),
    (5_003_000_000_000, "Năm nghìn không trăm lẻ ba tỷ đồng"),  # the tỷ count read as a number
    (10**15, "Một triệu tỷ đồng"),  # "triệu tỷ"
    (10**18, "Một tỷ tỷ đồng"),  # "tỷ tỷ"
    (10**18 + 5, "Một tỷ tỷ không trăm lẻ năm đồng"),
    # "tỷ tỷ" is repeated per nine-digit block, never factored out ("một tỷ ... nghìn tỷ")
    (10**18 + 2 * 10**12, "Một tỷ tỷ không trăm lẻ hai nghìn tỷ đồng"),
    (10**18 + 2 * 10**9, "Một tỷ tỷ không trăm lẻ hai tỷ đồng"),
    (
        10**21 - 1,
        (
            "Chín trăm chín mươi chín tỷ tỷ chín trăm chín mươi chín triệu chín trăm "
            "chín mươi chín nghìn chín trăm chín mươi chín tỷ chín trăm chín mươi chín triệu "
            "chín trăm chín mươi chín nghìn chín trăm chín mươi chín đồng"
        ),
    ),  # the upper bound
    (5.0, "Năm đồng"),  # integral float accepted
    (Decimal(5), "Năm đồng"),
    (Decimal("1500000.00"), "Một triệu năm trăm nghìn đồng"),  # integral Decimal with zeros
    (Decimal("1E+9"), "Một tỷ đồng"),  # exponent form
    (-0.0, "Không đồng"),  # negative zero is zero
]


@pytest.mark.parametrize(("amount", "expected"), AMOUNT_IN_WORDS)
def test_amount_in_words(amount: Any, expected: str) -> None:
    assert amount_in_words(amount) == expected


AMOUNT_OPTIONS: list[tuple[int, dict[str, Any], str]] = [
    # (amount, options, expected)
    (105, {"zero_tens": "linh"}, "Một trăm linh năm đồng"),  # "linh", the formal choice
    (1_005_000, {"zero_tens": "linh"}, "Một triệu không trăm linh năm nghìn đồng"),
    (24, {"four": "tư"}, "Hai mươi tư đồng"),  # "tư" after "mươi"
    (14, {"four": "tư"}, "Mười bốn đồng"),  # never "mười tư"
    (104, {"four": "tư"}, "Một trăm lẻ bốn đồng"),  # never "lẻ tư"
    (40, {"four": "tư"}, "Bốn mươi đồng"),  # the tens digit stays "bốn"
    (44_000, {"four": "tư", "zero_tens": "linh"}, "Bốn mươi tư nghìn đồng"),
    (15_000_000, {"exact": True}, "Mười lăm triệu đồng chẵn"),  # "chẵn" only when asked
    (1_234, {"exact": True}, "Một nghìn hai trăm ba mươi bốn đồng chẵn"),  # caller decides
    (0, {"exact": True}, "Không đồng chẵn"),
    (500, {"currency": "USD"}, "Năm trăm USD"),
    (500, {"currency": ""}, "Năm trăm"),  # no currency word
    (500, {"currency": "", "exact": True}, "Năm trăm chẵn"),
    (500, {"currency": " đồng "}, "Năm trăm đồng"),  # currency trimmed
    (105, {"zero_tens": "le\u0309"}, "Một trăm lẻ năm đồng"),  # decomposed option is NFC'd
]


@pytest.mark.parametrize(("amount", "options", "expected"), AMOUNT_OPTIONS)
def test_amount_in_words_options(amount: int, options: dict[str, Any], expected: str) -> None:
    assert amount_in_words(amount, **options) == expected


AMOUNT_REFUSED: list[tuple[Any, type[Exception], str]] = [
    # (amount, exception, exact message or part of it)
    (-5, ValueError, "Số tiền phải là số nguyên không âm, nhận được -5"),
    (-0.5, ValueError, "không âm"),
    (Decimal(-1), ValueError, "không âm"),
    (5.5, ValueError, "Số tiền phải là số nguyên (không có phần thập phân), nhận được 5.5"),
    (Decimal("1000.01"), ValueError, "phần thập phân"),  # xu are not read
    (float("nan"), ValueError, "hữu hạn"),
    (float("inf"), ValueError, "hữu hạn"),
    (Decimal("NaN"), ValueError, "hữu hạn"),
    (10**21, ValueError, "Số tiền quá lớn"),  # upper bound is exclusive
    (1e21, ValueError, "quá lớn"),
    (True, TypeError, "nhận được bool True"),  # bool is not a sum of money
    (False, TypeError, "bool"),
    (None, TypeError, "Số tiền bị trống (None)"),  # refused clearly, never "Không đồng"
    ("1000", TypeError, "nhận được str '1000'"),
    ([1000], TypeError, "list"),
]


@pytest.mark.parametrize(("amount", "error", "message"), AMOUNT_REFUSED)
def test_amount_in_words_refused(amount: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=re.escape(message)):
        amount_in_words(amount)


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"zero_tens": "linh "}, ValueError, 'zero_tens phải là "lẻ" hoặc "linh"'),
        ({"zero_tens": "le"}, ValueError, "zero_tens"),  # unaccented is refused, not guessed
        ({"four": "bon"}, ValueError, 'four phải là "bốn" hoặc "tư"'),
        ({"four": None}, ValueError, "four"),
        ({"currency": None}, TypeError, "Đơn vị tiền"),
        ({"exact": "yes"}, TypeError, "exact"),
        ({"exact": 1}, TypeError, "exact"),
    ],
)
def test_amount_in_words_bad_options(
    options: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=re.escape(message)):
        amount_in_words(100, **options)


NUMBER_IN_WORDS: list[tuple[Any, dict[str, Any], str]] = [
    # (n, options, expected) -- lower case, no currency
    (0, {}, "không"),
    (7, {}, "bảy"),
    (21, {}, "hai mươi mốt"),
    (105, {}, "một trăm lẻ năm"),
    (105, {"zero_tens": "linh"}, "một trăm linh năm"),
    (34, {"four": "tư"}, "ba mươi tư"),
    (1_005_000, {}, "một triệu không trăm lẻ năm nghìn"),
    (120, {}, "một trăm hai mươi"),  # the Sóc Trăng plan: 120 units
    (46, {}, "bốn mươi sáu"),
    (74, {}, "bảy mươi bốn"),
    (Decimal(9), {}, "chín"),
]


@pytest.mark.parametrize(("n", "options", "expected"), NUMBER_IN_WORDS)
def test_number_in_words(n: Any, options: dict[str, Any], expected: str) -> None:
    assert number_in_words(n, **options) == expected


@pytest.mark.parametrize(
    ("n", "error", "message"),
    [
        (None, TypeError, "Số bị trống (None)"),
        (-1, ValueError, "Số phải là số nguyên không âm, nhận được -1"),
        (2.5, ValueError, "phần thập phân"),
        (True, TypeError, "bool"),
        ("5", TypeError, "str"),
        (10**21, ValueError, "quá lớn"),
    ],
)
def test_number_in_words_refused(n: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=re.escape(message)):
        number_in_words(n)


# A reader of the words, written independently of docgen.vi.words, that also
# enforces the conventions: used to check every number in a range (and random
# large ones) both for its value and for its grammar.
_DIGIT_WORDS = {
    "không": 0,
    "một": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "năm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
}
_SCALE_WORDS = {"nghìn": 10**3, "triệu": 10**6, "tỷ": 10**9}


def _read_back(phrase: str, zero_tens: str = "lẻ") -> int:
    """Parse Vietnamese number words back to an int, refusing wrong forms."""
    tokens = phrase.split()
    stack: list[tuple[int, int]] = []  # (value, scale) of finished parts
    small = 0  # the group being read, < 1000
    for i, token in enumerate(tokens):
        prev = tokens[i - 1] if i else None
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if token in _DIGIT_WORDS:
            digit = _DIGIT_WORDS[token]
            if nxt == "trăm":
                # after a scale word a group must read its hundreds, even "không trăm"
                small += digit * 100
            elif nxt == "mươi":
                assert digit >= 2, f"{digit} mươi in {phrase!r}"
                small += digit * 10
            else:
                assert prev in (None, zero_tens, "mười", "mươi"), f"bare unit in {phrase!r}"
                assert prev != "mươi" or digit not in (1, 5), f"mốt/lăm missing in {phrase!r}"
                assert prev != "mười" or digit != 5, f"lăm missing in {phrase!r}"
                assert digit != 0 or len(tokens) == 1, f"stray không in {phrase!r}"
                small += digit
            if prev in _SCALE_WORDS:
                assert nxt == "trăm", f"group after {prev!r} lacks hundreds in {phrase!r}"
        elif token == "mốt":
            assert prev == "mươi", phrase
            small += 1
        elif token == "lăm":
            assert prev in ("mươi", "mười"), phrase
            small += 5
        elif token == "tư":
            assert prev == "mươi", phrase
            small += 4
        elif token == "mười":
            assert prev in (None, "trăm"), f"mười after {prev!r} in {phrase!r}"
            small += 10
        elif token in ("trăm", "mươi"):
            assert prev in _DIGIT_WORDS, phrase
        elif token == zero_tens:
            assert prev == "trăm" and nxt in _DIGIT_WORDS and nxt != "không", phrase
        elif token in _SCALE_WORDS:
            scale = _SCALE_WORDS[token]
            value, inner = small, 1
            while stack and stack[-1][1] <= scale:
                popped_value, popped_scale = stack.pop()
                value += popped_value
                inner = max(inner, popped_scale)
            assert value, f"empty group before {token!r} in {phrase!r}"
            stack.append((value * scale, inner * scale))
            small = 0
        else:
            raise AssertionError(f"unknown word {token!r} in {phrase!r}")
    return sum(value for value, _ in stack) + small


def test_every_number_below_one_hundred_thousand_reads_back() -> None:
    for n in range(100_000):
        assert _read_back(number_in_words(n)) == n, n


def test_every_group_pattern_reads_back_in_every_position() -> None:
    # Each three-digit group, alone and after a leading 1, at each scale.
    for group in range(1000):
        for scale in (10**3, 10**6, 10**9, 10**12, 10**15, 10**18):
            for n in (group * scale, scale * 1000 + group * scale, 10**20 + group * scale):
                if n < 10**21:
                    assert _read_back(number_in_words(n)) == n, n


def test_random_large_numbers_read_back_with_every_option() -> None:
    rng = random.Random(20140305)
    for _ in range(3000):
        n = rng.randrange(10 ** rng.randint(1, 21))
        for zero_tens in ("lẻ", "linh"):
            for four in ("bốn", "tư"):
                phrase = number_in_words(n, zero_tens=zero_tens, four=four)
                assert _read_back(phrase, zero_tens) == n, (n, phrase)


def test_amount_in_words_is_number_in_words_capitalised() -> None:
    rng = random.Random(2017)
    for _ in range(500):
        n = rng.randrange(10**15)
        spoken = number_in_words(n)
        assert amount_in_words(n) == spoken[0].upper() + spoken[1:] + " đồng"


def test_words_never_use_colloquial_forms() -> None:
    for n in list(range(2000)) + [10**k + 1000 for k in range(3, 21)]:
        phrase = number_in_words(n)
        assert "ngàn" not in phrase.split()  # "nghìn" in official writing
        assert "mười mốt" not in phrase and "lẻ lăm" not in phrase and "lẻ mốt" not in phrase
        assert "mươi một" not in phrase and "mươi năm" not in phrase
        assert unicodedata.is_normalized("NFC", phrase)


# --------------------------------------------------------------------------- text

NORMALIZE_TEXT = [
    ("Hoa\u0300", "Hoà"),  # decomposed grave accent -> precomposed U+00E0
    ("Ho\u0300a", "Hòa"),  # the other placement stays a different (valid) spelling
    ("Vie\u0302\u0323t Nam", "Việt Nam"),  # two combining marks -> U+1EC7
    ("Tra\u0306ng", "Trăng"),
    ("  Sóc Trăng  ", "Sóc Trăng"),  # outer whitespace stripped
    ("\t\n Sóc Trăng \r\n", "Sóc Trăng"),
    ("dòng 1\r\ndòng 2", "dòng 1\ndòng 2"),  # Windows line ends
    ("dòng 1\rdòng 2", "dòng 1\ndòng 2"),  # old Mac / spreadsheet line ends
    ("a\r\n\r\nb", "a\n\nb"),  # \r\n pairs are one line end each, empty line kept
    ("a\n\rb", "a\n\nb"),  # \n\r is two line ends
    ("a  b", "a  b"),  # inner spaces kept
    ("   ", ""),
    ("", ""),
    (NBSP + "x" + NBSP, "x"),  # str.strip removes no-break spaces too
    ("Đoàn kiểm tra", "Đoàn kiểm tra"),  # already NFC: unchanged
    ("\ufb01", "\ufb01"),  # NFC, not NFKC: the fi ligature is not decomposed
]


@pytest.mark.parametrize(("raw", "expected"), NORMALIZE_TEXT)
def test_normalize_text(raw: str, expected: str) -> None:
    result = normalize_text(raw)
    assert result == expected
    assert unicodedata.is_normalized("NFC", result)


def test_normalize_text_precomposes_every_vietnamese_letter() -> None:
    letters = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
    for letter in letters + letters.upper():
        decomposed = unicodedata.normalize("NFD", letter)
        assert normalize_text(decomposed) == letter
        assert len(normalize_text(decomposed)) == 1


@pytest.mark.parametrize("value", [None, 5, b"abc"])
def test_normalize_text_refuses_non_text(value: Any) -> None:
    with pytest.raises(TypeError, match="Cần một chuỗi"):
        normalize_text(value)


FIND_ILLEGAL = [
    ("Sóc Trăng", None),
    ("", None),
    ("tab\there", None),  # \t allowed
    ("line\nfeed", None),  # \n allowed
    ("carriage\rreturn", None),  # \r allowed
    ("nul\x00", "\x00"),
    ("a\x01b\x02", "\x01"),  # the first one is reported
    ("vertical\x0btab", "\x0b"),  # pasted from Word: soft line break
    ("form\x0cfeed", "\x0c"),
    ("esc\x1b[0m", "\x1b"),
    ("unit\x1fsep", "\x1f"),
    ("\x7f", None),  # DEL is allowed in XML 1.0
    ("\x85", None),  # C1 NEL is allowed in XML 1.0
    ("\ud7ff", None),  # last code point before the surrogates
    ("lone \ud800 surrogate", "\ud800"),
    ("\udfff", "\udfff"),
    ("\ue000", None),  # private use is allowed
    ("\ufffd", None),  # replacement character is allowed
    ("\ufffe", "\ufffe"),  # non-character
    ("\uffff", "\uffff"),  # non-character
    ("\U00010000 \U0010ffff", None),  # astral planes allowed
    ("😀 Báo cáo", None),
]


@pytest.mark.parametrize(("value", "expected"), FIND_ILLEGAL)
def test_find_illegal_xml_char(value: str, expected: str | None) -> None:
    assert find_illegal_xml_char(value) == expected


def _xml_char(cp: int) -> bool:
    # XML 1.0 §2.2, written out again as the oracle.
    return (
        cp in (0x9, 0xA, 0xD)
        or 0x20 <= cp <= 0xD7FF
        or 0xE000 <= cp <= 0xFFFD
        or 0x10000 <= cp <= 0x10FFFF
    )


def test_find_illegal_xml_char_agrees_with_the_spec_on_every_code_point() -> None:
    for cp in range(0x110000):
        found = find_illegal_xml_char("ok" + chr(cp))
        assert (found is None) == _xml_char(cp), hex(cp)


@pytest.mark.parametrize(
    "cp",
    [
        0x0,
        0x8,
        0x9,
        0xA,
        0xB,
        0xD,
        0xE,
        0x1F,
        0x20,
        0x7F,
        0xD7FF,
        0xD800,
        0xDFFF,
        0xE000,
        0xFFFD,
        0xFFFE,
        0xFFFF,
        0x10000,
        0x10FFFF,
    ],
)
def test_find_illegal_xml_char_agrees_with_lxml(cp: int) -> None:
    # What the user sees: lxml (and so python-docx) refuses the same characters.
    element = etree.Element("t")
    try:
        element.text = "a" + chr(cp) + "b"
        etree.tostring(element)
        accepted = True
    except (ValueError, UnicodeEncodeError):
        accepted = False
    assert accepted == (find_illegal_xml_char(chr(cp)) is None)


def test_find_illegal_xml_char_refuses_non_text() -> None:
    with pytest.raises(TypeError):
        find_illegal_xml_char(None)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- filters


def test_filters_names() -> None:
    assert set(FILTERS) == {
        "date_line",
        "date_short",
        "time_of_day",
        "number",
        "count",
        "percent",
        "share",
        "amount_in_words",
        "number_in_words",
        "document_number",
        "two_digits",
        "paragraphs",
        "closing",
        "sentence",
        "basis_line",
        "dash_list",
        "numbered_list",
    }


FILTER_CALLS: list[tuple[str, tuple[Any, ...], str]] = [
    # (filter, arguments with the value first, expected)
    ("date_line", (date(2014, 3, 5),), "ngày 05 tháng 3 năm 2014"),
    ("date_line", ("2017-12-14", "Sóc Trăng"), "Sóc Trăng, ngày 14 tháng 12 năm 2017"),
    ("date_line", (None,), ""),  # optional date fields print nothing
    ("date_line", (None, "Sóc Trăng"), ""),  # not even the place
    ("date_short", (date(2020, 2, 9),), "09/02/2020"),
    ("date_short", (None,), ""),
    ("time_of_day", (time(8, 0),), "08 giờ 00 phút"),
    ("time_of_day", (None,), ""),
    ("number", (1234567.5,), "1.234.567,5"),
    ("number", (1234567, 2), "1.234.567,00"),
    ("percent", (46 / 120,), "38,33%"),
    ("percent", (0.5, 1), "50%"),
    ("amount_in_words", (1_005_000,), "Một triệu không trăm lẻ năm nghìn đồng"),
    ("number_in_words", (120,), "một trăm hai mươi"),
    ("document_number", (5, "KH", "SKHCN"), "05/KH-SKHCN"),
    ("document_number", (None, "KH", "SKHCN"), NBSP * 8 + "/KH-SKHCN"),
    ("two_digits", (2,), "02"),
    ("sentence", ("Rà soát tài liệu;",), "Rà soát tài liệu."),
    ("sentence", ("Đã khắc phục.",), "Đã khắc phục."),
    ("sentence", (None,), ""),
]


@pytest.mark.parametrize(("name", "args", "expected"), FILTER_CALLS)
def test_filter_calls(name: str, args: tuple[Any, ...], expected: str) -> None:
    result = FILTERS[name](*args)
    assert isinstance(result, str)
    assert result == expected


@pytest.mark.parametrize(
    "name", ["number", "percent", "amount_in_words", "number_in_words", "two_digits"]
)
def test_number_filters_refuse_none(name: str) -> None:
    # A missing amount must stop the render, not print "" or "Không đồng".
    with pytest.raises(TypeError):
        FILTERS[name](None)


def test_filters_keep_the_wrapped_docstrings() -> None:
    assert FILTERS["date_line"].__doc__ == date_line.__doc__
    assert FILTERS["date_line"].__name__ == "date_line"


TEMPLATE = (
    "{{ place }}, {{ issued_on|date_line }} | {{ issued_on|date_line(place) }} | "
    "Số: {{ no|document_number('KH', 'SKHCN') }} | {{ budget|number }} | "
    "{{ budget|amount_in_words(exact=True) }} | {{ share|percent }} | "
    "{{ missing|date_short }}| {{ starts|time_of_day }}"
)


def test_filters_in_a_jinja_template() -> None:
    env = jinja2.Environment(autoescape=False, undefined=jinja2.StrictUndefined)
    env.filters.update(FILTERS)
    rendered = env.from_string(TEMPLATE).render(
        place="Sóc Trăng",
        issued_on=date(2017, 12, 14),
        no=5,
        budget=15_000_000,
        share=46 / 120,
        missing=None,
        starts=time(8, 0),
    )
    assert rendered == (
        "Sóc Trăng, ngày 14 tháng 12 năm 2017 | Sóc Trăng, ngày 14 tháng 12 năm 2017 | "
        "Số: 05/KH-SKHCN | 15.000.000 | Mười lăm triệu đồng chẵn | 38,33% | "
        "| 08 giờ 00 phút"
    )


def test_public_api() -> None:
    assert sorted(docgen.vi.__all__) == sorted(
        [
            "BLANK_NUMBER",
            "FILTERS",
            "amount_in_words",
            "date_line",
            "date_short",
            "document_number",
            "find_illegal_xml_char",
            "format_count",
            "format_number",
            "format_percent",
            "format_share",
            "is_code",
            "normalize_text",
            "number_in_words",
            "period_text",
            "time_of_day",
            "two_digits",
        ]
    )
    for name in docgen.vi.__all__:
        assert hasattr(docgen.vi, name)
