"""Stored rounds over HTTP: create (JSON or CSV), show, minutes, not inspected, report."""

from __future__ import annotations

import json
from urllib.parse import unquote

import pytest

from ..docx_text import docx_text
from .roundsdata import ISSUER, UNITS_CSV, minutes_for, new_round, report_fields, soc_trang_units

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PROBLEM = "application/problem+json"


def problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    body = response.get_json()
    assert body["code"] == code and body["status"] == status
    return body


def _small(client) -> int:
    """A round of four units: two on-site (one integrated), two by report."""
    units = [{"name": "Sở Nội vụ", "mode": "on_site"},
             {"name": "UBND huyện Mỹ Tú", "mode": "on_site", "integrated": True},
             {"name": "UBND xã Long Hưng", "mode": "by_report"},
             {"name": "UBND xã Mỹ Hương", "mode": "by_report"}]
    response = client.post("/api/v1/rounds", json=new_round(units))
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()["id"]


@pytest.fixture
def small(client) -> int:
    return _small(client)


def test_create_from_the_csv(client):
    response = client.post("/api/v1/rounds", data={
        "units": (UNITS_CSV.open("rb"), "soc-trang-2017-units.csv"),
        "data": json.dumps({"issuer": ISSUER, "year": 2017, "title": "Kiểm tra ISO 2017"},
                           ensure_ascii=False)}, content_type="multipart/form-data")
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert response.headers["Location"].endswith(f"/api/v1/rounds/{body['id']}")
    assert body["counts"] == {"planned": 120, "on_site": 46, "integrated": 9,
                              "not_inspected": 1, "by_report": 74}
    assert body["progress"] == {"minutes": 0, "pending": 45, "reported": 0}
    unit = body["units"][116]
    assert (unit["stt"], unit["name"], unit["status"]) == (117, "UBND xã Viên Bình",
                                                           "not_inspected")
    again = client.get(response.headers["Location"])
    assert again.status_code == 200 and again.get_json() == body


def test_create_refuses_bad_units(client):
    units = [{"name": "A", "mode": "by_report", "integrated": True}]
    body = problem(client.post("/api/v1/rounds", json=new_round(units)), 422,
                   "validation_failed")
    assert body["errors"][0]["path"] == "units[0].integrated"
    missing = client.post("/api/v1/rounds", data={"data": "{}"},
                          content_type="multipart/form-data")
    problem(missing, 400, "unreadable_input")


def test_soc_trang_round_through_the_api(any_client):
    """The 120 units, 45 minutes and a not-inspected mark, the report: SQLite and PostgreSQL."""
    client = any_client
    created = client.post("/api/v1/rounds", json=new_round(soc_trang_units(marks=False)))
    round_id = created.get_json()["id"]
    on_site = [u for u in created.get_json()["units"] if u["mode"] == "on_site"]
    report = f"/api/v1/rounds/{round_id}/report"
    body = problem(client.post(report, json=report_fields()), 422, "round_incomplete")
    assert "Còn 46 đơn vị" in body["detail"]
    recorded = 0
    for unit in on_site:
        if unit["stt"] == 117:
            marked = client.post(f"/api/v1/rounds/{round_id}/units/117/not-inspected",
                                 json={"reason": "chưa chuẩn bị hồ sơ"})
            assert marked.status_code == 200 and marked.get_json()["status"] == "not_inspected"
            continue
        response = client.put(f"/api/v1/rounds/{round_id}/units/{unit['stt']}/minutes",
                              json=minutes_for(unit["name"], unit["stt"]))
        assert response.status_code == 200 and response.mimetype == DOCX
        recorded += 1
    assert recorded == 45
    response = client.post(report, json=report_fields())
    assert response.status_code == 200, response.get_data(as_text=True)
    text = docx_text(response.data)
    for figure in ("có 120 cơ quan", "tại trụ sở 46 đơn vị", "qua báo cáo 74 đơn vị",
                   "có 09 đơn vị được kiểm tra lồng ghép",
                   "01 đơn vị chưa kiểm tra được do chưa chuẩn bị hồ sơ (UBND xã Viên Bình)"):
        assert figure in text
    shown = client.get(f"/api/v1/rounds/{round_id}").get_json()
    assert shown["progress"] == {"minutes": 45, "pending": 0, "reported": 0}
    for aspect, k in shown["aspects"].items():
        assert k == sum(1 for u in shown["units"] if u["minutes"] and aspect in
                        u["minutes"]["aspects"])


