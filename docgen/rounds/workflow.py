"""The whole round in one place: list, edit, delete; plan and decision; by-report
submissions with their files; letters to the by-report units; notices of results;
corrections reported; the dashboard and its export.

    list_rounds          every round with its counts (newest first)
    update_round         title, due dates (the round's, a unit's), and the unit list while
                         nothing is numbered
    delete_round         a draft round (nothing numbered)
    round_from_plan      a round from a plan payload (its units, modes, dates); the plan kept
    plan_payload         the plan payload from the round (the round's units in it)
    set_plan             keep a plan with the round (its units must be the round's)
    set_decision         the team decision, rendered (and numbered when asked), kept
    record_submission    what a by-report unit sent: date, self-assessment, remarks, files
    attachment           one attached file (bytes), for the API and the page
    letters              công văn to the by-report units: one per unit or one with a list
    notices              thông báo kết quả kiểm tra per on-site unit, from its minutes
    record_corrections   the unit reported the corrections its notice asked for
    dashboard            units by mode and status, progress, overdue units, documents issued
    export_units         the dashboard's units as CSV or XLSX

Every change writes one line of the audit log (:mod:`docgen.rounds.audit`) in its own
transaction. No Flask here.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from marshmallow import fields as ma_fields
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, selectinload, sessionmaker, undefer

from docgen.cells import csv_row, xlsx_cell
from docgen.errors import FieldError, ValidationError
from docgen.register.db import writing
from docgen.register.models import Entry, utcnow
from docgen.register.numbering import count_issued, number_in, register_errors
from docgen.rendering import Output, Rendered, Renderer, Validated
from docgen.rounds import MAX_UNITS, audit
from docgen.rounds.errors import (
    AttachmentNotFoundError,
    NoSubmissionError,
    RoundNotFoundError,
    RoundNumberedError,
    UnitHasRecordsError,
    UnitNotByReportError,
    UnitNotOnSiteError,
    UnitWithoutMinutesError,
)
from docgen.rounds.models import (
    BY_REPORT,
    ON_SITE,
    Round,
    RoundAssessment,
    RoundAttachment,
    RoundDocument,
    RoundMinutes,
    RoundSubmission,
    RoundUnit,
)
from docgen.rounds.payloads import ROUND_LETTER, ROUND_NOTICE
from docgen.rounds.store import (
    MAX_ID,
    PlannedUnitSchema,
    _jsonable,
    _same_name,
    _unit,
    add_round,
    decision_citation,
    load_round,
    new_unit,
    round_counts,
)
from docgen.schemas.base import BaseSchema, load_payload
from docgen.schemas.common import ASPECTS, MODES, nested_list, optional_text, text_field
from docgen.schemas.fields import (
    Choice,
    Date,
    Integer,
    Length,
    List,
    Nested,
    Payload,
    Range,
    Text,
)

__all__ = [
    "ATTACHMENT_TYPES",
    "MAX_ATTACHMENTS",
    "MAX_ATTACHMENT_BYTES",
    "Upload",
    "attachment",
    "dashboard",
    "delete_round",
    "export_units",
    "letters",
    "list_rounds",
    "notices",
    "plan_payload",
    "points_to_correct",
    "record_corrections",
    "record_submission",
    "round_from_plan",
    "set_decision",
    "set_plan",
    "update_round",
]

#: One attached file at most (bytes) and files per submission.
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 10
#: extension -> (media type, the bytes it starts with).
ATTACHMENT_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             (b"PK\x03\x04",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             (b"PK\x03\x04",)),
    "doc": ("application/msword", (b"\xd0\xcf\x11\xe0",)),
    "xls": ("application/vnd.ms-excel", (b"\xd0\xcf\x11\xe0",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}


def _today(today: dt.date | None) -> dt.date:
    return today or dt.date.today()


def _day(day: dt.date | None) -> str:
    return "" if day is None else f"{day.day:02d}/{day.month:02d}/{day.year}"


def _numbered(round_: Round) -> str | None:
    """The symbol of a numbered document of the round (minutes or any other), or None."""
    for document in round_.documents:
        if document.register_entry is not None:
            return document.register_entry.symbol
    for unit in round_.units:
        if unit.minutes is not None and unit.minutes.register_entry is not None:
            return unit.minutes.register_entry.symbol
    return None


def _locked_round(session: Session, round_id: int) -> Round:
    if not 0 < round_id <= MAX_ID:
        raise RoundNotFoundError(round_id)
    session.scalars(select(Round.id).where(Round.id == round_id).with_for_update()).first()
    return load_round(session, round_id)


# --- list, edit, delete ------------------------------------------------------------------

def list_rounds(session: Session) -> list[dict[str, Any]]:
    """Every round, newest first, with its counts and progress (one grouped query)."""
    rows = session.execute(
        select(RoundUnit.round_id, RoundUnit.mode, RoundUnit.status, func.count())
        .group_by(RoundUnit.round_id, RoundUnit.mode, RoundUnit.status)).all()
    tally: dict[int, Counter[str]] = {}
    for round_id, mode, status, n in rows:
        counter = tally.setdefault(round_id, Counter())
        counter["planned"] += n
        counter[mode] += n
        counter[f"{mode}:{status}"] += n
    issued = dict(session.execute(
        select(RoundDocument.round_id, func.count()).where(
            RoundDocument.register_entry_id.is_not(None)).group_by(RoundDocument.round_id)
    ).all())
    numbered_minutes = dict(session.execute(
        select(RoundUnit.round_id, func.count()).join(RoundMinutes)
        .where(RoundMinutes.register_entry_id.is_not(None)).group_by(RoundUnit.round_id)
    ).all())
    result = []
    for round_ in session.scalars(select(Round).order_by(Round.id.desc())).all():
        c = tally.get(round_.id, Counter())
        numbered = issued.get(round_.id, 0) + numbered_minutes.get(round_.id, 0)
        result.append({
            "id": round_.id, "issuer": round_.issuer_code, "year": round_.year,
            "title": round_.title,
            "due_date": None if round_.due_date is None else round_.due_date.isoformat(),
            "units": c["planned"], "on_site": c[ON_SITE], "by_report": c[BY_REPORT],
            "minutes": c["on_site:inspected"], "not_inspected": c["on_site:not_inspected"],
            "reports_received": c["by_report:reported"], "numbered": numbered,
            "draft": numbered == 0,
        })
    return result


class UnitDueDateSchema(BaseSchema):
    """One unit's own due date (null: the round's applies)."""

    stt = Integer(required=True, validate=Range(min=1, max=100000),
                  metadata={"title": "Số thứ tự"})
    due_date = Date(required=True, allow_none=True, metadata={"title": "Hạn của đơn vị"})


class RoundEditSchema(BaseSchema):
    """What can change in a round: title, due date and the units' own due dates any time;
    the units while nothing of the round is numbered (the whole list, matched by stt)."""

    title = text_field("Tên đợt kiểm tra", required=False, max_length=500)
    due_date = Date(required=False, allow_none=True, metadata={"title": "Hạn gửi báo cáo"})
    units = List(Nested(PlannedUnitSchema), required=False, max_items=MAX_UNITS,
                 validate=Length(min=1, max=MAX_UNITS),
                 metadata={"title": "Đơn vị trong kế hoạch",
                           "description": "The whole list; only while nothing is numbered."})
    unit_due_dates = List(Nested(UnitDueDateSchema), required=False, max_items=MAX_UNITS,
                          metadata={"title": "Hạn của từng đơn vị",
                                    "description": "`[{stt, due_date}]`, any time (also "
                                                   "after numbering); null: the round's "
                                                   "due date applies."})


def _has_records(unit: RoundUnit, notices: set[int]) -> bool:
    return (unit.minutes is not None or unit.submission is not None or unit.id in notices
            or unit.status in ("inspected", "reported"))


def update_round(session_factory: sessionmaker[Session], round_id: int, data: Any, *,
                 actor: str = "") -> Round:
    """Change the title, the due date, the units' own due dates, or (while nothing is
    numbered) the unit list.

    The new list replaces the old one, matched by stt: a unit that keeps its stt keeps its
    records; a unit with records (minutes, a submission, a notice) cannot be dropped or
    change its mode (409 ``unit_has_records``).
    """
    clean = load_payload(RoundEditSchema(), data)
    if "units" in clean:
        seen: set[int] = set()
        for index, unit in enumerate(clean["units"], start=1):
            stt = unit.get("stt") or index
            if stt in seen:
                raise ValidationError([FieldError(f"units[{index - 1}].stt",
                                                  f"Số thứ tự {stt} bị trùng.", "duplicate_stt")])
            seen.add(stt)
    with writing(session_factory) as session:
        round_ = _locked_round(session, round_id)
        said = []
        if "title" in clean and clean["title"] and clean["title"] != round_.title:
            round_.title = clean["title"]
            said.append(f"tên: {clean['title']}")
        if "due_date" in clean and clean["due_date"] != round_.due_date:
            round_.due_date = clean["due_date"]
            said.append(f"hạn gửi báo cáo: {_day(clean['due_date']) or 'không'}")
        if "units" in clean:
            symbol = _numbered(round_)
            if symbol is not None:
                raise RoundNumberedError(round_id, symbol, "sửa danh sách đơn vị")
            notices = {d.unit_id for d in round_.documents if d.unit_id is not None}
            old = {u.stt: u for u in round_.units}
            now = utcnow()
            new: dict[int, dict[str, Any]] = {}
            for index, unit in enumerate(clean["units"], start=1):
                new[unit.get("stt") or index] = {**unit, "stt": unit.get("stt") or index}
            for stt, unit in old.items():
                changed = (stt not in new or new[stt]["mode"] != unit.mode
                           or not _same_name(new[stt]["name"], unit.name))
                if changed and _has_records(unit, notices):
                    raise UnitHasRecordsError(unit.stt, unit.name)
            for stt, unit in list(old.items()):
                if stt not in new:
                    round_.units.remove(unit)
            session.flush()
            for stt, fresh in new.items():
                if stt in old:
                    unit = old[stt]
                    unit.name, unit.mode, unit.integrated = (fresh["name"], fresh["mode"],
                                                             fresh["integrated"])
                    unit.due_date, unit.scheduled_on = fresh["due_date"], fresh["scheduled_on"]
                    if unit.status in ("planned", "not_inspected") and unit.minutes is None:
                        unit.status = "not_inspected" if fresh["not_inspected"] else "planned"
                        unit.reason = fresh.get("reason") or ""
                    unit.updated_at = now
                else:
                    round_.units.append(new_unit(fresh, stt, now))
            said.append(f"danh sách đơn vị: {len(new)} đơn vị")
        if "unit_due_dates" in clean:
            said.extend(_set_unit_due_dates(round_, clean["unit_due_dates"]))
        if said:
            audit.log(session, round_id, actor, "units" if "units" in clean else "edit",
                      "; ".join(said) + ".")
        session.flush()
    return round_


def _set_unit_due_dates(round_: Round, dates: Sequence[Mapping[str, Any]]) -> list[str]:
    """Set the units' own due dates; what changed, for the log."""
    by_stt = {u.stt: u for u in round_.units}
    unknown = [FieldError(f"unit_due_dates[{i}].stt",
                          f"Đợt kiểm tra không có đơn vị STT {d['stt']}.", "unknown_unit")
               for i, d in enumerate(dates) if d["stt"] not in by_stt]
    if unknown:
        raise ValidationError(unknown)
    changed = []
    now = utcnow()
    for item in dates:
        unit = by_stt[item["stt"]]
        if unit.due_date != item["due_date"]:
            unit.due_date, unit.updated_at = item["due_date"], now
            changed.append(f"STT {unit.stt} {_day(item['due_date']) or 'theo hạn chung'}")
    if not changed:
        return []
    shown = ", ".join(changed[:10]) + (f" và {len(changed) - 10} đơn vị khác"
                                       if len(changed) > 10 else "")
    return [f"hạn của đơn vị: {shown}"]


