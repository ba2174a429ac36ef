"""The HTTP shell shared by the API (docgen.api) and the pages (docgen.web).

    requests.py    the JSON body, flags, format/pdfa/register/Idempotency-Key -> DocumentRequest
    files.py       the one file response (Content-Disposition, warnings, register headers)
    problems.py    application/problem+json: one body, one handler for every error
    access_log.py  request ids and one JSON access line per request
    bodies.py      request bodies without a length (chunked) keep the limits: 413, never cut
    sessions.py    the pages' signed session cookie: secret key, login, who is signed in
    security.py    API keys for /api/v1, a login for the pages when keys are set
    throttle.py    wrong keys per client address: 429 too_many_attempts past the limit
    csrf.py        every page POST: same Origin/Referer and the session's _csrf token

api/ and web/ import this package and never each other. ``init_app`` installs the
request-wide parts (access log, body limits, session, keys and login, CSRF, problem
handlers) once for the whole app, in that order: nothing reads a body before its limit
is set, and no anonymous POST to a page is parsed when keys are set.
"""

from __future__ import annotations

from flask import Flask

from docgen.http import access_log, bodies, csrf, problems, security, sessions, throttle

__all__ = ["init_app"]


def init_app(app: Flask) -> None:
    access_log.init_app(app)
    bodies.init_app(app)
    sessions.init_app(app)
    throttle.init_app(app)
    security.init_app(app)
    csrf.init_app(app)


def init_error_handlers(app: Flask) -> None:
    """Last, after every blueprint, so these replace flask-smorest's own handlers."""
    problems.init_app(app)
