"""Who may call what: ``DOCGEN_API_KEYS`` set -> every ``/api/v1`` call needs a key,
and every page a login.

A key arrives as ``Authorization: Bearer <key>`` or ``X-API-Key: <key>``. Keys
are compared as SHA-256 digests with :func:`hmac.compare_digest` against every
configured key (no early exit), so neither the content nor the length of a key
shows in the timing. Keys are never logged: the access log records no header.

A key is only ever read from these headers: ``?api_key=`` or a form field is not a
key (query strings end up in logs and browser histories).

Administrator keys (``DOCGEN_ADMIN_KEYS``, the same forms) guard every call that changes
the template store: :func:`require_admin` answers the key's fingerprint (what the store
records as the author — never the key), 403 ``store_locked`` when the server has no
administrator keys at all, 401 ``admin_key_required`` without a right one. An
administrator key also opens the rest of the API.

The OpenAPI document and Swagger UI (``/api/openapi.json``, ``/api/docs``) stay
open — they hold no data, and a browser cannot send a key to load a page — as
do ``/healthz``, ``/readyz``, ``/metrics`` (counts only; keep it internal), the static
files and the login page.

**Pages** (the form, the register, the batch page) are for people, who cannot send
headers: with keys set, :func:`check_page_login` asks for a session started at
``/login`` with a key, or the reverse proxy's identity header
(``DOCGEN_TRUSTED_USER_HEADER``; see :mod:`docgen.http.sessions`). A browser is sent
to the login page; anything else gets 401 ``login_required``. Without keys the pages
stay open, as on a loopback default. The session never authorises ``/api/v1``.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from urllib.parse import quote

from flask import Flask, Response, current_app, redirect, request

from docgen.errors import LoginRequiredError
from docgen.http import throttle
from docgen.http.problems import problem_response, wants_html
from docgen.http.sessions import current_login
from docgen.store.errors import AdminKeyRequiredError, StoreLockedError

#: Paths under /api that need no key (documentation only).
OPEN_PREFIXES = ("/api/openapi.json", "/api/docs")
#: Pages that need no login (health, the login page itself, static files).
OPEN_PAGES = ("/healthz", "/readyz", "/metrics", "/login", "/favicon.ico")
OPEN_PAGE_PREFIXES = ("/static/",)
REALM = 'Bearer realm="docgen"'


def _digest(key: str) -> bytes:
    return hashlib.sha256(key.encode("utf-8")).digest()


class KeyChecker:
    """Holds the digests of the configured keys; ``matches`` runs in constant time."""

    def __init__(self, keys: Iterable[str]):
        self._digests = [_digest(k) for k in keys]

    def __bool__(self) -> bool:
        return bool(self._digests)

    def matches(self, candidate: str) -> bool:
        supplied = _digest(candidate)
        found = False
        for digest in self._digests:
            found |= hmac.compare_digest(supplied, digest)
        return found


def supplied_keys() -> list[str]:
    """Keys the request offers: the Bearer token and/or the X-API-Key header."""
    keys = []
    scheme, _, token = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        keys.append(token.strip())
    header = request.headers.get("X-API-Key", "").strip()
    if header:
        keys.append(header)
    return keys


def needs_key(path: str) -> bool:
    return path.startswith("/api/") and not path.startswith(OPEN_PREFIXES)


def unauthorized(detail: str, error: str | None = None) -> Response:
    response = problem_response(401, "unauthorized", "Chưa xác thực", detail)
    response.headers["WWW-Authenticate"] = REALM + (f', error="{error}"' if error else "")
    return response


def check_api_key() -> Response | None:
    """``before_request``: ``None`` lets the request through, else the 401 problem."""
    checker: KeyChecker = current_app.extensions["docgen.api_keys"]
    if not checker or not needs_key(request.path):
        return None
    offered = supplied_keys()
    if not offered:
        return unauthorized(
            "Thiếu khóa API: gửi tiêu đề Authorization: Bearer <khóa> hoặc X-API-Key: <khóa>."
        )
    throttle.check()  # too many wrong keys from this address: 429, the key not looked at
    admins: KeyChecker = current_app.extensions["docgen.admin_keys"]
    # Check every offered key (at most two) so the work does not depend on which one is wrong.
    if not any([checker.matches(key) or admins.matches(key)  # noqa: C419 - no short-circuit
                for key in offered]):
        throttle.failed()
        return unauthorized("Khóa API không đúng.", error="invalid_token")
    throttle.succeeded()
    return None


def is_page(path: str) -> bool:
    """A path a person opens (not the API, not an always-open path)."""
    return not (path == "/api" or path.startswith("/api/") or path in OPEN_PAGES
                or path.startswith(OPEN_PAGE_PREFIXES))


def safe_next(target: str | None) -> str:
    """Where to go after the login: a path on this site only (no open redirect).

    >>> safe_next("/register?year=2026"), safe_next("//evil.example/"), safe_next(None)
    ('/register?year=2026', '/', '/')
    """
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    if any(ord(c) < 0x21 or ord(c) == 0x7F for c in target):
        return "/"  # browsers drop tabs and newlines: "/\t/evil.example" would be "//evil…"
    return target


def check_page_login() -> Response | None:
    """``before_request``: with keys set, a page needs a login; ``None`` lets it through."""
    checker: KeyChecker = current_app.extensions["docgen.api_keys"]
    if not checker or not is_page(request.path) or current_login() is not None:
        return None
    if request.method in ("GET", "HEAD") and wants_html():
        target = request.full_path if request.query_string else request.path
        return redirect("/login?next=" + quote(target, safe="/"), 303)  # type: ignore[return-value]
    raise LoginRequiredError()


def fingerprint(key: str) -> str:
    """What the store records as the author of a change: ``admin:`` and 12 hex digits of the
    key's SHA-256 (the same key, the same fingerprint; the key itself never stored)."""
    return "admin:" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def admin_fingerprint(candidate: str) -> str | None:
    """The fingerprint of ``candidate`` if it is an administrator key, else None."""
    admins: KeyChecker = current_app.extensions["docgen.admin_keys"]
    return fingerprint(candidate) if admins and admins.matches(candidate) else None


def require_admin() -> str:
    """The administrator key of this request (``Authorization: Bearer …``), as its
    fingerprint; else :class:`StoreLockedError` (no keys set) or
    :class:`AdminKeyRequiredError`."""
    admins: KeyChecker = current_app.extensions["docgen.admin_keys"]
    if not admins:
        raise StoreLockedError(
            "Máy chủ chưa đặt khóa quản trị (DOCGEN_ADMIN_KEYS) nên kho mẫu không thay đổi "
            "được qua HTTP; dùng lệnh docgen types trên máy chủ.")
    scheme, _, token = request.headers.get("Authorization", "").strip().partition(" ")
    token = token.strip() if scheme.lower() == "bearer" else ""
    found = [fingerprint(token)] if token and admins.matches(token) else []
    if not found:
        raise AdminKeyRequiredError(
            "Thao tác này cần khóa quản trị: gửi Authorization: Bearer <khóa quản trị> "
            "(một khóa trong DOCGEN_ADMIN_KEYS).")
    return found[0]


def init_app(app: Flask) -> None:
    settings = app.config["DOCGEN"]
    app.extensions["docgen.api_keys"] = KeyChecker(settings.api_keys)
    app.extensions["docgen.admin_keys"] = KeyChecker(settings.admin_keys)
    app.before_request(check_api_key)
    app.before_request(check_page_login)
