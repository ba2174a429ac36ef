"""The round operations' bodies and answers are real schemas in the OpenAPI document, and
the document matches the behaviour: the documented examples are accepted, the answers
validate against the documented schemas."""

from __future__ import annotations

from typing import Any

import jsonschema_rs
import pytest

from docgen.rounds.payloads import DERIVED

from ..docx_text import docx_text
from .roundsdata import minutes_for

ROUNDS = "/api/v1/rounds"


@pytest.fixture
def spec(client) -> dict[str, Any]:
    return client.get("/api/openapi.json").get_json()


def _op(spec: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    return spec["paths"][ROUNDS + path][method]


def _body(spec: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    return _op(spec, path, method)["requestBody"]["content"]["application/json"]


def _ok_schema(spec: dict[str, Any], path: str, method: str, status: str = "200") -> Any:
    return _op(spec, path, method)["responses"][status]["content"]["application/json"]["schema"]


def _component(spec: dict[str, Any], ref: dict[str, Any]) -> dict[str, Any]:
    return spec["components"]["schemas"][ref["$ref"].rsplit("/", 1)[-1]]


def conforms(spec: dict[str, Any], schema: dict[str, Any], value: Any) -> None:
    """``value`` is valid against ``schema`` of the document (its $refs resolved in it)."""
    root = {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "components": spec["components"], **schema}
    errors = [e.message for e in jsonschema_rs.Draft202012Validator(root).iter_errors(value)]
    assert not errors, errors[:5]


def test_the_bodies_are_the_types_by_name(spec):
    ref = "#/components/schemas/"
    assert _body(spec, "/{round_id}/decision", "put")["schema"] == {"$ref": ref + "Decision"}
    assert _body(spec, "/{round_id}/plan", "put")["schema"] == {"$ref": ref + "RoundPlan"}
    assert _ok_schema(spec, "/{round_id}/plan", "get") == {"$ref": ref + "Plan"}
    schemas = spec["components"]["schemas"]
    assert schemas["FromPlan"]["properties"]["plan"]["$ref"] == ref + "Plan"
    assert schemas["Letters"]["properties"]["letter"]["$ref"] == ref + "RoundLetter"
    assert schemas["Notices"]["properties"]["notice"]["$ref"] == ref + "RoundNotice"
    assert schemas["NoticeUnit"]["properties"]["nonconformities"]["items"] == {
        "$ref": ref + "NoticeNonconformitiesRow"}
    assert schemas["RoundOut"]["properties"]["issuer"]["$ref"] == ref + "Agency"
    out = schemas["SubmissionOut"]["properties"]
    assert out["assessments"]["items"] == {"$ref": ref + "Assessment"}
    assert out["attachments"]["items"] == {"$ref": ref + "AttachmentOut"}
    assert list(schemas["AttachmentOut"]["properties"]) == ["id", "filename", "media_type",
                                                            "size", "sha256"]
    corrections = _component(spec, _ok_schema(spec, "/{round_id}/units/{stt}/corrections",
                                              "post"))
    assert list(corrections["properties"]) == ["stt", "name", "corrections_reported_on",
                                               "corrections_note"]


def _bare_objects(spec: dict[str, Any], schema: Any, where: str, seen: set[str]) -> list[str]:
    """Where ``schema`` (followed through its $refs) has an object with nothing said of it."""
    if not isinstance(schema, dict):
        return []
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return []
        seen.add(name)
        return _bare_objects(spec, spec["components"]["schemas"][name], name, seen)
    found = []
    if ("object" in (schema.get("type") or ()) and "properties" not in schema
            and schema.get("additionalProperties") in (None, {}, True)):
        found.append(where)
    for key, sub in schema.get("properties", {}).items():
        found += _bare_objects(spec, sub, f"{where}.{key}", seen)
    for key in ("items", "additionalProperties"):
        found += _bare_objects(spec, schema.get(key), f"{where}[]", seen)
    for sub in schema.get("anyOf", []):
        found += _bare_objects(spec, sub, where, seen)
    return found


def test_no_round_operation_has_a_bare_object(spec):
    bare: list[str] = []
    for path, item in spec["paths"].items():
        if not path.startswith(ROUNDS):
            continue
        for method, op in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            contents = [("body", op.get("requestBody", {}).get("content", {}))]
            contents += [(status, r.get("content", {})) for status, r in op["responses"].items()
                         if isinstance(r, dict) and status.startswith("2")]
            for where, content in contents:
                media = content.get("application/json")
                if media is not None:
                    bare += _bare_objects(spec, media["schema"], f"{method} {path} {where}",
                                          set())
    assert bare == []


@pytest.mark.parametrize("made", DERIVED, ids=lambda d: d.name)
def test_derived_components_are_the_type_less_the_rounds_parts(spec, made):
    schemas = spec["components"]["schemas"]
    ours = schemas[made.name]
    theirs = schemas[made.doc_type.capitalize()]
    assert set(ours["properties"]) == set(theirs["properties"]) - set(made.absent)
    assert set(ours.get("required", [])) == (set(theirs["required"]) - set(made.absent)
                                             - set(made.filled))
    assert ours["additionalProperties"] is False and ours["description"]
    for name, prop in ours["properties"].items():
        note = made.filled.get(name) or made.noted.get(name)
        if note:
            assert prop["description"].startswith(note), name
        other = {k: v for k, v in theirs["properties"][name].items() if k != "description"}
        assert {k: v for k, v in prop.items() if k != "description"} == other, name


def test_the_documented_examples_are_accepted(spec, any_client):
    """Each body made from its documented example, through a real round (SQLite, then
    PostgreSQL: the notice example's decimal `on_time_rate` is kept as JSON in both)."""
    client = any_client
    start = _body(spec, "/from-plan", "post")
    created = client.post(f"{ROUNDS}/from-plan", json=start["example"])
    assert created.status_code == 201, created.get_data(as_text=True)
    conforms(spec, _ok_schema(spec, "/from-plan", "post", "201"), created.get_json())
    rid = created.get_json()["id"]
    plan_units = [u["name"] for u in start["example"]["plan"]["units"]]
    assert [u["name"] for u in created.get_json()["units"]] == plan_units

    decision = _body(spec, "/{round_id}/decision", "put")["example"]
    answer = client.put(f"{ROUNDS}/{rid}/decision", json=decision)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert decision["summary"].split()[0] in docx_text(answer.data)

    plan = _body(spec, "/{round_id}/plan", "put")["example"]
    assert "units" not in plan and "agency" not in plan
    answer = client.put(f"{ROUNDS}/{rid}/plan", json=plan)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert plan_units[-1] in docx_text(answer.data)
    kept = client.get(f"{ROUNDS}/{rid}/plan").get_json()
    conforms(spec, _ok_schema(spec, "/{round_id}/plan", "get"), kept)
    assert [u["name"] for u in kept["units"]] == plan_units

    letters = _body(spec, "/{round_id}/letters", "post")["example"]
    conforms(spec, _body(spec, "/{round_id}/letters", "post")["schema"], letters)
    answer = client.post(f"{ROUNDS}/{rid}/letters", json=letters)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    text = docx_text(answer.data)
    by_report = [u["name"] for u in start["example"]["plan"]["units"]
                 if u["mode"] == "by_report"]
    assert by_report and all(name in text for name in by_report)

    on_site = next(u for u in created.get_json()["units"] if u["mode"] == "on_site")
    minutes = minutes_for(on_site["name"], on_site["stt"])
    minutes.pop("basis")
    recorded = client.put(f"{ROUNDS}/{rid}/units/{on_site['stt']}/minutes", json=minutes)
    assert recorded.status_code == 200, recorded.get_data(as_text=True)
    notices = _body(spec, "/{round_id}/notices", "post")["example"]
    conforms(spec, _body(spec, "/{round_id}/notices", "post")["schema"], notices)
    assert "decision_ref" not in notices["notice"]  # the round's decision is cited
    answer = client.post(f"{ROUNDS}/{rid}/notices", json=notices)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    text = " ".join(docx_text(answer.data).split())
    assert on_site["name"] in text and "Quyết định số" in text

    corrections = _body(spec, "/{round_id}/units/{stt}/corrections", "post")["example"]
    answer = client.post(f"{ROUNDS}/{rid}/units/{on_site['stt']}/corrections",
                         json=corrections)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    conforms(spec, _ok_schema(spec, "/{round_id}/units/{stt}/corrections", "post"),
             answer.get_json())
    assert answer.get_json()["corrections_reported_on"] == corrections["reported_on"]

    reporter = next(u for u in created.get_json()["units"] if u["mode"] == "by_report")
    sent = _body(spec, "/{round_id}/units/{stt}/submission", "put")["example"]
    answer = client.put(f"{ROUNDS}/{rid}/units/{reporter['stt']}/submission", json=sent)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    conforms(spec, _ok_schema(spec, "/{round_id}/units/{stt}/submission", "put"),
             answer.get_json())
    assert answer.get_json()["assessments"] == sent["assessments"]

    board = client.get(f"{ROUNDS}/{rid}/dashboard").get_json()
    conforms(spec, _ok_schema(spec, "/{round_id}/dashboard", "get"), board)
    # the plan kept by from-plan was replaced (unnumbered) by the one PUT after the decision
    assert [d["kind"] for d in board["documents"]] == ["decision", "plan", "letter", "notice"]
    assert board["progress"]["notices"] == board["progress"]["corrections_reported"] == 1
    shown = client.get(f"{ROUNDS}/{rid}").get_json()
    conforms(spec, _ok_schema(spec, "/{round_id}", "get"), shown)
    assert shown["issuer"].items() >= start["example"]["plan"]["agency"].items()


def test_a_payload_that_is_not_an_object_is_named_in_vietnamese(client):
    created = client.post(f"{ROUNDS}/from-plan", json={"plan": 5})
    body = created.get_json()
    assert created.status_code == 422
    assert body["errors"] == [{"path": "plan", "message": "Phải là một đối tượng (JSON object).",
                               "code": "invalid"}]


def test_the_stateless_report_example_is_accepted(spec, client):
    body = spec["paths"][ROUNDS + "/report"]["post"]["requestBody"]["content"][
        "application/json"]
    assert _component(spec, body["schema"])["properties"]["report"]["$ref"].endswith(
        "/ReportWithoutCounts")
    conforms(spec, body["schema"], body["example"])
    answer = client.post(f"{ROUNDS}/report", json=body["example"])
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert "có 03 cơ quan, đơn vị" in docx_text(answer.data)