def delete_round(session_factory: sessionmaker[Session], round_id: int, *,
                 actor: str = "") -> None:
    """Delete a draft round (nothing numbered); its log stays, ending with the deletion."""
    with writing(session_factory) as session:
        round_ = _locked_round(session, round_id)
        symbol = _numbered(round_)
        if symbol is not None:
            raise RoundNumberedError(round_id, symbol, "xóa đợt kiểm tra")
        audit.log(session, round_id, actor, "delete",
                  f"{round_.title} ({len(round_.units)} đơn vị).")
        session.delete(round_)


# --- the plan and the decision ----------------------------------------------------------

class FromPlanSchema(BaseSchema):
    """A round from the plan: the plan payload, and what the plan does not say."""

    plan = Payload("plan", required=True, metadata={
        "title": "Kế hoạch kiểm tra",
        "description": "A `plan` payload, validated as one; its `units` become the round's."})
    title = text_field("Tên đợt kiểm tra", required=False, max_length=500,
                       description="Default: the plan's summary.")
    due_date = Date(required=False, allow_none=True, load_default=None,
                    metadata={"title": "Hạn gửi báo cáo"})
    integrated = ma_fields.List(Text(max_length=300), load_default=list, metadata={
        "title": "Đơn vị kiểm tra lồng ghép",
        "description": "Names of the on-site units inspected with the reform team."})