def test_minutes_refusals(client, small):
    base = f"/api/v1/rounds/{small}/units"
    problem(client.put(f"{base}/3/minutes", json=minutes_for("UBND xã Long Hưng", 3)), 409,
            "unit_not_on_site")
    body = problem(client.put(f"{base}/1/minutes", json=minutes_for("Sở Tư pháp", 1)), 422,
                   "validation_failed")
    assert body["errors"] == [{"path": "unit.name", "code": "unit_name_mismatch",
                               "message": body["errors"][0]["message"]}]
    assert "Sở Nội vụ" in body["errors"][0]["message"]
    problem(client.put(f"{base}/9/minutes", json=minutes_for("X", 9)), 404,
            "round_unit_not_found")
    problem(client.put("/api/v1/rounds/999/units/1/minutes", json=minutes_for("X", 1)), 404,
            "round_not_found")
    bad = minutes_for("Sở Nội vụ", 1)
    bad["findings"][0]["aspect"] = "budget"
    body = problem(client.put(f"{base}/1/minutes", json=bad), 422, "validation_failed")
    assert body["errors"][0]["path"] == "findings[0].aspect"
    problem(client.post(f"{base}/4/not-inspected", json={"reason": "x"}), 409,
            "unit_not_on_site")
    problem(client.post(f"{base}/1/not-inspected", json={}), 422, "validation_failed")
    assert client.get(f"/api/v1/rounds/{small}").get_json()["progress"]["minutes"] == 0


def test_by_report_units_are_marked_reported(client, small):
    base = f"/api/v1/rounds/{small}/units"
    marked = client.post(f"{base}/3/reported")
    assert marked.status_code == 200 and marked.get_json()["status"] == "reported"
    problem(client.post(f"{base}/1/reported"), 409, "unit_not_by_report")
    shown = client.get(f"/api/v1/rounds/{small}").get_json()
    assert shown["progress"] == {"minutes": 0, "pending": 2, "reported": 1}
    assert shown["counts"]["by_report"] == 2  # reported or not, the plan's by-report units


def test_numbered_minutes_and_report(any_client):
    client = any_client
    base = f"/api/v1/rounds/{_small(client)}"
    numbered = client.put(f"{base}/units/1/minutes?register=true",
                          json=minutes_for("Sở Nội vụ", 1))
    assert numbered.status_code == 200, numbered.get_data(as_text=True)
    assert unquote(numbered.headers["X-Docgen-Register-Symbol"]) == "01/BB-ĐKT"
    problem(client.put(f"{base}/units/1/minutes", json=minutes_for("Sở Nội vụ", 1)), 409,
            "minutes_already_registered")
    problem(client.post(f"{base}/units/1/not-inspected", json={"reason": "x"}), 409,
            "unit_has_minutes")
    fields = report_fields()
    problem(client.post(f"{base}/report", json=fields), 422, "round_incomplete")
    partial = client.post(f"{base}/report?allow_incomplete=true", json=fields)
    assert partial.status_code == 200
    assert "còn 01 đơn vị kiểm tra tại trụ sở chưa có biên bản" in docx_text(partial.data)
    body = problem(client.post(f"{base}/report?allow_incomplete=true",
                               json={**fields, "counts": {}}), 422, "validation_failed")
    assert body["errors"][0] == {"path": "counts", "code": "computed_field",
                                 "message": body["errors"][0]["message"]}
    assert client.put(f"{base}/units/2/minutes",
                      json=minutes_for("UBND huyện Mỹ Tú", 2)).status_code == 200
    report = client.post(f"{base}/report?register=true", json=fields)
    assert report.status_code == 200, report.get_data(as_text=True)
    assert unquote(report.headers["X-Docgen-Register-Symbol"]) == "01/BC-SKHCN"
    text = docx_text(report.data)
    assert "Số: 01/BC-SKHCN" in text and "có 04 cơ quan, đơn vị" in text
    units = client.get(base).get_json()["units"]
    assert units[0]["minutes"]["register_entry"]["symbol"] == "01/BB-ĐKT"
    assert units[1]["minutes"]["register_entry"] is None


def test_openapi_documents_the_round_operations(client):
    spec = client.get("/api/openapi.json").get_json()
    paths = spec["paths"]
    assert set(paths["/api/v1/rounds"]["post"]["responses"]) >= {"201", "401", "422"}
    assert "multipart/form-data" in paths["/api/v1/rounds"]["post"]["requestBody"]["content"]
    minutes = paths["/api/v1/rounds/{round_id}/units/{stt}/minutes"]["put"]
    assert set(minutes["responses"]) >= {"200", "404", "409", "422"}
    report = paths["/api/v1/rounds/{round_id}/report"]["post"]
    assert {p["name"] for p in report["parameters"]} >= {"allow_incomplete", "register",
                                                          "format"}
    body = report["requestBody"]["content"]["application/json"]["schema"]
    component = spec["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]
    assert "counts" not in component["properties"] and "findings" not in component["properties"]
    assert "aspect_notes" in component["properties"]
    assert report["responses"]["422"]["content"]["application/problem+json"]["example"][
        "code"] == "round_incomplete"
