"""The round's dashboard in a real browser (issue 16): Debian's Chromium, driven by
Playwright, on an installation with keys — the clerk signs in, filters the units, records a
by-report unit's report with a file through the page's form (login + CSRF token), sees it
in the counts, the table and the audit log, downloads the export and the attached file.
A POST from the same browser without the page's token is refused and changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .browser import chromium_page, served
from .register.roundsdata import minutes_for, new_round, soc_trang_units

KEY = "khoa-trang-0123456789abcdef"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def docgen(tmp_path) -> Iterator[tuple[str, Any]]:
    from docgen.app import create_app
    from docgen.register import EXTENSION
    from docgen.rounds import store

    app = create_app({"instance_path": tmp_path / "instance", "api_keys": KEY})
    factory = app.extensions[EXTENSION].session_factory
    round_ = store.create_round(factory, {**new_round(soc_trang_units()),
                                          "due_date": "2017-10-16"}, actor="cli:thu-ky")
    renderer = app.extensions["docgen.renderer"]
    store.record_minutes(renderer, factory, round_.id, 1, minutes_for("Văn phòng UBND tỉnh", 1),
                         register=True)
    with served(app) as base:
        yield base, round_.id


@pytest.fixture
def page():
    with chromium_page() as tab:
        yield tab


def test_the_dashboard_in_a_browser(docgen, page, tmp_path):
    base, rid = docgen
    page.goto(f"{base}/rounds")
    assert "/login" in page.url  # the pages need the login
    page.fill("#f-key", KEY)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/rounds")
    assert page.locator("table.rounds tbody tr").count() == 1
    page.click("text=Kiểm tra việc áp dụng HTQLCL theo TCVN ISO 9001:2008 năm 2017")
    assert page.locator('#progress dd[data-key="planned"]').inner_text() == "120"
    assert page.locator('#progress dd[data-key="by_report"]').inner_text() == "74"
    assert page.locator('#progress dd[data-key="minutes"]').inner_text() == "1"
    assert page.locator('#progress dd[data-key="reports_received"]').inner_text() == "0/74"
    # every by-report unit is late (the round's due date, 16/10/2017, has passed)
    assert page.locator('#progress dd[data-key="overdue"]').inner_text() == "74"
    documents = page.locator("#documents tbody").inner_text()
    assert "Biên bản" in documents and "/BB-ĐKT" in documents

    page.select_option("#u-mode", "by_report")
    page.check('input[name="overdue"]')
    page.click("form.filters button[type=submit]")
    assert page.locator("#units tbody tr").count() == 74
    assert "mode=by_report" in page.url

    with page.expect_download() as download:
        page.click("text=Tải CSV")
    csv_text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert csv_text.count("\n") == 75 and "Chưa gửi báo cáo" in csv_text

    first = page.locator("#units tbody tr").first
    stt = first.get_attribute("data-stt")
    name = first.locator("td").nth(1).inner_text()
    attached = tmp_path / "bao-cao-tu-kiem-tra.pdf"
    attached.write_bytes(PDF)
    page.select_option("#s-stt", stt)
    page.fill("#s-date", "2017-10-09")
    page.fill("#s-scope", "Áp dụng cho toàn bộ thủ tục hành chính thuộc thẩm quyền.")
    page.fill("#s-internal_audit", "Đã đánh giá nội bộ tháng 6/2017.")
    page.fill("#s-remarks", "Báo cáo đủ nội dung.")
    page.set_input_files("#s-files", str(attached))
    page.fill("#s-user", "Nguyễn Thị Lan")
    page.click("#submission-form button[type=submit]")
    page.wait_for_url(f"{base}/rounds/{rid}?done=submission")
    assert "Đã ghi: Nhận báo cáo." in page.locator(".done").inner_text()
    assert page.locator('#progress dd[data-key="reports_received"]').inner_text() == "1/74"
    assert page.locator('#progress dd[data-key="overdue"]').inner_text() == "73"
    row = page.locator(f'#units tr[data-stt="{stt}"]')
    assert "2017-10-09 (2 nội dung)" in row.inner_text()
    log = page.locator("#log tbody tr").first.inner_text()
    assert "Nguyễn Thị Lan" in log and name in log and "trang:khóa " in log
    with page.expect_download() as download:
        row.locator("a", has_text="bao-cao-tu-kiem-tra.pdf").click()
    assert Path(download.value.path()).read_bytes() == PDF

    # Without the page's token the same browser's POST is refused, nothing recorded.
    refused = page.request.post(f"{base}/rounds/{rid}/corrections",
                                form={"stt": "1", "reported_on": "2017-11-15"},
                                headers={"Origin": base})
    assert refused.status == 403
    page.goto(f"{base}/rounds/{rid}")
    assert "Báo cáo khắc phục" not in page.locator("#log").inner_text()
    # A wrong date through the form: the Vietnamese error on the page, not a 500.
    page.click("text=Đơn vị đã báo cáo kết quả khắc phục")
    page.select_option("#c-stt", "1")
    page.fill("#c-date", "2017-11-15")
    page.fill("#c-note", "x" * 2001)
    page.click("text=Ghi báo cáo khắc phục")
    assert "note" in page.locator(".problem").inner_text()


def test_a_file_too_large_is_refused_before_it_is_sent(docgen, page):
    """upload-limit.js: over 10 MB a file, nothing leaves the browser and the typed
    self-assessment stays; the message names the file and the limit."""
    base, rid = docgen
    page.goto(f"{base}/login")
    page.fill("#f-key", KEY)
    page.click("button[type=submit]")
    page.goto(f"{base}/rounds/{rid}")
    sent: list[str] = []
    page.on("request", lambda request: sent.append(request.method) if request.method == "POST"
            else None)
    stt = page.locator("#s-stt option").nth(1).get_attribute("value")
    page.select_option("#s-stt", stt)
    page.fill("#s-date", "2017-10-09")
    page.fill("#s-scope", "Áp dụng cho toàn bộ thủ tục hành chính thuộc thẩm quyền.")
    big = b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024)
    page.set_input_files("#s-files", files=[
        {"name": "ban-scan-lon.pdf", "mimeType": "application/pdf", "buffer": big}])
    page.click("#submission-form button[type=submit]")
    problem = page.locator("#submission-form [data-upload-problem]")
    problem.wait_for()
    said = problem.inner_text()
    assert "ban-scan-lon.pdf" in said and "quá giới hạn 10 MB mỗi tệp" in said, said
    assert "[upload_too_large]" in said
    assert sent == [] and page.url == f"{base}/rounds/{rid}"
    assert page.input_value("#s-scope").startswith("Áp dụng cho toàn bộ")
    assert page.locator('#progress dd[data-key="reports_received"]').inner_text() == "0/74"

    page.set_input_files("#s-files", files=[
        {"name": "bao-cao.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.click("#submission-form button[type=submit]")
    page.wait_for_url(f"{base}/rounds/{rid}?done=submission")
    assert sent == ["POST"]
    assert page.locator('#progress dd[data-key="reports_received"]').inner_text() == "1/74"
