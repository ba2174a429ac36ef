"""Bad uploads to the template store: each refused with a stable code naming the place,
nothing stored, the deployed version untouched (issue 14, "Bad input")."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from docgen.catalog import DOCUMENT_TYPES

from ..check.builders import damaged
from ..docx_text import docx_text
from .storedata import document_xml, edited, example, pack, rezip, shipped, with_paragraph
from .test_template_store import ADMIN, make_app, stored_rows, upload

NOTICE_TOML = shipped("notice", "type.toml").decode()


def zip_of(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def with_dtd(docx: bytes) -> bytes:
    xml = document_xml(docx)
    head, _, rest = xml.partition(b"?>")
    dtd = b'<!DOCTYPE w:document [<!ENTITY lol "lol">]>'
    return rezip(docx, {"word/document.xml": head + b"?>" + dtd + rest})


def bomb_docx() -> bytes:
    """A template with one 30 MiB part of zeros: a few KB compressed, ratio > 100."""
    return rezip(shipped("notice", "template.docx"), {"word/media/zeros.bin": b"\0" * (30 << 20)})


NOTICE_TEMPLATE = shipped("notice", "template.docx")

#: (case, multipart field, file, expected status, code, place or message fragment)
CASES: list[tuple[str, str, Callable[[], bytes], int, str, str]] = [
    ("not a zip", "pack", lambda: b"just some text", 400, "unreadable_input", "zip"),
    ("template not a docx", "template", lambda: zip_of({"a.txt": b"x"}), 422,
     "upload_refused", "word/document.xml"),
    ("pack without type.toml", "pack", lambda: zip_of({"README.md": b"x"}), 422,
     "upload_refused", "type.toml"),
    ("zip bomb in the template", "template", bomb_docx, 413, "archive_too_large", ""),
    ("zip bomb in a pack", "pack", lambda: pack("notice", extra={"big.bin": b"\0" * (30 << 20)}),
     413, "archive_too_large", ""),
    ("DTD and entity in the template", "template", lambda: with_dtd(NOTICE_TEMPLATE), 422,
     "unsafe_xml", "template.bin: word/document.xml"),
    ("DTD in a pack's template", "pack",
     lambda: pack("notice", template=with_dtd(NOTICE_TEMPLATE)), 422, "unsafe_xml",
     "template.docx: word/document.xml"),
    ("unknown key in the declaration", "pack",
     lambda: pack("notice", declaration=NOTICE_TOML.replace("order = 35",
                                                            'order = 35\ncolour = "red"')),
     422, "pack_refused", "colour"),
    ("unknown field kind", "pack",
     lambda: pack("notice", declaration=NOTICE_TOML.replace('kind = "date"',
                                                            'kind = "colour"', 1)),
     422, "pack_refused", "fields.inspected_on.kind"),
    ("a limit of the wrong kind", "pack",
     lambda: pack("notice", declaration=NOTICE_TOML.replace("min_rows = 1",
                                                            'min_rows = "one"', 1)),
     422, "pack_refused", "fields.findings.min_rows"),
    ("hooks in an uploaded declaration", "pack",
     lambda: pack("notice", declaration=NOTICE_TOML.replace(
         "\n[fields.unit_name]", '\n[hooks]\ncontext = "report"\n\n[fields.unit_name]')),
     422, "pack_refused", "chỉ dùng được trong gói đi kèm"),
    ("template outside the pack", "pack",
     lambda: pack("notice", declaration=NOTICE_TOML.replace(
         "order = 35", 'order = 35\ntemplate = "../../etc/x.docx"')), 422, "pack_refused",
     "template"),
    ("example that does not validate", "pack",
     lambda: pack("notice", example_text='{"unit_name": "X"}'), 422, "pack_refused",
     "example.json"),
    ("no example", "pack", lambda: pack("notice", leave_out=("example.json",)), 422,
     "upload_refused", "example.json"),
    # docgen check reads the template first: its findings refuse the upload, located as
    # a Word user finds them (the paragraph's words), before the example is rendered.
    ("template reading outside its sandbox", "template",
     lambda: with_paragraph(NOTICE_TEMPLATE, "{{ unit_name.__class__.__mro__ }}"), 422,
     "template_check_failed", "vùng bị cấm"),
    ("template syntax error", "template",
     lambda: with_paragraph(NOTICE_TEMPLATE, "{{ unit_name "), 422, "template_check_failed",
     "unclosed_tag"),
    ("a pack of another type", "pack", lambda: pack("letter"), 422, "pack_id_mismatch", ""),
    ("empty file", "template", lambda: b"", 422, "upload_refused", ""),
    # damaged LZMA data inside a member was lzma.LZMAError through the upload: a 500
    ("a member with damaged LZMA data", "template",
     lambda: damaged(NOTICE_TEMPLATE, zipfile.ZIP_LZMA), 422, "upload_refused",
     "word/document.xml"),
]


@pytest.fixture
def app(tmp_path: Path, sqlite_url: str) -> Iterator[Flask]:
    yield make_app(tmp_path, sqlite_url)
    DOCUMENT_TYPES.attach_store(None)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def assert_untouched(app: Flask, client: FlaskClient, marker: str | None = None) -> None:
    assert stored_rows(app) == (0, 0)
    listed = client.get("/api/v1/document-types").get_json()["document_types"]
    notice = next(t for t in listed if t["id"] == "notice")
    assert notice["source"] == "shipped" and len(listed) == 7


@pytest.mark.parametrize(("field", "make", "status", "code", "where"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_bad_version_is_refused_and_nothing_is_stored(app, client, field, make, status,
                                                        code, where):
    answer = upload(client, "/api/v1/document-types/notice/versions", **{field: make()})
    body = answer.get_json()
    assert answer.status_code == status, body
    assert body["code"] == code
    assert where in (body.get("place", "") + " " + body["detail"])
    assert body["detail"] and "Traceback" not in body["detail"]
    assert_untouched(app, client)


@pytest.mark.parametrize(("make", "code"), [
    (lambda: pack("notice", new_id="permit",
                  declaration=NOTICE_TOML.replace('id = "notice"', 'id = "permit"')
                  .replace("order = 35", 'order = 35\ncolour = "red"')), "pack_refused"),
    (lambda: pack("notice", new_id="permit", template=with_dtd(NOTICE_TEMPLATE)), "unsafe_xml"),
    (lambda: b"PK\x03\x04 truncated", "unreadable_input"),
    (lambda: pack("report", new_id="report2"), "pack_refused"),  # hooks: code, not allowed
])
def test_a_bad_new_type_is_refused_and_nothing_is_stored(app, client, make, code):
    answer = upload(client, "/api/v1/document-types", pack=make())
    assert answer.get_json()["code"] == code
    assert_untouched(app, client)
    assert client.post("/api/v1/documents/permit", json=example("notice")).status_code == 404


def test_a_bad_upload_leaves_the_deployed_version_in_use(app, client):
    good = upload(client, "/api/v1/document-types/notice/versions",
                  template=edited("notice", "BẢN ĐANG DÙNG")).get_json()
    client.post(f"/api/v1/document-types/notice/versions/{good['version']}/deploy",
                headers=ADMIN)
    bad = upload(client, "/api/v1/document-types/notice/versions",
                 template=with_dtd(NOTICE_TEMPLATE))
    assert bad.status_code == 422
    assert stored_rows(app) == (1, 1)
    response = client.post("/api/v1/documents/notice", json=example("notice"))
    assert "BẢN ĐANG DÙNG" in docx_text(response.data)


def test_an_upload_over_the_limit_is_refused_by_its_size(tmp_path, sqlite_url):
    app = make_app(tmp_path, sqlite_url, store_max_bytes=4000)
    try:
        client = app.test_client()
        answer = upload(client, "/api/v1/document-types/notice/versions",
                        template=NOTICE_TEMPLATE)
        assert answer.status_code == 413
        assert answer.get_json()["code"] == "upload_too_large"
        assert "DOCGEN_STORE_MAX_BYTES" in answer.get_json()["detail"]
        huge = upload(client, "/api/v1/document-types/notice/versions",
                      template=NOTICE_TEMPLATE * 10)  # past the multipart bound itself
        assert huge.status_code == 413 and huge.get_json()["code"] == "upload_too_large"
        assert stored_rows(app) == (0, 0)
    finally:
        DOCUMENT_TYPES.attach_store(None)


def test_a_json_body_or_no_file_is_refused(app, client):
    as_json = client.post("/api/v1/document-types/notice/versions", json={"x": 1},
                          headers=ADMIN)
    assert as_json.status_code == 415
    nothing = upload(client, "/api/v1/document-types/notice/versions", comment="no file")
    assert nothing.status_code == 422 and nothing.get_json()["code"] == "upload_refused"
    unknown = upload(client, "/api/v1/document-types/nope/versions", template=NOTICE_TEMPLATE)
    assert unknown.status_code == 404 and unknown.get_json()["code"] == "unknown_document_type"
    assert_untouched(app, client)
