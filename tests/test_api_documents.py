"""POST /api/v1/documents/<type> and …/validate: the file, and problem+json for every client error."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote

import pytest
from flask_smorest import abort

from .conftest import DOC_TYPES
from .docx_text import docx_text

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def problem(response, status, code):
    """Assert the RFC 9457 body every error has, and return it."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert body["status"] == status and body["code"] == code
    assert body["title"] and body["detail"] and body["type"].endswith("/" + code)
    assert response.headers["X-Request-ID"]
    return body


# --- health ----------------------------------------------------------------------------


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"


def test_readyz_lists_formats(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["missing_templates"] == []
    assert "docx" in response.get_json()["formats"]


# --- 200: the document ------------------------------------------------------------------


@pytest.mark.parametrize("doc_type", DOC_TYPES)
def test_post_returns_the_document(doc_type, client, example):
    data = example(doc_type)
    response = client.post(f"/api/v1/documents/{doc_type}", json=data)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == DOCX
    text = docx_text(response.data)
    assert data["signer"]["full_name"] in text
    assert data["summary"] in text


def test_minutes_text_holds_what_was_sent(client, example):
    data = example("minutes", **{"members.1.full_name": "Phạm Thị Ánh Nguyệt",
                                 "unit.name": "UBND huyện Kế Sách"})
    response = client.post("/api/v1/documents/minutes", json=data)
    text = docx_text(response.data)
    assert "Phạm Thị Ánh Nguyệt" in text
    assert "UBND huyện Kế Sách" in text
    assert "Phó Trưởng đoàn" in text  # role title derived from the enum value pho_doan


def test_file_name_has_utf8_and_ascii_fallback(client, example):
    response = client.post("/api/v1/documents/decision", json=example("decision"))
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="QD-04-SKHCN-2017-09-15.docx"' in disposition
    encoded = disposition.split("filename*=UTF-8''")[1]
    assert unquote(encoded) == "QĐ-04-SKHCN-2017-09-15.docx"


def test_file_name_without_number(client, example):
    response = client.post("/api/v1/documents/minutes", json=example("minutes", number=None))
    assert 'filename="BB-DKT-2017-10-12.docx"' in response.headers["Content-Disposition"]
    assert "BB-%C4%90KT-2017-10-12.docx" in response.headers["Content-Disposition"]


def test_explicit_docx_format_and_accept(client, example):
    response = client.post("/api/v1/documents/minutes?format=docx", json=example("minutes"),
                           headers={"Accept": DOCX})
    assert response.status_code == 200 and response.mimetype == DOCX


@pytest.mark.parametrize("accept", ["*/*", "application/*", f"{DOCX}, application/pdf;q=0.5"])
def test_accept_that_allows_docx(client, example, accept):
    response = client.post("/api/v1/documents/minutes", json=example("minutes"),
                           headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == DOCX


def test_warnings_travel_in_headers(client, example):
    data = example("report", **{"counts.on_site": 30, "counts.by_report": 90,
                                "counts.integrated": 0, "counts.not_inspected": 0})
    response = client.post("/api/v1/documents/report", json=data)
    assert response.status_code == 200
    assert response.headers["X-Docgen-Warnings"] == "1"
    assert response.headers["X-Docgen-Warning-Codes"] == "counts.on_site=on_site_below_one_third"


# --- /validate ----------------------------------------------------------------------------


@pytest.mark.parametrize("doc_type", DOC_TYPES)
def test_validate_accepts_the_examples(doc_type, client, example):
    response = client.post(f"/api/v1/documents/{doc_type}/validate", json=example(doc_type))
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["valid"] is True and body["document_type"] == doc_type
    assert body["file_name"].endswith(".docx")
    assert isinstance(body["warnings"], list)


def test_validate_reports_warnings(client, example):
    data = example("report", **{"counts.on_site": 30, "counts.by_report": 90,
                                "counts.integrated": 0, "counts.not_inspected": 0})
    body = client.post("/api/v1/documents/report/validate", json=data).get_json()
    assert body["warnings"] == [{
        "path": "counts.on_site",
        "code": "on_site_below_one_third",
        "message": body["warnings"][0]["message"],
    }]
    assert "một phần ba" in body["warnings"][0]["message"]


def test_validate_422_lists_paths(client, example):
    data = example("minutes")
    data["members"][2]["full_name"] = "   "
    del data["unit"]
    body = problem(client.post("/api/v1/documents/minutes/validate", json=data), 422,
                   "validation_failed")
    assert {(e["path"], e["code"]) for e in body["errors"]} == {
        ("members[2].full_name", "blank"),
        ("unit", "required"),
    }


def test_validate_unknown_type(client, example):
    problem(client.post("/api/v1/documents/memo/validate", json=example("minutes")), 404,
            "unknown_document_type")


def test_validate_415(client):
    problem(client.post("/api/v1/documents/plan/validate", data="x", content_type="text/plain"),
            415, "unsupported_media_type")


# --- 400 ----------------------------------------------------------------------------------


def test_400_unparseable_json(client):
    response = client.post("/api/v1/documents/minutes", data="{oops",
                           content_type="application/json")
    body = problem(response, 400, "unreadable_input")
    assert "JSON" in body["detail"]


def test_400_empty_body(client):
    problem(client.post("/api/v1/documents/minutes", data="", content_type="application/json"),
            400, "unreadable_input")


def test_400_not_utf8(client):
    problem(client.post("/api/v1/documents/minutes", data=b'{"a": "\xff"}',
                        content_type="application/json"), 400, "unreadable_input")


@pytest.mark.parametrize("body", [[1, 2], "text", 3, None])
def test_400_json_that_is_not_an_object(client, body):
    problem(client.post("/api/v1/documents/minutes", data=json.dumps(body),
                        content_type="application/json"), 400, "unreadable_input")


def test_400_json_nested_too_deep(client):
    # The parser's recursion limit, not a 500.
    deep = "[" * 100_000 + "]" * 100_000
    problem(client.post("/api/v1/documents/minutes", data=deep, content_type="application/json"),
            400, "unreadable_input")


# --- 404 / 405 ---------------------------------------------------------------------------


def test_404_unknown_type(client, example):
    body = problem(client.post("/api/v1/documents/memo", json=example("minutes")), 404,
                   "unknown_document_type")
    assert "memo" in body["detail"] and "minutes" in body["detail"]


def test_404_unknown_path(client):
    problem(client.get("/nowhere"), 404, "not_found")
    problem(client.get("/api/v1/nowhere"), 404, "not_found")


def test_405(client):
    response = client.get("/api/v1/documents/minutes")
    body = problem(response, 405, "method_not_allowed")
    assert "POST" in response.headers["Allow"]
    assert body["detail"].startswith("Địa chỉ này")


def test_405_on_validate(client):
    response = client.delete("/api/v1/documents/minutes/validate")
    problem(response, 405, "method_not_allowed")
    assert "POST" in response.headers["Allow"]


# --- 406 ----------------------------------------------------------------------------------


def test_406_unsupported_format(client, example):
    body = problem(client.post("/api/v1/documents/minutes?format=odt", json=example("minutes")),
                   406, "unsupported_format")
    assert "odt" in body["detail"]


def test_406_accept_nothing_we_make(client, example):
    response = client.post("/api/v1/documents/minutes", json=example("minutes"),
                           headers={"Accept": "text/html"})
    problem(response, 406, "not_acceptable")


def test_406_format_contradicts_accept(client, example):
    response = client.post("/api/v1/documents/minutes?format=docx", json=example("minutes"),
                           headers={"Accept": "application/pdf"})
    problem(response, 406, "not_acceptable")


# --- 413 / 415 ----------------------------------------------------------------------------


def test_413_too_large(client):
    big = json.dumps({"summary": "x" * (300 * 1024)})
    body = problem(client.post("/api/v1/documents/minutes", data=big,
                               content_type="application/json"), 413, "payload_too_large")
    assert "262.144 byte" in body["detail"]  # the configured limit, Vietnamese grouping


def test_413_on_validate(client):
    big = json.dumps({"summary": "x" * (300 * 1024)})
    problem(client.post("/api/v1/documents/minutes/validate", data=big,
                        content_type="application/json"), 413, "payload_too_large")


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "text/plain",
                                          "multipart/form-data; boundary=x"])
