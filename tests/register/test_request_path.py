"""One request path: every entry point reads, checks and answers the same way.

Each test here is a drift that existed between the entry points (HTTP documents, HTTP
register, HTTP rounds, the web form, the CLI) before they went through one service seam
and one HTTP shell; each fails on the code that had it.
"""

from __future__ import annotations

import dataclasses
import json
import threading
from urllib.parse import unquote

import click
import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from docgen.cli import main
from docgen.config import Settings, SettingsError
from docgen.register.db import database_url
from docgen.register.models import Counter, Entry
from docgen.register.numbering import request_hash
from docgen.rendering import Output, Renderer

from ..docx_text import docx_text
from .roundsdata import minutes_for, new_round, report_fields

PROBLEM = "application/problem+json"


def problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    body = response.get_json()
    assert body["code"] == code
    return body


@pytest.fixture
def small(client):
    units = [{"name": "Sở Nội vụ", "mode": "on_site"},
             {"name": "UBND xã Long Hưng", "mode": "by_report"}]
    response = client.post("/api/v1/rounds", json=new_round(units))
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()["id"]


# --- options are read and refused the same way everywhere ----------------------------------

def test_a_bad_pdfa_is_refused_by_every_document_operation(client, small, example):
    """Before: /rounds/report?pdfa=9z answered 200 with a .docx (the rounds never read pdfa)."""
    stateless = {"report": {k: v for k, v in example("report").items() if k != "counts"},
                 "units": [{"name": "Sở Nội vụ", "mode": "on_site"}]}
    calls = [
        ("post", "/api/v1/documents/minutes?pdfa=9z", example("minutes")),
        ("post", "/api/v1/register/documents/minutes?pdfa=9z", example("minutes")),
        ("post", "/api/v1/rounds/report?pdfa=9z", stateless),
        ("put", f"/api/v1/rounds/{small}/units/1/minutes?pdfa=9z", minutes_for("Sở Nội vụ", 1)),
        ("post", f"/api/v1/rounds/{small}/report?pdfa=9z&allow_incomplete=true",
         report_fields()),
    ]
    for method, url, body in calls:
        body = problem(getattr(client, method)(url, json=body), 406, "unsupported_format")
        assert "pdfa=9z" in body["detail"], url
    # Nothing was numbered or recorded on the way.
    listed = client.get("/api/v1/register").get_json()
    assert listed["total"] == 0
    round_ = client.get(f"/api/v1/rounds/{small}").get_json()
    assert round_["units"][0]["status"] == "planned"


def test_pdfa_with_docx_is_refused_by_the_form_too(client, example):
    from docgen.web import formgen, spec_for

    form = formgen.from_payload(spec_for("minutes"), example("minutes"))
    fields = _flatten(form)
    fields.update({"_format": "docx", "_pdfa": "2b"})
    response = client.post("/forms/minutes", data=fields)
    assert response.status_code == 406
    assert "pdfa=2b" in response.get_data(as_text=True)


def _flatten(raw, prefix=""):
    out = {}
    if isinstance(raw, dict):
        for key, value in raw.items():
            out.update(_flatten(value, f"{prefix}.{key}" if prefix else key))
    elif isinstance(raw, list):
        for i, value in enumerate(raw):
            out.update(_flatten(value, f"{prefix}[{i}]"))
    else:
        out[prefix] = raw
    return out


def test_the_idempotency_hash_covers_everything_that_changes_the_bytes(renderer, minutes):
    """Before: pdfa was left out, so a retry with another PDF/A got the old file back."""
    validated = renderer.validate("minutes", minutes())
    hashes = {request_hash(validated, Output("pdf", None)),
              request_hash(validated, Output("pdf", "2b")),
              request_hash(validated, Output("pdf", "3b")),
              request_hash(validated, Output("docx"))}
    assert len(hashes) == 4
    assert request_hash(validated, Output("docx")) == request_hash(validated, "docx")


# --- one response: the warning and register headers everywhere -----------------------------

def test_warnings_reach_every_response(client, example):
    """Before: the form (and numbered form documents) dropped the warnings."""
    report = example("report", **{"counts.on_site": 30, "counts.by_report": 90,
                                  "counts.integrated": 5, "counts.not_inspected": 1})
    api = client.post("/api/v1/documents/report", json=report)
    registered = client.post("/api/v1/register/documents/report", json=report)
    from docgen.web import formgen, spec_for

    fields = _flatten(formgen.from_payload(spec_for("report"), report))
    form = client.post("/forms/report", data={**fields, "_format": "docx"})
    numbered_form = client.post("/forms/report", data={**fields, "_format": "docx",
                                                       "_register": "1"})
    for response in (api, registered, form, numbered_form):
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
        assert response.headers["X-Docgen-Warnings"] == "1"
        assert response.headers["X-Docgen-Warning-Codes"] == "counts.on_site=on_site_below_one_third"
    for response in (registered, numbered_form):
        assert "X-Docgen-Register-Number" in response.headers
    assert unquote(numbered_form.headers["X-Docgen-Register-Symbol"]) == "02/BC-SKHCN"
    assert "Số: 02/BC-SKHCN" in docx_text(numbered_form.data)


