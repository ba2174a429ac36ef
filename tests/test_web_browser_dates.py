"""Dates typed the Vietnamese way in a real browser (issue 15, point 7).

The browser's own date picker showed mm/dd/yyyy in an English Chromium and stored
2021-05-11 for "05/11/2021". The form now takes dd/mm/yyyy as text and echoes,
beside the field, the date line the server reads from it — or why it reads none —
by the same rules as the submit. Chromium is Debian's, driven by Playwright
(fixtures of tests/test_web_browser.py); it runs with an English locale here, the
one that misread the date.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .browser import SCREEN
from .docx_text import docx_text
from .test_web_browser import browser, by_name, server  # noqa: F401 (fixtures)


@pytest.fixture
def page(browser):  # noqa: F811 (an English browser: the locale that misread 05/11/2021)
    context = browser.new_context(viewport=SCREEN, locale="en-US", accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert errors == [], errors


def echo_of(page, name: str) -> str:
    return page.locator(f"#{by_name(page, name).get_attribute('id')}-echo").inner_text()


def type_date(page, name: str, text: str) -> None:
    field = by_name(page, name)
    field.fill("")
    field.press_sequentially(text)  # key by key, as a clerk types


def test_typed_date_is_echoed_as_its_date_line(server, page):  # noqa: F811
    page.goto(f"{server}/forms/minutes")
    date = by_name(page, "date")
    assert date.get_attribute("type") == "text"
    assert date.get_attribute("placeholder") == "dd/mm/yyyy"
    type_date(page, "date", "05/11/2021")
    page.wait_for_function(
        "document.getElementById('f-date-echo').textContent === 'ngày 05 tháng 11 năm 2021'")
    assert date.input_value() == "05/11/2021"  # what was typed, never 2021-05-11

    type_date(page, "date", "31/02/2017")
    page.wait_for_function(
        "document.getElementById('f-date-echo').textContent.includes('không tồn tại')")
    assert echo_of(page, "date") == "'31/02/2017' là ngày không tồn tại: tháng 2 năm 2017 có 28 ngày."
    assert "date-echo-error" in page.locator("#f-date-echo").get_attribute("class")

    type_date(page, "date", "09/03/21")
    page.wait_for_function(
        "document.getElementById('f-date-echo').textContent.includes('bốn chữ số')")
    assert echo_of(page, "date") == ("Năm phải ghi đủ bốn chữ số (ví dụ 09/03/2021); "
                                     "nhận được '09/03/21'.")

    type_date(page, "started_at", "05/11/2021 8h30")
    page.wait_for_function(
        "document.getElementById('f-started_at-echo').textContent"
        " === '08 giờ 30 phút, ngày 05 tháng 11 năm 2021'")


def test_no_such_day_is_the_error_under_the_field(server, page):  # noqa: F811
    page.goto(f"{server}/forms/minutes?example=1")
    type_date(page, "date", "31/02/2017")
    page.get_by_role("button", name="Tạo văn bản (.docx)").click()
    page.wait_for_selector(".error-summary")
    error = page.locator("#f-date-error").inner_text()
    assert "'31/02/2017' là ngày không tồn tại: tháng 2 năm 2017 có 28 ngày." in error
    assert "YYYY-MM-DD" not in error and "dd/mm/yyyy" not in error  # not "wrong format"
    assert by_name(page, "date").input_value() == "31/02/2017"  # as typed, still there
    assert echo_of(page, "date").startswith("'31/02/2017' là ngày không tồn tại")  # server-drawn


def test_the_document_carries_the_day_typed(server, page, tmp_path: Path):  # noqa: F811
    page.goto(f"{server}/forms/minutes?example=1")
    type_date(page, "date", "05/11/2021")
    type_date(page, "started_at", "05/11/2021 08:00")
    type_date(page, "ended_at", "05/11/2021 11:30")
    with page.expect_download() as info:
        page.get_by_role("button", name="Tạo văn bản (.docx)").click()
    download = info.value
    assert download.suggested_filename == "BB-12-ĐKT-2021-11-05.docx"  # 5 November
    target = tmp_path / "bb.docx"
    download.save_as(target)
    text = docx_text(target.read_bytes())
    assert "Sóc Trăng, ngày 05 tháng 11 năm 2021" in text
    assert "08 giờ 00 phút, ngày 05 tháng 11 năm 2021" in text
