"""The whole round over HTTP (issue 16): list, edit, delete, dashboard and export, plan and
decision, submissions with files, letters and notices, corrections, the audit log."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from docgen.app import create_app

from ..docx_text import docx_text
from .roundsdata import DECISION, PLAN, UNITS, letter_text, minutes_for, new_round, notice_text
from .test_rounds_workflow import PDF

KEY = "khoa-thu-nghiem-0123456789"


def _keyed(tmp_path, database_url=None):
    settings = {"instance_path": tmp_path / "instance", "api_keys": KEY}
    if database_url is not None:
        settings["database_url"] = database_url
    client = create_app(settings).test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {KEY}"
    client.environ_base["HTTP_X_DOCGEN_USER"] = "Nguyễn Thị Lan"
    return client


@pytest.fixture
def keyed(tmp_path):
    return _keyed(tmp_path)


@pytest.fixture
def keyed_any(tmp_path, database_url):
    """The keyed client with the rounds on SQLite, then on PostgreSQL."""
    return _keyed(tmp_path, database_url)


def _round(client) -> int:
    response = client.post("/api/v1/rounds", json={**new_round(UNITS), "due_date": "2017-10-16"})
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()["id"]


def test_list_edit_delete(keyed):
    rid = _round(keyed)
    listed = keyed.get("/api/v1/rounds").get_json()["rounds"]
    assert [(r["id"], r["units"], r["by_report"], r["draft"]) for r in listed] == [(rid, 4, 2,
                                                                                   True)]
    edited = keyed.patch(f"/api/v1/rounds/{rid}", json={"units": UNITS[:3],
                                                       "due_date": "2017-10-20"})
    assert edited.status_code == 200, edited.get_data(as_text=True)
    assert len(edited.get_json()["units"]) == 3 and edited.get_json()["due_date"] == "2017-10-20"
    assert keyed.delete(f"/api/v1/rounds/{rid}").status_code == 204
    assert keyed.get(f"/api/v1/rounds/{rid}").status_code == 404
    log = keyed.get(f"/api/v1/rounds/{rid}/events").get_json()["events"]
    assert [e["action"] for e in log] == ["create", "units", "delete"]
    assert log[0]["actor"].startswith("api:") and log[0]["actor"].endswith("(Nguyễn Thị Lan)")
    assert KEY not in json.dumps(log)


def test_a_numbered_round_is_not_edited_or_deleted(keyed):
    rid = _round(keyed)
    minutes = keyed.put(f"/api/v1/rounds/{rid}/units/1/minutes?register=true",
                        json=minutes_for("Sở Nội vụ", 1))
    assert minutes.status_code == 200, minutes.get_data(as_text=True)
    for response in (keyed.patch(f"/api/v1/rounds/{rid}", json={"units": UNITS[:3]}),
                     keyed.delete(f"/api/v1/rounds/{rid}")):
        assert response.status_code == 409 and response.get_json()["code"] == "round_numbered"


def test_submission_with_a_file_and_its_protection(keyed_any, tmp_path):
    keyed = keyed_any
    rid = _round(keyed)
    data = {"received_on": "2017-10-09", "remarks": "Đủ nội dung.",
            "assessments": [{"aspect": "scope", "content": "Áp dụng toàn bộ."}]}
    response = keyed.put(f"/api/v1/rounds/{rid}/units/3/submission", data={
        "data": json.dumps(data, ensure_ascii=False),
        "attachments": (io.BytesIO(PDF), "bao-cao-xa.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 200, response.get_data(as_text=True)
    (file_,) = response.get_json()["attachments"]
    got = keyed.get(f"/api/v1/rounds/{rid}/attachments/{file_['id']}")
    assert got.status_code == 200 and got.data == PDF and got.mimetype == "application/pdf"
    assert "bao-cao-xa.pdf" in got.headers["Content-Disposition"]
    no_key = create_app({"instance_path": tmp_path / "instance", "api_keys": KEY}).test_client()
    assert no_key.get(f"/api/v1/rounds/{rid}/attachments/{file_['id']}").status_code == 401
    bad = keyed.put(f"/api/v1/rounds/{rid}/units/3/submission", data={
        "data": json.dumps(data), "attachments": (io.BytesIO(b"MZ\x90"), "x.exe")},
        content_type="multipart/form-data")
    assert bad.status_code == 422
    assert [(e["path"], e["code"]) for e in bad.get_json()["errors"]] == [
        ("attachments[0]", "attachment_type")]
    on_site = keyed.put(f"/api/v1/rounds/{rid}/units/1/submission", json=data)
    assert on_site.status_code == 409 and on_site.get_json()["code"] == "unit_not_by_report"
    shown = keyed.get(f"/api/v1/rounds/{rid}/units/3/submission").get_json()
    assert shown["assessments"] == data["assessments"]


def test_dashboard_filters_and_export(keyed):
    rid = _round(keyed)
    keyed.put(f"/api/v1/rounds/{rid}/units/3/submission", json={"received_on": "2017-10-09"})
    board = keyed.get(f"/api/v1/rounds/{rid}/dashboard?mode=by_report")
    assert board.status_code == 200, board.get_data(as_text=True)
    body = board.get_json()
    assert [u["stt"] for u in body["units"]] == [3, 4]
    assert body["progress"]["reports_received"] == 1
    assert body["by_mode_status"]["by_report"] == {"planned": 1, "inspected": 0,
                                                   "not_inspected": 0, "reported": 1}
    # today is after every 2017 due date: Mỹ Hương is late
    late = keyed.get(f"/api/v1/rounds/{rid}/dashboard?overdue=true").get_json()["units"]
    assert [(u["stt"], u["overdue"]) for u in late] == [(4, "report")]
    csv = keyed.get(f"/api/v1/rounds/{rid}/dashboard/export?format=csv&overdue=1")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    assert csv.data.decode("utf-8-sig").splitlines()[1].startswith("4,UBND xã Mỹ Hương")
    xlsx = keyed.get(f"/api/v1/rounds/{rid}/dashboard/export")
    assert xlsx.mimetype.endswith("spreadsheetml.sheet")
    wrong = keyed.get(f"/api/v1/rounds/{rid}/dashboard?status=late")
    assert wrong.status_code == 422 and wrong.get_json()["errors"][0]["path"] == "status"


def test_plan_decision_letters_notices_corrections(keyed_any):
    keyed = keyed_any
    created = keyed.post("/api/v1/rounds/from-plan", json={"plan": PLAN,
                                                          "due_date": "2017-10-16"})
    assert created.status_code == 201, created.get_data(as_text=True)
    rid = created.get_json()["id"]
    plan = keyed.get(f"/api/v1/rounds/{rid}/plan").get_json()
    assert [u["name"] for u in plan["units"]] == [u["name"] for u in PLAN["units"]]
    decision = keyed.put(f"/api/v1/rounds/{rid}/decision?register=true", json=DECISION)
    assert decision.status_code == 200, decision.get_data(as_text=True)
    from urllib.parse import unquote
    symbol = unquote(decision.headers["X-Docgen-Register-Symbol"])
    letters = keyed.post(f"/api/v1/rounds/{rid}/letters?register=true",
                         json={"letter": letter_text(), "grouping": "each"})
    assert letters.status_code == 200 and letters.mimetype == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(letters.data)).namelist()
    assert len(names) == 2  # the plan's two by-report units
    one = keyed.post(f"/api/v1/rounds/{rid}/letters", json={"letter": letter_text()})
    assert one.mimetype.endswith("wordprocessingml.document")
    text = docx_text(one.data)
    assert "UBND thị xã Vĩnh Châu" in text and "UBND xã Đại Ân 2" in text
    minutes = minutes_for("Sở Nội vụ", 2)
    minutes.pop("basis")
    assert keyed.put(f"/api/v1/rounds/{rid}/units/2/minutes", json=minutes).status_code == 200
    notice = keyed.post(f"/api/v1/rounds/{rid}/notices", json={"notice": notice_text()})
    assert notice.status_code == 200, notice.get_data(as_text=True)
    assert f"Quyết định số {symbol} ngày 15/9/2017" in " ".join(docx_text(notice.data).split())
    done = keyed.post(f"/api/v1/rounds/{rid}/units/2/corrections",
                      json={"reported_on": "2017-11-15"})
    assert done.status_code == 200 and done.get_json()["corrections_reported_on"] == "2017-11-15"
    board = keyed.get(f"/api/v1/rounds/{rid}/dashboard").get_json()
    kinds = [(d["kind"], d["symbol"]) for d in board["documents"]]
    assert ("decision", symbol) in kinds and ("plan", None) in kinds
    assert sum(1 for k, s in kinds if k == "letter" and s) == 2
    actions = [e["action"] for e in board["events"]]
    assert actions == ["create", "decision", "letter", "letter", "minutes", "notice",
                       "corrections"]


def test_openapi_documents_the_round_operations(client):
    spec = client.get("/api/openapi.json").get_json()
    ops = {op["operationId"]: op for path in spec["paths"].values() for op in path.values()
           if isinstance(op, dict) and "operationId" in op}
    for name in ("list_rounds", "edit_round", "delete_round", "round_dashboard",
                 "export_round_dashboard", "round_events", "create_round_from_plan",
                 "get_round_plan", "put_round_plan", "put_round_decision",
                 "put_round_submission", "get_round_submission", "get_round_attachment",
                 "render_round_letters", "render_round_notices", "record_round_corrections"):
        assert name in ops, name
