"""Input a clerk really types (issue 15, point 7), through every entry point.

One set of rules (:mod:`docgen.vi.reading`) reads dates and numbers for the JSON
API, the CLI, batch cells and the form. First the rules as a table (DOMAIN.md's
conventions are its rows), then each entry point: the API's 422 problem (code and
field), the CLI's error lines, the batch row report (errors.csv), the form page.
The real-browser side is tests/test_web_browser_dates.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import doctest
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import docgen.vi.reading
from docgen import vi
from docgen.cli import main
from docgen.vi.reading import InputError, read_date, read_decimal, read_integer, read_money

from .batch.sheets import HEADERS, minutes_rows, shared_defaults, write_csv
from .docx_text import docx_text

# --- the rules -------------------------------------------------------------------------

DATES: list[tuple[str, bool, Any]] = [
    # (text, typed by a person?, the date or the refusal's code)
    ("14/12/2017", True, dt.date(2017, 12, 14)),
    ("05/3/2014", True, dt.date(2014, 3, 5)),  # DOMAIN.md: month 3 without its zero
    ("5/3/2014", True, dt.date(2014, 3, 5)),
    ("09/02/2020", True, dt.date(2020, 2, 9)),
    ("31/01/2021", True, dt.date(2021, 1, 31)),
    ("05/11/2021", True, dt.date(2021, 11, 5)),  # day first: never 11 May (the picker's reading)
    ("05.11.2021", True, dt.date(2021, 11, 5)),
    ("05-11-2021", True, dt.date(2021, 11, 5)),
    ("2021-11-05", True, dt.date(2021, 11, 5)),  # ISO typed, or an old draft of the form
    ("31/02/2017", True, "nonexistent_date"),  # a day that does not exist, not a format error
    ("29/02/2023", True, "nonexistent_date"),
    ("29/02/2024", True, dt.date(2024, 2, 29)),  # a leap year has it
    ("00/01/2021", True, "nonexistent_date"),
    ("11/13/2021", True, "nonexistent_date"),  # month first (US): there is no month 13
    ("09/03/21", True, "year_four_digits"),  # printed "năm 21" before
    ("09/03/021", True, "year_four_digits"),
    ("09/03/0021", True, "year_four_digits"),
    ("09/03/1021", True, "year_out_of_range"),
    ("09/03/2121", True, "year_out_of_range"),
    ("hôm nay", True, "invalid"),
    # JSON: ISO only; the same reasons for the same mistakes
    ("2017-12-14", False, dt.date(2017, 12, 14)),
    ("0021-03-09", False, "year_four_digits"),  # named the file …-0021-… before
    ("2017-02-31", False, "nonexistent_date"),
    ("2017-13-01", False, "nonexistent_date"),
    ("14/12/2017", False, "invalid"),  # dd/mm in JSON: refused, with its ISO spelling
    ("31/02/2017", False, "nonexistent_date"),
    ("09/03/21", False, "year_four_digits"),
]


@pytest.mark.parametrize(("text", "typed", "expected"), DATES)
def test_dates(text: str, typed: bool, expected: Any) -> None:
    if isinstance(expected, dt.date):
        assert read_date(text, typed=typed) == expected
    else:
        with pytest.raises(InputError) as info:
            read_date(text, typed=typed)
        assert info.value.code == expected


@pytest.mark.parametrize(("text", "line"), [
    # DOMAIN.md's date lines: days below 10 and months 1 and 2 take a leading zero
    ("05/3/2014", "ngày 05 tháng 3 năm 2014"),
    ("14/12/2017", "ngày 14 tháng 12 năm 2017"),
    ("9/2/2020", "ngày 09 tháng 02 năm 2020"),
    ("31/01/2021", "ngày 31 tháng 01 năm 2021"),
    ("05/11/2021", "ngày 05 tháng 11 năm 2021"),
])
def test_typed_date_gives_the_decree_date_line(text: str, line: str) -> None:
    assert vi.date_line(read_date(text)) == line


MESSAGES = [
    (lambda: read_date("31/02/2017"),
     "'31/02/2017' là ngày không tồn tại: tháng 2 năm 2017 có 28 ngày."),
    (lambda: read_date("09/03/21"),
     "Năm phải ghi đủ bốn chữ số (ví dụ 09/03/2021); nhận được '09/03/21'."),
    (lambda: read_date("0021-03-09", typed=False),
     "Năm phải ghi đủ bốn chữ số (ví dụ 2021-03-09); '0021-03-09' cho năm 21."),
    (lambda: read_date("14/12/2017", typed=False),
     "Ngày trong dữ liệu JSON ghi dạng YYYY-MM-DD: '14/12/2017' ghi là 2017-12-14."),
    (lambda: read_date("11/13/2021"),
     ("'11/13/2021' là ngày không tồn tại: không có tháng 13 (ghi ngày trước, tháng sau: "
      "dd/mm/yyyy).")),
    (lambda: read_integer("2,150"),
     "'2,150' không rõ là 2150 hay 2,15 (dấu phẩy là dấu thập phân); ghi 2150 hoặc 2.150."),
    (lambda: read_integer("hai"), "Phải là một số nguyên (ví dụ 1200 hoặc 1.200)."),
    (lambda: read_decimal("1.234"),
     "'1.234' không rõ là 1234 hay 1,234; ghi 1234 hoặc 1,234 (dấu phẩy thập phân)."),
]


@pytest.mark.parametrize(("call", "message"), MESSAGES)
def test_messages_say_what_to_type(call: Any, message: str) -> None:
    with pytest.raises(InputError) as info:
        call()
    assert info.value.message == message


NUMBERS: list[tuple[Any, Any, Any]] = [
    # (reader, input, the value or the refusal's code)
    (read_integer, 1200, 1200),
    (read_integer, "1200", 1200),  # a number sent as a string
    (read_integer, "1.200", 1200),  # a dot groups thousands
    (read_integer, "2.150", 2150),
    (read_integer, "60.000.000", 60_000_000),
    (read_integer, "1 200", 1200),
    (read_integer, "1\u00a0200", 1200),  # a no-break space, as a spreadsheet may put it
    (read_integer, 120.0, 120),  # JSON Schema's integer includes 120.0
    (read_integer, " -3 ", -3),
    (read_integer, "1.20", "invalid"),  # not a group of three: not a whole number
    (read_integer, "12,5", "invalid"),
    (read_integer, 2.15, "invalid"),
    (read_integer, "2,150", "ambiguous_number"),  # 2150 in English, 2,15 in Vietnamese
    (read_integer, "1,234,567", "ambiguous_number"),  # English grouping: say to use dots
    (read_integer, True, "invalid"),  # JSON true is not 1
    (read_integer, "1" * 19, "invalid"),  # past 64 bits
    (read_integer, "1" + ".000" * 6, "invalid"),  # 19 digits, grouped: still past 64 bits
    (read_integer, "1" + ",000" * 2000, "invalid"),  # hostile: never int() of 6,000 digits
    (read_integer, "1" + ".000" * 2000, "invalid"),
    (read_money, "45.500.000", 45_500_000),
    (read_money, "1.005.000 đồng", 1_005_000),
    (read_money, "2 050 000đ", 2_050_000),
    (read_money, "15.000.000 VNĐ", 15_000_000),
    (read_money, "45,5 triệu", "invalid"),
    (read_decimal, "1.234.567,5", Decimal("1234567.5")),  # DOMAIN.md's example
    (read_decimal, "12,5", Decimal("12.5")),
    (read_decimal, "12.5", Decimal("12.5")),  # JSON's decimal point, in a string
    (read_decimal, 97.5, Decimal("97.5")),
    (read_decimal, "1.234", "ambiguous_number"),  # 1234 to a clerk, 1,234 to JSON
    (read_decimal, "1,234.5", "invalid"),  # English grouping
]


@pytest.mark.parametrize(("reader", "value", "expected"), NUMBERS)
def test_numbers(reader: Any, value: Any, expected: Any) -> None:
    if isinstance(expected, str):
        with pytest.raises(InputError) as info:
            reader(value)
        assert info.value.code == expected
    else:
        assert reader(value) == expected


def test_percent_reads_its_sign() -> None:
    assert read_decimal("95,34%", percent=True) == Decimal("95.34")


def test_doctests() -> None:
    assert doctest.testmod(docgen.vi.reading, raise_on_error=True).attempted > 5


# --- the JSON API: a 422 problem names the field and the code ----------------------------

API: list[tuple[str, dict[str, Any], str | None, str | None]] = [
    # (type, changes, path of the error or None for valid, its code)
    ("report", {"counts.planned": "120", "counts.on_site": "46", "counts.by_report": "74"},
     None, None),  # numbers sent as strings
    ("report", {"date": "0021-03-09"}, "date", "year_four_digits"),
    ("report", {"date": "2017-02-31"}, "date", "nonexistent_date"),
    ("report", {"date": "14/12/2017"}, "date", "invalid"),
    ("report", {"period_start": "18/9/17"}, "period_start", "year_four_digits"),
    ("report", {"counts.planned": "1,20"}, "counts.planned", "invalid"),  # a decimal
    ("report", {"counts.planned": "1,200"}, "counts.planned", "ambiguous_number"),
    ("report", {"counts.planned": "120 đơn vị"}, "counts.planned", "invalid"),
    ("approval", {"budget": "45.500.000"}, None, None),
    ("approval", {"budget": "45.500.000 đồng"}, None, None),
    ("notice", {"on_time_rate": "97,5"}, None, None),
    ("notice", {"on_time_rate": "1.234"}, "on_time_rate", "ambiguous_number"),
    ("minutes", {"copies": "2"}, None, None),
    ("minutes", {"started_at": "0017-10-12T08:00:00"}, "started_at", "year_four_digits"),
    ("minutes", {"started_at": "2017-02-30T08:00:00"}, "started_at", "nonexistent_date"),
]


def _set(data: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, last = dotted.split(".")
    for key in parents:
        data = data[key]
    data[last] = value


@pytest.mark.parametrize(("doc_type", "changes", "path", "code"), API)
def test_api(client, example, doc_type: str, changes: dict[str, Any], path: str | None,
             code: str | None) -> None:
    data = example(doc_type)
    for dotted, value in changes.items():
        _set(data, dotted, value)
    response = client.post(f"/api/v1/documents/{doc_type}/validate", json=data)
    if path is None:
        assert response.status_code == 200, response.get_json()
        return
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    errors = response.get_json()["errors"]
    assert [(e["path"], e["code"]) for e in errors] == [(path, code)]
    assert errors[0]["message"]  # Vietnamese, and says what to type (tested above)


def test_api_renders_numbers_sent_as_strings(client, example) -> None:
    data = example("approval", budget="45.500.000")
    response = client.post("/api/v1/documents/approval", json=data)
    assert response.status_code == 200
    assert "Kinh phí thực hiện: 45.500.000 đồng" in docx_text(response.data)


# --- the CLI -----------------------------------------------------------------------------


def test_cli_names_the_year_and_writes_nothing(runner, tmp_path: Path, example) -> None:
    src = tmp_path / "bc.json"
    src.write_text(json.dumps(example("report", date="0021-03-09"), ensure_ascii=False),
                   encoding="utf-8")
    out = tmp_path / "bc.docx"
    result = runner.invoke(main, ["render", "report", str(src), "-o", str(out)])
    assert result.exit_code == 2
    assert ("  - date: Năm phải ghi đủ bốn chữ số (ví dụ 2021-03-09); '0021-03-09' cho năm 21. "
            "[year_four_digits]") in result.stderr
    assert not out.exists()


def test_cli_reads_counts_with_thousands_dots(runner, tmp_path: Path, example) -> None:
    data = example("report")
    data["counts"].update(planned="1.200", on_site="460", by_report="740")
    src = tmp_path / "bc.json"
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(main, ["render", "report", str(src), "-o", str(tmp_path / "bc.docx")])
    assert result.exit_code == 0, result.output
    assert "1.200" in docx_text((tmp_path / "bc.docx").read_bytes())


# --- batch: the row report -----------------------------------------------------------------


def test_batch_row_report(runner, tmp_path: Path) -> None:
    rows = minutes_rows(4)
    date, number = HEADERS.index("Ngày ban hành"), HEADERS.index("Số văn bản")
    rows[0][number] = "1.200"  # read as 1200, as everywhere else
    rows[1][date] = "09/03/21"
    rows[2][date] = "31/02/2017"
    sheet = write_csv(tmp_path / "units.csv", HEADERS, rows)
    defaults = tmp_path / "chung.json"
    defaults.write_text(json.dumps(shared_defaults(), ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(main, ["batch", "minutes", str(sheet), "-o", f"{tmp_path}/out/",
                                  "--defaults", str(defaults), "--quiet"])
    assert result.exit_code == 3, result.output
    report = (tmp_path / "out" / "errors.csv").read_bytes().decode("utf-8-sig")
    errors = {int(e["Dòng"]): e for e in csv.DictReader(io.StringIO(report))}
    assert sorted(errors) == [3, 4]
    assert (errors[3]["Trường"], errors[3]["Mã lỗi"], errors[3]["Lỗi"]) == (
        "date", "year_four_digits",
        "Năm phải ghi đủ bốn chữ số (ví dụ 09/03/2021); nhận được '09/03/21'.")
    assert (errors[4]["Trường"], errors[4]["Mã lỗi"], errors[4]["Lỗi"]) == (
        "date", "nonexistent_date",
        "'31/02/2017' là ngày không tồn tại: tháng 2 năm 2017 có 28 ngày.")
    written = sorted(p.name for p in (tmp_path / "out").iterdir() if p.suffix == ".docx")
    assert len(written) == 2
    first = next(p for p in (tmp_path / "out").iterdir() if p.name.startswith("001-"))
    assert "Số: 1200/BB-ĐKT" in docx_text(first.read_bytes())


# --- the form (its browser test is tests/test_web_browser_dates.py) -----------------------


def test_form_error_is_in_the_forms_words(client, example) -> None:
    from lxml import html

    from docgen.web import formgen

    spec = formgen.form_spec(__import__("docgen.catalog", fromlist=["x"]).DOCUMENT_TYPES[
        "minutes"].schema())
    raw = formgen.from_payload(spec, example("minutes"))
    assert raw["date"] == "12/10/2017" and raw["started_at"] == "12/10/2017 08:00"
    form = {}

    def flatten(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, child in value.items():
                flatten(formgen.join(prefix, key), child)
        elif isinstance(value, list):
            for i, child in enumerate(value):
                flatten(formgen.join(prefix, i), child)
        else:
            form[prefix] = value

    for key, value in raw.items():
        flatten(key, value)
    form.update({"date": "09/03/21", "ended_at": "31/02/2017 11:00", "copies": "2,150"})
    response = client.post("/forms/minutes", data=form)
    assert response.status_code == 422
    doc = html.fromstring(response.get_data(as_text=True))

    def error_at(path: str) -> str:
        return doc.get_element_by_id(formgen.dom_id(path) + "-error").text_content()

    assert "Năm phải ghi đủ bốn chữ số (ví dụ 09/03/2021)" in error_at("date")
    assert "'31/02/2017' là ngày không tồn tại" in error_at("ended_at")
    assert "ghi 2150 hoặc 2.150" in error_at("copies")
    # the echo beside each date, drawn by the server on the returned page
    assert doc.get_element_by_id("f-started_at-echo").text_content() == (
        "08 giờ 00 phút, ngày 12 tháng 10 năm 2017")


@pytest.mark.parametrize(("query", "answer"), [
    ({"value": "05/11/2021"}, {"line": "ngày 05 tháng 11 năm 2021"}),
    ({"value": "12/10/2017 08:00", "kind": "datetime"},
     {"line": "08 giờ 00 phút, ngày 12 tháng 10 năm 2017"}),
    ({"value": "31/02/2017"}, {"code": "nonexistent_date",
                               "message": "'31/02/2017' là ngày không tồn tại: tháng 2 năm 2017 "
                                          "có 28 ngày."}),
    ({"value": ""}, {}),
])
def test_date_line_echo(client, query: dict[str, str], answer: dict[str, str]) -> None:
    response = client.get("/forms/date-line", query_string=query)
    assert response.status_code == 200
    assert response.get_json() == answer
