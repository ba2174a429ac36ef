"""The clerks' form in a real browser: Debian's headless Chromium, driven by Playwright.

The test setup serves the app on 127.0.0.1 (a real HTTP server in a thread) and
launches /usr/bin/chromium — no browser download, no network. Without chromium
the tests skip naming the package (fail under DOCGEN_TEST_STRICT=1). The tests
marked libreoffice (PDF, preview) run the real converter pool. A screenshot of the
form with its preview is saved to test-artifacts/form.png (the README's docs/form.png).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from urllib.request import urlopen

import pytest

from .browser import CHROMIUM_ARGS, SCREEN, served
from .conftest import ROOT, require_programs
from .docx_text import docx_text
from .pdf.support import requires_libreoffice

ARTIFACTS = ROOT / "test-artifacts"


@contextmanager
def serving(settings: dict[str, Any]) -> Iterator[str]:
    """The app with ``settings`` on a free port of 127.0.0.1; its PDF pool closed after."""
    from docgen.app import create_app

    app = create_app(settings)
    try:
        with served(app) as url:
            yield url
    finally:
        app.extensions["docgen.renderer"].close()  # no soffice outlives the module


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    with serving({"instance_path": tmp_path_factory.mktemp("instance"), "pdf_workers": 1}) as url:
        yield url


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
    by_name(page, "date").fill("14/05/2024")  # as a clerk types it: dd/mm/yyyy
    by_name(page, "started_at").fill("14/05/2024 08:00")
    by_name(page, "ended_at").fill("14/05/2024 11:00")
    by_name(page, "members[0].role").select_option("truong_doan")
    by_name(page, "members[1].role").select_option("thu_ky")
    by_name(page, "findings[0].aspect").select_option("scope")
    return typed


def test_fill_the_minutes_and_download(server, page, tmp_path: Path):
    page.goto(f"{server}/forms/minutes")
    assert page.title().startswith("Biên bản kiểm tra")
    typed = fill_minutes(page)

    # Usable on 1366x768, the preview beside the form: nothing wider than the screen.
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
    assert "08 giờ 00 phút" in text  # the time typed


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
    assert by_name(page, "started_at").input_value() == "12/10/2017 08:00"
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
    by_name(page, "date").fill("01/06/2024")
    page.wait_for_timeout(400)  # the draft is saved 250 ms after the last keystroke
    page.reload()
    assert by_name(page, "members[1].full_name").input_value() == "Bản nháp chưa gửi"
    assert by_name(page, "summary").input_value() == "Trích yếu đang soạn"
    assert by_name(page, "date").input_value() == "01/06/2024"
    # the echo beside the restored date is drawn again
    page.wait_for_function(
        "document.getElementById('f-date-echo').textContent === 'ngày 01 tháng 6 năm 2024'")
    assert "khôi phục bản nháp" in page.locator("[data-draft-status]").inner_text()

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Xóa bản nháp").click()
    page.wait_for_load_state()
    page.wait_for_function("document.querySelector('[name=\"summary\"]').value === ''")
    assert page.locator("[data-repeat='members'] [data-row]").count() == 1


# --- submitting through fetch(): result, busy state, Cấp số, warnings, preview -----------------

REPORT_WARNING = ("Số đơn vị kiểm tra tại trụ sở (30) ít hơn một phần ba số đơn vị trong kế "
                  "hoạch (120); quy định yêu cầu ít nhất một phần ba.")


def register_items(server: str, **query: Any) -> list[dict[str, Any]]:
    """The outgoing register as GET /api/v1/register lists it (no keys on loopback)."""
    with urlopen(f"{server}/api/v1/register?{urlencode({'per_page': 500, **query})}") as answer:
        return json.load(answer)["items"]  # type: ignore[no-any-return]


def result_box(page):
    box = page.locator("[data-result]")
    box.wait_for(state="visible")
    return box


def hold(page, url_glob: str) -> list[Any]:
    """Hold the requests to ``url_glob`` until the test lets them go (route.continue_()):
    the real server answers them, the test only chooses when."""
    held: list[Any] = []
    page.route(url_glob, lambda route: held.append(route))
    return held


def wait_held(page, held: list[Any]) -> None:
    while not held:
        page.wait_for_timeout(20)


def test_success_clears_the_stale_errors_and_says_what_was_made(server, page, tmp_path: Path):
    page.goto(f"{server}/forms/minutes?example=1")
    page.evaluate("window.sameDocument = true")  # gone if the browser navigated
    by_name(page, "members[1].full_name").fill("")
    page.get_by_role("button", name="Tạo văn bản (.docx)").click()
    page.wait_for_selector(".error-summary")
    assert page.locator(".field-error").count() == 1
    assert page.evaluate("window.sameDocument") is True  # the 422 page came through fetch()

    by_name(page, "members[1].full_name").fill("Lê Thị Hồng Đào Sửa")
    with page.expect_download() as info:
        page.get_by_role("button", name="Tạo văn bản (.docx)").click()
    box = result_box(page)
    assert info.value.suggested_filename == "BB-12-ĐKT-2017-10-12.docx"
    assert box.locator("h2").inner_text() == "Đã tạo văn bản"
    assert "Đã tải xuống tệp BB-12-ĐKT-2017-10-12.docx." in box.inner_text()
    assert "cấp số" not in box.inner_text().lower()  # nothing was numbered
    # The red marks of the last answer are gone; the field is valid again for screen readers.
    assert page.locator(".error-summary").count() == 0
    assert page.locator(".field-error").count() == 0
    assert page.locator(".has-error").count() == 0
    assert by_name(page, "members[1].full_name").get_attribute("aria-invalid") is None
    assert page.evaluate("window.sameDocument") is True
    target = tmp_path / "bb.docx"
    info.value.save_as(target)
    assert "Lê Thị Hồng Đào Sửa" in docx_text(target.read_bytes())


@pytest.mark.libreoffice
@requires_libreoffice[1]
def test_busy_while_the_pdf_renders_and_the_label_follows_the_format(server, page, tmp_path):
    page.goto(f"{server}/forms/minutes?example=1")
    button = page.locator("[data-submit]")
    assert button.inner_text() == "Tạo văn bản (.docx)"
    page.locator("#f-format").select_option("pdf")
    assert button.inner_text() == "Tạo văn bản (.pdf)"

    held = hold(page, "**/forms/minutes")
    button.click()
    wait_held(page, held)  # the request is at the server's door: the page must say it works
    assert button.is_disabled() and button.inner_text() == "Đang tạo văn bản…"
    assert page.locator("[data-preview-button]").is_disabled()
    assert page.locator("form[data-docgen-form]").get_attribute("aria-busy") == "true"
    with page.expect_download() as info:
        held[0].continue_()
    page.unroute("**/forms/minutes")

    assert info.value.suggested_filename == "BB-12-ĐKT-2017-10-12.pdf"
    target = tmp_path / "bb.pdf"
    info.value.save_as(target)
    assert target.read_bytes()[:5] == b"%PDF-"
    assert "BB-12-ĐKT-2017-10-12.pdf" in result_box(page).inner_text()
    assert not button.is_disabled() and button.inner_text() == "Tạo văn bản (.pdf)"


def test_cap_so_shows_the_number_unticks_and_two_quick_clicks_take_one(server, page):
    page.goto(f"{server}/forms/minutes?example=1")
    by_name(page, "agency.code").fill("ĐKTA")  # an issuer of this test's own
    page.locator("#f-register").check()
    posts: list[str] = []
    page.on("request", lambda req: req.method == "POST" and posts.append(req.url))

    with page.expect_download() as info:
        # Two clicks and a keyboard-style submit in the same instant: the first one wins.
        page.evaluate("""() => {
            const button = document.querySelector('[data-submit]');
            button.click(); button.click();
            document.querySelector('form[data-docgen-form]').requestSubmit();
        }""")
    box = result_box(page)
    entries = register_items(server, issuer="ĐKTA")
    assert len(entries) == 1  # one number for the three submits
    assert posts == [f"{server}/forms/minutes"]
    entry = entries[0]
    assert entry["symbol"] == f"{entry['number']:02d}/BB-ĐKTA"  # percent-decoded on the page
    assert box.locator("h2").inner_text() == "Đã tạo và cấp số văn bản"
    assert (f"Đã cấp số {entry['number']}, số ký hiệu {entry['symbol']}, "
            "và vào sổ đăng ký văn bản đi.") in box.inner_text()
    assert info.value.suggested_filename == entry["filename"]
    # Unticked, so the next click makes the file again without taking a number.
    assert not page.locator("#f-register").is_checked()
    assert "đã được bỏ chọn" in box.inner_text()
    with page.expect_download():
        page.get_by_role("button", name="Tạo văn bản (.docx)").click()
    page.wait_for_function(
        "!document.querySelector('[data-result]').textContent.includes('Đã cấp số')")
    assert len(register_items(server, issuer="ĐKTA")) == 1


def test_warnings_are_shown_after_the_render(server, page):
    page.goto(f"{server}/forms/report?example=1")
    by_name(page, "counts.on_site").fill("30")
    by_name(page, "counts.by_report").fill("90")
    with page.expect_download():
        page.get_by_role("button", name="Tạo văn bản (.docx)").click()
    box = result_box(page)
    assert box.locator("h3").inner_text() == "Lưu ý (1): văn bản vẫn được tạo"
    warning = box.locator(".warning")
    assert warning.count() == 1
    assert warning.inner_text() == f"Số đơn vị kiểm tra tại trụ sở: {REPORT_WARNING}"
    assert warning.locator("a").get_attribute("href") == "#f-counts-on_site"


def test_preview_with_errors_puts_them_under_their_fields(server, page):
    page.goto(f"{server}/forms/minutes?example=1")
    by_name(page, "conclusion").fill("")
    page.get_by_role("button", name="Xem trước").click()
    page.wait_for_selector(".error-summary")
    assert page.locator("#f-conclusion-error").inner_text().strip().endswith("Không được để trống.")
    status = page.locator("[data-preview-status]").inner_text()
    assert status == "Chưa xem trước được: dữ liệu còn lỗi, xem các thông báo trong biểu mẫu."
    assert page.locator("[data-preview-image]").is_hidden()


def test_preview_without_libreoffice_says_so(browser, tmp_path):
    with serving({"instance_path": tmp_path, "pdf_soffice": "/nonexistent/soffice"}) as url:
        context = browser.new_context(viewport=SCREEN, locale="vi-VN")
        page = context.new_page()
        page.goto(f"{url}/forms/minutes?example=1")
        page.get_by_role("button", name="Xem trước").click()
        page.wait_for_selector("[data-preview-status].preview-error")
        status = page.locator("[data-preview-status]").inner_text()
        context.close()
    # The problem's Vietnamese title and detail, and its code: what to tell the IT unit.
    assert status.startswith("Bộ chuyển PDF không sẵn sàng: Không tìm thấy LibreOffice")
    assert "libreoffice-writer-nogui" in status
    assert status.endswith("Mã lỗi: converter_unavailable (HTTP 503)")


@pytest.mark.libreoffice
@requires_libreoffice[1]
def test_preview_beside_the_form_and_the_readme_screenshot(server, page):
    page.goto(f"{server}/forms/minutes")
    fill_minutes(page)
    page.locator("#f-register").check()  # ticked: the preview still takes no number
    page.get_by_role("button", name="Xem trước").click()
    image = page.locator("[data-preview-image]")
    image.wait_for(state="visible")
    page.wait_for_function("document.querySelector('[data-preview-image]').naturalWidth > 0")
    assert image.evaluate("i => [i.naturalWidth, i.naturalHeight]") == [900, 1273]  # A4
    assert image.get_attribute("alt") == "Trang 1 của văn bản, như khi in"
    status = page.locator("[data-preview-status]").inner_text()
    assert status.startswith("Trang 1/") and "từ dữ liệu đang nhập" in status
    pages = int(status.split("/")[1].split(",")[0])
    # Beside the form: to its right, inside the screen.
    form_box = page.locator("form[data-docgen-form]").bounding_box()
    preview_box = page.locator("[data-preview]").bounding_box()
    assert preview_box["x"] >= form_box["x"] + form_box["width"]
    assert preview_box["x"] + preview_box["width"] <= SCREEN["width"]
    assert register_items(server, issuer="ĐKT", year=2024) == []
    if pages > 1:
        first_src = image.get_attribute("src")
        page.get_by_role("button", name="Trang sau").click()
        page.wait_for_function(
            f"document.querySelector('[data-preview-pages]').textContent === 'Trang 2/{pages}'")
        assert image.get_attribute("src") != first_src
        page.get_by_role("button", name="Trang trước").click()  # page 1 for the screenshot
        page.wait_for_function(
            f"document.querySelector('[data-preview-pages]').textContent === 'Trang 1/{pages}'")

    with page.expect_download():
        page.get_by_role("button", name="Tạo văn bản (.docx)").click()
    result_box(page)
    assert len(register_items(server, issuer="ĐKT", year=2024)) == 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")
    page.screenshot(path=str(ARTIFACTS / "form.png"))


def test_download_works_without_javascript(browser, server, tmp_path):
    context = browser.new_context(viewport=SCREEN, locale="vi-VN", accept_downloads=True,
                                  java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{server}/forms/minutes?example=1")
    by_name(page, "conclusion").fill("Kết luận gửi không qua JavaScript.")
    with page.expect_download() as info:
        page.get_by_role("button", name="Tạo văn bản (.docx)").click()
    target = tmp_path / "bb.docx"
    info.value.save_as(target)
    context.close()
    assert info.value.suggested_filename == "BB-12-ĐKT-2017-10-12.docx"
    assert "Kết luận gửi không qua JavaScript." in docx_text(target.read_bytes())
