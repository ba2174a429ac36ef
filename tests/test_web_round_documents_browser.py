"""The round's documents from its pages in a real browser (issue 16): Debian's Chromium,
driven by Playwright, on the Sóc Trăng 2017 round (120 units, 74 by report) behind the
login. The clerk opens the dashboard's "Lập văn bản" links, fills the decision, the letters
(one per unit, numbered: a .zip of 74 letters) and the report in the forms, downloads each
(through form-submit.js) and finds them issued on the dashboard, with the audit log."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .browser import chromium_page, served
from .docx_text import docx_text
from .register.roundsdata import minutes_for, new_round, soc_trang_units

KEY = "khoa-trang-0123456789abcdef"


@pytest.fixture
def docgen(tmp_path) -> Iterator[tuple[str, Any, Any]]:
    from docgen.app import create_app
    from docgen.register import EXTENSION
    from docgen.rounds import store

    app = create_app({"instance_path": tmp_path / "instance", "api_keys": KEY})
    factory = app.extensions[EXTENSION].session_factory
    round_ = store.create_round(factory, {**new_round(soc_trang_units()),
                                          "due_date": "2017-10-16"}, actor="cli:thu-ky")
    renderer = app.extensions["docgen.renderer"]
    store.record_minutes(renderer, factory, round_.id, 1, minutes_for("Văn phòng UBND tỉnh", 1))
    with served(app) as base:
        yield base, round_.id, factory


@pytest.fixture
def page():
    # accept "Thay nội dung … bằng mẫu ví dụ?"
    with chromium_page(accept_dialogs=True) as tab:
        yield tab


def _download(page: Any) -> tuple[str, bytes]:
    with page.expect_download() as download:
        page.click("[data-submit]")
    return download.value.suggested_filename, Path(download.value.path()).read_bytes()


def test_decision_letters_and_report_from_the_round_page(docgen, page):
    base, rid, _ = docgen
    page.goto(f"{base}/rounds/{rid}")
    assert "/login" in page.url
    page.fill("#f-key", KEY)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/rounds/{rid}")

    # The decision: the example (with the round's agency), its summary typed, numbered.
    page.click("#make-documents >> text=Quyết định thành lập Đoàn kiểm tra")
    page.wait_for_url(f"{base}/rounds/{rid}/decision")
    assert page.input_value("#f-agency-name") == "Sở Khoa học và Công nghệ"
    page.click("[data-load-example]")
    page.wait_for_url(f"{base}/rounds/{rid}/decision?example=1")
    page.fill("#f-summary", "Về việc thành lập Đoàn kiểm tra việc áp dụng HTQLCL năm 2017")
    page.check("#f-register")
    page.fill("#f-user", "Nguyễn Thị Lan")
    name, content = _download(page)
    assert name.endswith(".docx")
    decision = " ".join(docx_text(content).split())
    assert "thành lập Đoàn kiểm tra việc áp dụng HTQLCL năm 2017" in decision
    assert "Đã cấp số" in page.locator("[data-result]").inner_text()
    assert not page.is_checked("#f-register")  # the next click takes no second number

    # The letters: one per unit to the 74 by-report units (none has reported), numbered.
    page.goto(f"{base}/rounds/{rid}")
    page.click("#make-documents >> text=Công văn đề nghị gửi báo cáo")
    page.wait_for_url(f"{base}/rounds/{rid}/letters")
    assert page.locator("#letter-units input[type=checkbox]:checked").count() == 74
    assert page.locator("[name='units[0].name']").count() == 0  # the round's units are used
    page.click("[data-load-example]")
    page.wait_for_url(f"{base}/rounds/{rid}/letters?example=1")
    page.select_option("#f-grouping", "each")
    page.fill("#f-deadline", "")  # each unit's own due date (the round's: 16/10/2017)
    page.check("#f-register")
    name, content = _download(page)
    assert name == f"cong-van-dot-{rid}.zip"
    archive = zipfile.ZipFile(io.BytesIO(content))
    letters = [docx_text(archive.read(n)) for n in archive.namelist()]
    assert len(letters) == 74
    assert all("16/10/2017" in text for text in letters)
    by_report = [u["name"] for u in soc_trang_units() if u["mode"] == "by_report"]
    assert [next(n for n in by_report if n in text) for text in letters] == by_report

    # The report: 119 on-site results missing, so "allow incomplete"; a note per aspect.
    page.goto(f"{base}/rounds/{rid}/report")
    page.click("[data-load-example]")
    page.wait_for_url(f"{base}/rounds/{rid}/report?example=1")
    assert page.locator("[name='counts.planned']").count() == 0  # computed, not typed
    page.fill("#f-aspect_notes-internal_audit", "Một số nơi đánh giá nội bộ còn hình thức.")
    page.click("[data-submit]")  # incomplete: the page says so, next to the checkbox
    page.wait_for_selector("#error-summary")
    assert "chưa có biên bản" in page.locator("#error-summary").inner_text()
    assert page.input_value("#f-aspect_notes-internal_audit").startswith("Một số nơi")
    page.check("#f-allow-incomplete")
    page.check("#f-register")
    name, content = _download(page)
    report = " ".join(docx_text(content).split())
    assert "có 120 cơ quan, đơn vị được kiểm tra" in report
    assert "Một số nơi đánh giá nội bộ còn hình thức." in report

    # The dashboard: every document issued with its number, every generation in the log.
    page.goto(f"{base}/rounds/{rid}")
    documents = page.locator("#documents tbody").inner_text()
    assert "/QĐ-SKHCN" in documents and "/BC-SKHCN" in documents
    assert page.locator("#documents tbody tr", has_text="Công văn").count() == 74
    assert page.locator("#documents tbody tr", has_text="(chưa cấp số)").count() == 0
    assert "/BC-SKHCN" in page.locator('#progress dd[data-key="report"]').inner_text()
    log = page.locator("#log").inner_text()
    assert "Nguyễn Thị Lan" in log
    assert "Công văn đề nghị gửi báo cáo (mỗi đơn vị một công văn, 74 đơn vị): 74 văn bản" \
        in log
    assert "Báo cáo số" in log
