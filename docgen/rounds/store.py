"""Inspection rounds kept in the register database: plan → units → minutes → report.

    create_round        a round and its units (from JSON or the CSV of the plan)
    load_round          the round with its units, minutes and findings
    round_counts        planned / on_site / integrated / not_inspected / by_report (SQL counts)
    aspect_counts       per aspect, how many units' minutes have a finding on it (SQL counts)
    record_minutes      validate, check the unit, render (or number through the register),
                        store the payload and its findings as rows
    mark_not_inspected  an on-site unit that could not be inspected, with the reason
    mark_reported       a by-report unit whose report has come in
    report_payload      the report: the caller's text + counts and per-aspect paragraphs
                        computed from the records (refused while on-site units are pending)
    render_report       report_payload, validated and rendered (or numbered)

The report's figures are read from the rows, never typed, so they cannot disagree
with the minutes. No Flask here (:mod:`docgen.api.rounds` and ``docgen round`` are
the adapters).
"""

from __future__ import annotations

import datetime as dt
import decimal
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from marshmallow import ValidationError as MarshmallowValidationError
from marshmallow import validates_schema
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload, sessionmaker, undefer

from docgen import vi
from docgen.errors import FieldError, ValidationError
from docgen.register.db import writing
from docgen.register.errors import IdempotencyKeyReusedError
from docgen.register.models import Entry, utcnow
from docgen.register.numbering import (
    check_idempotency_key,
    count_issued,
    issue,
    number_in,
    register_errors,
    same_request,
)
from docgen.rendering import Output, Rendered, Renderer, Validated
from docgen.rounds import MAX_UNITS, UnitResultSchema, audit
from docgen.rounds.errors import (
    MinutesRegisteredError,
    RoundIncompleteError,
    RoundNotFoundError,
    RoundUnitNotFoundError,
    UnitHasMinutesError,
    UnitNotByReportError,
    UnitNotOnSiteError,
)
from docgen.rounds.models import (
    BY_REPORT,
    ON_SITE,
    Round,
    RoundDocument,
    RoundFinding,
    RoundMinutes,
    RoundSubmission,
    RoundUnit,
)
from docgen.rounds.schemas import COMPUTED_FIELDS, RoundReportSchema
from docgen.rounds.summary import AspectRow, ByReport, aspect_paragraph, pending_line
from docgen.schemas.base import BaseSchema, load_payload
from docgen.schemas.common import ASPECTS, AgencySchema, nested_list, text_field, year_field
from docgen.schemas.fields import Date, Message, Nested

__all__ = [
    "COMPUTED_FIELDS",
    "NewRoundSchema",
    "NotInspectedSchema",
    "PlannedUnitSchema",
    "ReportRequest",
    "aspect_counts",
    "create_round",
    "decision_citation",
    "load_round",
    "mark_not_inspected",
    "mark_reported",
    "record_minutes",
    "render_report",
    "report_payload",
    "round_counts",
    "round_dict",
]


class PlannedUnitSchema(UnitResultSchema):
    """A unit of a stored round: its result flags, and its own dates (all optional)."""

    due_date = Date(required=False, allow_none=True, load_default=None, metadata={
        "title": "Hạn của đơn vị",
        "description": "By-report: the date its report is due; default: the round's."})
    scheduled_on = Date(required=False, allow_none=True, load_default=None,
                        metadata={"title": "Ngày dự kiến kiểm tra (tại trụ sở)"})


class NewRoundSchema(BaseSchema):
    """A new round: who reports it, the year, a title, the units of the plan."""

    issuer = Nested(AgencySchema, required=True, metadata={
        "title": "Cơ quan báo cáo", "description": "The `agency` of the round's report "
                                                   "(e.g. Sở Khoa học và Công nghệ)."})
    year = year_field()
    title = text_field("Tên đợt kiểm tra", max_length=500)
    due_date = Date(required=False, allow_none=True, load_default=None, metadata={
        "title": "Hạn gửi báo cáo",
        "description": "By when the by-report units send their reports (optional)."})
    units = nested_list(PlannedUnitSchema, "Đơn vị trong kế hoạch", max_items=MAX_UNITS)

    @validates_schema
    def _stt_unique(self, data: dict[str, Any], **kwargs: Any) -> None:
        seen: set[int] = set()
        errors: dict[int, Any] = {}
        for index, unit in enumerate(data.get("units") or [], start=1):
            stt = unit.get("stt") or index
            if stt in seen:
                errors[index - 1] = {"stt": [Message(f"Số thứ tự {stt} bị trùng.",
                                                     "duplicate_stt")]}
            seen.add(stt)
        if errors:
            raise MarshmallowValidationError({"units": errors})


