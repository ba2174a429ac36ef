"""Reading the register: filtered, paginated listing and the book's columns.

The export has the ten columns of the outgoing register book of Decree
30/2020/NĐ-CP, Appendix IV, in order. The last three (date sent, received by,
notes) and, for types that do not state it, the number of copies are left blank
for the clerk, as in the paper book.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, contains_eager

from docgen import vi
from docgen.catalog import DOCUMENT_TYPES
from docgen.cells import csv_row, xlsx_cell
from docgen.register.models import Entry, Issuer

#: Column headings of the register book (sổ đăng ký văn bản đi), Appendix IV.
COLUMNS: tuple[str, ...] = (
    "Số, ký hiệu văn bản",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung văn bản",
    "Người ký",
    "Nơi nhận văn bản",
    "Đơn vị, người nhận bản lưu",
    "Số lượng bản",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
)

MAX_PER_PAGE = 500
#: Pages beyond this are empty anyway; the bound keeps OFFSET inside a 64-bit integer
#: (a 30-digit ?page= was an OverflowError from SQLite, a 500).
MAX_PAGE = 1_000_000
#: Row ids are 64-bit signed integers in SQLite and PostgreSQL.
MAX_ID = 2**63 - 1


def page_number(text: str | None) -> int:
    """A ``?page=`` as typed, as a page number in 1..MAX_PAGE (1 when it is no number).

    >>> page_number("3"), page_number("9" * 5000), page_number("x"), page_number(None)
    (3, 1000000, 1, 1)
    >>> page_number("³")  # a digit to str.isdigit, not to int
    1
    """
    text = (text or "").strip()
    if not (text.isascii() and text.isdigit()):
        return 1
    return MAX_PAGE if len(text) > len(str(MAX_PAGE)) else min(max(int(text), 1), MAX_PAGE)


def valid_id(entry_id: int) -> bool:
    """Whether ``entry_id`` can be a row id at all (else: not found, without asking the database).

    >>> valid_id(12), valid_id(10**30), valid_id(0)
    (True, False, False)
    """
    return 0 < entry_id <= MAX_ID


@dataclass(frozen=True)
class Filters:
    """``issuer``: agency code; ``type``: a docgen type id (``minutes``) or a type code (``BB``)."""

    issuer: str | None = None
    year: int | None = None
    type: str | None = None


@dataclass(frozen=True)
class Page:
    items: list[Entry]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return (self.total + self.per_page - 1) // self.per_page


def _filtered(filters: Filters) -> Select[Entry]:
    query = select(Entry).join(Entry.issuer).options(contains_eager(Entry.issuer))
    if filters.issuer:
        query = query.where(Issuer.code == vi.normalize_text(filters.issuer))
    if filters.year is not None:
        query = query.where(Entry.year == filters.year)
    if filters.type:
        kind = DOCUMENT_TYPES.get(filters.type)
        query = query.where(Entry.document_type == kind.id if kind
                            else Entry.type_code == vi.normalize_text(filters.type))
    return query


def _ordered(query: Select[Entry]) -> Select[Entry]:
    # The book's order: per issuer and year, by number (per-type sequences by type first).
    return query.order_by(Issuer.code, Entry.year, Entry.scope, Entry.number)


def list_entries(session: Session, filters: Filters, page: int = 1, per_page: int = 50) -> Page:
    """One page of the register (1-based), with the total count of matching entries."""
    page = min(max(page, 1), MAX_PAGE)
    per_page = min(max(per_page, 1), MAX_PER_PAGE)
    query = _filtered(filters)
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    items = session.scalars(_ordered(query).limit(per_page).offset((page - 1) * per_page)).all()
    return Page(items=list(items), total=total, page=page, per_page=per_page)


def all_entries(session: Session, filters: Filters) -> Sequence[Entry]:
    return session.scalars(_ordered(_filtered(filters))).all()


def type_and_summary(entry: Entry) -> str:
    """'Biên bản: Kiểm tra việc áp dụng …' — the type name, then the trích yếu."""
    kind = DOCUMENT_TYPES.get(entry.document_type)
    name = kind.type_name.capitalize() if kind else entry.type_code
    if not name:  # a công văn has no type name or code; its summary reads "V/v …"
        return f"Công văn V/v {entry.summary}"
    return f"{name}: {entry.summary}"


def book_row(entry: Entry) -> list[Any]:
    """One line of the book, in :data:`COLUMNS` order."""
    return [
        entry.symbol,
        vi.date_short(entry.date),
        type_and_summary(entry),
        entry.signer.get("full_name", ""),
        "\n".join(entry.recipients),
        entry.archive,
        entry.copies,
        "",
        "",
        entry.notes,
    ]


def to_csv(entries: Iterable[Entry]) -> bytes:
    """The book as CSV, UTF-8 with a BOM (so Excel shows the Vietnamese letters)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for entry in entries:
        writer.writerow(csv_row(book_row(entry)))  # no cell a spreadsheet runs as a formula
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(entries: Iterable[Entry], title: str = "Sổ đăng ký văn bản đi") -> bytes:
    """The book as an .xlsx sheet: headings in row 1 (bold, frozen), one entry a row."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for number, entry in enumerate(entries, start=2):
        for column, value in enumerate(book_row(entry), start=1):
            xlsx_cell(sheet.cell(row=number, column=column), value)  # text, never a formula
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEFGHIJ", (16, 12, 60, 22, 36, 18, 9, 12, 14, 20), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


EXPORTERS = {"csv": (to_csv, "text/csv"),
             "xlsx": (to_xlsx,
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}


def entry_dict(entry: Entry) -> dict[str, Any]:
    """An entry as the API lists it (no file bytes)."""
    return {
        "id": entry.id,
        "issuer": entry.issuer.code,
        "year": entry.year,
        "number": entry.number,
        "symbol": entry.symbol,
        "type_code": entry.type_code,
        "document_type": entry.document_type,
        "summary": entry.summary,
        "date": entry.date.isoformat(),
        "signer": entry.signer,
        "recipients": entry.recipients,
        "archive": entry.archive,
        "copies": entry.copies,
        "notes": entry.notes,
        "format": entry.format,
        "filename": entry.filename,
        "checksum": entry.checksum,
        "template_version": entry.template_version,
        "idempotency_key": entry.idempotency_key,
        # Stored in UTC; SQLite hands it back without the zone.
        "created_at": (entry.created_at if entry.created_at.tzinfo
                       else entry.created_at.replace(tzinfo=dt.UTC)).isoformat(),
    }
