"""The administrators' page /admin/templates in a real browser (Debian's Chromium, Playwright).

An administrator signs in with an administrator key, uploads a pack as a new version of the
notice (its declaration adds a required field the template never shows: ``docgen check``
warns), sees that finding on the page, uploads an edited template, deploys it, rolls back
to the first version and then to the shipped template. After each step the test asks the
API — another client — what is deployed and renders a document: the page's word is not
taken for it. Runs on SQLite and on a real PostgreSQL cluster; without chromium it skips
naming the package (fails under DOCGEN_TEST_STRICT=1).
"""

from __future__ import annotations

import json
import shutil
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from docgen.catalog import DOCUMENT_TYPES

from ..browser import CHROMIUM_ARGS, SCREEN, served
from ..conftest import require_programs
from ..docx_text import docx_text
from .storedata import edited, example, pack, shipped

ADMIN_KEY = "khoa-quan-tri-1"


@pytest.fixture
def docgen(tmp_path: Path, database_url: str) -> Iterator[str]:
    from docgen.app import create_app

    app = create_app({"instance_path": tmp_path / "instance", "database_url": database_url,
                      "admin_keys": ADMIN_KEY})
    try:
        with served(app) as url:
            yield url
    finally:
        DOCUMENT_TYPES.attach_store(None)


@pytest.fixture
def page() -> Iterator[Any]:
    require_programs("chromium", package="chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"),
                                             headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=SCREEN, locale="vi-VN")
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        yield page
        context.close()
        browser.close()
        assert errors == [], errors


def api(base: str, path: str, body: Any = None) -> Any:
    """What the API says (JSON), or the rendered document's text (a POST of ``body``)."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        content = answer.read()
    return docx_text(content) if body is not None else json.loads(content)


def versions(base: str) -> list[tuple[int, bool]]:
    listed = api(base, "/api/v1/document-types/notice/versions")["versions"]
    return [(v["version"], v["deployed"]) for v in listed]


def text(page: Any) -> str:
    return str(page.locator("main").inner_text())


def deploy_row(page: Any, number: int) -> None:
    row = page.locator("tbody tr").filter(has=page.locator(f"td:first-child:text-is('{number}')"))
    row.get_by_role("button", name="Triển khai").click()


def test_sign_in_upload_see_findings_deploy_and_roll_back(docgen: str, page: Any,
                                                          tmp_path: Path) -> None:
    declaration = shipped("notice", "type.toml").decode() + (
        '\n[fields.inspector]\nkind = "text"\nlabel = "Người kiểm tra"\n')
    data = example("notice")
    data["inspector"] = "Nguyễn Thị Mai"
    first = tmp_path / "thong-bao-moi.zip"
    first.write_bytes(pack("notice", declaration=declaration,
                           example_text=json.dumps(data, ensure_ascii=False)))
    second = tmp_path / "mau-sua.docx"
    second.write_bytes(edited("notice", "MẪU SỬA TRÊN TRÌNH DUYỆT"))

    page.goto(f"{docgen}/admin/templates")
    assert "Khóa quản trị" in text(page)
    page.fill("#admin-key", "sai-khoa")
    page.get_by_role("button", name="Đăng nhập").click()
    assert "Khóa quản trị không đúng." in text(page)
    page.fill("#admin-key", ADMIN_KEY)
    page.get_by_role("button", name="Đăng nhập").click()
    listing = text(page)
    assert "Thông báo kết quả kiểm tra" in listing and "admin:" in listing
    assert ADMIN_KEY not in page.content()  # the page shows the key's fingerprint only

    page.get_by_role("link", name="notice", exact=True).click()
    assert "Chưa có phiên bản nào trong kho" in text(page)

    # a pack as version 1: stored, not deployed, and the check's warning shown
    page.set_input_files("#v-pack", str(first))
    page.fill("#v-comment", "Thêm người kiểm tra")
    page.get_by_role("button", name="Tải lên").click()
    shown = text(page)
    assert "Đã lưu phiên bản 1; chưa triển khai. (1 cảnh báo khi kiểm tra)" in shown
    assert "Kiểm tra phiên bản 1 (docgen check)" in shown
    finding = page.locator("section.findings li").inner_text()
    assert finding.startswith("Cảnh báo [required_field_not_shown]: Trường bắt buộc "
                              "«Người kiểm tra» (inspector)")
    assert versions(docgen) == [(1, False)]

    # an edited template as version 2: no finding
    page.set_input_files("#v-template", str(second))
    page.get_by_role("button", name="Tải lên").click()
    assert "Đã lưu phiên bản 2; chưa triển khai." in text(page)
    assert "Không có lỗi hay cảnh báo nào." in text(page)
    assert versions(docgen) == [(2, False), (1, False)]
    assert "MẪU SỬA TRÊN TRÌNH DUYỆT" not in api(docgen, "/api/v1/documents/notice",
                                                 example("notice"))

    deploy_row(page, 2)
    assert "Đang dùng phiên bản 2." in text(page)
    assert "2 (đang dùng)" in text(page)
    assert versions(docgen) == [(2, True), (1, False)]
    assert "MẪU SỬA TRÊN TRÌNH DUYỆT" in api(docgen, "/api/v1/documents/notice",
                                             example("notice"))

    # roll back to version 1: its declaration (the new field) is what the API now asks for
    deploy_row(page, 1)
    assert "Đang dùng phiên bản 1." in text(page)
    assert versions(docgen) == [(2, False), (1, True)]
    schema = api(docgen, "/api/v1/document-types/notice/schema")
    assert "inspector" in schema["required"]
    assert "MẪU SỬA TRÊN TRÌNH DUYỆT" not in api(docgen, "/api/v1/documents/notice", data)

    # and back to the shipped template
    page.get_by_role("button", name="Quay lại mẫu đi kèm").click()
    assert "Đang dùng mẫu đi kèm." in text(page)
    listed = {t["id"]: t for t in api(docgen, "/api/v1/document-types")["document_types"]}
    assert listed["notice"]["source"] == "shipped"
    assert listed["notice"]["deployed_version"] is None
    assert versions(docgen) == [(2, False), (1, False)]
    assert "inspector" not in api(docgen, "/api/v1/document-types/notice/schema")["properties"]
