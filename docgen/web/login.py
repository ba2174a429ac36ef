"""Signing in to the pages with a key: ``GET/POST /login``, ``POST /logout``.

With ``DOCGEN_API_KEYS`` set every page needs a login (:mod:`docgen.http.security`); the
clerk pastes one of the keys here once and the signed session cookie carries the login
(:mod:`docgen.http.sessions`). Both POSTs carry the CSRF token, like every page form:
a login forced from another site would sign the clerk in under someone else's key.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request

from docgen.errors import TooManyAttemptsError
from docgen.http import sessions, throttle
from docgen.http.security import KeyChecker, safe_next

bp = Blueprint("login", __name__)

log = logging.getLogger(__name__)


def _checker() -> KeyChecker:
    return current_app.extensions["docgen.api_keys"]  # type: ignore[no-any-return]


@bp.get("/login")
def login_page() -> Any:
    target = safe_next(request.args.get("next"))
    if not _checker() or sessions.current_login() is not None:
        return redirect(target, 303)  # nothing to sign in to, or signed in already
    return render_template("login.html", next=target, error=None)


@bp.post("/login")
def login() -> Any:
    target = safe_next(request.form.get("next"))
    key = request.form.get("key", "").strip()
    checker = _checker()
    if not checker:
        return redirect(target, 303)
    try:
        throttle.check()
    except TooManyAttemptsError as exc:
        log.warning("login refused: too many wrong keys from %s", request.remote_addr)
        return (render_template("login.html", next=target, error=exc.message), exc.status,
                {"Retry-After": str(exc.retry_after)})
    if not key or not checker.matches(key):
        log.warning("login refused")  # never the key itself
        if key:
            throttle.failed()
        error = "Khóa truy cập không đúng." if key else "Hãy dán khóa truy cập."
        return render_template("login.html", next=target, error=error), 401
    throttle.succeeded()
    sessions.start(key)
    return redirect(target, 303)


@bp.post("/logout")
def logout() -> Any:
    sessions.end()
    return redirect("/login" if _checker() else "/", 303)
