"""The outgoing register (sổ đăng ký văn bản đi): numbers, entries, the register book.

    models.py     issuers, counters, entries (SQLAlchemy 2)
    db.py         engine (SQLite WAL + BEGIN IMMEDIATE, or PostgreSQL), sessions, upgrades
    migrations/   Alembic revisions (``docgen db upgrade``)
    numbering.py  register_and_render: next number -> render -> record, one transaction
    book.py       listing, the ten columns of Appendix IV, CSV/XLSX export
    cli.py        ``docgen register …`` and ``docgen db …``

No Flask here: the HTTP layer is :mod:`docgen.api.register`, which calls
:func:`init_app` to put a :class:`Register` in ``app.extensions["docgen.register"]``.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from docgen.config import Settings
from docgen.register.db import database_url, make_engine, make_session_factory, upgrade
from docgen.register.errors import RegisterUnavailableError
from docgen.register.models import PER_TYPE, SEQUENCE_MODES, SHARED, Entry, Issuer
from docgen.register.numbering import register_and_render

if TYPE_CHECKING:
    from flask import Flask

    from docgen.rendering import Rendered, Renderer

__all__ = [
    "PER_TYPE",
    "SEQUENCE_MODES",
    "SHARED",
    "Entry",
    "Issuer",
    "Register",
    "init_app",
    "register_and_render",
]

EXTENSION = "docgen.register"


class Register:
    """The register database of one process: an engine and its session factory."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.session_factory: sessionmaker[Session] = make_session_factory(engine)

    @classmethod
    def from_settings(cls, settings: Settings) -> Register:
        return cls(make_engine(database_url(settings)))

    def upgrade(self) -> str | None:
        """Migrate the tables to the newest revision (a no-op when already there).

        An unreachable or refusing database is a :class:`RegisterUnavailableError` naming
        the server (never the password), not a driver traceback.
        """
        try:
            return upgrade(self.engine)
        except (OperationalError, InterfaceError) as exc:
            url = self.engine.url.render_as_string(hide_password=True)
            raise RegisterUnavailableError(
                f"Không kết nối được cơ sở dữ liệu của sổ đăng ký ({url}); kiểm tra "
                "DOCGEN_DATABASE_URL và máy chủ cơ sở dữ liệu.") from exc

    def register_and_render(self, renderer: Renderer, doc_type: str, data: Any,
                            fmt: str = "docx", idempotency_key: str | None = None,
                            **kwargs: Any) -> tuple[Rendered, Entry]:
        return register_and_render(renderer, self.session_factory, doc_type, data, fmt,
                                   idempotency_key, **kwargs)

    def dispose(self) -> None:
        self.engine.dispose()


def init_app(app: Flask) -> Register:
    """Open the register for ``app`` (and migrate it, unless ``DOCGEN_DATABASE_UPGRADE=off``)."""
    settings: Settings = app.config["DOCGEN"]
    register = Register.from_settings(settings)
    # Close the pooled connections when the app goes away (tests build many apps).
    weakref.finalize(app, register.dispose)
    if settings.database_upgrade == "auto":
        register.upgrade()
        # No connection left open from here: with `gunicorn --preload` the app is built
        # before the fork, and a pooled connection must never be shared by two workers.
        register.engine.dispose()
    app.extensions[EXTENSION] = register
    return register
