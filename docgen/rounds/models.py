"""The tables of an inspection round, in the register's database.

    rounds               one inspection round: the issuing agency (Sở KH&CN), year, title
    round_units          the units of its plan: stt, name, mode, integrated, status
    round_minutes        the minutes (biên bản) recorded for an on-site unit: the validated
                         payload as JSON, and the register entry when it was numbered
    round_findings       the minutes' findings as rows (unit, aspect, content): the report's
                         per-aspect figures are counted from these rows
    round_submissions    what a by-report unit sent (migration 0004): date received,
                         reviewer remarks; its self-assessment per aspect in
                         round_assessments, its files in round_attachments
    round_documents      the documents of the round: its plan and team decision, the letters
                         to the by-report units, the notices of results, the report — each
                         with its payload and the register entry when numbered
    round_events         the audit log: who did what to the round, and when

They share the register's metadata (:class:`docgen.register.models.Base`) and engine, so
minutes numbered through the register and the round that holds them are in one database,
one transaction and one migration history.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import JSON

from docgen.register.models import Base, Entry, utcnow

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
    #: By when the by-report units send their reports (a unit's own due date wins).
    due_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)

    units: Mapped[list[RoundUnit]] = relationship(
        back_populates="round", order_by="RoundUnit.stt", cascade="all, delete-orphan")
    documents: Mapped[list[RoundDocument]] = relationship(
        back_populates="round", order_by="RoundDocument.id", cascade="all, delete-orphan")


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
    #: The unit's own due date (its report, or its inspection); else the round's.
    due_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    #: Ngày dự kiến of the plan's schedule, for an on-site unit.
    scheduled_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    #: When the unit reported the corrections its notice of results asked for.
    corrections_reported_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    corrections_note: Mapped[str] = mapped_column(Text, default="")

    round: Mapped[Round] = relationship(back_populates="units")
    minutes: Mapped[RoundMinutes | None] = relationship(
        back_populates="unit", cascade="all, delete-orphan", uselist=False)
    submission: Mapped[RoundSubmission | None] = relationship(
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


class RoundSubmission(Base):
    """What a by-report unit sent: when it came, the reviewer's remarks (one per unit)."""

    __tablename__ = "round_submissions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("round_units.id", ondelete="CASCADE"),
                                         unique=True)
    #: Ngày nhận báo cáo (null only for a report marked received before 0004, undated).
    received_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    #: Nhận xét của người thẩm định báo cáo.
    remarks: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    unit: Mapped[RoundUnit] = relationship(back_populates="submission")
    assessments: Mapped[list[RoundAssessment]] = relationship(
        back_populates="submission", order_by="RoundAssessment.position",
        cascade="all, delete-orphan")
    attachments: Mapped[list[RoundAttachment]] = relationship(
        back_populates="submission", order_by="RoundAttachment.id",
        cascade="all, delete-orphan")


class RoundAssessment(Base):
    """One aspect of a by-report unit's self-assessment (the minutes' six aspects)."""

    __tablename__ = "round_assessments"
    __table_args__ = (
        Index("ix_round_assessments_aspect", "aspect", "unit_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("round_submissions.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("round_units.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    aspect: Mapped[str] = mapped_column(String(30))
    content: Mapped[str] = mapped_column(Text)

    submission: Mapped[RoundSubmission] = relationship(back_populates="assessments")


class RoundAttachment(Base):
    """A file the unit sent with its report, kept in the database (bounded size and type)."""

    __tablename__ = "round_attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("round_submissions.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    submission: Mapped[RoundSubmission] = relationship(back_populates="attachments")


#: The documents of a round: its plan and team decision, the letters asking the by-report
#: units for their reports, the notice of results per on-site unit, the report.
DOCUMENT_KINDS = ("plan", "decision", "letter", "notice", "report")


class RoundDocument(Base):
    """A document of the round: its payload, and the register entry when it was numbered."""

    __tablename__ = "round_documents"
    __table_args__ = (
        CheckConstraint("kind IN ('plan', 'decision', 'letter', 'notice', 'report')",
                        name="kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"),
                                          index=True)
    #: The unit a notice (or a per-unit letter) is addressed to.
    unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("round_units.id", ondelete="CASCADE"), nullable=True, index=True)
    kind: Mapped[str] = mapped_column(String(20))
    #: The validated payload, dates as ISO strings.
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    register_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("register_entries.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    round: Mapped[Round] = relationship(back_populates="documents")
    unit: Mapped[RoundUnit | None] = relationship()
    register_entry: Mapped[Entry | None] = relationship()


class RoundEvent(Base):
    """One line of a round's audit log: who (``actor``), when (``at``), what (``action``,
    the unit's stt, a Vietnamese sentence). No foreign key: the log of a deleted draft
    round stays, with its deletion as the last line."""

    __tablename__ = "round_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(Integer, index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    stt: Mapped[int | None] = mapped_column(Integer, nullable=True)
    detail: Mapped[str] = mapped_column(Text, default="")
