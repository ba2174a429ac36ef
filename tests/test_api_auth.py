"""API keys (DOCGEN_API_KEYS): 401 problem+json without a good key; docs, health and login open."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from docgen.config import Settings, SettingsError
from docgen.http.security import KeyChecker

from .test_api_documents import problem

KEYS = ("k-0123456789abcdef", "second-key-fedcba9876543210")


@pytest.fixture
def secured(tmp_path: Path):
    from docgen.app import create_app

    return create_app({"instance_path": tmp_path / "instance", "api_keys": KEYS})


@pytest.fixture
def sclient(secured):
    return secured.test_client()


def test_open_without_keys(client, example):
    assert client.get("/api/v1/document-types").status_code == 200
    assert client.post("/api/v1/documents/minutes", json=example("minutes")).status_code == 200


def test_missing_key_is_401(sclient, example):
    response = sclient.post("/api/v1/documents/minutes", json=example("minutes"))
    body = problem(response, 401, "unauthorized")
    assert "Authorization: Bearer" in body["detail"]
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="docgen"'


@pytest.mark.parametrize("headers", [
    {"Authorization": "Bearer wrong"},
    {"Authorization": f"Basic {KEYS[0]}"},  # the right key under the wrong scheme
    {"Authorization": f"Bearer {KEYS[0]}x"},
    {"X-API-Key": KEYS[0][:-1]},
    {"X-API-Key": "k-0123456789abcdeF"},
])
def test_wrong_key_is_401(sclient, headers):
    response = sclient.get("/api/v1/document-types", headers=headers)
    body = problem(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"].startswith("Bearer realm=")
    if "Basic" not in headers.get("Authorization", ""):
        assert body["detail"] == "Khóa API không đúng."
        assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


@pytest.mark.parametrize("headers", [
    {"Authorization": f"Bearer {KEYS[0]}"},
    {"Authorization": f"bearer {KEYS[1]}"},
    {"X-API-Key": KEYS[1]},
    {"Authorization": "Bearer wrong", "X-API-Key": KEYS[0]},
])
def test_good_key_passes(sclient, example, headers):
    assert sclient.get("/api/v1/document-types", headers=headers).status_code == 200
    response = sclient.post("/api/v1/documents/minutes", json=example("minutes"), headers=headers)
    assert response.status_code == 200


def test_every_api_v1_path_needs_the_key(sclient, secured):
    # Even a path that does not exist: no probing without a key.
    for path in ("/api/v1/document-types", "/api/v1/document-types/plan/schema",
                 "/api/v1/documents/plan/validate", "/api/v1/nowhere"):
        assert sclient.open(path, method="GET").status_code == 401, path


# The pages ("/", "/forms/minutes") are behind a login with keys set: tests/test_web_guard.py.
@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/api/openapi.json", "/api/docs",
                                  "/api/docs/assets/swagger-ui-bundle.js", "/login",
                                  "/static/form.css"])
def test_open_paths(sclient, path):
    with sclient.get(path) as response:
        assert response.status_code == 200


def test_keys_never_logged(sclient, example, caplog):
    caplog.set_level(logging.DEBUG)
    sclient.post("/api/v1/documents/minutes", json=example("minutes"),
                 headers={"Authorization": f"Bearer {KEYS[0]}"})
    sclient.get("/api/v1/document-types", headers={"X-API-Key": "not-a-key-1234567"})
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "docgen.access" in {r.name for r in caplog.records}
    assert KEYS[0] not in text and "not-a-key-1234567" not in text


def test_settings_hide_keys():
    settings = Settings.from_env({"DOCGEN_API_KEYS": ",".join(KEYS)})
    assert settings.api_keys == KEYS
    assert KEYS[0] not in repr(settings)


def test_keys_from_a_file(tmp_path):
    path = tmp_path / "keys"
    path.write_text(f"# docgen keys\n{KEYS[0]}\n\n{KEYS[1]}  # the portal\n", encoding="utf-8")
    assert Settings.from_env({"DOCGEN_API_KEYS": f"@{path}"}).api_keys == KEYS


def test_missing_key_file_is_a_settings_error(tmp_path):
    with pytest.raises(SettingsError) as info:
        Settings.from_env({"DOCGEN_API_KEYS": f"@{tmp_path / 'nope'}"})
    assert "DOCGEN_API_KEYS=***" in str(info.value)


def test_key_checker():
    checker = KeyChecker(KEYS)
    assert checker and checker.matches(KEYS[1])
    assert not checker.matches("") and not checker.matches(KEYS[1] + " ")
    assert not KeyChecker(())
