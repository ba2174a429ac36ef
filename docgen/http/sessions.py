"""The pages' session: a signed cookie holding the login and the CSRF token.

The API never reads it: ``/api/v1`` is authorised by keys in headers only
(:mod:`docgen.http.security`), so no cookie can make an API call on a clerk's behalf.

**Secret key.** ``DOCGEN_SECRET_KEY`` when set; else one generated on first start and
kept in ``<instance>/secret_key`` (mode 0600). It is created with a link from a private
temporary file, which fails when the file already exists, so gunicorn workers starting
together agree on one key and none reads a half-written file.

**Cookie.** ``docgen_session``: HttpOnly, SameSite=Lax, and Secure whenever the request
came over HTTPS (decided per request, so one image serves both a loopback test and an
HTTPS proxy). A login lasts :data:`LIFETIME` (a working day).

**Who is signed in.** A session started at ``/login`` with one of ``DOCGEN_API_KEYS``
keeps the key's fingerprint (not the key); removing the key from the settings ends every
session started with it. When ``DOCGEN_TRUSTED_USER_HEADER`` is set, the agency's
reverse proxy may name the user in that header instead.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from flask import Flask, current_app, request, session
from flask.sessions import SecureCookieSessionInterface

from docgen.config import Settings

__all__ = [
    "COOKIE_NAME",
    "LIFETIME",
    "Login",
    "current_login",
    "end",
    "fingerprint",
    "init_app",
    "load_secret_key",
    "start",
]

COOKIE_NAME = "docgen_session"
LIFETIME = dt.timedelta(hours=10)
SECRET_FILE = "secret_key"
EXTENSION = "docgen.key_fingerprints"


def fingerprint(secret: str, key: str) -> str:
    """What a session keeps of the key it was started with: a keyed digest, never the key.

    Keyed with the secret key, so a cookie that leaks gives nothing to guess the key with.
    """
    return hmac.new(secret.encode("utf-8"), key.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def load_secret_key(settings: Settings) -> str:
    """``DOCGEN_SECRET_KEY``, else the instance's generated key (created once, 0600)."""
    if settings.secret_key:
        return settings.secret_key
    folder = Path(settings.instance_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / SECRET_FILE
    if not path.exists():
        tmp = folder / f".{SECRET_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(secrets.token_urlsafe(48) + "\n")
        try:
            os.link(tmp, path)  # fails if another worker got there first: theirs wins
        except FileExistsError:
            pass
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink()
    return path.read_text(encoding="ascii").strip()


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session, Secure exactly when the request is HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return request.is_secure


class Login:
    """Who is signed in on this request: ``via`` is ``key`` or ``header``."""

    def __init__(self, name: str, via: str) -> None:
        self.name = name
        self.via = via


def current_login() -> Login | None:
    """The signed-in clerk, or None. Keys changed since the login end the session."""
    settings: Settings = current_app.config["DOCGEN"]
    if settings.trusted_user_header:
        name = request.headers.get(settings.trusted_user_header, "").strip()
        if name:
            return Login(name[:200], "header")
    kid = session.get("kid")
    if isinstance(kid, str) and kid in current_app.extensions[EXTENSION]:
        return Login(f"khóa {kid[:8]}", "key")
    return None


def start(key: str) -> None:
    """A fresh session for ``key`` (already checked): a new CSRF token too."""
    session.clear()
    session.permanent = True
    session["kid"] = fingerprint(current_app.secret_key, key)  # type: ignore[arg-type]


def end() -> None:
    session.clear()


def init_app(app: Flask) -> None:
    settings: Settings = app.config["DOCGEN"]
    app.secret_key = load_secret_key(settings)
    app.session_interface = SessionInterface()
    app.config.update(
        SESSION_COOKIE_NAME=COOKIE_NAME,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=LIFETIME,
    )
    app.extensions[EXTENSION] = frozenset(fingerprint(app.secret_key, k) for k in settings.api_keys)
