"""``docgen render``, ``schemas`` and ``batch`` with the template store.

With a register database configured (``DOCGEN_DATABASE_URL``) they use the store's deployed
version of a type, and a type the store added; ``--version`` renders a given version (from
the default SQLite register too). Without either, ``docgen render`` reads the packs alone
(tests/test_cli_imports.py proves it imports no database code). What a version renders is
told by the marker paragraph of its template. Each test runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select

from docgen.catalog import DOCUMENT_TYPES
from docgen.cli import main
from docgen.register.db import make_engine
from docgen.register.models import Entry

from ..docx_text import docx_text
from .storedata import TEMPLATES, edited, pack

EXAMPLE = str(TEMPLATES / "notice" / "example.json")


@pytest.fixture
def env(tmp_path: Path, database_url: str) -> Iterator[dict[str, str]]:
    yield {"DOCGEN_INSTANCE_PATH": str(tmp_path / "instance"),
           "DOCGEN_DATABASE_URL": database_url}
    DOCUMENT_TYPES.attach_store(None)


def run(runner: CliRunner, args: list[str], env: dict[str, Any]) -> Result:
    return runner.invoke(main, args, env=env, catch_exceptions=False)


def add(runner: CliRunner, env: dict[str, Any], tmp_path: Path, marker: str) -> str:
    """A new version of notice whose template says ``marker``; its sha256."""
    template = tmp_path / f"{marker}.docx"
    template.write_bytes(edited("notice", marker))
    added = run(runner, ["types", "add", str(template), "--type", "notice"], env)
    assert added.exit_code == 0, added.output
    return added.output.split("\t")[2]


def rendered(runner: CliRunner, env: dict[str, Any], tmp_path: Path, *args: str) -> str:
    out = tmp_path / "out.docx"
    result = run(runner, ["render", *args, "-o", str(out)], env)
    assert result.exit_code == 0, result.output
    return docx_text(out.read_bytes())


def test_render_uses_the_deployed_version_and_version_asks_for_another(runner, env, tmp_path):
    first = add(runner, env, tmp_path, "MẪU KHO MỘT")
    add(runner, env, tmp_path, "MẪU KHO HAI")
    assert "MẪU KHO" not in rendered(runner, env, tmp_path, "notice", EXAMPLE)  # none deployed
    assert run(runner, ["types", "deploy", "notice", "2"], env).exit_code == 0

    assert "MẪU KHO HAI" in rendered(runner, env, tmp_path, "notice", EXAMPLE)
    assert "MẪU KHO MỘT" in rendered(runner, env, tmp_path, "notice", EXAMPLE,
                                     "--version", first)
    assert "MẪU KHO MỘT" in rendered(runner, env, tmp_path, "notice", EXAMPLE,
                                     "--version", "1")
    missing = run(runner, ["render", "notice", EXAMPLE, "--version", "0" * 64], env)
    assert missing.exit_code == 2
    assert missing.output.startswith("Lỗi [template_version_not_found]: Loại văn bản 'notice' "
                                     f"không có phiên bản mẫu '{'0' * 64}'.")


def test_a_numbered_render_records_the_deployed_version(runner, env, tmp_path, database_url):
    sha = add(runner, env, tmp_path, "MẪU ĐÃ GHI SỔ")
    run(runner, ["types", "deploy", "notice", sha], env)
    out = tmp_path / "tb.docx"
    result = run(runner, ["render", "notice", EXAMPLE, "--register", "-o", str(out)], env)
    assert result.exit_code == 0, result.output
    assert "MẪU ĐÃ GHI SỔ" in docx_text(out.read_bytes())
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(Entry.symbol, Entry.template_version)).all()
    finally:
        engine.dispose()
    assert [tuple(r) for r in rows] == [("01/TB-SKHCN", sha)]  # the register gave number 1


def test_a_stored_type_renders_has_a_schema_and_a_batch(runner, env, tmp_path):
    zipped = tmp_path / "permit.zip"
    zipped.write_bytes(pack("notice", new_id="permit", template=edited("notice", "GIẤY PHÉP")))
    assert run(runner, ["types", "add", str(zipped)], env).exit_code == 0

    assert "GIẤY PHÉP" in rendered(runner, env, tmp_path, "permit", EXAMPLE)
    schema = run(runner, ["schemas", "permit"], env)
    assert schema.exit_code == 0, schema.output
    assert json.loads(schema.output)["properties"]["unit_name"]["title"] == \
        "Đơn vị được kiểm tra"

    sheet = tmp_path / "permit.csv"
    made = run(runner, ["batch", "template", "permit", "-o", str(sheet)], env)
    assert made.exit_code == 0, made.output
    out = tmp_path / "permit-out.zip"
    done = run(runner, ["batch", "permit", str(sheet), "-o", str(out), "-q"], env)
    assert done.exit_code == 0, done.output
    with zipfile.ZipFile(out) as archive:
        [name] = [n for n in archive.namelist() if n.endswith(".docx")]
        assert "GIẤY PHÉP" in docx_text(archive.read(name))


def test_a_shipped_types_batch_uses_its_deployed_version(runner, env, tmp_path):
    sha = add(runner, env, tmp_path, "MẪU HÀNG LOẠT")
    run(runner, ["types", "deploy", "notice", sha], env)
    sheet = tmp_path / "notice.csv"
    assert run(runner, ["batch", "template", "notice", "-o", str(sheet)], env).exit_code == 0
    out = tmp_path / "notice.zip"
    done = run(runner, ["batch", "notice", str(sheet), "-o", str(out), "-q"], env)
    assert done.exit_code == 0, done.output
    with zipfile.ZipFile(out) as archive:
        [name] = [n for n in archive.namelist() if n.endswith(".docx")]
        assert "MẪU HÀNG LOẠT" in docx_text(archive.read(name))


def test_without_a_configured_database_render_reads_the_packs_and_version_opens_the_store(
        runner, tmp_path):
    """The default SQLite register (no DOCGEN_DATABASE_URL): a plain render is the pack's,
    as documented; ``--version`` opens the store and renders the stored version."""
    default = {"DOCGEN_INSTANCE_PATH": str(tmp_path / "instance")}
    default_url = f"sqlite:///{tmp_path / 'instance' / 'register.sqlite3'}"
    sha = add(runner, {**default, "DOCGEN_DATABASE_URL": default_url}, tmp_path, "MẪU MẶC ĐỊNH")
    run(runner, ["types", "deploy", "notice", sha], {**default,
                                                     "DOCGEN_DATABASE_URL": default_url})
    assert "MẪU MẶC ĐỊNH" not in rendered(runner, default, tmp_path, "notice", EXAMPLE)
    assert "MẪU MẶC ĐỊNH" in rendered(runner, default, tmp_path, "notice", EXAMPLE,
                                      "--version", sha)
