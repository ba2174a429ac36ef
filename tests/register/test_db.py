"""The register database: migrations match the models, SQLite locking and settings."""

from __future__ import annotations

import sqlite3

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from docgen.config import Settings
from docgen.register.db import (
    alembic_config,
    current_revision,
    database_url,
    head_revision,
    make_engine,
    upgrade,
    writing,
)
from docgen.register.models import Base
from docgen.rounds import models as _rounds_models  # noqa: F401  (their tables are on Base too)
from docgen.store import models as _store_models  # noqa: F401  (the template store's too)


def test_migrations_match_the_models(any_register):
    with any_register.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_downgrade_and_upgrade_again(database_url):
    engine = make_engine(database_url)
    try:
        assert upgrade(engine) == head_revision()
        command.downgrade(alembic_config(engine), "base")
        assert current_revision(engine) is None
        assert not inspect(engine).has_table("register_entries")
        assert upgrade(engine) == head_revision()
        assert upgrade(engine) == head_revision()  # nothing to do: no error
    finally:
        engine.dispose()


def test_sqlite_runs_wal_with_a_busy_timeout(register):
    with register.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000


def test_sqlite_writer_holds_the_write_lock_from_begin(register):
    """BEGIN IMMEDIATE: no other writer gets in while a numbering transaction is open,
    even before it has written anything."""
    path = register.engine.url.database
    with writing(register.session_factory):
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        finally:
            other.close()


def test_database_url_settings(tmp_path):
    default = database_url(Settings.from_env(environ={}, instance_path=tmp_path))
    assert default.get_backend_name() == "sqlite"
    assert default.database == str(tmp_path.resolve() / "register.sqlite3")
    pg = database_url(Settings.from_env(
        environ={"DOCGEN_DATABASE_URL": "postgresql://u:p@db.example/docgen"}))
    assert pg.drivername == "postgresql+psycopg" and pg.host == "db.example"
    assert Settings.from_env(environ={"DOCGEN_DATABASE_UPGRADE": "off"}).database_upgrade == "off"
    assert "p@db" not in repr(Settings.from_env(
        environ={"DOCGEN_DATABASE_URL": "postgresql://u:p@db/x"}))


def test_missing_postgresql_is_named(monkeypatch):
    """Without the server binaries the PostgreSQL tests skip (fail under STRICT) saying why."""
    from . import pgcluster

    monkeypatch.setattr(pgcluster, "find_bindir", lambda: None)
    reason = pgcluster.missing_reason()
    assert reason is not None and "postgresql" in reason and "initdb" in reason


def test_unsupported_database_is_a_clear_settings_error(tmp_path):
    from docgen.config import SettingsError
    from docgen.register.db import database_url

    settings = Settings.from_env({"DOCGEN_DATABASE_URL": "mysql://u:p@localhost/docgen"},
                                 instance_path=tmp_path)
    with pytest.raises(SettingsError, match="SQLite hoặc PostgreSQL, không chạy trên mysql"):
        database_url(settings)
