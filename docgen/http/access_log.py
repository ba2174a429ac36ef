"""Request ids and one structured log line per request.

Every response carries ``X-Request-ID``: the caller's own, echoed when it is a
sane token, else a fresh one. The ``docgen.access`` logger writes one JSON line
per request — method, path, status, duration, document type, format, request id
— and never the payload, the query string or any header: the payload may hold
personal data, and headers hold the API keys.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid

from flask import Flask, Response, g, request

log = logging.getLogger("docgen.access")

HEADER = "X-Request-ID"
_SANE_ID = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")


def note(**fields: str) -> None:
    """Add fields (``doc_type``, ``format``) to this request's log line."""
    g.setdefault("log_fields", {}).update(fields)


def _start() -> None:
    g.started = time.perf_counter()
    offered = request.headers.get(HEADER, "")
    g.request_id = offered if _SANE_ID.fullmatch(offered) else uuid.uuid4().hex


def _finish(response: Response) -> Response:
    request_id = g.get("request_id") or uuid.uuid4().hex
    response.headers[HEADER] = request_id
    started = g.get("started")
    duration_ms = round((time.perf_counter() - started) * 1000, 1) if started else None
    line = {
        "event": "request",
        "request_id": request_id,
        "method": request.method,
        "path": request.path[:200],
        "status": response.status_code,
        "duration_ms": duration_ms,
        **g.get("log_fields", {}),
    }
    log.info(json.dumps(line, ensure_ascii=False))
    return response


def init_app(app: Flask) -> None:
    # First in line, so a 401 from the key check still gets an id and a log line.
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_finish)
