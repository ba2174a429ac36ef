"""The HTTP shell shared by the API (docgen.api) and the pages (docgen.web).

    requests.py    the JSON body, flags, format/pdfa/register/Idempotency-Key -> DocumentRequest
    files.py       the one file response (Content-Disposition, warnings, register headers)
    problems.py    application/problem+json: one body, one handler for every error
    access_log.py  request ids and one JSON access line per request
    security.py    API keys for /api/v1

api/ and web/ import this package and never each other. ``init_app`` installs the
request-wide parts (access log, keys, problem handlers) once for the whole app.
"""

from __future__ import annotations

from flask import Flask

from docgen.http import access_log, problems, security

__all__ = ["init_app"]


def init_app(app: Flask) -> None:
    access_log.init_app(app)
    security.init_app(app)


def init_error_handlers(app: Flask) -> None:
    """Last, after every blueprint, so these replace flask-smorest's own handlers."""
    problems.init_app(app)
