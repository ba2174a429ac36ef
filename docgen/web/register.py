"""The register page: the outgoing register (sổ đăng ký văn bản đi) as a clerk reads it.

Filters by issuer, year and type, pages of 50, the book's columns, and downloads
of the same selection as XLSX or CSV. It reads through docgen.register.book, the
same functions as the API and ``docgen register list|export``. The issued files are
served from the page's own route (``/register/entries/<id>/file``), behind the pages'
login, so the session cookie never has to authorise ``/api/v1``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request
from werkzeug.exceptions import NotFound

from docgen.catalog import DOCUMENT_TYPES
from docgen.http.access_log import note
from docgen.http.files import entry_response, file_response
from docgen.register import EXTENSION, Register
from docgen.register.book import (
    COLUMNS,
    EXPORTERS,
    Filters,
    all_entries,
    book_row,
    list_entries,
)
from docgen.register.book import page_number as parse_page

bp = Blueprint("register_web", __name__, url_prefix="/register", template_folder="templates")

PER_PAGE = 50


def _filters() -> Filters:
    year = request.args.get("year", "").strip()
    return Filters(
        issuer=request.args.get("issuer", "").strip() or None,
        year=int(year) if year.isascii() and year.isdigit() and len(year) == 4 else None,
        type=request.args.get("type", "").strip() or None,
    )


def _register() -> Register:
    return current_app.extensions[EXTENSION]


@bp.get("")
def book() -> str:
    filters = _filters()
    page_number = parse_page(request.args.get("page"))  # bounded: 5,000 digits are no page
    with _register().session_factory() as session:
        page = list_entries(session, filters, max(page_number, 1), PER_PAGE)
        rows = [(entry.id, book_row(entry)) for entry in page.items]
    query: dict[str, Any] = {k: v for k, v in {
        "issuer": filters.issuer, "year": filters.year, "type": filters.type}.items() if v}
    return render_template("register.html", page=page, rows=rows, columns=COLUMNS,
                           filters=filters, query=query, types=list(DOCUMENT_TYPES.values()),
                           this_year=dt.date.today().year)


@bp.get("/entries/<int:entry_id>/file")
def entry_file(entry_id: int) -> Response:
    """An issued file, for the page's "Tải" links: behind the page's login, not an API key."""
    return entry_response(entry_id)


@bp.get("/export.<fmt>")
def export(fmt: str) -> Response:
    if fmt not in EXPORTERS:
        raise NotFound()
    note(format=fmt)
    writer, media_type = EXPORTERS[fmt]
    with _register().session_factory() as session:
        content = writer(all_entries(session, _filters()))
    return file_response(content, media_type, f"so-van-ban-di.{fmt}")
