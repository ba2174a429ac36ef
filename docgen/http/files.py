"""File responses: one way to send a document, a stored file or a job's result.

Every document leaves docgen through :func:`document_response`, whatever the entry point
(the API, a round, the clerk's form, a register entry): the same ``Content-Disposition``,
the same warning headers, the same register headers. Nothing else builds one.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from flask import Response, current_app, send_file
from sqlalchemy.orm import joinedload, undefer
from werkzeug.exceptions import NotFound

from docgen.errors import FieldError
from docgen.register import EXTENSION
from docgen.register.book import valid_id
from docgen.register.models import Entry

if TYPE_CHECKING:
    from docgen.service import Produced

__all__ = ["ascii_fold", "content_disposition", "document_response", "entry_response",
           "file_response", "path_response"]


def ascii_fold(text: str) -> str:
    """'QĐ-04-Sở' -> 'QD-04-So': the ASCII fallback of a Vietnamese file name.

    >>> ascii_fold("BB-12-ĐKT-2017-10-12.docx")
    'BB-12-DKT-2017-10-12.docx'
    """
    text = text.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c if c.isascii() and c.isprintable() else "_" for c in decomposed
                   if not unicodedata.combining(c))


def content_disposition(filename: str) -> str:
    """RFC 6266 with an RFC 5987 UTF-8 name and an ASCII fallback."""
    fallback = ascii_fold(filename).replace('"', "").replace("\\", "")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def file_response(content: bytes, media_type: str, filename: str, *,
                  warnings: Sequence[FieldError] = (), entry: Entry | None = None) -> Response:
    """``content`` as an attachment, with the warning and register headers it has."""
    response = Response(content, mimetype=media_type)
    response.headers["Content-Disposition"] = content_disposition(filename)
    if warnings:
        response.headers["X-Docgen-Warnings"] = str(len(warnings))
        response.headers["X-Docgen-Warning-Codes"] = ", ".join(
            f"{w.path}={w.code}" for w in warnings)
        # The Vietnamese messages too, percent-encoded UTF-8 (headers are Latin-1), so a
        # page or client can show a warning without a second request.
        response.headers["X-Docgen-Warning-Messages"] = ", ".join(
            f"{w.path}={quote(w.message, safe='')}" for w in warnings)
    if entry is not None:
        response.headers["X-Docgen-Register-Number"] = str(entry.number)
        response.headers["X-Docgen-Register-Symbol"] = quote(entry.symbol, safe="")
        response.headers["X-Docgen-Register-Entry"] = str(entry.id)
        response.headers["X-Docgen-Checksum"] = f"sha256={entry.checksum}"
    return response


def document_response(produced: Produced) -> Response:
    """The document a :class:`~docgen.service.Service` produced."""
    rendered = produced.rendered
    return file_response(rendered.content, rendered.media_type, rendered.filename,
                         warnings=rendered.warnings, entry=produced.entry)


def entry_response(entry_id: int) -> Response:
    """The stored file of register entry ``entry_id``, as it was issued; else 404.

    One answer for the API (``/api/v1/register/entries/<id>/file``, behind a key) and the
    register page (``/register/entries/<id>/file``, behind the login).
    """
    if not valid_id(entry_id):  # 10**30 cannot be an id; SQLite would overflow binding it
        raise NotFound()
    with current_app.extensions[EXTENSION].session_factory() as session:
        entry = session.get(Entry, entry_id,
                            options=[undefer(Entry.content), joinedload(Entry.issuer)])
        if entry is None:
            raise NotFound()
        return file_response(entry.content, entry.media_type, entry.filename, entry=entry)


def path_response(path: Path, media_type: str, filename: str) -> Response:
    """A file on disk (a job's ZIP, its errors.csv), streamed, with conditional requests."""
    response = send_file(path, mimetype=media_type, conditional=True, max_age=0)
    response.headers["Content-Disposition"] = content_disposition(filename)
    return response
