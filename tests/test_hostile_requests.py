"""Issue 13: one small request must not take the service down (points 1 and 12).

Sizes are those of the attack report, small enough for CI: the assertions are on
what comes back (status, code, how many errors are listed, the total), never on time.
"""

from __future__ import annotations

import json

import lxml.html
import pytest

from docgen.cli import main
from docgen.errors import MAX_LISTED_ERRORS, FieldError, ValidationError

MINUTES = "/api/v1/documents/minutes"


def _problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["code"] == code
    return body


# -- point 1: oversized lists and error lists ------------------------------------------------


def test_a_million_recipients_is_one_error_naming_the_limit(app, example) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 5 * 1024 * 1024
    data = example("minutes", recipients=[0] * 1_000_000)
    response = app.test_client().post(f"{MINUTES}/validate", data=json.dumps(data),
                                      content_type="application/json")
    body = _problem(response, 422, "validation_failed")
    assert body["errors"] == [{"path": "recipients", "code": "too_many_items",
                               "message": "Danh sách có 1000000 mục, vượt giới hạn 50 mục."}]
    assert body["total_errors"] == 1
    assert len(response.data) < 2000


def test_many_empty_members_are_refused_before_each_is_validated(app, example) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 5 * 1024 * 1024
    data = example("minutes", members=[{}] * 100_000)
    body = _problem(app.test_client().post(MINUTES, json=data), 422, "validation_failed")
    assert [(e["path"], e["code"]) for e in body["errors"]] == [("members", "too_many_items")]
    assert "vượt giới hạn 30 mục" in body["errors"][0]["message"]


def test_listed_errors_are_capped_with_the_total(client, example) -> None:
    # 2,000 schedule rows are allowed in a plan; each with 3 bad fields is 6,000 errors.
    data = example("plan")
    data["units"] = [{"name": "", "mode": "x", "date": "y"} for _ in range(2000)]
    response = client.post("/api/v1/documents/plan/validate", json=data)
    body = _problem(response, 422, "validation_failed")
    assert len(body["errors"]) == MAX_LISTED_ERRORS
    assert body["total_errors"] > 2000
    assert f"… và {body['total_errors'] - MAX_LISTED_ERRORS} lỗi khác" in body["detail"]
    assert body["errors"][0]["path"].startswith("units[0].")
    assert len(response.data) < 20_000


def test_validation_error_counts_what_it_does_not_list() -> None:
    errors = [FieldError(f"recipients[{i}]", "Phải là một chuỗi ký tự.", "invalid")
              for i in range(120)]
    exc = ValidationError(errors)
    assert (len(exc.errors), exc.total, exc.omitted) == (50, 120, 70)
    assert exc.more_line() == "… và 70 lỗi khác"
    assert exc.to_dict()["total_errors"] == 120
    assert ValidationError(errors[:3]).more_line() == ""


def test_cli_lists_fifty_and_says_how_many_more(runner, example, tmp_path) -> None:
    data = example("plan")
    data["units"] = [{"name": "", "mode": "x", "date": "y"} for _ in range(100)]
    source = tmp_path / "plan.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    result = runner.invoke(main, ["render", "plan", str(source), "-o", str(tmp_path / "x")])
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert lines[0].startswith("Lỗi [validation_failed]: dữ liệu không hợp lệ (")
    total = int(lines[0].split("(")[1].split()[0])
    assert total > MAX_LISTED_ERRORS
    assert len([line for line in lines if line.startswith("  - ")]) == MAX_LISTED_ERRORS
    assert f"  … và {total - MAX_LISTED_ERRORS} lỗi khác" in lines


def test_form_summary_says_how_many_more(client) -> None:
    form = {f"members[{i}].full_name": "" for i in range(25)}
    form.update({f"members[{i}].role": "nope" for i in range(25)})
    doc = lxml.html.fromstring(client.post("/forms/minutes", data=form)
                               .get_data(as_text=True))
    summary = doc.get_element_by_id("error-summary").text_content()
    assert "lỗi khác" in summary
    assert len(doc.get_element_by_id("error-summary").findall(".//li")) == MAX_LISTED_ERRORS + 1


def test_batch_rows_over_the_bound_are_one_error_each(client, example) -> None:
    rows = [example("minutes", recipients=[0] * 5000)]
    answer = client.post("/api/v1/batches/minutes", json=rows)
    assert answer.status_code == 202
    from tests.batch.conftest import wait_for

    done = wait_for(client, answer.headers["Location"])
    assert done["state"] == "done" and done["rows"]["failed"] == 1
    assert [(e["path"], e["code"]) for e in done["errors"]] == [("recipients", "too_many_items")]
    client.application.extensions["docgen.jobs"].close()


# -- point 12: the 500s ------------------------------------------------------------------------


@pytest.mark.parametrize("body", [
    '{"rows": [{"archive": "\\ud800"}]}',
    '{"rows": [{}], "defaults": {"archive": "\\udfff"}}',
    '[{"\\ud83d": 1}]',
])
def test_lone_surrogates_in_batch_json_are_a_400(client, body: str) -> None:
    response = client.post("/api/v1/batches/minutes", data=body,
                           content_type="application/json")
    problem = _problem(response, 400, "unreadable_input")
    assert "surrogate" in problem["detail"]


def test_lone_surrogate_in_a_document_key_is_a_400(client) -> None:
    response = client.post(MINUTES, data='{"\\ud800": 1}', content_type="application/json")
    assert "surrogate" in _problem(response, 400, "unreadable_input")["detail"]


def _round(client) -> int:
    from tests.register.roundsdata import ISSUER

    units = [{"stt": 1, "name": "Sở Y tế", "mode": "on_site"}]
    answer = client.post("/api/v1/rounds", json={"issuer": ISSUER, "year": 2017,
                                                 "title": "Kiểm tra", "units": units})
    assert answer.status_code == 201, answer.get_data(as_text=True)
    return int(answer.get_json()["id"])


@pytest.mark.parametrize(("body", "words"), [
    (b"[" * 100_000, "lồng nhau quá sâu"),
    (b'{"reason": ' + b"9" * 5000 + b"}", "5000 chữ số"),
    (b'{"reason": ' + b"9" * 4000 + b"}", "4000 chữ số"),
    (b'{"reason": "\\ud800"}', "surrogate"),
])
def test_not_inspected_hostile_bodies_are_a_400(client, body: bytes, words: str) -> None:
    round_id = _round(client)
    response = client.post(f"/api/v1/rounds/{round_id}/units/1/not-inspected", data=body,
                           content_type="application/json")
    assert words in _problem(response, 400, "unreadable_input")["detail"]


def test_huge_register_ids_and_pages_are_client_errors(client) -> None:
    response = client.get("/api/v1/register/entries/" + "9" * 30 + "/file")
    _problem(response, 404, "not_found")
    page = client.get("/register?page=" + "9" * 30)
    assert page.status_code == 200 and "Sổ đăng ký" in page.get_data(as_text=True)
    listing = client.get("/api/v1/register?page=" + "9" * 30)
    assert listing.status_code == 422
