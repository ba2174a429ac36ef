"""The body of a stored round's report is validated by the schema the OpenAPI document shows.

Before, ``RoundReportSchema`` documented ``aspect_notes`` without a limit while the store
checked 1000 characters by hand, with its own codes. Now one schema does both, so the limit
a client reads is the limit it meets.
"""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest

from docgen.errors import ValidationError
from docgen.rounds import store
from docgen.rounds.schemas import NOTE_MAX_LENGTH, RoundReportSchema

from ..docx_text import docx_text
from .roundsdata import new_round, report_fields, soc_trang_units

PROBLEM = "application/problem+json"


def note_of(length: int) -> str:
    """A note of exactly ``length`` characters, single-spaced, without edge spaces."""
    words = "Việc đánh giá nội bộ ở một số đơn vị còn hình thức "
    return (words * (length // len(words) + 1))[: length - 1] + "."


def _fields(**notes: str) -> dict[str, Any]:
    # a round without minutes has no period to default to: the body gives it
    return {**report_fields(), "period_start": "2017-10-09", "period_end": "2017-10-20",
            "aspect_notes": notes}


def _documented_limit(client: Any) -> int:
    spec = client.get("/api/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/rounds/{round_id}/report"]["post"]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = spec["components"]["schemas"][ref.rsplit("/", 1)[1]]
    notes = body["properties"]["aspect_notes"]
    notes_ref = next(s["$ref"] for s in notes["anyOf"] if "$ref" in s)
    component = spec["components"]["schemas"][notes_ref.rsplit("/", 1)[1]]
    limits = {prop["maxLength"] for prop in component["properties"].values()}
    assert len(limits) == 1
    return int(limits.pop())


def test_note_helper() -> None:
    assert [len(note_of(n)) for n in (1, 2, 999, 1000, 1001)] == [1, 2, 999, 1000, 1001]
    assert note_of(1001) == note_of(1001).strip() and "  " not in note_of(1001)


def test_documented_limit_is_the_enforced_one(client: Any) -> None:
    limit = _documented_limit(client)
    assert limit == NOTE_MAX_LENGTH
    created = client.post("/api/v1/rounds", json=new_round(
        [{"name": "Sở Nội vụ", "mode": "on_site"}, {"name": "UBND xã A", "mode": "by_report"}]))
    assert created.status_code == 201, created.get_data(as_text=True)
    report = f"/api/v1/rounds/{created.get_json()['id']}/report?allow_incomplete=true"

    refused = client.post(report, json=_fields(internal_audit=note_of(limit + 1)))
    assert refused.status_code == 422 and refused.mimetype == PROBLEM
    errors = refused.get_json()["errors"]
    assert [(e["path"], e["code"]) for e in errors] == [("aspect_notes.internal_audit",
                                                         "too_long")]
    assert str(limit) in errors[0]["message"]

    accepted = client.post(report, json=_fields(internal_audit=note_of(limit)))
    assert accepted.status_code == 200, accepted.get_data(as_text=True)
    assert note_of(limit)[:200] in docx_text(accepted.data)  # printed under its aspect


@pytest.mark.parametrize(("notes", "expected"), [
    # an aspect that does not exist: named as a wrong choice, as before
    ({"budget": "x"}, [("aspect_notes.budget", "invalid_choice")]),
    ({"scope": 5}, [("aspect_notes.scope", "invalid")]),  # a note is text
    ("không phải đối tượng", [("aspect_notes", "invalid_type")]),
    ({"scope": note_of(NOTE_MAX_LENGTH + 1), "budget": ""},
     [("aspect_notes.scope", "too_long"), ("aspect_notes.budget", "invalid_choice")]),
])
def test_refused_notes_name_their_place(register: Any, notes: Any,
                                        expected: list[tuple[str, str]]) -> None:
    round_ = store.create_round(register.session_factory, new_round(soc_trang_units()[:2]))
    fields = {**report_fields(), "aspect_notes": notes}
    with pytest.raises(ValidationError) as info:
        store.report_payload(register.session_factory, round_.id,
                             store.ReportRequest(fields, allow_incomplete=True))
    assert sorted((e.path, e.code) for e in info.value.errors) == sorted(expected)


def test_notes_are_normalised_and_printed_under_their_aspect(register: Any) -> None:
    round_ = store.create_round(register.session_factory, new_round(soc_trang_units()[:2]))
    typed = unicodedata.normalize("NFD", "  Phạm vi áp dụng chưa cập nhật\r\n")
    fields = _fields(scope=typed, improvement="")
    payload = store.report_payload(register.session_factory, round_.id,
                                   store.ReportRequest(fields, allow_incomplete=True))
    by_aspect = {f["aspect"]: f["content"] for f in payload["findings"]}
    assert by_aspect["scope"].endswith("\nNhận xét chung: Phạm vi áp dụng chưa cập nhật.")
    assert "Nhận xét chung" not in by_aspect["improvement"]  # a blank note is no note
    assert "aspect_notes" not in payload
    assert payload["date"] == report_fields()["date"]  # the body stays as sent (ISO text)


def test_other_fields_of_the_body_are_checked_by_the_same_schema(register: Any) -> None:
    round_ = store.create_round(register.session_factory, new_round(soc_trang_units()[:2]))
    fields = {**report_fields(), "year": 1990, "colour": "đỏ"}
    with pytest.raises(ValidationError) as info:
        store.report_payload(register.session_factory, round_.id,
                             store.ReportRequest(fields, allow_incomplete=True))
    assert sorted((e.path, e.code) for e in info.value.errors) == [
        ("colour", "unknown_field"), ("year", "out_of_range")]
    assert "aspect_notes" in RoundReportSchema().fields
