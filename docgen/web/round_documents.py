"""The round's documents from its pages (issue 16): a form per document, GET and POST.

    /rounds/<id>/decision              Quyết định thành lập Đoàn kiểm tra
    /rounds/<id>/plan                  Kế hoạch kiểm tra (the round's units, read-only)
    /rounds/<id>/units/<stt>/minutes   Biên bản kiểm tra of an on-site unit
    /rounds/<id>/letters               Công văn to the by-report units (list | each)
    /rounds/<id>/notices               Thông báo kết quả kiểm tra, per unit with minutes
    /rounds/<id>/report                Báo cáo kết quả kiểm tra, figures from the records

Each form is generated from the type's schema (:mod:`docgen.web.formgen`, the clerk's
``_fields.html``, ``form.js`` for rows and drafts, ``form-submit.js`` for the download)
with what the round supplies left out or pre-filled and explained: the plan's and the
letter's ``units``, a notice's per-unit parts (from the unit's minutes), the report's
``counts`` and ``findings``. A page is pre-filled from the round's last kept document of
that kind, else from the round (its issuer as ``agency``, its year, its due date).

A POST goes through :mod:`docgen.http.rounds`, the very functions the API calls, with
the form's ``_format`` and ``_register``; the answer is the file (a .zip for several).
On an error the page comes back (422, or the error's own status: 409 …) with each error
next to its input — the workflow's paths (``letter.date``, ``notice[STT 3].date``) mapped
back to the form's — and everything typed kept. Every generation writes the round's audit
line (who: :func:`docgen.http.actor.actor`).
"""

from __future__ import annotations

import copy
import functools
import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from flask import Blueprint, Response, render_template, request, url_for

from docgen.catalog import DocumentType, example_payload, get_type
from docgen.errors import FieldError, InputError, ValidationError
from docgen.http import rounds as round_documents
from docgen.http.access_log import note
from docgen.http.requests import flag, service
from docgen.rounds import store, workflow
from docgen.rounds.errors import (
    RoundIncompleteError,
    RoundNotFoundError,
    RoundUnitNotFoundError,
    UnitNotOnSiteError,
)
from docgen.rounds.models import BY_REPORT, ON_SITE
from docgen.rounds.schemas import COMPUTED_FIELDS, RoundReportSchema
from docgen.schemas.common import ASPECTS, MODES
from docgen.web import formgen

bp = Blueprint("round_documents", __name__, url_prefix="/rounds", template_folder="templates")

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
#: The inputs the page adds to the schema's (names start with "_": never a payload path).
EXTRA_LABELS = {"_units": "Đơn vị", "_grouping": "Cách gửi",
                "_allow_incomplete": "Lập khi đợt kiểm tra chưa đủ kết quả"}


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


def _round(round_id: int) -> RoundView:
    with round_documents.session_factory()() as session:
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


# --- the page -----------------------------------------------------------------------------

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


def _where(spec: tuple[formgen.Node, ...], path: str) -> tuple[str, str]:
    """(what the summary calls the input, the anchor it links to)."""
    if path in EXTRA_LABELS:
        return EXTRA_LABELS[path], formgen.dom_id(path)
    head = re.split(r"[.\[]", path, maxsplit=1)[0]
    if path == "$" or head not in {n.key for n in spec}:
        return ("Toàn bộ văn bản" if path == "$" else path), "main"
    return formgen.describe_path(spec, path), formgen.dom_id(path)


def _checked(name: str, default: bool) -> bool:
    if request.method == "POST":
        return bool(request.form.get(name))
    return default


def _render(page: str, round_: RoundView, spec: tuple[formgen.Node, ...], raw: Any,
            source: str, *, stt: int | None = None, errors: list[FieldError] | None = None,
            status: int = 200, more_errors: str = "", error_total: int = 0,
            refused: bool = False) -> tuple[str, int]:
    by_path: dict[str, list[str]] = defaultdict(list)
    for error in errors or []:
        by_path[error.path].append(error.message)
    doc_type, heading = PAGES[page]
    unit = round_.unit(stt) if stt is not None else None
    args: dict[str, Any] = {"round_id": round_.id}
    if stt is not None:
        args["stt"] = stt
    letters_units = [{**u, "checked": _checked(f"_unit.{u['stt']}", not u["received"])}
                     for u in round_.units if u["mode"] == BY_REPORT]
    notice_units = [{**u, "checked": _checked(f"_include.{u['stt']}", not u["noticed"]),
                     "not_met": {a for a, _, _ in u["findings"]
                                 if _checked(f"_not_met.{u['stt']}.{a}", False)}}
                    for u in round_.units if u["mode"] == ON_SITE and u["minutes"] is not None]
    html = render_template(
        "round_document.html", page=page, heading=heading, doc_type=doc_type,
        round=round_, unit=unit, spec=spec, sections=formgen.sections(spec), raw=raw,
        source=source, errors=dict(by_path),
        error_list=[(e, *_where(spec, e.path)) for e in errors or []],
        error_total=error_total or len(errors or []), more_errors=more_errors,
        formats=service().formats,
        chosen_format=request.form.get("_format", "docx"),
        chosen_register=bool(request.form.get("_register")),
        chosen_grouping=request.form.get("_grouping", "list"),
        allow_incomplete=bool(request.form.get("_allow_incomplete")),
        groupings=workflow.GROUPINGS, modes=MODES,
        letters_units=letters_units, notice_units=notice_units,
        action=url_for(f"round_documents.{page}", **args),
        example_url=url_for(f"round_documents.{page}", example=1, **args),
        has_example=example_payload(get_type(doc_type)) is not None,
        draft_key=f"round-{round_.id}-{page}" + (f"-{stt}" if stt is not None else ""),
        refused=refused,
    )
    return html, status


