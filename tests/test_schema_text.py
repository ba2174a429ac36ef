"""Typed text to payload values (docgen.schemas.text), the rules the form and batch share.

One table: (kind, text) -> the value the payload gets, or UNREADABLE where the
caller must say so in its own words. Rows guarding a clerk's habit or an easy
mistake carry a comment. Then the two callers: batch's layer for typed XLSX
cells, and the form.
"""

from __future__ import annotations

import datetime as dt
import doctest
from typing import Any

import pytest
from werkzeug.datastructures import MultiDict

import docgen.schemas.text
from docgen.batch import schema_tree
from docgen.batch._values import CellError, cell_value
from docgen.catalog import DOCUMENT_TYPES
from docgen.schemas.text import UnreadableText, text_value
from docgen.schemas.walk import FieldSpec
from docgen.web import formgen

UNREADABLE = object()

SPECS = {
    "text": FieldSpec("t", "text", max_length=100),
    "choice": FieldSpec("c", "choice", choices=(("truong_doan", "Trưởng đoàn"), ("thu_ky", "Thư ký"))),
    "integer": FieldSpec("i", "integer"),
    "date": FieldSpec("d", "date"),
    "datetime": FieldSpec("m", "datetime"),
}

TABLE: list[tuple[str, str, Any]] = [
    # text is passed as typed: trimming and NFC are the schema's, so errors show the input
    ("text", " Sở Nội vụ ", " Sở Nội vụ "),
    ("text", "14/12/2017", "14/12/2017"),  # a date-looking text stays text
    ("choice", "truong_doan", "truong_doan"),
    ("choice", "Trưởng đoàn", "truong_doan"),  # by its Vietnamese label
    ("choice", "  trưởng   ĐOÀN ", "truong_doan"),  # case, spaces: the label still reads
    ("choice", "TRUONG_DOAN", "truong_doan"),  # the value in capitals, as a sheet may have it
    ("choice", "Trưởng ban", "Trưởng ban"),  # unknown: the schema lists the values
    ("integer", "12", 12),
    ("integer", " -3 ", -3),
    ("integer", "+7", 7),
    ("integer", "007", 7),
    # a dot groups thousands (issue 15, point 7): "1.000" is a thousand, as a clerk writes it
    ("integer", "1.000", 1000),
    ("integer", "2.150", 2150),
    ("integer", "60.000.000", 60000000),
    ("integer", "1 200", 1200),
    ("integer", "1.20", "1.20"),  # not groups of three: not guessed, the schema refuses it
    ("integer", "2,150", "2,150"),  # 2150 in English, 2,15 in Vietnamese: the schema asks
    ("integer", "2.0", "2.0"),  # text "2.0" likewise (an XLSX number 2.0 is 2: see below)
    ("integer", "12a", "12a"),
    ("integer", "1" * 18, int("1" * 18)),
    ("integer", "1" * 19, "1" * 19),  # past 64 bits: "not an integer", never a 500
    ("date", "14/12/2017", "2017-12-14"),
    ("date", "4/3/2017", "2017-03-04"),  # day first, as Vietnamese writes it
    ("date", "05/11/2021", "2021-11-05"),  # never 2021-05-11, as the browser's picker read it
    ("date", "14-12-2017", "2017-12-14"),
    ("date", "14.12.2017", "2017-12-14"),
    ("date", "2017-12-14", "2017-12-14"),  # ISO, as an old draft of the form holds it
    ("date", "2017-2-3", "2017-02-03"),
    ("date", " 14/12/2017 ", "2017-12-14"),
    ("date", "31/02/2017", (UNREADABLE, "nonexistent_date")),  # no such day, not "wrong format"
    ("date", "29/02/2024", "2024-02-29"),  # a leap year has it
    ("date", "12/14/2017", (UNREADABLE, "nonexistent_date")),  # month first (US): no month 14
    ("date", "14/12/17", (UNREADABLE, "year_four_digits")),  # two-digit years: which century?
    ("date", "09/03/21", (UNREADABLE, "year_four_digits")),  # printed "năm 21" (issue 15)
    ("date", "09/03/0021", (UNREADABLE, "year_four_digits")),
    ("date", "0021-03-09", (UNREADABLE, "year_four_digits")),  # named files "…-0021-…"
    ("date", "09/03/1021", (UNREADABLE, "year_out_of_range")),
    ("date", "hôm nay", (UNREADABLE, "invalid")),
    ("datetime", "12/10/2017 08:00", "2017-10-12T08:00:00"),
    ("datetime", "12/10/2017 8:30", "2017-10-12T08:30:00"),
    ("datetime", "08:00 12/10/2017", "2017-10-12T08:00:00"),  # time first, as minutes say it
    ("datetime", "12/10/2017 8h30", "2017-10-12T08:30:00"),  # "8 giờ 30": 8h30
    ("datetime", "12/10/2017 8g30", "2017-10-12T08:30:00"),
    ("datetime", "2017-10-12T08:00", "2017-10-12T08:00:00"),  # ISO, as an old draft holds it
    ("datetime", "2017-10-12 08:00:00", "2017-10-12T08:00:00"),
    ("datetime", "12/10/2017", (UNREADABLE, "invalid")),  # a date without a time is not a moment
    ("datetime", "12/10/2017 25:00", (UNREADABLE, "nonexistent_time")),
    ("datetime", "31/02/2017 08:00", (UNREADABLE, "nonexistent_date")),
    ("datetime", "12/10/17 08:00", (UNREADABLE, "year_four_digits")),
    ("datetime", "2017-10-12T", (UNREADABLE, "invalid")),
]