class NotInspectedSchema(BaseSchema):
    reason = text_field("Lý do chưa kiểm tra được", max_length=500,
                        description="Ví dụ: chưa chuẩn bị hồ sơ, tài liệu phục vụ kiểm tra.")


# --- the round ----------------------------------------------------------------------------

def create_round(session_factory: sessionmaker[Session], data: Any, *,
                 actor: str = "") -> Round:
    """Validate ``data`` (:class:`NewRoundSchema`) and store the round with its units.

    A unit flagged ``not_inspected`` (the CSV column) is stored as not inspected, with
    its ``reason`` when given.
    """
    clean = load_payload(NewRoundSchema(), data)
    with writing(session_factory) as session:
        round_ = add_round(session, clean)
        audit.log(session, round_.id, actor, "create",
                  f"{round_.title}: {len(round_.units)} đơn vị.")
    return round_


def add_round(session: Session, clean: Mapping[str, Any]) -> Round:
    """A validated :class:`NewRoundSchema` payload as a round, in the caller's transaction."""
    now = utcnow()
    round_ = Round(issuer_code=clean["issuer"]["code"], issuer=dict(clean["issuer"]),
                   year=clean["year"], title=clean["title"], created_at=now,
                   due_date=clean.get("due_date"))
    for index, unit in enumerate(clean["units"], start=1):
        round_.units.append(new_unit(unit, index, now))
    session.add(round_)
    session.flush()
    return round_


def new_unit(unit: Mapping[str, Any], index: int, now: dt.datetime) -> RoundUnit:
    status = "not_inspected" if unit["not_inspected"] else "planned"
    return RoundUnit(
        stt=unit.get("stt") or index, name=unit["name"], mode=unit["mode"],
        integrated=unit["integrated"], status=status, reason=unit.get("reason") or "",
        due_date=unit.get("due_date"), scheduled_on=unit.get("scheduled_on"), updated_at=now)


def load_round(session: Session, round_id: int) -> Round:
    """The round with its units, their minutes and findings loaded; 404 error if absent."""
    if not 0 < round_id <= MAX_ID:
        raise RoundNotFoundError(round_id)
    round_ = session.scalars(
        select(Round).where(Round.id == round_id).options(
            selectinload(Round.units).selectinload(RoundUnit.minutes)
            .selectinload(RoundMinutes.findings),
            selectinload(Round.units).selectinload(RoundUnit.minutes)
            .selectinload(RoundMinutes.register_entry),
            selectinload(Round.units).selectinload(RoundUnit.submission)
            .selectinload(RoundSubmission.assessments),
            selectinload(Round.units).selectinload(RoundUnit.submission)
            .selectinload(RoundSubmission.attachments),
            selectinload(Round.documents).selectinload(RoundDocument.register_entry),
        )).one_or_none()
    if round_ is None:
        raise RoundNotFoundError(round_id)
    return round_


def round_counts(session: Session, round_id: int) -> dict[str, int]:
    """The report's counts, counted in the database from the units' records."""
    rows = session.execute(
        select(RoundUnit.mode, RoundUnit.integrated, RoundUnit.status, func.count())
        .where(RoundUnit.round_id == round_id)
        .group_by(RoundUnit.mode, RoundUnit.integrated, RoundUnit.status)).all()
    counts = dict.fromkeys(("planned", "on_site", "integrated", "not_inspected", "by_report",
                            "inspected", "pending", "reported"), 0)
    for mode, integrated, status, n in rows:
        counts["planned"] += n
        if mode == BY_REPORT:
            counts["by_report"] += n
            counts["reported"] += n if status == "reported" else 0
            continue
        counts["on_site"] += n
        counts["integrated"] += n if integrated else 0
        counts["not_inspected"] += n if status == "not_inspected" else 0
        counts["inspected"] += n if status == "inspected" else 0
        counts["pending"] += n if status == "planned" else 0
    return counts