def _plan_error(exc: ValidationError) -> ValidationError:
    return ValidationError([FieldError(f"plan.{e.path}" if e.path not in ("", "$") else "plan",
                                       e.message, e.code) for e in exc.errors])


def round_from_plan(renderer: Renderer, session_factory: sessionmaker[Session], data: Any,
                    *, actor: str = "") -> Round:
    """A round whose units are the plan's schedule (name, mode, date), the plan kept with it.

    Issuer and year are the plan's; the title its summary unless given.
    """
    clean = load_payload(FromPlanSchema(), data)
    try:
        plan = renderer.validate("plan", clean["plan"])
    except ValidationError as exc:
        raise _plan_error(exc) from exc
    names = {_key(n) for n in clean["integrated"]}
    units = [{"stt": i, "name": u["name"], "mode": u["mode"],
              "integrated": u["mode"] == ON_SITE and _key(u["name"]) in names,
              "not_inspected": False, "scheduled_on": u.get("scheduled_on"), "due_date": None}
             for i, u in enumerate(plan.data["units"], start=1)]
    unknown = names - {_key(u["name"]) for u in units if u["mode"] == ON_SITE}
    if unknown:
        raise ValidationError([FieldError("integrated", "Đơn vị lồng ghép không có trong lịch "
                                          "kiểm tra tại trụ sở của kế hoạch: "
                                          + ", ".join(sorted(unknown)) + ".", "unknown_unit")])
    round_data = {"issuer": dict(plan.data["agency"]), "year": plan.data["year"],
                  "title": clean.get("title") or plan.data["summary"],
                  "due_date": clean["due_date"], "units": units}
    with writing(session_factory) as session:
        round_ = add_round(session, round_data)
        session.add(RoundDocument(round_id=round_.id, kind="plan",
                                  payload=_jsonable(plan.data), created_at=utcnow()))
        audit.log(session, round_.id, actor, "create",
                  f"Từ kế hoạch: {round_.title}: {len(units)} đơn vị.")
    return round_


def _key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def _latest(round_: Round, kind: str, unit_id: int | None = None) -> RoundDocument | None:
    found = [d for d in round_.documents if d.kind == kind
             and (unit_id is None or d.unit_id == unit_id)]
    return found[-1] if found else None


def _plan_units(round_: Round) -> list[dict[str, Any]]:
    return [{"name": u.name, "mode": u.mode,
             "scheduled_on": None if u.scheduled_on is None else u.scheduled_on.isoformat()}
            for u in round_.units]


