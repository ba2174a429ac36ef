"""A type the template store adds or changes is in the OpenAPI document, the type list and
the form index without a restart — also when another process (the CLI, another gunicorn
worker) changed the store.

Before: ``/api/openapi.json`` was built once when the app started, so a stored type had
no path there (and no ``POST /api/v1/register/documents/<id>`` at all) until a restart.
Each test runs on SQLite and on a real PostgreSQL cluster.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from docgen.api import spec_as_built_now
from docgen.catalog import DOCUMENT_TYPES
from docgen.store import TemplateStore

from ..docx_text import docx_text
from .storedata import edited, example, pack, shipped
from .test_template_store import ADMIN, make_app, upload


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> Iterator[Flask]:
    # refresh 0: every look at the catalog asks the database, as a worker does once its
    # DOCGEN_STORE_REFRESH seconds are up
    yield make_app(tmp_path, database_url, store_refresh=0)
    DOCUMENT_TYPES.attach_store(None)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def spec(client: FlaskClient) -> dict[str, Any]:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.get_json()  # type: ignore[no-any-return]


def request_schema(document: dict[str, Any], path: str) -> dict[str, Any]:
    ref = document["paths"][path]["post"]["requestBody"]["content"]["application/json"][
        "schema"]["$ref"]
    return document["components"]["schemas"][ref.rsplit("/", 1)[1]]  # type: ignore[no-any-return]


def round_notice(document: dict[str, Any]) -> dict[str, Any]:
    """The component the round's notices body refers to for its common fields."""
    ref = document["components"]["schemas"]["Notices"]["properties"]["notice"]["$ref"]
    return document["components"]["schemas"][ref.rsplit("/", 1)[1]]  # type: ignore[no-any-return]


def type_enum(document: dict[str, Any]) -> list[str]:
    [parameter] = [p for p in document["paths"]["/api/v1/document-types/{doc_type}/schema"]
                   ["parameters"] if p["name"] == "doc_type"]
    return parameter["schema"]["enum"]  # type: ignore[no-any-return]


def test_the_document_is_the_start_up_one_while_the_types_are_unchanged(app, client):
    served = spec(client)
    assert served == json.loads(json.dumps(app.extensions["docgen.api"].spec.to_dict()))
    # built again for the same types, it is the same document: a rebuild changes nothing else
    assert json.loads(json.dumps(spec_as_built_now(app))) == served
    # a round's minutes are the minutes type's request body, one component for both
    rounds = served["paths"]["/api/v1/rounds/{round_id}/units/{stt}/minutes"]["put"]
    assert rounds["requestBody"]["content"]["application/json"]["schema"] == \
        served["paths"]["/api/v1/documents/minutes"]["post"]["requestBody"]["content"][
            "application/json"]["schema"]


def test_a_new_stored_type_is_documented_and_served_at_once(client):
    before = spec(client)
    assert "/api/v1/documents/permit" not in before["paths"]
    added = upload(client, "/api/v1/document-types",
                   pack=pack("notice", new_id="permit", template=edited("notice", "GIẤY PHÉP")))
    assert added.status_code == 201, added.get_json()

    after = spec(client)
    render = after["paths"]["/api/v1/documents/permit"]["post"]
    assert render["operationId"] == "render_permit"
    assert render["requestBody"]["content"]["application/json"]["example"] == example("notice")
    assert after["paths"]["/api/v1/documents/permit/validate"]["post"]["operationId"] == \
        "validate_permit"
    assert after["paths"]["/api/v1/register/documents/permit"]["post"]["operationId"] == \
        "register_permit"
    assert "unit_name" in request_schema(after, "/api/v1/documents/permit")["properties"]
    assert type_enum(before)[-1] != "permit" and type_enum(after)[-1] == "permit"
    assert set(before["paths"]) < set(after["paths"])

    # the register's catch-all serves it: numbered, recorded, its template's text
    numbered = client.post("/api/v1/register/documents/permit", json=example("notice"))
    assert numbered.status_code == 200, numbered.get_json()
    assert numbered.headers["X-Docgen-Register-Number"] == "1"
    assert "GIẤY PHÉP" in docx_text(numbered.data)
    assert client.post("/api/v1/register/documents/nope", json={}).status_code == 404


def test_a_type_another_process_adds_appears_everywhere_without_a_restart(app, client):
    """The CLI (``docgen types add``) or another worker writes the database: this app sees
    the type in the list, the form index and the OpenAPI document on its next look."""
    own = app.extensions["docgen.store"]
    other = TemplateStore(own.session_factory, own.cache_dir.parent / "other-store")
    assert "permit" not in {t["id"] for t in client.get("/api/v1/document-types")
                            .get_json()["document_types"]}
    other.add_type(pack("notice", new_id="permit"), author="cli:test")

    listed = {t["id"]: t for t in client.get("/api/v1/document-types")
              .get_json()["document_types"]}
    assert listed["permit"]["source"] == "store" and listed["permit"]["deployed_version"] == 1
    index = client.get("/").get_data(as_text=True)
    assert "/forms/permit" in index
    assert "/api/v1/documents/permit" in spec(client)["paths"]


def test_a_deployed_pack_with_another_field_changes_the_request_schema(client):
    declaration = shipped("notice", "type.toml").decode() + (
        '\n[fields.inspector]\nkind = "text"\nlabel = "Người kiểm tra"\nrequired = false\n')
    added = upload(client, "/api/v1/document-types/notice/versions",
                   pack=pack("notice", declaration=declaration))
    assert added.status_code == 201, added.get_json()
    shipped_sha = client.get("/api/v1/document-types/notice/versions").get_json()["version"]
    path = "/api/v1/documents/notice"
    assert "inspector" not in request_schema(spec(client), path)["properties"]  # not deployed

    assert "inspector" not in round_notice(spec(client))["properties"]

    client.post("/api/v1/document-types/notice/versions/1/deploy", headers=ADMIN)
    assert "inspector" in request_schema(spec(client), path)["properties"]
    # the round's notices (POST /api/v1/rounds/{id}/notices) take the deployed type's fields
    assert "inspector" in round_notice(spec(client))["properties"]

    # back to the shipped pack by its sha256 — the stored pack kept the same template, and
    # the sha256 still means the shipped pack (it deployed the stored one before)
    back = client.post(f"/api/v1/document-types/notice/versions/{shipped_sha}/deploy",
                       headers=ADMIN)
    assert back.get_json()["source"] == "shipped" and back.get_json()["version"] is None
    assert "inspector" not in request_schema(spec(client), path)["properties"]
    assert "inspector" not in round_notice(spec(client))["properties"]