def aspect_counts(session: Session, round_id: int) -> dict[str, int]:
    """Per aspect, the number of units whose minutes have at least one finding on it."""
    rows = session.execute(
        select(RoundFinding.aspect, func.count(func.distinct(RoundFinding.unit_id)))
        .join(RoundUnit, RoundUnit.id == RoundFinding.unit_id)
        .where(RoundUnit.round_id == round_id)
        .group_by(RoundFinding.aspect)).all()
    found = {aspect: n for aspect, n in rows}
    return {aspect: found.get(aspect, 0) for aspect in ASPECTS}


def round_dict(session: Session, round_id: int) -> dict[str, Any]:
    """The round as the API and ``docgen round show`` present it."""
    round_ = load_round(session, round_id)
    counts = round_counts(session, round_id)
    return {
        "id": round_.id,
        "issuer": round_.issuer,
        "year": round_.year,
        "title": round_.title,
        "created_at": _utc(round_.created_at).isoformat(),
        "due_date": None if round_.due_date is None else round_.due_date.isoformat(),
        "counts": {k: counts[k] for k in ("planned", "on_site", "integrated", "not_inspected",
                                          "by_report")},
        "progress": {"minutes": counts["inspected"], "pending": counts["pending"],
                     "reported": counts["reported"]},
        "aspects": aspect_counts(session, round_id),
        "units": [_unit_dict(u) for u in round_.units],
    }


