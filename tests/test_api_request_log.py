"""X-Request-ID on every response and one structured log line per request, without the payload."""

from __future__ import annotations

import json
import logging
import re

import pytest


def access_lines(caplog) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "docgen.access"]


def test_request_id_generated(client):
    response = client.get("/healthz")
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])


@pytest.mark.parametrize("path", ["/healthz", "/api/v1/document-types", "/nowhere", "/"])
def test_request_id_echoed(client, path):
    response = client.get(path, headers={"X-Request-ID": "portal-2024-abc.42"})
    assert response.headers["X-Request-ID"] == "portal-2024-abc.42"


@pytest.mark.parametrize("bad", ["with space", "x" * 200, "semi;colon", "ý"])
def test_unsafe_request_id_replaced(client, bad):
    response = client.get("/healthz", headers={"X-Request-ID": bad.encode("utf-8").decode("latin-1")})
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])


def test_one_log_line_per_request(client, example, caplog):
    caplog.set_level(logging.INFO, logger="docgen.access")
    data = example("minutes", **{"members.0.full_name": "Nguyễn Thị Bí Mật"})
    response = client.post("/api/v1/documents/minutes", json=data,
                           headers={"X-Request-ID": "req-1"})
    assert response.status_code == 200
    [line] = access_lines(caplog)
    assert line["request_id"] == "req-1"
    assert line["method"] == "POST" and line["path"] == "/api/v1/documents/minutes"
    assert line["status"] == 200 and line["doc_type"] == "minutes" and line["format"] == "docx"
    assert isinstance(line["duration_ms"], float)
    # Never the payload: it holds personal data.
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "Bí Mật" not in logged and data["summary"] not in logged


def test_errors_are_logged_too(client, caplog):
    caplog.set_level(logging.INFO, logger="docgen.access")
    client.post("/api/v1/documents/minutes", data="{", content_type="application/json")
    client.post("/api/v1/documents/minutes", json={"agency": {"name": "Sở Bí Mật"}})
    lines = access_lines(caplog)
    assert [line["status"] for line in lines] == [400, 422]
    assert "Bí Mật" not in json.dumps(lines, ensure_ascii=False)
