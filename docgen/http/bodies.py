"""Request bodies without a Content-Length (``Transfer-Encoding: chunked``) keep the limits.

When the server de-chunks the body itself (the development server and gunicorn both do,
and say so with ``wsgi.input_terminated``), Werkzeug bounds the stream by
``max_content_length`` — but its ``readall`` stops *at* the limit without looking
further, so a body over the limit is silently cut: a large JSON body became 400 "not
valid JSON" and a 50 MiB form was truncated and processed. :class:`BoundedStream` looks
one byte past the limit and raises 413 (``payload_too_large``) when there is more.

The limit is the request's own (``request.max_content_length``), read when the body is
first read, so a view that allows more (a batch upload) still can: :func:`upload_view`
marks such a view, and :func:`init_app`'s hook raises the request's limit before anything
(the CSRF check included) reads the body.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, Any, TypeVar, cast

from flask import Flask, current_app, request
from flask import Request as FlaskRequest
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.utils import cached_property
from werkzeug.wsgi import LimitedStream

__all__ = ["BoundedStream", "Request", "init_app", "upload_view"]

View = TypeVar("View", bound=Callable[..., Any])
UPLOAD_MARK = "docgen_upload"


class BoundedStream(LimitedStream):
    """A de-chunked body bounded by a maximum that refuses, rather than cuts, what is over."""

    def __init__(self, stream: IO[bytes], limit: int) -> None:
        super().__init__(stream, limit, is_max=True)

    def on_exhausted(self) -> None:
        # At the limit: the body may end exactly here (fine) or go on (413).
        if self._stream.read(1):
            raise RequestEntityTooLarge()

    def readall(self) -> bytes:
        data = super().readall()
        if self.is_exhausted:
            self.on_exhausted()
        return data


class Request(FlaskRequest):
    """Flask's request, with :class:`BoundedStream` for bodies that have no length."""

    @cached_property
    def stream(self) -> IO[bytes]:
        environ = self.environ
        limit = self.max_content_length
        if (limit is not None and environ.get("wsgi.input_terminated")
                and not environ.get("CONTENT_LENGTH")):
            return cast(IO[bytes], BoundedStream(environ["wsgi.input"], limit))
        return super().stream


def upload_view(view: View) -> View:
    """Mark a view whose body may reach ``DOCGEN_BATCH_MAX_UPLOAD_BYTES`` (a CSV/XLSX)."""
    setattr(view, UPLOAD_MARK, True)
    return view


def _upload_limit() -> None:
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(view, UPLOAD_MARK, False):
        request.max_content_length = current_app.config["DOCGEN"].batch_max_upload_bytes


def init_app(app: Flask) -> None:
    app.request_class = Request
    app.before_request(_upload_limit)
