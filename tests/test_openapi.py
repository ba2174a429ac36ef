"""The OpenAPI document is complete (every response code, examples) and Swagger UI is local."""

from __future__ import annotations

import json
import re

import pytest

from docgen.catalog import DOCUMENT_TYPES
from docgen.schemas.jsonschema import document_json_schema

from .conftest import DOC_TYPES


@pytest.fixture
def spec(client) -> dict:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def operations(spec):
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield path, method, op


def resolve(spec, obj):
    while "$ref" in obj:
        *_, kind, name = obj["$ref"].split("/")
        obj = spec["components"][kind][name]
    return obj


def test_paths(spec):
    assert spec["openapi"].startswith("3.1")
    expected = {"/api/v1/document-types", "/api/v1/document-types/{doc_type}/schema",
                "/api/v1/document-types/{doc_type}/example"}
    for t in DOC_TYPES:
        expected |= {f"/api/v1/documents/{t}", f"/api/v1/documents/{t}/validate"}
    assert expected <= set(spec["paths"])


def test_render_operations_document_every_status(spec):
    for t in DOC_TYPES:
        op = spec["paths"][f"/api/v1/documents/{t}"]["post"]
        # 404: a ?version= the type does not have (the template store).
        # 429: too many wrong keys from one address (docgen.http.throttle)
        assert set(op["responses"]) == {"200", "400", "401", "404", "406", "413", "415", "422",
                                        "429", "500", "409", "502", "503", "504"}
        assert {p["name"] for p in op["parameters"]} >= {"register", "Idempotency-Key"}
        assert {p["name"] for p in op["parameters"]} >= {"format", "pdfa"}
        ok = op["responses"]["200"]
        assert set(ok["content"]) == {
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/pdf",
        }
        assert "Content-Disposition" in ok["headers"]
        assert op["parameters"][0]["name"] == "format"
        validate = spec["paths"][f"/api/v1/documents/{t}/validate"]["post"]
        assert {"200", "400", "401", "413", "415", "422", "429"} <= set(validate["responses"])


def test_every_error_is_a_problem_with_an_example(spec):
    for path, method, op in operations(spec):
        assert op.get("summary"), (path, method)
        assert "401" in op["responses"], (path, method)  # API keys may be configured
        for status, response in op["responses"].items():
            response = resolve(spec, response)
            assert response["description"]
            if status.startswith(("4", "5")):
                assert "application/problem+json" in response.get("content", {}), (
                    path, method, status)
                media = response["content"]["application/problem+json"]
                assert resolve(spec, media["schema"])["properties"].keys() >= {
                    "type", "title", "status", "detail", "code"}
                assert media["example"]["status"] == int(status)
                assert re.fullmatch(r"[a-z_]+", media["example"]["code"])
                assert "X-Request-ID" in response["headers"]


def test_422_example_has_field_paths(spec):
    example = spec["components"]["responses"]["Problem422"]["content"][
        "application/problem+json"]["example"]
    assert example["errors"][0]["path"] == "members[2].full_name"


@pytest.mark.parametrize("doc_type", DOC_TYPES)
def test_request_bodies_are_the_marshmallow_schemas(spec, client, doc_type):
    body = spec["paths"][f"/api/v1/documents/{doc_type}"]["post"]["requestBody"]
    media = body["content"]["application/json"]
    component = resolve(spec, media["schema"])
    kind = DOCUMENT_TYPES[doc_type]
    reference = document_json_schema(kind.id, kind.name, kind.schema())
    assert set(component["properties"]) == set(reference["properties"])
    assert set(component["required"]) == set(reference["required"])
    assert component["additionalProperties"] is False
    # Titles and limits are the schema's own: Vietnamese labels, maxLength, minItems.
    for name, prop in reference["properties"].items():
        ours = component["properties"][name]
        assert ours["title"] == prop["title"], name
        for key in ("maxLength", "minLength", "minimum", "maximum", "minItems", "maxItems"):
            assert ours.get(key) == prop.get(key), (name, key)
    # The example is a payload that renders.
    response = client.post(f"/api/v1/documents/{doc_type}", json=media["example"])
    assert response.status_code == 200


def test_enum_labels_travel(spec):
    member = spec["components"]["schemas"]["TeamMember"]["properties"]["role"]
    assert member["enum"] == ["truong_doan", "pho_doan", "thanh_vien", "thu_ky"]
    assert member["x-enum-labels"]["truong_doan"] == "Trưởng đoàn"


def test_security_schemes(spec):
    schemes = spec["components"]["securitySchemes"]
    assert schemes["bearer"] == {"type": "http", "scheme": "bearer",
                                 "description": schemes["bearer"]["description"]}
    assert schemes["apiKey"]["name"] == "X-API-Key"


def test_swagger_ui_is_served_locally(client):
    page = client.get("/api/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert "/api/docs/assets/swagger-ui-bundle.js" in assets
    assert not [a for a in assets if a.startswith(("http:", "https:", "//"))]  # no CDN
    assert '"validatorUrl": null' in html  # no call to the public validator either
    for asset in assets:
        with client.get(asset) as response:
            assert response.status_code == 200, asset
    with client.get("/api/docs/assets/nope.js") as missing:
        assert missing.status_code == 404
        assert missing.mimetype == "application/problem+json"


def test_spec_is_utf8_json(client):
    raw = client.get("/api/openapi.json").get_data(as_text=True)
    assert json.loads(raw)["info"]["title"] == "docgen API"