def test_415_wrong_content_type(client, content_type):
    problem(client.post("/api/v1/documents/minutes", data="a=b", content_type=content_type),
            415, "unsupported_media_type")


def test_415_no_content_type(client):
    problem(client.post("/api/v1/documents/minutes", data="{}"), 415, "unsupported_media_type")


# --- 422 ----------------------------------------------------------------------------------


def test_422_lists_paths(client, example):
    data = example("minutes")
    data["members"][2]["full_name"] = ""
    data["copies"] = "hai"
    body = problem(client.post("/api/v1/documents/minutes", json=data), 422, "validation_failed")
    assert {(e["path"], e["code"]) for e in body["errors"]} == {
        ("members[2].full_name", "blank"),
        ("copies", "invalid"),
    }
    assert all(e["message"] for e in body["errors"])
    assert body["detail"].startswith("Có 2 lỗi")


def test_422_unknown_field_and_cross_field(client, example):
    data = example("report", **{"counts.by_report": 1})
    data["extra"] = 1
    body = problem(client.post("/api/v1/documents/report", json=data), 422, "validation_failed")
    codes = {(e["path"], e["code"]) for e in body["errors"]}
    assert ("extra", "unknown_field") in codes
    assert ("counts.by_report", "counts_sum") in codes


def test_422_control_character(client, example):
    data = example("minutes", summary="Biên bản\x07")
    body = problem(client.post("/api/v1/documents/minutes", json=data), 422, "validation_failed")
    assert body["errors"][0]["path"] == "summary"
    assert body["errors"][0]["code"] == "illegal_character"


def test_webargs_422_gets_the_same_shape(app):
    # flask-smorest's abort (and webargs' argument errors) go through our one handler.
    @app.post("/api/v1/_test_webargs")
    def webargs_error():
        abort(422, messages={"json": {"members": {2: {"full_name": ["Thiếu trường bắt buộc."]}}}})

    body = problem(app.test_client().post("/api/v1/_test_webargs"), 422, "validation_failed")
    assert body["errors"] == [{"path": "members[2].full_name",
                               "message": "Thiếu trường bắt buộc.", "code": "invalid"}]


# --- 5xx: logged, safe message ------------------------------------------------------------


def test_500_is_a_problem_with_a_safe_message(tmp_path: Path, example, caplog):
    from docgen.app import create_app

    app = create_app({"instance_path": tmp_path / "i", "template_dir": tmp_path / "none"})
    response = app.test_client().post("/api/v1/documents/minutes", json=example("minutes"))
    problem(response, 500, "template_not_found")
    assert str(tmp_path) not in response.get_data(as_text=True)  # no server path leaks
    assert any(str(tmp_path) in r.getMessage() for r in caplog.records)  # but it is logged


def test_unexpected_exception_is_a_problem(app):
    @app.get("/api/v1/_test_boom")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/api/v1/_test_boom")
    body = problem(response, 500, "internal_error")
    assert "secret" not in json.dumps(body)