def plan_payload(session: Session, round_id: int,
                 fields: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The plan payload of the round: ``fields`` (or the plan kept with the round), its
    ``units`` always the round's — so the plan and the round never disagree."""
    round_ = load_round(session, round_id)
    base: dict[str, Any]
    if fields:
        base = dict(fields)
    else:
        kept = _latest(round_, "plan")
        if kept is None:
            raise ValidationError([FieldError(
                "$", "Đợt kiểm tra chưa có kế hoạch; gửi nội dung kế hoạch (không cần units).",
                "round_has_no_plan")])
        base = dict(kept.payload)
    base.setdefault("agency", dict(round_.issuer))
    base.setdefault("year", round_.year)
    base["units"] = _plan_units(round_)
    return base


def set_plan(renderer: Renderer, session_factory: sessionmaker[Session], round_id: int,
             payload: Any, *, fmt: str = "docx", register: bool = False,
             actor: str = "") -> tuple[Rendered, Entry | None]:
    """Keep the plan with the round and render it (numbered when asked). Its units must
    be the round's, in order, with the same modes (422 ``plan_unit_mismatch``)."""
    if isinstance(payload, Mapping) and "units" not in payload:
        with session_factory() as session:
            payload = plan_payload(session, round_id, payload)
    validated = renderer.validate("plan", payload)
    with session_factory() as session:
        round_ = load_round(session, round_id)
        errors = []
        units = validated.data["units"]
        if len(units) != len(round_.units):
            errors.append(FieldError("units", f"Kế hoạch có {len(units)} đơn vị, đợt kiểm tra "
                                     f"có {len(round_.units)}.", "plan_unit_mismatch"))
        for index, (mine, theirs) in enumerate(zip(round_.units, units, strict=False)):
            if not _same_name(mine.name, theirs["name"]) or mine.mode != theirs["mode"]:
                errors.append(FieldError(
                    f"units[{index}]", f"Khác đơn vị STT {mine.stt} của đợt kiểm tra "
                    f"({mine.name}, {MODES[mine.mode]}).", "plan_unit_mismatch"))
        if errors:
            raise ValidationError(errors[:20])
    return _keep_document(renderer, session_factory, round_id, "plan", validated, fmt,
                          register, actor, "Kế hoạch kiểm tra")


def set_decision(renderer: Renderer, session_factory: sessionmaker[Session], round_id: int,
                 payload: Any, *, fmt: str = "docx", register: bool = False,
                 actor: str = "") -> tuple[Rendered, Entry | None]:
    """The team decision (Quyết định thành lập Đoàn kiểm tra) of the round: rendered,
    numbered when asked, kept; minutes without a basis and the notices cite it. An
    unnumbered one is replaced by the next; a numbered one stays (409 ``round_numbered``)."""
    validated = renderer.validate("decision", payload)
    return _keep_document(renderer, session_factory, round_id, "decision", validated, fmt,
                          register, actor, "Quyết định thành lập Đoàn kiểm tra")


def _keep_document(renderer: Renderer, session_factory: sessionmaker[Session], round_id: int,
                   kind: str, validated: Validated, fmt: str, register: bool, actor: str,
                   label: str) -> tuple[Rendered, Entry | None]:
    output = renderer.output(fmt, None)
    entry = None
    with register_errors(), writing(session_factory) as session:
        round_ = _locked_round(session, round_id)
        kept = _latest(round_, kind)
        if kept is not None and kept.register_entry is not None:  # issued: it stays
            raise RoundNumberedError(round_id, kept.register_entry.symbol,
                                     f"thay {label[:1].lower() + label[1:]} đã cấp số")
        if register:
            rendered, entry = number_in(session, renderer, validated, output)
            data = {**validated.data, "number": entry.number}
        else:
            rendered = renderer.render_validated(validated, output)
            data = validated.data
        if kept is not None and kept.register_entry is None:
            session.delete(kept)  # an unnumbered one is replaced
        session.add(RoundDocument(round_id=round_id, kind=kind, payload=_jsonable(data),
                                  register_entry=entry, created_at=utcnow()))
        audit.log(session, round_id, actor, kind,
                  label + (f" số {entry.symbol}." if entry is not None else " (chưa cấp số)."))
        session.flush()
    count_issued(session)
    return rendered, entry


# --- by-report submissions ----------------------------------------------------------------

class AssessmentSchema(BaseSchema):
    aspect = Choice(ASPECTS, required=True, metadata={"title": "Nội dung kiểm tra"})
    content = text_field("Tự đánh giá", max_length=5000)


class SubmissionSchema(BaseSchema):
    """What a by-report unit sent."""

    received_on = Date(required=True, metadata={"title": "Ngày nhận báo cáo"})
    assessments = nested_list(AssessmentSchema, "Tự đánh giá theo từng nội dung", min_items=0,
                              max_items=30)
    remarks = optional_text("Nhận xét của người thẩm định", max_length=5000)


@dataclass(frozen=True)
class Upload:
    """A file as sent: its name and bytes."""

    filename: str
    content: bytes


_UNSAFE = re.compile(r"[^\w.\- ()]+", re.UNICODE)


def _safe_name(name: str) -> str:
    base = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1]).strip()
    base = _UNSAFE.sub("_", base).strip(" .") or "tep"
    return base[-120:]


def check_upload(upload: Upload, index: int) -> tuple[str, str]:
    """(safe file name, media type) of an allowed file; else a 422 naming it."""
    path = f"attachments[{index}]"
    name = _safe_name(upload.filename)
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ATTACHMENT_TYPES:
        raise ValidationError([FieldError(path, f"Tệp '{name}': chỉ nhận tệp "
                                          + ", ".join(sorted(ATTACHMENT_TYPES)) + ".",
                                          "attachment_type")])
    if len(upload.content) > MAX_ATTACHMENT_BYTES:
        raise ValidationError([FieldError(
            path, f"Tệp '{name}' lớn hơn {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB.",
            "attachment_too_large")])
    media_type, starts = ATTACHMENT_TYPES[ext]
    if not upload.content or not upload.content.startswith(starts):
        raise ValidationError([FieldError(path, f"Nội dung tệp '{name}' không phải tệp {ext}.",
                                          "attachment_type")])
    return name, media_type


def record_submission(session_factory: sessionmaker[Session], round_id: int, stt: int,
                      data: Any, uploads: Sequence[Upload] = (), *, actor: str = "",
                      replace_attachments: bool = False) -> dict[str, Any]:
    """Record (or correct) what by-report unit ``stt`` sent; files are added to the ones
    already kept (at most :data:`MAX_ATTACHMENTS`), or replace them when asked."""
    clean = load_payload(SubmissionSchema(), data)
    checked = [(check_upload(u, i), u) for i, u in enumerate(uploads)]
    with writing(session_factory) as session:
        unit = _unit(session, round_id, stt, lock=True)
        if unit.mode != BY_REPORT:
            raise UnitNotByReportError(unit.stt, unit.name)
        now = utcnow()
        submission = session.scalars(select(RoundSubmission).where(
            RoundSubmission.unit_id == unit.id).options(
            selectinload(RoundSubmission.attachments))).one_or_none()
        if submission is None:
            submission = RoundSubmission(unit_id=unit.id, created_at=now)
            session.add(submission)
        elif replace_attachments:
            submission.attachments.clear()
        if len(submission.attachments) + len(checked) > MAX_ATTACHMENTS:
            raise ValidationError([FieldError(
                "attachments", f"Mỗi báo cáo kèm tối đa {MAX_ATTACHMENTS} tệp.",
                "too_many_attachments")])
        submission.received_on = clean["received_on"]
        submission.remarks = clean.get("remarks") or ""
        submission.updated_at = now
        session.flush()
        session.execute(delete(RoundAssessment).where(
            RoundAssessment.submission_id == submission.id))
        for i, item in enumerate(clean["assessments"], start=1):
            session.add(RoundAssessment(submission_id=submission.id, unit_id=unit.id,
                                        position=i, aspect=item["aspect"],
                                        content=item["content"]))
        for (name, media_type), upload in checked:
            submission.attachments.append(RoundAttachment(
                filename=name, media_type=media_type, size=len(upload.content),
                sha256=hashlib.sha256(upload.content).hexdigest(), content=upload.content,
                created_at=now))
        unit.status, unit.updated_at = "reported", now
        audit.log(session, round_id, actor, "submission",
                  f"Báo cáo của {unit.name} nhận ngày {_day(clean['received_on'])}: "
                  f"{len(clean['assessments'])} nội dung tự đánh giá"
                  + (f", {len(checked)} tệp đính kèm" if checked else "") + ".", stt=unit.stt)
        session.flush()
        return submission_dict(submission)


