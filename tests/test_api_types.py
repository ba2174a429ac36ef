"""GET /api/v1/document-types and each type's JSON Schema and example."""

from __future__ import annotations

import hashlib
import json

import pytest

from .conftest import DOC_TYPES, PACK_TYPES, ROOT, load_example
from .test_api_documents import problem


def test_lists_every_pack(client):
    response = client.get("/api/v1/document-types")
    assert response.status_code == 200
    body = response.get_json()
    assert [t["id"] for t in body["document_types"]] == PACK_TYPES
    for listed in body["document_types"]:  # the version is the template file's sha256
        template = ROOT / "templates" / listed["id"] / "template.docx"
        assert listed["version"] == hashlib.sha256(template.read_bytes()).hexdigest()
        assert listed["source"] == "shipped"
    by_id = {t["id"]: t for t in body["document_types"]}
    assert by_id["minutes"]["name"] == "Biên bản kiểm tra"
    assert by_id["minutes"]["type_code"] == "BB"
    assert by_id["decision"]["type_code"] == "QĐ"
    assert by_id["report"]["type_name"] == "BÁO CÁO"
    assert body["formats"] == ["docx", "pdf"]
    # Vietnamese stays readable in the body (no \u escapes).
    assert "Biên bản kiểm tra" in response.get_data(as_text=True)


def test_links_lead_somewhere(client, example):
    for kind in client.get("/api/v1/document-types").get_json()["document_types"]:
        links = kind["links"]
        assert client.get(links["schema"]).status_code == 200
        assert client.get(links["example"]).status_code == 200
        assert client.get(links["form"]).status_code == 200
        assert client.post(links["render"], json=example(kind["id"])).status_code == 200
        assert client.post(links["validate"], json=example(kind["id"])).status_code == 200


@pytest.mark.parametrize("doc_type", DOC_TYPES)
def test_schema_is_the_committed_json_schema(client, doc_type):
    response = client.get(f"/api/v1/document-types/{doc_type}/schema")
    assert response.status_code == 200
    committed = json.loads((ROOT / "schemas" / f"{doc_type}.schema.json").read_text("utf-8"))
    assert response.get_json() == committed


@pytest.mark.parametrize("doc_type", DOC_TYPES)
def test_example_is_valid(client, doc_type):
    response = client.get(f"/api/v1/document-types/{doc_type}/example")
    assert response.status_code == 200
    assert response.get_json() == load_example(doc_type)
    assert client.post(f"/api/v1/documents/{doc_type}/validate",
                       json=response.get_json()).status_code == 200


@pytest.mark.parametrize("what", ["schema", "example"])
def test_unknown_type_is_404(client, what):
    body = problem(client.get(f"/api/v1/document-types/memo/{what}"), 404,
                   "unknown_document_type")
    assert "memo" in body["detail"]
