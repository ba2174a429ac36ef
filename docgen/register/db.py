"""The register database: engine, sessions, schema upgrades (Alembic).

SQLite (the default, a file under the instance folder) and PostgreSQL
(``DOCGEN_DATABASE_URL=postgresql://…``, driven by psycopg 3) are both supported.

SQLite connections run in WAL mode (readers never wait for the writer) with a
``busy_timeout``, and a writing transaction starts with ``BEGIN IMMEDIATE``: it
takes the database's write lock *before* it reads the counter, so two writers can
never read the same last number. Reads keep a plain deferred ``BEGIN``.
"""

from __future__ import annotations

import fcntl
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from docgen.config import Settings, SettingsError

log = logging.getLogger(__name__)

#: The databases numbering knows how to lock (FOR UPDATE / BEGIN IMMEDIATE).
SUPPORTED_BACKENDS = ("sqlite", "postgresql")

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: Seconds a SQLite writer waits for the lock before giving up ("database is locked").
SQLITE_BUSY_TIMEOUT = 30.0
#: Execution option a writing session sets so SQLite begins with BEGIN IMMEDIATE.
WRITE = "docgen_write"


def database_url(settings: Settings) -> URL:
    """``DOCGEN_DATABASE_URL``, or ``sqlite:///<instance>/register.sqlite3``.

    A bare ``postgresql://`` URL gets the psycopg (3) driver, the one docgen installs.
    """
    if settings.database_url:
        try:
            url = make_url(settings.database_url)
        except ArgumentError:
            raise SettingsError(
                "DOCGEN_DATABASE_URL=***: không phải địa chỉ cơ sở dữ liệu; ví dụ "
                "postgresql://người_dùng:mật_khẩu@máy/tên_csdl hoặc sqlite:///đường/dẫn.sqlite3"
            ) from None
        if url.drivername in ("postgresql", "postgres"):  # postgres:// is a common spelling
            url = url.set(drivername="postgresql+psycopg")
        if url.get_backend_name() not in SUPPORTED_BACKENDS:
            raise SettingsError(
                f"DOCGEN_DATABASE_URL: sổ đăng ký chạy trên SQLite hoặc PostgreSQL, không "
                f"chạy trên {url.get_backend_name()}"
            )
        return url
    path = Path(settings.instance_path).resolve() / "register.sqlite3"
    return URL.create("sqlite+pysqlite", database=str(path))


def _sqlite_events(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event emit BEGIN, not the sqlite3 module.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(SQLITE_BUSY_TIMEOUT * 1000)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE)
                             else "BEGIN")


def make_engine(url: URL | str, **kwargs: Any) -> Engine:
    """An engine for the register; SQLite gets WAL, busy_timeout and BEGIN IMMEDIATE writes."""
    url = make_url(url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault("connect_args", {"timeout": SQLITE_BUSY_TIMEOUT,
                                           "check_same_thread": False})
        engine = create_engine(url, **kwargs)
        _sqlite_events(engine)
        return engine
    # Many request threads wait on one counter row; give them connections to wait with.
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 60)
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


_write_locks: dict[str, threading.Lock] = {}
_write_locks_guard = threading.Lock()


def _process_write_lock(engine: Engine) -> threading.Lock | None:
    """SQLite: one in-process lock per database file, taken before BEGIN IMMEDIATE.

    SQLite's own busy handler makes a waiting writer sleep (up to 100 ms at a time)
    and retry, which is unfair and slow when many threads of one process queue for
    the lock; threads of one process queue on this lock instead, in order. Other
    processes (gunicorn workers, the CLI) still wait through ``busy_timeout``.
    """
    if engine.dialect.name != "sqlite":
        return None
    key = str(engine.url.database)
    with _write_locks_guard:
        return _write_locks.setdefault(key, threading.Lock())


@contextmanager
def writing(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose transaction takes SQLite's write lock up front (BEGIN IMMEDIATE).

    Commits on success, rolls back on any exception. On PostgreSQL this is an
    ordinary READ COMMITTED transaction; the numbering service locks its counter
    row with ``SELECT … FOR UPDATE``.
    """
    bind = session_factory.kw.get("bind")
    lock = _process_write_lock(bind) if isinstance(bind, Engine) else None
    with lock if lock is not None else nullcontext(), session_factory() as session:
        session.connection(execution_options=cast(Any, {WRITE: True}))  # our own option key
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


# --- schema upgrades -------------------------------------------------------------------

def alembic_config(engine: Engine) -> Any:
    """An Alembic ``Config`` for the migrations inside this package (no alembic.ini)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    config = alembic_config(None)  # type: ignore[arg-type]
    return ScriptDirectory.from_config(config).get_current_head()


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


@contextmanager
def _upgrade_lock(engine: Engine) -> Iterator[None]:
    """Several workers starting at once upgrade one after the other, not together."""
    url = engine.url
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        lock_path = Path(url.database + ".upgrade-lock")
        with lock_path.open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
    elif url.get_backend_name() == "postgresql":
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT pg_advisory_lock(5173120)")  # arbitrary, docgen's
            try:
                yield
            finally:
                conn.exec_driver_sql("SELECT pg_advisory_unlock(5173120)")
                conn.commit()
    else:
        yield


def upgrade(engine: Engine, revision: str = "head") -> str | None:
    """Bring the register's tables to ``revision`` (the newest by default).

    Cheap when there is nothing to do: the current revision is compared with the
    head before Alembic runs. Returns the revision the database is at afterwards.
    """
    if revision == "head" and current_revision(engine) == head_revision():
        return head_revision()
    from alembic import command

    with _upgrade_lock(engine):
        command.upgrade(alembic_config(engine), revision)
    after = current_revision(engine)
    log.info("register database at revision %s (%s)", after, engine.url.render_as_string())
    return after
