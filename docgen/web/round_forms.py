"""The forms of a round's documents, without Flask: what a page shows and pre-fills.

    RoundView     the round as the pages need it (units, their minutes' findings, kept
                  documents, the decision's citation), read in one session
    page_spec     the type's form (docgen.web.formgen) less what the round supplies, the
                  supplied parts made optional and explained
    prefill       the payload a page starts from: the round's last document of the kind,
                  the type's example with the round's agency, or the round's defaults
    form_errors   the workflow's error paths (``letter.date``, ``notice[STT 3].date``,
                  ``stt[0]``) at the form's inputs

:mod:`docgen.web.round_documents` serves them.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from docgen.catalog import DocumentType, example_payload, get_type
from docgen.errors import FieldError
from docgen.rounds import store, workflow
from docgen.rounds.errors import RoundUnitNotFoundError
from docgen.rounds.models import BY_REPORT
from docgen.rounds.schemas import COMPUTED_FIELDS, RoundReportSchema
from docgen.schemas.common import ASPECTS
from docgen.web import formgen

#: page -> (document type, heading).
PAGES = {
    "decision": ("decision", "Quyết định thành lập Đoàn kiểm tra"),
    "plan": ("plan", "Kế hoạch kiểm tra"),
    "minutes": ("minutes", "Biên bản kiểm tra"),
    "letters": ("letter", "Công văn đề nghị gửi báo cáo"),
    "notices": ("notice", "Thông báo kết quả kiểm tra"),
    "report": ("report", "Báo cáo kết quả kiểm tra"),
}

#: A notice's parts written per unit from its minutes: not in the notices' common form.
NOTICE_UNIT_FIELDS = ("unit_name", "minutes_ref", "inspected_on", "findings", "general",
                      "nonconformities", "on_time_rate")
#: What a minutes says about its own unit: not carried from another unit's minutes.
MINUTES_UNIT_FIELDS = ("number", "date", "summary", "unit", "started_at", "ended_at",
                       "location", "unit_representatives", "findings", "conclusion",
                       "requests", "representative_signer", "recipients")
# --- the round, as the pages need it --------------------------------------------------------

@dataclass
class RoundView:
    """What a document page shows of its round (read once, in one session)."""

    id: int
    title: str
    issuer: dict[str, Any]
    year: int
    due_date: str | None
    decision: str
    units: list[dict[str, Any]]
    counts: dict[str, int]
    kept: dict[str, dict[str, Any]] = field(default_factory=dict)
    last_minutes: dict[str, Any] | None = None

    def unit(self, stt: int) -> dict[str, Any]:
        for unit in self.units:
            if unit["stt"] == stt:
                return unit
        raise RoundUnitNotFoundError(self.id, stt)


def load(session_factory: sessionmaker[Session], round_id: int) -> RoundView:
    """The round as its document pages show it; 404 error when there is none."""
    with session_factory() as session:
        round_ = store.load_round(session, round_id)
        counts = store.round_counts(session, round_id)
        noticed = {d.unit_id for d in round_.documents if d.kind == "notice"}
        kept: dict[str, dict[str, Any]] = {}
        for document in round_.documents:  # by id: the last one of a kind wins
            kept[document.kind] = copy.deepcopy(document.payload)
        units, last_minutes, last_id = [], None, 0
        for u in round_.units:
            minutes = u.minutes
            findings: dict[str, list[str]] = {}
            if minutes is not None:
                for finding in minutes.findings:
                    findings.setdefault(finding.aspect, []).append(finding.content)
                if minutes.id > last_id:
                    last_id, last_minutes = minutes.id, copy.deepcopy(minutes.payload)
            units.append({
                "stt": u.stt, "name": u.name, "mode": u.mode, "status": u.status,
                "due_date": None if u.due_date is None else u.due_date.isoformat(),
                "scheduled_on": None if u.scheduled_on is None else u.scheduled_on.isoformat(),
                "received": u.submission is not None, "noticed": u.id in noticed,
                "minutes": None if minutes is None else copy.deepcopy(minutes.payload),
                "minutes_symbol": None if minutes is None or minutes.register_entry is None
                else minutes.register_entry.symbol,
                "findings": [(aspect, ASPECTS[aspect], " ".join(findings[aspect]))
                             for aspect in ASPECTS if aspect in findings],
                # what its notice says by default: the points to correct, the conclusion
                "points": [] if minutes is None else workflow.points_to_correct(minutes.payload),
                "conclusion": "" if minutes is None else str(minutes.payload.get("conclusion")
                                                             or ""),
            })
        return RoundView(
            id=round_.id, title=round_.title, issuer=dict(round_.issuer), year=round_.year,
            due_date=None if round_.due_date is None else round_.due_date.isoformat(),
            decision=store.decision_citation(session, round_id), units=units,
            counts=counts, kept=kept, last_minutes=last_minutes)


# --- the forms: the type's schema, less what the round supplies -------------------------------

@functools.cache
def _base_spec(kind: DocumentType) -> tuple[formgen.Node, ...]:
    return formgen.form_spec(kind.schema())


@functools.cache
def _report_spec() -> tuple[formgen.Node, ...]:
    return formgen.form_spec(RoundReportSchema())


def _without(spec: tuple[formgen.Node, ...], keys: tuple[str, ...]) -> tuple[formgen.Node, ...]:
    return tuple(n for n in spec if n.key not in keys)


def _explained(spec: tuple[formgen.Node, ...], hints: Mapping[str, str],
               ) -> tuple[formgen.Node, ...]:
    """The nodes in ``hints`` made optional (the round supplies them), with the hint."""
    out = []
    for node in spec:
        if node.key in hints:
            node = replace(node, required=False, description=hints[node.key])
            if isinstance(node, formgen.Repeat):
                node = replace(node, min_items=0)
        out.append(node)
    return tuple(out)


def _day(iso: str | None) -> str:
    return "" if not iso else f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}"


def page_spec(page: str, round_: RoundView) -> tuple[formgen.Node, ...]:
    """The form of ``page`` for ``round_``."""
    if page == "report":
        return _explained(_report_spec(), {
            "agency": "Mặc định: cơ quan của đợt kiểm tra.",
            "year": "Mặc định: năm của đợt kiểm tra.",
            "period_start": "Để trống: ngày của biên bản đầu tiên (khi chưa có biên bản "
                            "nào: hãy nhập).",
            "period_end": "Để trống: ngày của biên bản cuối cùng (khi chưa có biên bản "
                          "nào: hãy nhập).",
            "not_inspected_reason": "Để trống: lý do đã ghi khi đánh dấu đơn vị chưa kiểm tra "
                                    "được.",
            "aspect_notes": "Tùy chọn: nhận xét của cơ quan sau số liệu tính từ biên bản và "
                            "báo cáo của các đơn vị (tối đa 1.000 ký tự mỗi nội dung).",
        })
    spec = _base_spec(get_type(PAGES[page][0]))
    if page == "plan":
        return _without(spec, ("units",))
    if page == "letters":
        due = f" ({_day(round_.due_date)})" if round_.due_date else ""
        return _explained(_without(spec, ("units",)), {
            "addressees": "Gửi một công văn kèm danh sách: mặc định “Các cơ quan, đơn vị có "
                          "tên trong danh sách kèm theo”. Mỗi đơn vị một công văn: tên đơn vị.",
            "deadline": f"Để trống: hạn của đợt kiểm tra{due}, hoặc hạn riêng của từng đơn "
                        "vị khi gửi mỗi đơn vị một công văn.",
        })
    if page == "notices":
        return _explained(_without(spec, NOTICE_UNIT_FIELDS), {
            "summary": "Để trống: “Kết quả kiểm tra việc áp dụng, duy trì và cải tiến Hệ "
                       "thống quản lý chất lượng tại <đơn vị>” cho từng đơn vị.",
            "decision_ref": "Lấy từ quyết định thành lập Đoàn kiểm tra của đợt"
                            + ("." if round_.decision else " (đợt chưa có quyết định: hãy "
                               "nhập, hoặc lập quyết định trước)."),
        })
    if page == "minutes":
        out = []
        for node in spec:
            if node.key == "unit" and isinstance(node, formgen.Group):
                node = replace(node, children=tuple(c for c in node.children
                                                    if c.key != "name"))
            out.append(node)
        if round_.decision:
            return _explained(tuple(out), {
                "basis": "Để trống: căn cứ quyết định thành lập Đoàn kiểm tra của đợt."})
        return tuple(out)
    return spec


# --- pre-filling ----------------------------------------------------------------------------

def _defaults(round_: RoundView) -> dict[str, Any]:
    return {"agency": dict(round_.issuer), "year": round_.year}


def prefill(page: str, round_: RoundView, stt: int | None = None, *,
            example: bool = False) -> tuple[dict[str, Any], str]:
    """(payload to show, source): the round's last document of the kind, its example
    (``example``) with the round's agency and units, or the round's defaults (``blank``)."""
    kind = PAGES[page][0]
    base: dict[str, Any] | None
    if example:
        base = example_payload(get_type(kind)) or {}
        base = {**base, "agency": dict(round_.issuer)}
        source = "example"
    elif page == "minutes":
        assert stt is not None
        own = round_.unit(stt)["minutes"]
        if own is not None:
            base, source = own, "kept"
        elif round_.last_minutes is not None:  # the team, the signer: as at the last unit
            base = {k: v for k, v in round_.last_minutes.items()
                    if k not in MINUTES_UNIT_FIELDS}
            source = "kept"
        else:
            base, source = None, "blank"
        if base is not None and round_.decision and base.get("basis") == round_.decision:
            base.pop("basis")  # it follows the decision
    else:
        base = round_.kept.get(kind)
        source = "blank" if base is None else "kept"
    data = {**_defaults(round_), **(base or {})}
    data.pop("number", None)
    for key in COMPUTED_FIELDS if page == "report" else ():
        data.pop(key, None)
    if page == "report" and not example:
        for key in ("period_start", "period_end", "not_inspected_reason"):
            data.pop(key, None)  # computed from the records when left blank
    if page == "plan":
        data.pop("units", None)
    if page == "letters":
        each = data.get("units") == []
        data.pop("units", None)
        if each or source == "blank":
            data["addressees"] = [workflow.LIST_ADDRESSEE]
            data.pop("deadline", None)
        own_due = any(u["due_date"] for u in round_.units if u["mode"] == BY_REPORT)
        if not data.get("deadline") and round_.due_date and not own_due:
            data["deadline"] = round_.due_date
    if page == "notices":
        unit_name = str(data.get("unit_name") or "")
        for key in NOTICE_UNIT_FIELDS:
            data.pop(key, None)
        if unit_name and unit_name in str(data.get("summary", "")):
            data.pop("summary")
        recipients = list(data.get("recipients") or [])
        if unit_name and recipients and recipients[0] == unit_name:
            data["recipients"] = recipients[1:]
        if round_.decision:
            data["decision_ref"] = round_.decision
    return data, source


# --- errors: the workflow's paths at the form's inputs -------------------------------


_WORKFLOW_PATH = re.compile(r"^(letter|notice)(?:\[STT (\d+)\])?(?:\.(.*))?$")


def form_errors(errors: list[FieldError], spec: tuple[formgen.Node, ...], round_: RoundView,
                page: str) -> list[FieldError]:
    """The workflow's errors at the form's paths: ``letter.date``/``notice[STT 3].date`` ->
    ``date``; ``stt[0]``, ``units[2].not_met`` -> ``_units``; ``grouping`` -> ``_grouping``.
    A path no input has keeps its own (shown in the summary, with the unit's name)."""
    keys = {n.key for n in spec}
    out: list[FieldError] = []
    for error in errors:
        path = error.path
        message = error.message
        found = _WORKFLOW_PATH.match(path)
        if found:
            rest = found.group(3) or "$"
            head = re.split(r"[.\[]", rest, maxsplit=1)[0]
            if head in keys:
                path = rest
            else:
                if found.group(2):
                    name = next((u["name"] for u in round_.units
                                 if u["stt"] == int(found.group(2))), "")
                    message = f"{name} (STT {found.group(2)}): {message}"
                path = rest if rest != "$" else "$"
        elif page in ("letters", "notices") and re.match(r"^(stt|units)(\[|$|\.)", path):
            path = "_units"
        elif page == "letters" and path == "grouping":
            path = "_grouping"
        out.append(FieldError(path, message, error.code))
    return out
