"""An Idempotency-Key stored before the template store still replays after the upgrade.

Since revision 0003 the request hash includes the template version (a retry after a
deploy is another document). An entry written before it has no ``template_version`` and
a hash without it: replayed with its key, it must answer its own file again, not a 422
``idempotency_key_reused``. Each test runs on SQLite and on a real PostgreSQL cluster.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import update

from docgen.app import create_app
from docgen.catalog import get_type
from docgen.register import EXTENSION
from docgen.register.models import Entry
from docgen.register.numbering import request_hash
from docgen.rendering import Output, Validated

from ..docx_text import docx_text

KEY = {"Idempotency-Key": "bb-truoc-nang-cap-1"}
URL = "/api/v1/register/documents/minutes"


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> Iterator[Flask]:
    app = create_app({"instance_path": tmp_path / "instance", "database_url": database_url})
    yield app
    app.extensions[EXTENSION].dispose()


def written_the_old_way(app: Flask, entry_id: int, data: dict[str, Any]) -> str:
    """Make entry ``entry_id`` what a register before 0003 wrote: no template version, and
    the hash of [type, format, pdfa, payload]; that hash is returned."""
    renderer = app.extensions["docgen.renderer"]
    validated: Validated = renderer.validate("minutes", data)
    old = request_hash(validated, Output("docx"), with_template_version=False)
    assert old != request_hash(validated, Output("docx"))  # the forms differ
    with app.extensions[EXTENSION].session_factory.begin() as session:
        session.execute(update(Entry).where(Entry.id == entry_id)
                        .values(request_hash=old, template_version=None))
    return old


def test_a_key_stored_before_the_upgrade_replays_its_file(app, minutes):
    client = app.test_client()
    first = client.post(URL, json=minutes(), headers=KEY)
    assert first.status_code == 200, first.get_json()
    entry_id = int(first.headers["X-Docgen-Register-Entry"])
    written_the_old_way(app, entry_id, minutes())

    again = client.post(URL, json=minutes(), headers=KEY)
    assert again.status_code == 200, again.get_json()
    assert again.data == first.data
    assert again.headers["X-Docgen-Register-Entry"] == str(entry_id)
    assert "Số: 01/BB-ĐKT" in docx_text(again.data)
    listed = client.get("/api/v1/register").get_json()
    assert listed["total"] == 1 and listed["items"][0]["template_version"] is None

    # the old form is still a comparison, not a pass: another payload is refused
    other = {**minutes(), "summary": "Kiểm tra lại"}
    reused = client.post(URL, json=other, headers=KEY)
    assert reused.status_code == 422 and reused.get_json()["code"] == "idempotency_key_reused"
    assert client.get("/api/v1/register").get_json()["total"] == 1


def test_the_old_form_is_not_accepted_for_an_entry_that_records_its_version(app, minutes):
    """An entry written since 0003 carries its template version: only today's hash
    replays it (the same payload on another template version is another document)."""
    client = app.test_client()
    first = client.post(URL, json=minutes(), headers=KEY)
    entry_id = int(first.headers["X-Docgen-Register-Entry"])
    old = written_the_old_way(app, entry_id, minutes())
    with app.extensions[EXTENSION].session_factory.begin() as session:
        session.execute(update(Entry).where(Entry.id == entry_id)
                        .values(template_version=get_type("minutes").version))
    again = client.post(URL, json=minutes(), headers=KEY)
    assert again.status_code == 422 and again.get_json()["code"] == "idempotency_key_reused"
    assert len(old) == 64
