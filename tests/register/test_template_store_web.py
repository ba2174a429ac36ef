"""The administrators' page: sign in with an administrator key, upload, deploy; CSRF."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from docgen.catalog import DOCUMENT_TYPES

from ..conftest import raw_client
from ..docx_text import docx_text
from .storedata import edited, example, pack
from .test_template_store import make_app, stored_rows


@pytest.fixture
def app(tmp_path: Path, sqlite_url: str) -> Iterator[Flask]:
    yield make_app(tmp_path, sqlite_url)
    DOCUMENT_TYPES.attach_store(None)


def token(client: FlaskClient, path: str = "/admin/templates") -> str:
    page = client.get(path).get_data(as_text=True)
    found = re.search(r'name="_csrf" value="([^"]+)"', page)
    assert found, page[:500]
    return found.group(1)


def sign_in(client: FlaskClient, key: str = "admin-key-2") -> None:
    answer = client.post("/admin/login", data={"key": key, "_csrf": token(client)})
    assert answer.status_code == 302, answer.get_data(as_text=True)[:300]


def test_sign_in_upload_deploy_and_the_document_changes(app):
    client = app.test_client()
    assert "Khóa quản trị" in client.get("/admin/templates").get_data(as_text=True)
    sign_in(client)
    listing = client.get("/admin/templates").get_data(as_text=True)
    assert "Thông báo kết quả kiểm tra" in listing and "admin:" in listing

    csrf = token(client, "/admin/templates/notice")
    uploaded = client.post("/admin/templates/notice/versions", data={
        "_csrf": csrf, "comment": "Sửa trên trang",
        "template": (io.BytesIO(edited("notice", "SỬA TRÊN TRANG")), "mau.docx")},
        content_type="multipart/form-data", follow_redirects=True)
    page = uploaded.get_data(as_text=True)
    assert "Đã lưu phiên bản 1" in page and "Sửa trên trang" in page
    deployed = client.post("/admin/templates/notice/versions/1/deploy", data={"_csrf": csrf},
                           follow_redirects=True)
    assert "Đang dùng phiên bản 1" in deployed.get_data(as_text=True)
    document = client.post("/api/v1/documents/notice", json=example("notice"))
    assert "SỬA TRÊN TRANG" in docx_text(document.data)

    bad = client.post("/admin/templates/notice/versions", data={
        "_csrf": csrf, "pack": (io.BytesIO(pack("notice", example_text="{}")), "p.zip")},
        content_type="multipart/form-data")
    assert bad.status_code == 422
    assert "pack_refused" in bad.get_data(as_text=True)
    assert stored_rows(app) == (1, 1)

    added = client.post("/admin/templates", data={
        "_csrf": csrf, "pack": (io.BytesIO(pack("notice", new_id="permit")), "permit.zip")},
        content_type="multipart/form-data", follow_redirects=True)
    assert "Đã thêm loại permit" in added.get_data(as_text=True)


def test_a_wrong_key_or_a_missing_token_changes_nothing(app):
    client = app.test_client()
    wrong = client.post("/admin/login", data={"key": "nope", "_csrf": token(client)})
    assert wrong.status_code == 401 and "không đúng" in wrong.get_data(as_text=True)
    unsigned = client.post("/admin/templates/notice/versions/1/deploy",
                           data={"_csrf": token(client)})
    assert unsigned.status_code == 401
    sign_in(client)
    # A page on another site posting with the administrator's cookie but without the
    # pages' token (the test client adds the token for docgen's own pages: not here).
    attacker = raw_client(app)
    attacker.set_cookie(**_session_cookie(client))
    forged = attacker.post("/admin/templates/notice/versions", data={
        "template": (io.BytesIO(edited("notice", "X")), "x.docx")},
        content_type="multipart/form-data")
    assert forged.status_code == 403 and "csrf_failed" in forged.get_data(as_text=True)
    assert stored_rows(app) == (0, 0)


def test_without_admin_keys_the_page_changes_nothing(tmp_path, sqlite_url):
    app = make_app(tmp_path, sqlite_url, admin_keys="")
    try:
        client = app.test_client()
        page = client.get("/admin/templates")
        assert page.status_code == 403 and "DOCGEN_ADMIN_KEYS" in page.get_data(as_text=True)
        login = client.post("/admin/login", data={"key": "admin-key-1"})
        assert login.status_code == 403
        assert stored_rows(app) == (0, 0)
    finally:
        DOCUMENT_TYPES.attach_store(None)


def _session_cookie(client: FlaskClient) -> dict[str, str]:
    cookie = client.get_cookie("docgen_session")
    assert cookie is not None
    return {"key": cookie.key, "value": cookie.value, "domain": cookie.domain}
