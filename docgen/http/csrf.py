"""CSRF: a page POST must come from docgen's own page, with or without keys.

Two checks on every state-changing request to a page (anything outside ``/api``; the API
is authorised by keys in headers, which a browser never adds on its own, so it needs none):

1. **Origin.** ``Origin`` must name this host; a browser that sends none must send a
   ``Referer`` on this host. Neither → refused: a page that hides both is not ours.
   Only the host and port are compared, not the scheme: behind a TLS-terminating proxy
   docgen sees ``http`` while the browser says ``https``.
2. **Token.** The form's hidden ``_csrf`` field must equal the token kept in the signed
   session cookie (:mod:`docgen.http.sessions`). Without keys there is no login, but the
   cookie is there all the same and carries the token: a double-submit cookie, signed, so
   a neighbouring site cannot plant one of its own.

A refusal is :class:`~docgen.errors.CsrfError` (403 ``csrf_failed``): problem+json, or
the HTML problem page for a browser. Templates put ``{{ csrf_field() }}`` in each form.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from urllib.parse import urlsplit

from flask import Flask, request, session
from markupsafe import Markup
from werkzeug.exceptions import RequestEntityTooLarge

from docgen.errors import CsrfError, PayloadTooLargeError

__all__ = ["FIELD", "csrf_field", "init_app", "protect", "token"]

log = logging.getLogger(__name__)

FIELD = "_csrf"
SESSION_KEY = "csrf"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def token() -> str:
    """This session's token, created on first use."""
    value = session.get(SESSION_KEY)
    if not isinstance(value, str) or not value:
        value = secrets.token_urlsafe(32)
        session[SESSION_KEY] = value
    return value


def csrf_field() -> Markup:
    """The hidden input each page form carries (a Jinja global)."""
    return Markup('<input type="hidden" name="{}" value="{}">').format(FIELD, token())


def _host_of(url: str) -> str | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return parts.netloc.lower() if parts.scheme in ("http", "https") and parts.netloc else None


def _check_origin() -> None:
    own = request.host.lower()
    origin = request.headers.get("Origin")
    if origin is not None:
        if _host_of(origin) != own:  # "null" (a sandboxed frame, a data: page) included
            raise CsrfError("origin_mismatch")
        return
    referer = request.headers.get("Referer")
    if referer is None:
        raise CsrfError("origin_missing")
    if _host_of(referer) != own:
        raise CsrfError("origin_mismatch")


def _check_token() -> None:
    expected = session.get(SESSION_KEY)
    try:
        offered = request.form.get(FIELD) or request.headers.get("X-CSRF-Token")
    except RequestEntityTooLarge as exc:
        limit = request.max_content_length or 0
        raise PayloadTooLargeError(
            f"Dữ liệu gửi lên vượt giới hạn {limit:,} byte.".replace(",", ".")) from exc
    if not offered:
        raise CsrfError("token_missing")
    if not isinstance(expected, str) or not hmac.compare_digest(
            offered.encode("utf-8"), expected.encode("utf-8")):
        raise CsrfError("token_mismatch")


def protect() -> None:
    """``before_request``: refuse a page POST (PUT, DELETE…) that fails either check."""
    if request.method in SAFE_METHODS or request.path.startswith("/api/"):
        return
    try:
        _check_origin()
        _check_token()
    except CsrfError as exc:
        log.warning("CSRF refused: %s %s (%s)", request.method, request.path[:200], exc.reason)
        raise


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(csrf_field=csrf_field, csrf_token=token)
    app.before_request(protect)
