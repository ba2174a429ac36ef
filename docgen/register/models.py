"""The tables of the outgoing register (sổ đăng ký văn bản đi).

    register_issuers    one row per issuing agency (cơ quan ban hành), keyed by its code
    register_counters   the last number given, per (issuer, year, scope); the row that is
                        locked while the next number is taken
    register_entries    one row per registered document: the columns of the register book
                        (Decree 30/2020, Appendix IV) plus the produced file and its sha256

``scope`` is ``""`` when the issuer runs one sequence for all types (``shared``, the
default) and the type code (``BB``, ``QĐ`` …) when it numbers each type separately
(``per_type``). The unique constraint on (issuer, year, scope, number) is the last line
of defence against a duplicate number, whatever the locking does.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

SHARED = "shared"
PER_TYPE = "per_type"
SEQUENCE_MODES = (SHARED, PER_TYPE)

#: Constraint names fixed by convention, so migrations name them the same on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Issuer(Base):
    """An issuing agency and how it numbers its documents."""

    __tablename__ = "register_issuers"
    __table_args__ = (
        CheckConstraint("sequence_mode IN ('shared', 'per_type')", name="sequence_mode"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Agency code as in the symbol (``SKHCN``, ``ĐKT``); unique.
    code: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    place: Mapped[str] = mapped_column(String(100))
    #: ``shared``: one sequence for every type; ``per_type``: one per type code.
    sequence_mode: Mapped[str] = mapped_column(String(10), default=SHARED)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    entries: Mapped[list[Entry]] = relationship(back_populates="issuer")

    def scope_for(self, type_code: str) -> str:
        """The counter a document of ``type_code`` takes its number from."""
        return type_code if self.sequence_mode == PER_TYPE else ""


class Counter(Base):
    """The last number given in one sequence; locked (FOR UPDATE) while the next is taken."""

    __tablename__ = "register_counters"

    issuer_id: Mapped[int] = mapped_column(ForeignKey("register_issuers.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope: Mapped[str] = mapped_column(String(20), primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class Entry(Base):
    """One line of the register book: a numbered, issued document."""

    __tablename__ = "register_entries"
    __table_args__ = (
        UniqueConstraint("issuer_id", "year", "scope", "number", name="uq_register_entries_number"),
        # Decree 30: the number/symbol pair is unique per agency per year, whatever the mode.
        UniqueConstraint("issuer_id", "year", "symbol", name="uq_register_entries_symbol"),
        UniqueConstraint("issuer_id", "idempotency_key", name="uq_register_entries_idempotency"),
        Index("ix_register_entries_listing", "issuer_id", "year", "type_code", "number"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    issuer_id: Mapped[int] = mapped_column(ForeignKey("register_issuers.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    scope: Mapped[str] = mapped_column(String(20))
    number: Mapped[int] = mapped_column(Integer)
    #: ``05/KH-SKHCN`` as printed after "Số:".
    symbol: Mapped[str] = mapped_column(String(100))
    #: Type code of Decree 30, Appendix III (``BB``) and docgen's type id (``minutes``).
    type_code: Mapped[str] = mapped_column(String(10))
    document_type: Mapped[str] = mapped_column(String(30))
    #: Trích yếu.
    summary: Mapped[str] = mapped_column(Text)
    date: Mapped[dt.date] = mapped_column(Date)
    #: Người ký, e.g. "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC / Trần Văn Lâu" kept as its parts.
    signer: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: Nơi nhận, one string per line of the block.
    recipients: Mapped[list[str]] = mapped_column(JSON)
    #: Đơn vị/người nhận bản lưu ("VT, TĐC").
    archive: Mapped[str] = mapped_column(String(100), default="")
    #: Số lượng bản, when the document states it (minutes).
    copies: Mapped[int | None] = mapped_column(Integer, nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    format: Mapped[str] = mapped_column(String(10))
    media_type: Mapped[str] = mapped_column(String(100))
    filename: Mapped[str] = mapped_column(String(300))
    #: sha256 (hex) of ``content``.
    checksum: Mapped[str] = mapped_column(String(64))
    #: The produced file itself: an idempotent retry answers these very bytes.
    #: Deferred, so listing the register never loads the files.
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    #: sha256 of the request (type, format, payload without ``number``): a key reused
    #: for a different request is refused instead of answering the wrong document.
    request_hash: Mapped[str] = mapped_column(String(64))
    #: sha256 of the Word template that produced the document (the type's ``version``):
    #: the issued document can be traced to, and re-rendered from, that exact template.
    #: ``None`` for entries made before the template store (revision 0003).
    template_version: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    issuer: Mapped[Issuer] = relationship(back_populates="entries")
