"""Register fixtures: a register database on SQLite (always) or PostgreSQL (a real server).

``pg_cluster`` starts one throwaway PostgreSQL cluster for the session (initdb into
a temporary folder, pg_ctl start on a free port with its socket in that folder) and
removes it at the end; each test that uses ``pg_url`` gets its own database. Without
the server binaries those tests skip with the reason — or fail under
``DOCGEN_TEST_STRICT=1``, like every ``require_programs`` check.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from docgen.config import Settings
from docgen.register import Register
from docgen.register.db import make_engine
from docgen.rendering import Renderer

from ..conftest import STRICT
from .pgcluster import Cluster, missing_reason, start_cluster

_names = itertools.count(1)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    reason = missing_reason()
    if reason:
        if STRICT:
            pytest.fail(reason)
        pytest.skip(reason)
    cluster = start_cluster()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def pg_url(pg_cluster: Cluster) -> str:
    """A fresh, empty database on the session's cluster."""
    return pg_cluster.create_database(f"docgen_test_{next(_names)}")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+pysqlite:///{tmp_path / 'register.sqlite3'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str:
    """Each test that takes it runs on SQLite and on PostgreSQL."""
    name = "sqlite_url" if request.param == "sqlite" else "pg_url"
    return request.getfixturevalue(name)


def open_register(url: str) -> Register:
    register = Register(make_engine(url))
    register.upgrade()
    return register


@pytest.fixture
def register(sqlite_url: str) -> Iterator[Register]:
    """A migrated register on a temporary SQLite file."""
    reg = open_register(sqlite_url)
    yield reg
    reg.dispose()


@pytest.fixture
def any_register(database_url: str) -> Iterator[Register]:
    """A migrated register, once on SQLite and once on PostgreSQL."""
    reg = open_register(database_url)
    yield reg
    reg.dispose()


@pytest.fixture(scope="session")
def renderer() -> Renderer:
    return Renderer(Settings.from_env(environ={}))


@pytest.fixture
def minutes(example: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    """Factory: the minutes example (issuer ĐKT), dated ``date`` when given."""

    def make(date: str | None = None, **overrides: Any) -> dict[str, Any]:
        data = example("minutes", **overrides)
        if date is not None:
            data["date"] = date
            data["started_at"] = f"{date}T08:00:00"
            data["ended_at"] = f"{date}T11:30:00"
        return data

    return make


@pytest.fixture
def any_app(database_url: str, tmp_path: Path) -> Iterator[Any]:
    """The app with its register (and so its rounds) on ``database_url``: once on SQLite,
    once on PostgreSQL (``DOCGEN_DATABASE_URL``)."""
    from docgen.app import create_app
    from docgen.register import EXTENSION

    app = create_app({"instance_path": tmp_path / "instance", "database_url": database_url,
                      "max_request_bytes": 256 * 1024})
    yield app
    app.extensions[EXTENSION].dispose()


@pytest.fixture
def any_client(any_app: Any) -> Any:
    return any_app.test_client()
