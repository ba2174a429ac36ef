"""Logging set-up: plain text lines by default, one JSON object per line with
``DOCGEN_LOG_FORMAT=json`` — for docgen's records and the server's alike.

``init_logging(settings)`` puts one handler on the root logger (unless the host,
pytest or gunicorn, has set one up), so werkzeug's, Celery's and docgen's records
all pass through the same formatter. gunicorn configures its own loggers: the
repository's ``gunicorn.conf.py`` gives them :class:`JsonFormatter` too. The
Celery worker configures logging itself unless told otherwise:
:func:`init_worker_logging` tells it.

The access log (``docgen.access``) already writes a JSON message; in JSON format
its fields become the record's own keys instead of a string inside a string.

``docgen serve`` runs werkzeug's development server, which would print a second
access line per request (``127.0.0.1 - - [...] "GET / HTTP/1.1" 200``):
:class:`QuietRequestHandler` drops those; docgen's access log is the one.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from typing import TYPE_CHECKING, Any

from werkzeug.serving import WSGIRequestHandler

if TYPE_CHECKING:
    from docgen.config import Settings

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
#: Attributes every LogRecord has; anything else was passed with ``extra=``.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (UTC, ISO 8601), level, logger, message, extras."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        entry: dict[str, Any] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
        }
        fields = _json_object(message) if record.name == "docgen.access" else None
        if fields is not None:
            entry.update(fields)
        else:
            entry["message"] = message
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry.setdefault(key, value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def _json_object(message: str) -> dict[str, Any] | None:
    if not message.startswith("{"):
        return None
    try:
        value = json.loads(message)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def make_formatter(log_format: str) -> logging.Formatter:
    return JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT)


def init_logging(settings: Settings) -> None:
    """A stderr handler on the root logger with the chosen format; docgen's level set.

    Left alone when the root logger already has handlers (pytest's capture, a host
    application's own set-up) — except that in JSON format those handlers get the
    JSON formatter, so "every record is JSON" holds whoever set them up.
    """
    logging.getLogger("docgen").setLevel(settings.log_level)
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(make_formatter(settings.log_format))
        root.addHandler(handler)
        # The root level stays as it is (WARNING): docgen's loggers have their own level,
        # werkzeug sets INFO on its own, and alembic's or SQLAlchemy's INFO stay quiet.
    elif settings.log_format == "json":
        for existing in root.handlers:
            if type(existing).__module__.startswith("_pytest"):
                continue  # pytest's capture keeps its own format (caplog reads messages)
            existing.setFormatter(JsonFormatter())


def init_worker_logging(settings: Settings) -> None:
    """For ``docgen worker``: Celery uses docgen's logging instead of its own set-up."""
    from celery.signals import setup_logging

    def configure(loglevel: str | int | None = None, **_kwargs: Any) -> None:
        init_logging(settings)
        if loglevel:  # `docgen worker -l INFO`: Celery's own records ("ready.", tasks)
            logging.getLogger().setLevel(loglevel)

    setup_logging.connect(configure, weak=False)


def quiet_banner(settings: Settings) -> list[str]:
    """Celery's ``-q`` in JSON format: its start-up banner is printed, not logged, and would
    be the only lines that are not JSON (the worker's "ready." is a log record either way)."""
    return ["-q"] if settings.log_format == "json" else []


class QuietRequestHandler(WSGIRequestHandler):
    """werkzeug's handler without its per-request access line (errors still logged)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None  # docgen.access logs every request, path only

    def log_error(self, format: str, *args: Any) -> None:
        # send_error's message quotes the raw request line ("Bad request syntax ('GET
        # /?api_key=…')"): keep the status code only.
        code = args[0] if args and isinstance(args[0], int) else None
        self.log("error", "request refused (%s)", code if code is not None else "-")


__all__ = ["JsonFormatter", "QuietRequestHandler", "init_logging", "init_worker_logging",
           "make_formatter", "quiet_banner"]