@pytest.mark.parametrize(("kind", "text", "expected"), TABLE)
def test_text_value(kind: str, text: str, expected: Any) -> None:
    spec = SPECS[kind]
    if isinstance(expected, tuple) and expected[0] is UNREADABLE:
        with pytest.raises(UnreadableText) as info:
            text_value(spec, text)
        assert (info.value.kind, info.value.text, info.value.code) == (kind, text, expected[1])
    else:
        assert text_value(spec, text) == expected


def test_doctests() -> None:
    assert doctest.testmod(docgen.schemas.text, raise_on_error=True).attempted > 0


# --- batch: typed cells over the same rules --------------------------------------------

MINUTES = schema_tree(DOCUMENT_TYPES["minutes"].schema())

CELLS: list[tuple[str, Any, Any]] = [
    ("date", dt.date(2017, 10, 12), "2017-10-12"),
    ("date", dt.datetime(2017, 10, 12, 0, 0), "2017-10-12"),
    ("date", 43020, "2017-10-12"),  # an Excel serial (1900 system)
    ("date", "12/10/2017", "2017-10-12"),  # text: the shared rules
    ("started_at", 43020 + 8 / 24, "2017-10-12T08:00:00"),
    ("started_at", dt.datetime(2017, 10, 12, 8, 0), "2017-10-12T08:00:00"),
    ("started_at", "12/10/2017 08:00", "2017-10-12T08:00:00"),
    ("copies", 2.0, 2),  # an XLSX number cell holding 2
    ("copies", 2.5, 2.5),  # not whole: the schema says "not an integer"
    ("copies", "3", 3),
    ("copies", True, True),  # a boolean cell is not 1
    ("unit.name", 12.0, "12"),  # a number typed in a text column: as the clerk sees it
]


def _node(dotted: str) -> Any:
    node = MINUTES
    for key in dotted.split("."):
        node = node.children[key]
    return node


@pytest.mark.parametrize(("column", "cell", "expected"), CELLS)
def test_cell_value(column: str, cell: Any, expected: Any) -> None:
    assert cell_value(_node(column), cell) == expected


def test_unreadable_cell_names_the_sheets_format() -> None:
    with pytest.raises(CellError, match=r"Ngày 'hôm qua' không hợp lệ; ghi dạng dd/mm/yyyy"):
        cell_value(_node("date"), "hôm qua")
    with pytest.raises(CellError, match=r"dd/mm/yyyy hh:mm"):
        cell_value(_node("started_at"), "12/10/2017")


def test_a_cell_with_no_such_day_says_so() -> None:
    # "31/02/2017" is a day that does not exist, not a date in the wrong format (issue 15)
    with pytest.raises(CellError) as info:
        cell_value(_node("date"), "31/02/2017")
    assert info.value.code == "nonexistent_date"
    assert info.value.message == "'31/02/2017' là ngày không tồn tại: tháng 2 năm 2017 có 28 ngày."
    with pytest.raises(CellError) as info:
        cell_value(_node("date"), "09/03/21")
    assert (info.value.code, info.value.message) == (
        "year_four_digits", "Năm phải ghi đủ bốn chữ số (ví dụ 09/03/2021); nhận được '09/03/21'.")


# --- the form: the same rules, what they cannot read goes to the schema --------------


def test_form_reads_dates_and_choices_as_batch_does() -> None:
    spec = formgen.form_spec(DOCUMENT_TYPES["minutes"].schema())
    form = MultiDict({"date": "14/12/2017", "started_at": "12/10/2017 8h30",
                      "members[0].role": "Thư ký", "copies": " 3 ",
                      "ended_at": "31/02/2017 08:00"})
    payload = formgen.to_payload(spec, formgen.collect(spec, form))
    assert payload["date"] == "2017-12-14"
    assert payload["started_at"] == "2017-10-12T08:30:00"
    assert payload["members"][0]["role"] == "thu_ky"
    assert payload["copies"] == 3
    # unreadable: passed on as typed, for the schema's message at ended_at
    assert payload["ended_at"] == "31/02/2017 08:00"