def submission_dict(submission: RoundSubmission) -> dict[str, Any]:
    return {
        "received_on": None if submission.received_on is None
        else submission.received_on.isoformat(),
        "assessments": [{"aspect": a.aspect, "content": a.content}
                        for a in sorted(submission.assessments, key=lambda a: a.position)],
        "remarks": submission.remarks,
        "attachments": [{"id": a.id, "filename": a.filename, "media_type": a.media_type,
                         "size": a.size, "sha256": a.sha256} for a in submission.attachments],
    }


def get_submission(session: Session, round_id: int, stt: int) -> dict[str, Any]:
    unit = _unit(session, round_id, stt)
    submission = session.scalars(select(RoundSubmission).where(
        RoundSubmission.unit_id == unit.id).options(
        selectinload(RoundSubmission.assessments),
        selectinload(RoundSubmission.attachments))).one_or_none()
    if submission is None:
        raise NoSubmissionError(unit.stt, unit.name)
    return submission_dict(submission)


def attachment(session: Session, round_id: int, attachment_id: int) -> RoundAttachment:
    """An attached file of the round (with its bytes); 404 for another round's."""
    if not 0 < attachment_id <= MAX_ID:
        raise AttachmentNotFoundError(attachment_id)
    found = session.scalars(
        select(RoundAttachment).join(RoundSubmission).join(RoundUnit)
        .where(RoundAttachment.id == attachment_id, RoundUnit.round_id == round_id)
        .options(undefer(RoundAttachment.content))).one_or_none()
    if found is None:
        raise AttachmentNotFoundError(attachment_id)
    return found


# --- letters to the by-report units ---------------------------------------------------------

GROUPINGS = {"list": "một công văn kèm danh sách", "each": "mỗi đơn vị một công văn"}
LIST_ADDRESSEE = "Các cơ quan, đơn vị có tên trong danh sách kèm theo"


class LettersSchema(BaseSchema):
    """The letters' text (a `letter` payload without `units`), and to whom."""

    letter = Payload("letter", component=ROUND_LETTER, required=True, metadata={
        "title": "Công văn", "description": "A `letter` payload without `units`; `agency`, "
                                            "`addressees` and `deadline` default from the "
                                            "round."})
    grouping = Choice(GROUPINGS, load_default="list", metadata={"title": "Cách gửi"})
    stt = ma_fields.List(Integer(validate=Range(min=1, max=MAX_ID)), load_default=None,
                         allow_none=True, metadata={
                             "title": "Đơn vị", "description": "Default: every by-report unit "
                                                               "that has not sent its report."})


def letters(renderer: Renderer, session_factory: sessionmaker[Session], round_id: int,
            data: Any, *, fmt: str = "docx", register: bool = False, actor: str = "",
            today: dt.date | None = None) -> list[tuple[Rendered, Entry | None]]:
    """The công văn asking by-report units for their reports: one with the list, or one
    per unit (its own due date), all numbered in one transaction when asked."""
    clean = load_payload(LettersSchema(), data)
    with session_factory() as session:
        round_ = load_round(session, round_id)
        by_report = [u for u in round_.units if u.mode == BY_REPORT]
        if clean["stt"] is None:
            chosen = [u for u in by_report if u.submission is None]
        else:
            index = {u.stt: u for u in round_.units}
            errors = []
            for i, stt in enumerate(clean["stt"]):
                if stt not in index:
                    errors.append(FieldError(f"stt[{i}]", f"Không có đơn vị STT {stt}.",
                                             "round_unit_not_found"))
                elif index[stt].mode != BY_REPORT:
                    errors.append(FieldError(f"stt[{i}]", f"{index[stt].name} (STT {stt}) "
                                             "kiểm tra tại trụ sở.", "unit_not_by_report"))
            if errors:
                raise ValidationError(errors[:20])
            chosen = [index[s] for s in dict.fromkeys(clean["stt"])]
        if not chosen:
            raise ValidationError([FieldError("stt", "Không còn đơn vị kiểm tra qua báo cáo "
                                              "nào chưa gửi báo cáo.", "no_units")])
        base = dict(clean["letter"])
        base.setdefault("agency", dict(round_.issuer))
        due = round_.due_date
        payloads: list[tuple[RoundUnit | None, dict[str, Any]]] = []
        if clean["grouping"] == "list":
            payload = {**base, "units": [{"name": u.name, "note": ""} for u in chosen]}
            payload.setdefault("addressees", [LIST_ADDRESSEE])
            if due is not None:
                payload.setdefault("deadline", due.isoformat())
            payloads.append((None, payload))
        else:
            for unit in chosen:
                payload = {**base, "units": [], "addressees": [unit.name]}
                unit_due = unit.due_date or due
                if unit_due is not None and "deadline" not in base:
                    payload["deadline"] = unit_due.isoformat()
                payloads.append((unit, payload))
        unit_ids = {id(u): u.id for u, _ in payloads if u is not None}
    validated = []
    for target, payload in payloads:
        try:
            validated.append((target, renderer.validate("letter", payload)))
        except ValidationError as exc:
            where = "letter" if target is None else f"letter[STT {target.stt}]"
            raise ValidationError([FieldError(f"{where}.{e.path}".rstrip("."), e.message,
                                              e.code) for e in exc.errors]) from exc
    return _issue_many(renderer, session_factory, round_id, "letter",
                       [(unit_ids.get(id(u)) if u is not None else None, v) for u, v in validated],
                       fmt, register, actor,
                       f"Công văn đề nghị gửi báo cáo ({GROUPINGS[clean['grouping']]}, "
                       f"{len(chosen)} đơn vị)")


