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
    Boolean,
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
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    issuer: Mapped[Issuer] = relationship(back_populates="entries")


# --- inspection rounds (docgen.rounds) ------------------------------------------------
#
#     rounds               one inspection round: the issuing agency (Sở KH&CN), year, title
#     round_units          the units of its plan: stt, name, mode, integrated, status
#     round_minutes        the minutes (biên bản) recorded for an on-site unit: the validated
#                          payload as JSON, and the register entry when it was numbered
#     round_findings       the minutes' findings as rows (unit, aspect, content): the report's
#                          per-aspect figures are counted from these rows
#
# They live on the register's metadata and engine so that a minutes numbered through the
# register and the round that holds it are in one database (and one migration history).

ON_SITE = "on_site"
BY_REPORT = "by_report"
UNIT_MODES = (ON_SITE, BY_REPORT)
#: planned: nothing recorded yet; inspected: an on-site unit with minutes; not_inspected:
#: an on-site unit that could not be inspected; reported: a by-report unit whose report came.
UNIT_STATUSES = ("planned", "inspected", "not_inspected", "reported")


class Round(Base):
    """One inspection round (đợt kiểm tra) of an issuing agency."""

    __tablename__ = "rounds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The agency that reports the round (``agency`` of the report): code as in its symbols.
    issuer_code: Mapped[str] = mapped_column(String(50), index=True)
    #: The whole agency block: parent_name, name, code, place.
    issuer: Mapped[dict[str, Any]] = mapped_column(JSON)
    year: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    units: Mapped[list[RoundUnit]] = relationship(
        back_populates="round", order_by="RoundUnit.stt", cascade="all, delete-orphan")


class RoundUnit(Base):
    """A unit of the round's plan and what happened there."""

    __tablename__ = "round_units"
    __table_args__ = (
        UniqueConstraint("round_id", "stt", name="uq_round_units_stt"),
        CheckConstraint("mode IN ('on_site', 'by_report')", name="mode"),
        CheckConstraint("status IN ('planned', 'inspected', 'not_inspected', 'reported')",
                        name="status"),
        # Only an on-site unit is inspected jointly, inspected or not inspected.
        CheckConstraint("mode = 'on_site' OR (NOT integrated AND status IN ('planned', "
                        "'reported'))", name="on_site_only"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"),
                                          index=True)
    #: Số thứ tự in the plan, 1-based, unique in the round.
    stt: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(300))
    mode: Mapped[str] = mapped_column(String(10))
    #: Inspected together with the administrative-reform team (lồng ghép).
    integrated: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default="planned")
    #: Why an on-site unit was not inspected ("chưa chuẩn bị hồ sơ").
    reason: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    round: Mapped[Round] = relationship(back_populates="units")
    minutes: Mapped[RoundMinutes | None] = relationship(
        back_populates="unit", cascade="all, delete-orphan", uselist=False)


class RoundMinutes(Base):
    """The minutes of one on-site unit (one per unit; a new one replaces it until numbered)."""

    __tablename__ = "round_minutes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("round_units.id", ondelete="CASCADE"),
                                         unique=True)
    #: The validated minutes payload, dates as ISO strings (it loads again as it is).
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: Date of the minutes (ngày lập biên bản), for the report's period.
    date: Mapped[dt.date] = mapped_column(Date)
    #: The register entry when the minutes were numbered through the register.
    register_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("register_entries.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    unit: Mapped[RoundUnit] = relationship(back_populates="minutes")
    findings: Mapped[list[RoundFinding]] = relationship(
        back_populates="minutes", order_by="RoundFinding.position",
        cascade="all, delete-orphan")
    register_entry: Mapped[Entry | None] = relationship()


class RoundFinding(Base):
    """One finding of a minutes: the unit, the aspect (of the six) and what was found."""

    __tablename__ = "round_findings"
    __table_args__ = (
        Index("ix_round_findings_aspect", "aspect", "unit_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    minutes_id: Mapped[int] = mapped_column(
        ForeignKey("round_minutes.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("round_units.id", ondelete="CASCADE"))
    #: Order in the minutes.
    position: Mapped[int] = mapped_column(Integer)
    aspect: Mapped[str] = mapped_column(String(30))
    content: Mapped[str] = mapped_column(Text)

    minutes: Mapped[RoundMinutes] = relationship(back_populates="findings")
