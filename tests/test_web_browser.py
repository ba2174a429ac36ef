"""The clerks' form in a real browser: Debian's headless Chromium, driven by Playwright.

The test setup serves the app on 127.0.0.1 (a real HTTP server in a thread) and
launches /usr/bin/chromium — no browser download, no network. Without chromium
the tests skip naming the package (fail under DOCGEN_TEST_STRICT=1). A screenshot
of the form is saved to test-artifacts/form.png.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from .conftest import ROOT, require_programs
from .docx_text import docx_text

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run", "--lang=vi",
]
SCREEN = {"width": 1366, "height": 768}


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    from docgen.app import create_app

    app = create_app({"instance_path": tmp_path_factory.mktemp("instance")})
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser():
    require_programs("chromium", package="chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=shutil.which("chromium"), headless=True, args=CHROMIUM_ARGS,
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    # A fresh context per test: its own (empty) localStorage and user data.
    context = browser.new_context(viewport=SCREEN, locale="vi-VN", accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # Subresources only: a form post answered with a file is an "aborted" navigation.
    page.on("requestfailed", lambda req: req.resource_type == "document"
            or errors.append(f"request failed: {req.url}"))
    yield page
    context.close()
    assert errors == [], errors  # no script error, nothing fetched from elsewhere


def by_name(page, name: str):
    return page.locator(f'[name="{name}"]')


def fill_minutes(page) -> dict[str, str]:
    """Type a whole minutes form by hand, with two team members. Returns what was typed."""
    typed = {
        "agency.parent_name": "UBND tỉnh Hậu Giang",
        "agency.name": "Đoàn kiểm tra ISO năm 2024",
        "agency.code": "ĐKT",
        "agency.place": "Hậu Giang",
        "number": "7",
        "summary": "Kiểm tra việc duy trì Hệ thống quản lý chất lượng tại UBND huyện Châu Thành A",
        "unit.name": "UBND huyện Châu Thành A",
        "basis": "Quyết định số 15/QĐ-BCĐ ngày 02/5/2024 của Ban Chỉ đạo ISO tỉnh",
        "location": "Hội trường UBND huyện Châu Thành A",
        "members[0].full_name": "Huỳnh Thị Ngọc Hân",
        "members[0].position": "Phó Giám đốc Sở Khoa học và Công nghệ",
        "members[0].unit": "Sở KH&CN",
        "members[1].full_name": "Trương Văn Đức",
        "members[1].position": "Chuyên viên Phòng Tiêu chuẩn",
        "members[1].unit": "Chi cục TĐC",
        "unit_representatives[0].full_name": "Lâm Quốc Việt",
        "unit_representatives[0].position": "Phó Chủ tịch UBND huyện",
        "findings[0].content": "Đã áp dụng cho toàn bộ thủ tục hành chính; cập nhật kịp thời.",
        "conclusion": "Đơn vị duy trì Hệ thống quản lý chất lượng phù hợp TCVN ISO 9001:2015.",
        "representative_signer.full_name": "Lâm Quốc Việt",
        "representative_signer.position": "Phó Chủ tịch UBND huyện",
        "signer.position": "Trưởng đoàn",
        "signer.full_name": "Huỳnh Thị Ngọc Hân",
        "recipients[0]": "UBND huyện Châu Thành A",
    }
    page.locator("[data-repeat='members'] [data-add-row]").click()
    for name, value in typed.items():
        by_name(page, name).fill(value)
    by_name(page, "date").fill("2024-05-14")
    by_name(page, "started_at").fill("2024-05-14T08:00")
    by_name(page, "ended_at").fill("2024-05-14T11:00")
    by_name(page, "members[0].role").select_option("truong_doan")
    by_name(page, "members[1].role").select_option("thu_ky")
    by_name(page, "findings[0].aspect").select_option("scope")
    return typed


def test_fill_the_minutes_and_download(server, page, tmp_path: Path):
    page.goto(f"{server}/forms/minutes")
    assert page.title().startswith("Biên bản kiểm tra")
    typed = fill_minutes(page)

    ARTIFACTS.mkdir(exist_ok=True)
    page.evaluate("document.activeElement.blur()")
    page.locator("[data-repeat='members']").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "form.png"))
    # Usable on 1366x768: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= SCREEN["width"]

    with page.expect_download() as info:
        page.get_by_role("button", name="Tạo văn bản (.docx)").click()
    download = info.value
    assert download.suggested_filename == "BB-07-ĐKT-2024-05-14.docx"
    target = tmp_path / "bb.docx"
    download.save_as(target)
    text = docx_text(target.read_bytes())
    for name in ("members[0].full_name", "members[1].full_name", "summary", "conclusion",
                 "findings[0].content", "members[1].position"):
        assert typed[name] in text, name
    assert "Thư ký" in text  # the role picked in the select, by its label
    assert "08 giờ 00 phút" in text  # the time typed in the picker


def test_missing_field_shows_the_message_and_keeps_the_rest(server, page):
    page.goto(f"{server}/forms/minutes")
    page.get_by_role("link", name="Tải mẫu ví dụ").click()
    page.wait_for_url("**/forms/minutes?example=1")
    by_name(page, "members[1].full_name").fill("")
    by_name(page, "conclusion").fill("Kết luận đã sửa tay.")
    page.get_by_role("button", name="Tạo văn bản (.docx)").click()

    page.wait_for_selector(".error-summary")
    error = page.locator("#f-members-1-full_name-error")
    assert error.inner_text().strip().endswith("Không được để trống.")
    # The message sits right under its input, inside the same field box.
    assert page.locator(".field:has(#f-members-1-full_name) .field-error").count() == 1
    assert by_name(page, "members[1].full_name").get_attribute("aria-invalid") == "true"
    # Every other value is still there.
    assert by_name(page, "conclusion").input_value() == "Kết luận đã sửa tay."
    assert by_name(page, "members[0].full_name").input_value() == "Trần Văn Lâu"
    assert by_name(page, "members[3].role").input_value() == "thu_ky"
    assert by_name(page, "started_at").input_value() == "2017-10-12T08:00"
    # The summary links to the field, and has the focus for screen readers.
    assert page.evaluate("document.activeElement.id") == "error-summary"
    page.locator(".error-summary a").first.click()
    assert page.evaluate("location.hash") == "#f-members-1-full_name"
    page.screenshot(path=str(ARTIFACTS / "form-error.png"))


def test_add_and_remove_rows(server, page):
    page.goto(f"{server}/forms/minutes")
    members = page.locator("[data-repeat='members']")
    rows = members.locator("[data-row]")
    assert rows.count() == 1
    assert members.locator("[data-remove-row]").first.is_hidden()  # at the minimum of 1

    members.locator("[data-add-row]").click()
    members.locator("[data-add-row]").click()
    assert rows.count() == 3
    assert page.evaluate("document.activeElement.name") == "members[2].full_name"
    by_name(page, "members[1].full_name").fill("Người thứ hai")
    by_name(page, "members[2].full_name").fill("Người thứ ba")
    # Each new input has its own label.
    assert page.get_by_label("Họ và tên").count() >= 3

    rows.nth(0).get_by_role("button", name="Xóa dòng 1 — Thành viên Đoàn kiểm tra").click()
    assert rows.count() == 2
    assert [r.inner_text() for r in members.locator("[data-row-number]").all()] == ["1", "2"]
    assert by_name(page, "members[1].full_name").input_value() == "Người thứ hai"

    # A list of single lines (Nơi nhận) works the same way.
    recipients = page.locator("[data-repeat='recipients']")
    recipients.locator("[data-add-row]").click()
    by_name(page, "recipients[1]").fill("Lưu hồ sơ Đoàn")
    assert page.get_by_label("Nơi nhận, dòng 2").input_value() == "Lưu hồ sơ Đoàn"

    # Submitting posts the rows as they are now: the blank first row is gone.
    page.get_by_role("button", name="Tạo văn bản (.docx)").click()
    page.wait_for_selector(".error-summary")
    assert by_name(page, "members[0].full_name").input_value() == "Người thứ hai"
    assert by_name(page, "members[1].full_name").input_value() == "Người thứ ba"
    assert by_name(page, "recipients[0]").input_value() == "Lưu hồ sơ Đoàn"


def test_draft_survives_a_reload(server, page):
    page.goto(f"{server}/forms/minutes")
    page.locator("[data-repeat='members'] [data-add-row]").click()
    by_name(page, "members[1].full_name").fill("Bản nháp chưa gửi")
    by_name(page, "summary").fill("Trích yếu đang soạn")
    by_name(page, "date").fill("2024-06-01")
    page.wait_for_timeout(400)  # the draft is saved 250 ms after the last keystroke
    page.reload()
    assert by_name(page, "members[1].full_name").input_value() == "Bản nháp chưa gửi"
    assert by_name(page, "summary").input_value() == "Trích yếu đang soạn"
    assert by_name(page, "date").input_value() == "2024-06-01"
    assert "khôi phục bản nháp" in page.locator("[data-draft-status]").inner_text()

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Xóa bản nháp").click()
    page.wait_for_load_state()
    page.wait_for_function("document.querySelector('[name=\"summary\"]').value === ''")
    assert page.locator("[data-repeat='members'] [data-row]").count() == 1