def _issue_many(renderer: Renderer, session_factory: sessionmaker[Session], round_id: int,
                kind: str, items: Sequence[tuple[int | None, Validated]], fmt: str,
                register: bool, actor: str, label: str) -> list[tuple[Rendered, Entry | None]]:
    output: Output = renderer.output(fmt, None)
    produced: list[tuple[Rendered, Entry | None]] = []
    with register_errors(), writing(session_factory) as session:
        _locked_round(session, round_id)
        symbols = []
        for unit_id, validated in items:
            entry = None
            if register:
                rendered, entry = number_in(session, renderer, validated, output)
                data = {**validated.data, "number": entry.number}
                symbols.append(entry.symbol)
            else:
                rendered = renderer.render_validated(validated, output)
                data = validated.data
            session.add(RoundDocument(round_id=round_id, unit_id=unit_id, kind=kind,
                                      payload=_jsonable(data), register_entry=entry,
                                      created_at=utcnow()))
            produced.append((rendered, entry))
        shown = " (chưa cấp số)"
        if symbols:
            shown = f", số {symbols[0]}" + (f" đến {symbols[-1]}" if len(symbols) > 1 else "")
        audit.log(session, round_id, actor, kind,
                  f"{label}: {len(items)} văn bản{shown}.")
        session.flush()
    count_issued(session)
    return produced


def zip_documents(produced: Sequence[tuple[Rendered, Entry | None]]) -> bytes:
    """Several documents as one .zip (names kept, made unique), fixed timestamps."""
    buffer = io.BytesIO()
    seen: Counter[str] = Counter()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for rendered, _entry in produced:
            name = rendered.filename
            seen[name] += 1
            if seen[name] > 1:
                stem, dot, ext = name.rpartition(".")
                name = f"{stem}-{seen[name]}{dot}{ext}"
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, rendered.content)
    return buffer.getvalue()


# --- notices of results -------------------------------------------------------------------

class NoticeUnitSchema(BaseSchema):
    stt = Integer(required=True, validate=Range(min=1, max=MAX_ID), metadata={"title": "STT"})
    not_met = ma_fields.List(Choice(ASPECTS), load_default=list, metadata={
        "title": "Nội dung chưa đạt", "description": "Aspects judged not met (default: none)."})
    nonconformities = ma_fields.List(Payload("notice", rows_of="nonconformities"),
                                     load_default=None, allow_none=True,
                                     metadata={"title": "Điểm không phù hợp",
                                               "description": "Default: the minutes' requests."})
    general = Text(required=False, max_length=5000, metadata={"title": "Đánh giá chung"})


class NoticesSchema(BaseSchema):
    """The notices' common text (a `notice` payload without the unit's parts)."""

    notice = Payload("notice", component=ROUND_NOTICE, required=True, metadata={
        "title": "Thông báo", "description": "The common fields of a `notice` payload: date, "
                                             "report_deadline, signer, recipients, archive…"})
    units = nested_list(NoticeUnitSchema, "Kết quả riêng của từng đơn vị", min_items=0,
                        max_items=MAX_UNITS)
    stt = ma_fields.List(Integer(validate=Range(min=1, max=MAX_ID)), load_default=None,
                         allow_none=True, metadata={
                             "title": "Đơn vị", "description": "Default: every unit with "
                                                               "minutes and no notice yet."})


#: A minutes request that only asks for the corrections' report ("Báo cáo kết quả khắc phục
#: về Sở … trước ngày …"): the notice's closing sentence says it, with its own deadline.
_REPORTING_REQUEST = re.compile(r"^\s*(?:đề nghị\s+)?(?:đơn vị\s+)?báo cáo kết quả khắc phục",
                                re.IGNORECASE)


def points_to_correct(minutes: Mapping[str, Any]) -> list[str]:
    """The minutes' requests a unit's notice lists as the points to correct: all but the one
    asking the unit to report its corrections — the notice's own closing asks for that, by
    the notice's deadline.

    >>> points_to_correct({"requests": ["Ghi chép đầy đủ phiếu theo dõi",
    ...                                 "Báo cáo kết quả khắc phục về Sở trước ngày 30/11/2017"]})
    ['Ghi chép đầy đủ phiếu theo dõi']
    """
    return [r for r in minutes.get("requests") or [] if not _REPORTING_REQUEST.match(r)]


def _notice_payload(base: Mapping[str, Any], round_: Round, unit: RoundUnit, decision: str,
                    override: Mapping[str, Any]) -> dict[str, Any]:
    minutes = unit.minutes
    assert minutes is not None
    joined: dict[str, list[str]] = {}
    for finding in minutes.findings:
        joined.setdefault(finding.aspect, []).append(finding.content)
    not_met = set(override.get("not_met") or ())
    findings = [{"aspect": aspect, "result": "chua_dat" if aspect in not_met else "dat",
                 "content": " ".join(texts)[:3000]}
                for aspect in ASPECTS if (texts := joined.get(aspect))]
    nonconformities = override.get("nonconformities")
    if nonconformities is None:
        nonconformities = [{"content": r} for r in points_to_correct(minutes.payload)]
    payload = {
        **base,
        "unit_name": unit.name,
        "summary": base.get("summary") or ("Kết quả kiểm tra việc áp dụng, duy trì và cải tiến "
                                           f"Hệ thống quản lý chất lượng tại {unit.name}"),
        "minutes_ref": f"Biên bản kiểm tra ngày {minutes.date.day:02d}/{minutes.date.month:02d}"
                       f"/{minutes.date.year} của Đoàn kiểm tra tại {unit.name}",
        "inspected_on": minutes.date.isoformat(),
        "findings": findings,
        "general": override.get("general") or minutes.payload.get("conclusion", ""),
        "nonconformities": nonconformities,
    }
    payload.setdefault("agency", dict(round_.issuer))
    if decision and not base.get("decision_ref"):
        payload["decision_ref"] = decision
    recipients = list(base.get("recipients") or [])
    payload["recipients"] = [unit.name, *[r for r in recipients if not _same_name(r, unit.name)]]
    return payload