def _show(page: str, round_id: int, stt: int | None = None) -> tuple[str, int]:
    round_ = _round(round_id)
    note(doc_type=PAGES[page][0])
    if stt is not None:
        unit = round_.unit(stt)
        if unit["mode"] != ON_SITE:
            refusal = UnitNotOnSiteError(unit["stt"], unit["name"])
            return _render(page, round_, (), {}, "blank", stt=stt, status=refusal.status,
                           errors=[FieldError("$", str(refusal), refusal.code)], refused=True)
    spec = page_spec(page, round_)
    data, source = prefill(page, round_, stt, example=bool(request.args.get("example")))
    return _render(page, round_, spec, formgen.from_payload(spec, data), source, stt=stt)


def _produce(page: str, round_id: int, work: Callable[[RoundView, dict[str, Any]], Response],
             stt: int | None = None) -> Any:
    """Read the form, call ``work``; on an error the page again, filled as typed."""
    round_ = _round(round_id)
    note(doc_type=PAGES[page][0])
    if stt is not None:
        round_.unit(stt)  # 404 for a unit the round does not have
    spec = page_spec(page, round_)
    raw = formgen.collect(spec, request.form)
    problems: list[FieldError] = []
    payload = formgen.to_payload(spec, raw, problems)
    try:
        return work(round_, payload)
    except ValidationError as exc:
        errors = formgen.with_form_messages(form_errors(exc.errors, spec, round_, page),
                                            problems)
        total = exc.total + len(errors) - len(exc.errors)
        return _render(page, round_, spec, raw, "submitted", stt=stt, errors=errors,
                       status=422, more_errors=exc.more_line(), error_total=total)
    except InputError as exc:
        if isinstance(exc, RoundNotFoundError | RoundUnitNotFoundError):
            raise
        where = "_allow_incomplete" if isinstance(exc, RoundIncompleteError) else "$"
        return _render(page, round_, spec, raw, "submitted", stt=stt, status=exc.status,
                       errors=[FieldError(where, str(exc), exc.code)])


def _chosen(prefix: str, units: list[dict[str, Any]]) -> list[int]:
    return [u["stt"] for u in units if request.form.get(f"{prefix}.{u['stt']}")]


# --- the routes ---------------------------------------------------------------------------

@bp.get("/<int:round_id>/decision")
def decision(round_id: int) -> tuple[str, int]:
    return _show("decision", round_id)


@bp.post("/<int:round_id>/decision")
def decision_post(round_id: int) -> Any:
    return _produce("decision", round_id, lambda r, payload: round_documents.kept_document(
        "decision", r.id, payload, params=request.form, prefix="_"))


@bp.get("/<int:round_id>/plan")
def plan(round_id: int) -> tuple[str, int]:
    return _show("plan", round_id)


@bp.post("/<int:round_id>/plan")
def plan_post(round_id: int) -> Any:
    return _produce("plan", round_id, lambda r, payload: round_documents.kept_document(
        "plan", r.id, payload, params=request.form, prefix="_"))


@bp.get("/<int:round_id>/units/<int:stt>/minutes")
def minutes(round_id: int, stt: int) -> tuple[str, int]:
    return _show("minutes", round_id, stt)


@bp.post("/<int:round_id>/units/<int:stt>/minutes")
def minutes_post(round_id: int, stt: int) -> Any:
    def work(round_: RoundView, payload: dict[str, Any]) -> Response:
        unit = round_.unit(stt)
        payload["unit"] = {**(payload.get("unit") or {}), "name": unit["name"]}
        return round_documents.minutes(round_.id, stt, payload, params=request.form,
                                       prefix="_")
    return _produce("minutes", round_id, work, stt)


@bp.get("/<int:round_id>/letters")
def letters(round_id: int) -> tuple[str, int]:
    return _show("letters", round_id)


@bp.post("/<int:round_id>/letters")
def letters_post(round_id: int) -> Any:
    def work(round_: RoundView, payload: dict[str, Any]) -> Response:
        by_report = [u for u in round_.units if u["mode"] == BY_REPORT]
        body = {"letter": payload, "grouping": request.form.get("_grouping", "list"),
                "stt": _chosen("_unit", by_report)}
        return round_documents.letters(round_.id, body, params=request.form, prefix="_")
    return _produce("letters", round_id, work)


@bp.get("/<int:round_id>/notices")
def notices(round_id: int) -> tuple[str, int]:
    return _show("notices", round_id)


@bp.post("/<int:round_id>/notices")
def notices_post(round_id: int) -> Any:
    def work(round_: RoundView, payload: dict[str, Any]) -> Response:
        with_minutes = [u for u in round_.units
                        if u["mode"] == ON_SITE and u["minutes"] is not None]
        chosen = _chosen("_include", with_minutes)
        units = [{"stt": u["stt"], "not_met": [
            a for a, _, _ in u["findings"] if request.form.get(f"_not_met.{u['stt']}.{a}")]}
            for u in with_minutes if u["stt"] in chosen]
        body = {"notice": payload, "stt": chosen, "units": units}
        return round_documents.notices(round_.id, body, params=request.form, prefix="_")
    return _produce("notices", round_id, work)


@bp.get("/<int:round_id>/report")
def report(round_id: int) -> tuple[str, int]:
    return _show("report", round_id)


@bp.post("/<int:round_id>/report")
def report_post(round_id: int) -> Any:
    return _produce("report", round_id, lambda r, payload: round_documents.report(
        r.id, payload, allow_incomplete=flag(request.form, "_allow_incomplete"),
        params=request.form, prefix="_"))