def test_each_request_validates_once(client, example, monkeypatch):
    """Before: the form and the register paths validated the same payload twice."""
    calls: list[str] = []
    original = Renderer.validate

    def counting(self, doc_type, data, **options):  # options: the template version
        calls.append(doc_type)
        return original(self, doc_type, data, **options)

    monkeypatch.setattr(Renderer, "validate", counting)
    from docgen.web import formgen, spec_for

    fields = _flatten(formgen.from_payload(spec_for("minutes"), example("minutes")))
    for send in (
        lambda: client.post("/api/v1/documents/minutes?register=true", json=example("minutes")),
        lambda: client.post("/api/v1/register/documents/minutes", json=example("minutes")),
        lambda: client.post("/forms/minutes", data={**fields, "_register": "1"}),
        lambda: client.post("/forms/minutes", data=fields),
    ):
        calls.clear()
        response = send()
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
        assert calls == ["minutes"]


# --- numbering and recording in one transaction ---------------------------------------------

def test_concurrent_numbered_minutes_of_one_unit_leave_one_entry(tmp_path):
    """Before: the number was taken in one transaction and the minutes recorded in another;
    when the re-check under the lock failed, a numbered entry was left that no minutes
    point to. Eight clerks number the same unit's minutes at once: one wins, the others
    are refused, and the register holds exactly the one number."""
    from docgen.app import create_app

    app = create_app({"instance_path": tmp_path / "instance"})
    client = app.test_client()
    created = client.post("/api/v1/rounds", json=new_round([{"name": "Sở Nội vụ",
                                                              "mode": "on_site"}]))
    round_id = created.get_json()["id"]
    body = minutes_for("Sở Nội vụ", 1)
    barrier = threading.Barrier(8)
    statuses: list[int] = []

    def clerk() -> None:
        own = app.test_client()
        barrier.wait()
        response = own.put(f"/api/v1/rounds/{round_id}/units/1/minutes?register=true",
                           json=body)
        statuses.append(response.status_code)

    threads = [threading.Thread(target=clerk) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] + [409] * 7
    register = app.extensions["docgen.register"]
    with register.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Entry)) == 1
        assert session.scalar(select(Counter.last_number)) == 1
    shown = client.get(f"/api/v1/rounds/{round_id}").get_json()
    assert shown["units"][0]["minutes"]["register_entry"]["symbol"] == "01/BB-ĐKT"