def _is_iso(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def notices(renderer: Renderer, session_factory: sessionmaker[Session], round_id: int,
            data: Any, *, fmt: str = "docx", register: bool = False,
            actor: str = "") -> list[tuple[Rendered, Entry | None]]:
    """One notice of results (TB) per chosen on-site unit, written from its minutes (its
    findings per aspect, its conclusion, its requests as corrections), citing the round's
    decision and the minutes; numbered in one transaction when asked."""
    clean = load_payload(NoticesSchema(), data)
    overrides = {u["stt"]: u for u in clean.get("units") or []}
    with session_factory() as session:
        round_ = load_round(session, round_id)
        decision = decision_citation(session, round_id)
        noticed = {d.unit_id for d in round_.documents if d.kind == "notice"}
        index = {u.stt: u for u in round_.units}
        if clean["stt"] is None:
            chosen = [u for u in round_.units if u.minutes is not None and u.id not in noticed]
        else:
            chosen = []
            for stt in dict.fromkeys(clean["stt"]):
                unit = index.get(stt)
                if unit is None:
                    raise ValidationError([FieldError("stt", f"Không có đơn vị STT {stt}.",
                                                      "round_unit_not_found")])
                if unit.mode != ON_SITE:
                    raise UnitNotOnSiteError(unit.stt, unit.name)
                if unit.minutes is None:
                    raise UnitWithoutMinutesError(unit.stt, unit.name)
                chosen.append(unit)
        if not chosen:
            raise ValidationError([FieldError("stt", "Không còn đơn vị có biên bản nào chưa có "
                                              "thông báo kết quả kiểm tra.", "no_units")])
        items = [(u.id, u.stt, _notice_payload(clean["notice"], round_, u, decision,
                                               overrides.get(u.stt, {}))) for u in chosen]
    validated = []
    for unit_id, stt, payload in items:
        try:
            validated.append((unit_id, renderer.validate("notice", payload)))
        except ValidationError as exc:
            raise ValidationError([FieldError(f"notice[STT {stt}].{e.path}".rstrip("."),
                                              e.message, e.code) for e in exc.errors]) from exc
    return _issue_many(renderer, session_factory, round_id, "notice", validated, fmt,
                       register, actor, "Thông báo kết quả kiểm tra")


class CorrectionsSchema(BaseSchema):
    reported_on = Date(required=True, metadata={"title": "Ngày đơn vị báo cáo khắc phục"})
    note = optional_text("Ghi chú", max_length=2000)


def record_corrections(session_factory: sessionmaker[Session], round_id: int, stt: int,
                       data: Any, *, actor: str = "") -> dict[str, Any]:
    """An on-site unit reported the corrections its notice of results asked for."""
    clean = load_payload(CorrectionsSchema(), data)
    with writing(session_factory) as session:
        unit = _unit(session, round_id, stt, lock=True)
        if unit.mode != ON_SITE:
            raise UnitNotOnSiteError(unit.stt, unit.name)
        if unit.minutes is None:
            raise UnitWithoutMinutesError(unit.stt, unit.name)
        unit.corrections_reported_on = clean["reported_on"]
        unit.corrections_note = clean.get("note") or ""
        unit.updated_at = utcnow()
        audit.log(session, round_id, actor, "corrections",
                  f"{unit.name} báo cáo khắc phục ngày {_day(clean['reported_on'])}.",
                  stt=unit.stt)
        session.flush()
        return {"stt": unit.stt, "name": unit.name,
                "corrections_reported_on": clean["reported_on"].isoformat(),
                "corrections_note": unit.corrections_note}


# --- the dashboard ----------------------------------------------------------------------

STATUS_WORDS = {"planned": "Chưa có kết quả", "inspected": "Đã có biên bản",
                "not_inspected": "Chưa kiểm tra được", "reported": "Đã gửi báo cáo"}
KIND_WORDS = {"plan": "Kế hoạch", "decision": "Quyết định", "letter": "Công văn",
              "notice": "Thông báo", "report": "Báo cáo"}


@dataclass(frozen=True)
class DashboardFilters:
    mode: str | None = None
    status: str | None = None
    overdue: bool = False
    q: str = ""

    @classmethod
    def parse(cls, args: Mapping[str, str]) -> DashboardFilters:
        mode = (args.get("mode") or "").strip() or None
        status = (args.get("status") or "").strip() or None
        errors = []
        if mode is not None and mode not in MODES:
            errors.append(FieldError("mode", "Hình thức kiểm tra phải là on_site hoặc by_report.",
                                     "invalid_choice"))
        if status is not None and status not in STATUS_WORDS:
            errors.append(FieldError("status", "Trạng thái phải là một trong: "
                                     + ", ".join(STATUS_WORDS) + ".", "invalid_choice"))
        if errors:
            raise ValidationError(errors)
        overdue = (args.get("overdue") or "").strip().lower() in ("1", "true", "on", "yes")
        return cls(mode=mode, status=status, overdue=overdue, q=(args.get("q") or "")[:200])


def _unit_row(unit: RoundUnit, round_: Round, notices_by_unit: Mapping[int, RoundDocument],
              today: dt.date) -> dict[str, Any]:
    due = unit.due_date or (round_.due_date if unit.mode == BY_REPORT else None) \
        or (unit.scheduled_on if unit.mode == ON_SITE else None)
    notice = notices_by_unit.get(unit.id)
    notice_deadline = None
    if notice is not None and _is_iso(str(notice.payload.get("report_deadline", ""))):
        notice_deadline = dt.date.fromisoformat(notice.payload["report_deadline"])
    overdue = ""
    if unit.status == "planned" and due is not None and due < today:
        overdue = "report" if unit.mode == BY_REPORT else "inspection"
    elif (notice_deadline is not None and unit.corrections_reported_on is None
          and notice_deadline < today):
        overdue = "corrections"
    minutes = unit.minutes
    submission = unit.submission
    return {
        "stt": unit.stt, "name": unit.name, "mode": unit.mode, "integrated": unit.integrated,
        "status": unit.status, "reason": unit.reason,
        "due_date": None if due is None else due.isoformat(),
        "overdue": overdue,
        "minutes_date": None if minutes is None else minutes.date.isoformat(),
        "minutes_symbol": None if minutes is None or minutes.register_entry is None
        else minutes.register_entry.symbol,
        "received_on": None if submission is None or submission.received_on is None
        else submission.received_on.isoformat(),
        "assessments": 0 if submission is None else len(submission.assessments),
        "attachments": [] if submission is None else [
            {"id": a.id, "filename": a.filename, "size": a.size} for a in submission.attachments],
        "remarks": "" if submission is None else submission.remarks,
        "notice_symbol": None if notice is None or notice.register_entry is None
        else notice.register_entry.symbol,
        "notice_date": None if notice is None else notice.payload.get("date"),
        "corrections_due": None if notice_deadline is None else notice_deadline.isoformat(),
        "corrections_reported_on": None if unit.corrections_reported_on is None
        else unit.corrections_reported_on.isoformat(),
    }


def _matches(row: Mapping[str, Any], filters: DashboardFilters) -> bool:
    if filters.mode and row["mode"] != filters.mode:
        return False
    if filters.status and row["status"] != filters.status:
        return False
    if filters.overdue and not row["overdue"]:
        return False
    return not (filters.q and _key(filters.q) not in _key(row["name"]))


def dashboard(session: Session, round_id: int, filters: DashboardFilters | None = None, *,
              today: dt.date | None = None) -> dict[str, Any]:
    """The round at a glance: units by mode and status, minutes recorded, reports
    received, overdue units, the documents issued (with their register numbers), the
    units (filtered) and the audit log."""
    filters = filters or DashboardFilters()
    day = _today(today)
    round_ = load_round(session, round_id)
    counts = round_counts(session, round_id)
    notices_by_unit = {d.unit_id: d for d in round_.documents
                       if d.kind == "notice" and d.unit_id is not None}
    rows = [_unit_row(u, round_, notices_by_unit, day) for u in round_.units]
    by_mode_status = {mode: dict.fromkeys(STATUS_WORDS, 0) for mode in MODES}
    for row in rows:
        by_mode_status[row["mode"]][row["status"]] += 1
    stt_of = {u.id: u.stt for u in round_.units}
    documents = [{
        "id": d.id, "kind": d.kind, "what": KIND_WORDS[d.kind],
        "stt": stt_of.get(d.unit_id) if d.unit_id is not None else None,
        "date": d.payload.get("date"),
        "summary": d.payload.get("summary", ""),
        "symbol": None if d.register_entry is None else d.register_entry.symbol,
        "register_entry_id": d.register_entry_id,
    } for d in round_.documents]
    for unit in round_.units:
        if unit.minutes is not None and unit.minutes.register_entry is not None:
            documents.append({"id": None, "kind": "minutes", "what": "Biên bản", "stt": unit.stt,
                              "date": unit.minutes.date.isoformat(),
                              "summary": unit.minutes.payload.get("summary", ""),
                              "symbol": unit.minutes.register_entry.symbol,
                              "register_entry_id": unit.minutes.register_entry_id})
    overdue = [r for r in rows if r["overdue"]]
    issued_report = next((d for d in reversed(documents) if d["kind"] == "report"), None)
    return {
        "id": round_.id, "title": round_.title, "year": round_.year, "issuer": round_.issuer,
        "due_date": None if round_.due_date is None else round_.due_date.isoformat(),
        "today": day.isoformat(),
        "counts": {k: counts[k] for k in ("planned", "on_site", "integrated", "not_inspected",
                                          "by_report")},
        "by_mode_status": by_mode_status,
        "progress": {
            "minutes": counts["inspected"], "pending_on_site": counts["pending"],
            "reports_received": counts["reported"],
            "reports_pending": counts["by_report"] - counts["reported"],
            "overdue": len(overdue),
            "notices": len(notices_by_unit),
            "corrections_reported": sum(1 for u in round_.units if u.corrections_reported_on),
            "report_issued": None if issued_report is None else issued_report["symbol"],
        },
        "draft": _numbered(round_) is None,
        "filters": {"mode": filters.mode, "status": filters.status, "overdue": filters.overdue,
                    "q": filters.q},
        "units": [r for r in rows if _matches(r, filters)],
        "documents": documents,
        "events": audit.events(session, round_id),
    }


EXPORT_COLUMNS = ("STT", "Tên cơ quan, đơn vị", "Hình thức", "Lồng ghép", "Trạng thái",
                  "Hạn", "Quá hạn", "Ngày biên bản", "Số biên bản", "Ngày nhận báo cáo",
                  "Số nội dung tự đánh giá", "Tệp đính kèm", "Số thông báo",
                  "Hạn báo cáo khắc phục", "Ngày báo cáo khắc phục", "Lý do / nhận xét")
OVERDUE_WORDS = {"report": "Chưa gửi báo cáo", "inspection": "Chưa kiểm tra",
                 "corrections": "Chưa báo cáo khắc phục", "": ""}


def _export_row(row: Mapping[str, Any]) -> list[Any]:
    def day(value: str | None) -> str:
        return _day(dt.date.fromisoformat(value)) if value else ""
    return [row["stt"], row["name"], MODES[row["mode"]], "x" if row["integrated"] else "",
            STATUS_WORDS[row["status"]], day(row["due_date"]), OVERDUE_WORDS[row["overdue"]],
            day(row["minutes_date"]), row["minutes_symbol"] or "", day(row["received_on"]),
            row["assessments"], len(row["attachments"]), row["notice_symbol"] or "",
            day(row["corrections_due"]), day(row["corrections_reported_on"]),
            row["reason"] or row["remarks"]]


def export_units(board: Mapping[str, Any], fmt: str) -> tuple[bytes, str]:
    """The dashboard's (filtered) units as CSV (UTF-8 with BOM) or XLSX; no cell a formula."""
    rows = [_export_row(r) for r in board["units"]]
    if fmt == "csv":
        out = io.StringIO(newline="")
        writer = csv.writer(out)
        writer.writerow(EXPORT_COLUMNS)
        for row in rows:
            writer.writerow(csv_row(row))
        return ("\ufeff" + out.getvalue()).encode("utf-8"), "text/csv"
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Đơn vị"
    sheet.append(list(EXPORT_COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            xlsx_cell(sheet.cell(row=number, column=column), value)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), ("application/vnd.openxmlformats-officedocument."
                               "spreadsheetml.sheet")
