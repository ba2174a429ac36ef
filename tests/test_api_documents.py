"""POST /api/v1/documents/<type>: the file, and problem+json for every client error."""

from __future__ import annotations

import json
from urllib.parse import unquote

import pytest

from .conftest import DOC_TYPES
from .docx_text import docx_text

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"


def test_readyz_lists_formats(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["missing_templates"] == []
    assert "docx" in response.get_json()["formats"]


@pytest.mark.parametrize("doc_type", DOC_TYPES)
def test_post_returns_the_document(doc_type, client, example):
    data = example(doc_type)
    response = client.post(f"/api/v1/documents/{doc_type}", json=data)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == DOCX
    assert data["signer"]["full_name"] in docx_text(response.data)
    assert data["summary"] in docx_text(response.data)


def test_file_name_has_utf8_and_ascii_fallback(client, example):
    response = client.post("/api/v1/documents/decision", json=example("decision"))
    disposition = response.headers["Content-Disposition"]
    assert 'filename="QD-04-SKHCN-2017-09-15.docx"' in disposition
    encoded = disposition.split("filename*=UTF-8''")[1]
    assert unquote(encoded) == "QĐ-04-SKHCN-2017-09-15.docx"


def problem(response, status, code):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert body["status"] == status and body["code"] == code
    assert body["title"] and body["detail"] and body["type"].endswith(code)
    return body


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


def test_400_unparseable_json(client):
    response = client.post("/api/v1/documents/minutes", data="{oops",
                           content_type="application/json")
    body = problem(response, 400, "unreadable_input")
    assert "JSON" in body["detail"]


def test_400_json_that_is_not_an_object(client):
    problem(client.post("/api/v1/documents/minutes", json=[1, 2]), 400, "unreadable_input")


def test_404_unknown_type(client, example):
    body = problem(client.post("/api/v1/documents/memo", json=example("minutes")), 404,
                   "unknown_document_type")
    assert "memo" in body["detail"]


def test_404_unknown_path(client):
    problem(client.get("/nowhere"), 404, "not_found")


def test_405(client):
    response = client.get("/api/v1/documents/minutes")
    problem(response, 405, "method_not_allowed")
    assert "POST" in response.headers["Allow"]


def test_406_unsupported_format(client, example):
    body = problem(client.post("/api/v1/documents/minutes?format=odt", json=example("minutes")),
                   406, "unsupported_format")
    assert "odt" in body["detail"]


def test_413_too_large(client):
    big = json.dumps({"summary": "x" * (300 * 1024)})
    problem(client.post("/api/v1/documents/minutes", data=big, content_type="application/json"),
            413, "payload_too_large")


def test_415_wrong_content_type(client):
    problem(client.post("/api/v1/documents/minutes", data="a=b",
                        content_type="application/x-www-form-urlencoded"),
            415, "unsupported_media_type")