def test_a_retried_numbered_minutes_answers_the_same_file(client, small):
    """The same Idempotency-Key again: the same number and bytes, not a 409."""
    url = f"/api/v1/rounds/{small}/units/1/minutes?register=true"
    headers = {"Idempotency-Key": "bb-noi-vu-1"}
    first = client.put(url, json=minutes_for("Sở Nội vụ", 1), headers=headers)
    again = client.put(url, json=minutes_for("Sở Nội vụ", 1), headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.data == first.data
    assert again.headers["X-Docgen-Register-Entry"] == first.headers["X-Docgen-Register-Entry"]
    other = client.put(url, json={**minutes_for("Sở Nội vụ", 1), "conclusion": "Khác."},
                       headers=headers)
    problem(other, 422, "idempotency_key_reused")
    assert client.get("/api/v1/register").get_json()["total"] == 1


# --- the CLI: shared options, one error handler, settings as errors --------------------------

RENDER_COMMANDS = [["render"], ["register", "render"], ["round", "minutes"],
                   ["round", "report"], ["round", "from-units"]]


@pytest.mark.parametrize("command", RENDER_COMMANDS, ids=" ".join)
def test_every_render_command_has_the_shared_options(command):
    """Before: `docgen register render` had no --pdfa, the round commands neither."""
    from docgen.cli import DocgenGroup

    group: click.Group = main
    ctx = click.Context(main)
    found = None
    for name in command:
        found = group.get_command(ctx, name)
        group = found  # type: ignore[assignment]
    assert found is not None and not isinstance(found, DocgenGroup)
    options = {opt for param in found.params for opt in param.opts}
    assert {"-o", "--output", "-f", "--format", "--pdfa", "--register",
            "--idempotency-key"} <= options


def _cli(args, env=None, input=None):
    return CliRunner().invoke(main, args, env=env, input=input, catch_exceptions=False)


@pytest.mark.parametrize(("env", "args", "code", "shown"), [
    ({"DOCGEN_PDF_TIMEOUT": "abc"}, ["render", "minutes", "-"], "invalid_setting",
     "DOCGEN_PDF_TIMEOUT='abc': phải là một số"),
    ({"DOCGEN_PDF_WORKERS": "hai"}, ["render", "minutes", "-"], "invalid_setting",
     "DOCGEN_PDF_WORKERS='hai': phải là một số nguyên"),
    ({"DOCGEN_PDF_START": "soon"}, ["templates"], None, None),  # nothing reads settings
    # out of range: before, the PDF pool's own English ValueError as a traceback
    ({"DOCGEN_PDF_WORKERS": "0"}, ["render", "minutes", "-"], "invalid_setting",
     "DOCGEN_PDF_WORKERS=0: phải từ 1 trở lên."),
    ({"DOCGEN_PDF_TIMEOUT": "nan"}, ["render", "minutes", "-"], "invalid_setting",
     "DOCGEN_PDF_TIMEOUT='nan': phải là một số hữu hạn"),
    ({"DOCGEN_WEB_WORKERS": "abc"}, ["render", "minutes", "-"], "invalid_setting",
     "DOCGEN_WEB_WORKERS='abc': phải là một số nguyên"),
    ({"DOCGEN_PORT": "70000"}, ["render", "minutes", "-"], "invalid_setting",
     "DOCGEN_PORT=70000: phải từ 1 đến 65535."),
    ({"DOCGEN_DATABASE_URL": "mysql://u:p@localhost/docgen"}, ["register", "list"],
     "invalid_setting", "SQLite hoặc PostgreSQL, không chạy trên mysql"),
    ({"DOCGEN_DATABASE_URL": "không phải url"}, ["register", "list"], "invalid_setting",
     "DOCGEN_DATABASE_URL=***"),
])
def test_settings_errors_are_one_vietnamese_line(env, args, code, shown, example, tmp_path):
    result = _cli(args, env={**env, "DOCGEN_INSTANCE_PATH": str(tmp_path)},
                  input=json.dumps(example("minutes")))
    if code is None:
        assert result.exit_code == 0
        return
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert lines == [lines[0]] and lines[0].startswith(f"Lỗi [{code}]: ")
    assert shown in lines[0]


def test_an_unreachable_database_is_one_line_without_the_password(tmp_path):
    result = _cli(["register", "list"], env={
        "DOCGEN_DATABASE_URL": "postgresql://clerk:s3cret@127.0.0.1:1/docgen",
        "DOCGEN_INSTANCE_PATH": str(tmp_path)})
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "s3cret" not in result.output
    assert result.stderr.startswith("Lỗi [register_unavailable]: Không kết nối được")
    assert "127.0.0.1:1" in result.stderr


def test_postgres_scheme_is_postgresql():
    url = database_url(Settings.from_env({"DOCGEN_DATABASE_URL": "postgres://u:p@db/docgen"}))
    assert url.drivername == "postgresql+psycopg" and url.host == "db"


def test_register_render_takes_pdfa_and_refuses_it_with_docx(tmp_path, example):
    source = tmp_path / "bb.json"
    source.write_text(json.dumps(example("minutes"), ensure_ascii=False), encoding="utf-8")
    result = _cli(["register", "render", "minutes", str(source), "--pdfa", "2b", "-o",
                   str(tmp_path / "bb.docx")], env={"DOCGEN_INSTANCE_PATH": str(tmp_path)})
    assert result.exit_code == 2
    assert "--pdfa chỉ dùng cùng --format pdf" in result.output
    assert not (tmp_path / "bb.docx").exists()


def _numeric_settings() -> list[str]:
    return [f.name for f in dataclasses.fields(Settings) if "bounds" in f.metadata]


@pytest.mark.parametrize("name", _numeric_settings())
@pytest.mark.parametrize("value", ["abc", "-5", "1e400", "nan", " "])
def test_every_numeric_setting_refuses_what_it_cannot_use(name, value):
    """In Vietnamese, naming the variable; never a driver's or the pool's English error."""
    key = f"DOCGEN_{name.upper()}"
    with pytest.raises(SettingsError) as info:
        Settings.from_env({key: value})
    said = str(info.value)
    assert said.startswith(f"{key}=") and "phải" in said
    assert not any(word in said for word in ("invalid", "could not", "must"))


def test_bounds_hold_for_values_given_to_create_app(tmp_path):
    from docgen.app import create_app

    with pytest.raises(SettingsError) as info:
        create_app({"instance_path": tmp_path, "pdf_queue": -1})
    assert str(info.value) == "DOCGEN_PDF_QUEUE=-1: phải từ 0 trở lên."
    assert Settings.from_env({"DOCGEN_PDF_QUEUE": "0"}).pdf_queue == 0  # the bound itself
    assert Settings.from_env({"WEB_CONCURRENCY": "0"}).web_workers == 1  # gunicorn's, ignored
