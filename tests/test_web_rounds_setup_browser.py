"""Creating and editing a round in a real browser (issue 16): Debian's Chromium, driven by
Playwright, on an installation with keys — the clerk signs in, opens "Tạo đợt kiểm tra" from
the list, types the issuer, year, title and due date, chooses the shipped unit list
(examples/soc-trang-2017-units.csv), lands on the new round's dashboard with its 120 units,
then changes its title and due date on the edit page. A bad file comes back as the page,
filled, with the row and column of the error."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .browser import chromium_page, served

KEY = "khoa-trang-tao-dot-0123456789abcdef"
ROOT = Path(__file__).resolve().parents[1]
UNITS = ROOT / "examples" / "soc-trang-2017-units.csv"
#: DOCGEN_SHOTS=<folder>: the pages as PNGs, to look at (nothing asserted on them).
SHOTS = Path(os.environ["DOCGEN_SHOTS"]) if os.environ.get("DOCGEN_SHOTS") else None


@pytest.fixture
def docgen(tmp_path) -> Iterator[tuple[str, Any]]:
    from docgen.app import create_app

    app = create_app({"instance_path": tmp_path / "instance", "api_keys": KEY})
    with served(app) as base:
        yield base, app


@pytest.fixture
def page():
    with chromium_page() as tab:
        yield tab


def shot(page: Any, name: str) -> None:
    """With DOCGEN_SHOTS=<folder>, a full-page PNG to look at (not asserted)."""
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def fill_new_round(page: Any, title: str) -> None:
    page.fill("#f-issuer-parent_name", "UBND tỉnh Sóc Trăng")
    page.fill("#f-issuer-name", "Sở Khoa học và Công nghệ")
    page.fill("#f-issuer-code", "SKHCN")
    page.fill("#f-issuer-place", "Sóc Trăng")
    page.fill("#f-year", "2017")
    page.fill("#f-title", title)
    page.fill("#f-due_date", "16/10/2017")
    page.fill("#n-user", "Nguyễn Thị Lan")


def test_create_then_edit_a_round_in_a_browser(docgen, page, tmp_path):
    base, _app = docgen
    page.goto(f"{base}/rounds")
    assert "/login" in page.url
    page.fill("#f-key", KEY)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/rounds")
    page.click("#new-round")
    page.wait_for_url(f"{base}/rounds/new")

    # a file with a bad row first: the page comes back filled, the row and column named
    bad = tmp_path / "don-vi-loi.csv"
    bad.write_text("stt,unit_name,mode\n1,Sở Nội vụ,on_site\n2,UBND xã Long Hưng,tai cho\n",
                   encoding="utf-8")
    fill_new_round(page, "Kiểm tra ISO năm 2017")
    page.set_input_files("#f-units-file", str(bad))
    page.click("#new-round-form button[type=submit]")
    summary = page.locator("#error-summary")
    assert "Dòng 3, cột mode: Giá trị 'tai cho' không hợp lệ" in summary.inner_text()
    assert page.input_value("#f-title") == "Kiểm tra ISO năm 2017"
    assert page.input_value("#f-issuer-code") == "SKHCN"
    assert page.input_value("#f-due_date") == "16/10/2017"
    assert "hãy chọn lại tệp" in summary.inner_text()
    shot(page, "round-new-error")

    page.set_input_files("#f-units-file", str(UNITS))
    page.click("#new-round-form button[type=submit]")
    page.wait_for_url(f"{base}/rounds/*?done=create")
    assert page.locator("h1").inner_text() == "Kiểm tra ISO năm 2017"
    assert page.locator('#progress dd[data-key="planned"]').inner_text() == "120"
    assert page.locator('#progress dd[data-key="on_site"]').inner_text().startswith("46")
    assert page.locator('#progress dd[data-key="by_report"]').inner_text() == "74"
    assert page.locator("#units tbody tr").count() == 120
    assert page.input_value("#f-due") == "2017-10-16"
    log = page.locator("#log tbody tr").first.inner_text()
    assert "Tạo đợt kiểm tra" in log and "120 đơn vị" in log and "Nguyễn Thị Lan" in log
    shot(page, "round-created")

    page.click("#edit-round")
    page.wait_for_url(f"{base}/rounds/*/edit")
    assert "còn thay đổi được" in page.locator("#units-open").inner_text()
    assert page.locator("#unit-dates tbody tr").count() == 120
    page.fill("#f-title", "Kiểm tra ISO năm 2017 (bổ sung)")
    page.fill("#f-due_date", "20/10/2017")
    page.fill("#d-80", "25/10/2017")
    shot(page, "round-edit")
    page.click("#edit-round-form button[type=submit]")
    page.wait_for_url(f"{base}/rounds/*?done=edit")
    assert page.locator("h1").inner_text() == "Kiểm tra ISO năm 2017 (bổ sung)"
    assert page.input_value("#f-due") == "2017-10-20"
    assert "25/10/2017" not in page.locator("#units").inner_text()  # shown ISO on the board
    assert "2017-10-25" in page.locator('#units tr[data-stt="80"]').inner_text()
    assert "Sửa đợt kiểm tra" in page.locator("#log tbody tr").first.inner_text()
    page.goto(f"{base}/rounds")
    assert "Kiểm tra ISO năm 2017 (bổ sung)" in page.locator("table.rounds").inner_text()
    assert "2017-10-20" in page.locator("table.rounds").inner_text()