def _utc(moment: dt.datetime) -> dt.datetime:
    """SQLite gives back naive datetimes; they were stored in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _unit_dict(unit: RoundUnit) -> dict[str, Any]:
    minutes = unit.minutes
    entry = minutes.register_entry if minutes is not None else None
    submission = unit.submission
    return {
        "stt": unit.stt, "name": unit.name, "mode": unit.mode, "integrated": unit.integrated,
        "status": unit.status, "reason": unit.reason,
        "due_date": _iso(unit.due_date), "scheduled_on": _iso(unit.scheduled_on),
        "corrections_reported_on": _iso(unit.corrections_reported_on),
        "submission": None if submission is None else {
            "received_on": _iso(submission.received_on),
            "aspects": sorted({a.aspect for a in submission.assessments},
                              key=list(ASPECTS).index),
            "attachments": len(submission.attachments),
        },
        "minutes": None if minutes is None else {
            "date": minutes.date.isoformat(),
            "aspects": sorted({f.aspect for f in minutes.findings}, key=list(ASPECTS).index),
            "register_entry": None if entry is None else {"id": entry.id,
                                                           "symbol": entry.symbol},
        },
    }


# --- minutes and marks --------------------------------------------------------------------

def _same_name(a: str, b: str) -> bool:
    """Unit names compared as a person would: NFC, case and spacing ignored."""
    def key(s: str) -> str:
        return " ".join(unicodedata.normalize("NFC", s).casefold().split())
    return key(a) == key(b)


#: Ids and stt are 32-bit integers in the database: a larger one names nothing.
MAX_ID = 2**31 - 1


def _unit(session: Session, round_id: int, stt: int, *, lock: bool = False) -> RoundUnit:
    if not 0 < round_id <= MAX_ID or session.get(Round, round_id) is None:
        raise RoundNotFoundError(round_id)
    if not 0 < stt <= MAX_ID:
        raise RoundUnitNotFoundError(round_id, stt)
    query = (select(RoundUnit).where(RoundUnit.round_id == round_id, RoundUnit.stt == stt)
             .options(selectinload(RoundUnit.minutes).selectinload(RoundMinutes.register_entry)))
    unit = session.scalars(query.with_for_update() if lock else query).one_or_none()
    if unit is None:
        raise RoundUnitNotFoundError(round_id, stt)
    return unit


def _check_minutes_target(unit: RoundUnit, data: Mapping[str, Any]) -> None:
    if unit.mode != ON_SITE:
        raise UnitNotOnSiteError(unit.stt, unit.name)
    if unit.minutes is not None and unit.minutes.register_entry is not None:
        raise MinutesRegisteredError(unit.stt, unit.name, unit.minutes.register_entry.symbol)
    if not _same_name(data["unit"]["name"], unit.name):
        raise ValidationError([FieldError(
            "unit.name", f"Tên đơn vị trong biên bản ('{data['unit']['name']}') khác tên đơn vị "
            f"STT {unit.stt} của đợt kiểm tra ('{unit.name}').", "unit_name_mismatch")])


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):  # a pack's decimal and percent fields (the notice's
        return str(value)                   # on_time_rate): exact text, as the register keeps
    return value


def record_minutes(
    renderer: Renderer,
    session_factory: sessionmaker[Session],
    round_id: int,
    stt: int,
    payload: Any,
    *,
    fmt: str = "docx",
    register: bool = False,
    idempotency_key: str | None = None,
    pdfa: str | None = None,
    actor: str = "",
) -> tuple[Rendered, Entry | None]:
    """Record the minutes of unit ``stt`` and return the rendered minutes.

    The payload is validated (minutes schema) before the database is touched. Then one
    writing transaction locks the unit, checks it (exists, on-site, its minutes not yet
    numbered, the unit's name), and — with ``register`` — takes the issuer's next number
    (:func:`number_in`), renders, and records the minutes linked to the entry. A check
    that fails leaves nothing behind: no number, no entry. Minutes recorded again replace
    the earlier ones (and their findings) until they are numbered. Minutes without a
    ``basis`` cite the round's team decision, when the round has one.
    """
    output = renderer.output(fmt, pdfa)
    key = check_idempotency_key(idempotency_key) if register else None
    if isinstance(payload, Mapping) and not payload.get("basis"):
        with session_factory() as session:
            cited = decision_citation(session, round_id)
        if cited:
            payload = {**payload, "basis": cited}
    validated = renderer.validate("minutes", payload)
    entry: Entry | None = None
    with register_errors(), writing(session_factory) as session:
        unit = _unit(session, round_id, stt, lock=True)
        if key is not None and unit.minutes is not None and unit.minutes.register_entry_id:
            replayed = _replay_minutes(session, unit, validated, output, key)
            if replayed is not None:
                return replayed
        _check_minutes_target(unit, validated.data)
        if register:
            rendered, entry = number_in(session, renderer, validated, output, key=key)
            data = {**validated.data, "number": entry.number}
        else:
            rendered = renderer.render_validated(validated, output)
            data = validated.data
        if unit.minutes is not None:
            session.delete(unit.minutes)
            session.flush()
        minutes = RoundMinutes(unit_id=unit.id, payload=_jsonable(data), date=data["date"],
                               register_entry=entry, created_at=utcnow())
        minutes.findings = [
            RoundFinding(unit_id=unit.id, position=i, aspect=f["aspect"], content=f["content"])
            for i, f in enumerate(data["findings"], start=1)]
        session.add(minutes)
        unit.status, unit.reason, unit.updated_at = "inspected", "", utcnow()
        audit.log(session, round_id, actor, "minutes",
                  f"Biên bản ngày {data['date']:%d/%m/%Y} tại {unit.name}"
                  + (f", số {entry.symbol}." if entry is not None else " (chưa cấp số)."),
                  stt=unit.stt)
        session.flush()
    count_issued(session)  # committed with the minutes
    return rendered, entry


def _replay_minutes(session: Session, unit: RoundUnit, validated: Validated, output: Output,
                    key: str) -> tuple[Rendered, Entry] | None:
    """A retry of the request that numbered this unit's minutes: the same file back."""
    assert unit.minutes is not None
    entry = session.get(Entry, unit.minutes.register_entry_id, options=[undefer(Entry.content)])
    if entry is None or entry.idempotency_key != key:
        return None
    if not same_request(entry, validated, output):
        raise IdempotencyKeyReusedError(key, entry.symbol)
    return Rendered(content=entry.content, format=entry.format, media_type=entry.media_type,
                    filename=entry.filename, warnings=validated.warnings), entry


def mark_not_inspected(session_factory: sessionmaker[Session], round_id: int, stt: int,
                       data: Any, *, actor: str = "") -> dict[str, Any]:
    """Mark on-site unit ``stt`` as not inspected (chưa kiểm tra được), with the reason."""
    clean = load_payload(NotInspectedSchema(), data)
    with writing(session_factory) as session:
        unit = _unit(session, round_id, stt, lock=True)
        if unit.mode != ON_SITE:
            raise UnitNotOnSiteError(unit.stt, unit.name)
        if unit.minutes is not None:
            raise UnitHasMinutesError(unit.stt, unit.name)
        unit.status, unit.reason, unit.updated_at = "not_inspected", clean["reason"], utcnow()
        audit.log(session, round_id, actor, "not_inspected",
                  f"{unit.name}: {clean['reason']}", stt=unit.stt)
        session.flush()
        return _unit_dict(unit)


def mark_reported(session_factory: sessionmaker[Session], round_id: int,
                  stt: int, *, actor: str = "", today: dt.date | None = None) -> dict[str, Any]:
    """Mark by-report unit ``stt`` as having sent its report (đã gửi báo cáo), received
    today when nothing was recorded yet (:func:`docgen.rounds.workflow.record_submission`
    records the date, the self-assessment and the files)."""
    with writing(session_factory) as session:
        unit = _unit(session, round_id, stt, lock=True)
        if unit.mode != BY_REPORT:
            raise UnitNotByReportError(unit.stt, unit.name)
        unit.status, unit.updated_at = "reported", utcnow()
        if unit.submission is None:
            unit.submission = RoundSubmission(received_on=today or dt.date.today(), remarks="",
                                              created_at=utcnow(), updated_at=utcnow())
        audit.log(session, round_id, actor, "reported", f"{unit.name} đã gửi báo cáo.",
                  stt=unit.stt)
        session.flush()
        return _unit_dict(unit)


# --- the report ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ReportRequest:
    """The report's own text (everything but counts and findings) and how to treat gaps."""

    fields: Mapping[str, Any]
    allow_incomplete: bool = False


def _aspect_notes(fields: Mapping[str, Any]) -> dict[str, str]:
    """Validate the body with :class:`RoundReportSchema`, the schema the API documents
    for it (so its limits are the enforced ones); the per-aspect notes, normalised.

    Only the notes are taken from the loaded data: the rest of the body stays as
    sent (ISO strings), to be validated again whole once the computed parts join it.
    """
    loaded = load_payload(RoundReportSchema(), fields)
    notes = loaded.get("aspect_notes") or {}
    return {aspect: note for aspect, note in notes.items() if note}


def _not_inspected_reason(units: Sequence[RoundUnit]) -> str:
    """'chưa chuẩn bị hồ sơ (UBND xã A); …' from the marks, for the report's sentence."""
    by_reason: dict[str, list[str]] = {}
    for unit in units:
        if unit.reason:
            by_reason.setdefault(unit.reason.rstrip(" ."), []).append(unit.name)
    text = "; ".join(f"{reason} ({', '.join(names)})" for reason, names in by_reason.items())
    if len(text) > 500:
        text = "; ".join(by_reason)
    return text if len(text) <= 500 else ""


def _printed_day(value: Any) -> str:
    """The report's date as its text prints dates ("14/12/2017", "05/3/2017":
    :func:`docgen.vi.date_short`) for the pending line; "" when it is not a date (the
    report's own validation then names the field)."""
    try:
        return vi.date_short(value) if isinstance(value, str) else ""
    except ValueError:
        return ""


def report_payload(session_factory: sessionmaker[Session], round_id: int,
                   request: ReportRequest) -> dict[str, Any]:
    """The report payload: the caller's text (checked with :class:`RoundReportSchema`)
    plus the computed parts; the renderer validates the whole.

    ``agency`` and ``year`` default to the round's; ``period_start``/``period_end`` to
    the dates of the first and last minutes; ``not_inspected_reason`` to the reasons
    recorded with the marks. ``counts``, ``findings`` and ``pending_units`` (the units
    still without a result, named) are always computed.
    """
    if not isinstance(request.fields, Mapping):
        raise ValidationError([FieldError("$", "Dữ liệu báo cáo phải là một đối tượng JSON.",
                                          "invalid_type")])
    typed = [FieldError(k, "Trường này được tính từ kết quả từng đơn vị của đợt kiểm tra; "
                           "không nhập.", "computed_field")
             for k in COMPUTED_FIELDS if k in request.fields]
    if typed:
        raise ValidationError(typed)
    notes = _aspect_notes(request.fields)
    with session_factory() as session:
        round_ = load_round(session, round_id)
        counts = round_counts(session, round_id)
        on_site = [u for u in round_.units if u.mode == ON_SITE]
        pending = [u for u in on_site if u.status == "planned"]
        if pending and not request.allow_incomplete:
            raise RoundIncompleteError([(u.stt, u.name) for u in pending])
        inspected = [u for u in on_site if u.minutes is not None]
        by_report = [u for u in round_.units if u.mode == BY_REPORT]
        received = [u for u in by_report if u.submission is not None]
        findings = []
        for aspect in ASPECTS:
            rows, without = [], []
            for unit in inspected:
                assert unit.minutes is not None
                texts = [f.content for f in unit.minutes.findings if f.aspect == aspect]
                if texts:
                    rows.append(AspectRow(unit.stt, unit.name, " ".join(texts)))
                else:
                    without.append(unit.name)
            side = None
            if by_report:  # the by-report units' reports, counted the same way
                assessed, silent = [], []
                for unit in received:
                    assert unit.submission is not None
                    texts = [a.content for a in unit.submission.assessments
                             if a.aspect == aspect]
                    if texts:
                        assessed.append(AspectRow(unit.stt, unit.name, " ".join(texts)))
                    else:
                        silent.append(unit.name)
                side = ByReport(assessed, received=len(received), silent=silent,
                                awaited=len(by_report) - len(received))
            findings.append({"aspect": aspect, "content": aspect_paragraph(
                rows, minutes=len(inspected), without=without, pending=len(pending),
                note=notes.get(aspect, ""), by_report=side)})
        dates = sorted(u.minutes.date for u in inspected if u.minutes is not None)
        report = {k: v for k, v in request.fields.items() if k != "aspect_notes"}
        # The units still without a result, named once (a complete round: nothing).
        awaited = [u.name for u in by_report if u.submission is None]
        report["pending_units"] = pending_line(
            _printed_day(request.fields.get("date")), [u.name for u in pending], awaited) or None
        report.setdefault("agency", dict(round_.issuer))
        report.setdefault("year", round_.year)
        if dates:
            report.setdefault("period_start", dates[0].isoformat())
            report.setdefault("period_end", dates[-1].isoformat())
        if counts["not_inspected"] and not report.get("not_inspected_reason"):
            reason = _not_inspected_reason([u for u in on_site if u.status == "not_inspected"])
            if reason:
                report["not_inspected_reason"] = reason
    report["counts"] = {k: counts[k] for k in ("planned", "on_site", "integrated",
                                               "not_inspected", "by_report")}
    report["findings"] = findings
    return report


def render_report(
    renderer: Renderer,
    session_factory: sessionmaker[Session],
    round_id: int,
    request: ReportRequest,
    *,
    fmt: str = "docx",
    register: bool = False,
    idempotency_key: str | None = None,
    pdfa: str | None = None,
    actor: str = "",
) -> tuple[Rendered, Entry | None]:
    """The round's report (Báo cáo kết quả kiểm tra), rendered or numbered and rendered.

    A numbered report is kept with the round (the dashboard shows it issued); an
    unnumbered one (a draft) is not kept, but its making is in the audit log too."""
    output = renderer.output(fmt, pdfa)
    payload = report_payload(session_factory, round_id, request)
    validated = renderer.validate("report", payload)
    if not register:
        rendered = renderer.render_validated(validated, output)
        with writing(session_factory) as session:
            audit.log(session, round_id, actor, "report", "Báo cáo (chưa cấp số).")
        return rendered, None
    rendered, entry = issue(renderer, session_factory, validated, output, idempotency_key)
    with writing(session_factory) as session:
        known = session.scalars(select(RoundDocument.id).where(
            RoundDocument.round_id == round_id, RoundDocument.register_entry_id == entry.id)
        ).first()
        if known is None:  # an idempotent retry gives back the same entry: kept once
            session.add(RoundDocument(round_id=round_id, kind="report",
                                      payload=_jsonable(validated.data),
                                      register_entry_id=entry.id, created_at=utcnow()))
            audit.log(session, round_id, actor, "report", f"Báo cáo số {entry.symbol}.")
    return rendered, entry


def decision_citation(session: Session, round_id: int) -> str:
    """'Quyết định số 04/QĐ-SKHCN ngày 15/9/2017 của Giám đốc … về việc thành lập Đoàn
    kiểm tra …', from the round's team decision; "" when the round has none."""
    document = session.scalars(select(RoundDocument).where(
        RoundDocument.round_id == round_id, RoundDocument.kind == "decision")
        .options(selectinload(RoundDocument.register_entry))
        .order_by(RoundDocument.id.desc())).first()
    if document is None:
        return ""
    data = document.payload
    entry = document.register_entry
    code = data["agency"]["code"]
    if entry is not None:
        number = f" số {entry.symbol}"
    elif data.get("number"):
        number = f" số {vi.two_digits(int(data['number']))}/QĐ-{code}"
    else:
        number = ""
    day = dt.date.fromisoformat(data["date"])
    subject = " ".join(str(data.get("summary", "")).split())
    if subject[:1].isupper():
        subject = subject[:1].lower() + subject[1:]
    return (f"Quyết định{number} ngày {day.day}/{day.month}/{day.year} của "
            f"{data.get('decider', '')} {subject}").strip()

