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

import re
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, render_template, request, url_for

from docgen.catalog import example_payload, get_type
from docgen.errors import FieldError, InputError, ValidationError
from docgen.http import rounds as http_rounds
from docgen.http.access_log import note
from docgen.http.requests import flag, service
from docgen.rounds import workflow
from docgen.rounds.errors import (
    RoundIncompleteError,
    RoundNotFoundError,
    RoundUnitNotFoundError,
    UnitNotOnSiteError,
)
from docgen.rounds.models import BY_REPORT, ON_SITE
from docgen.schemas.common import MODES
from docgen.web import formgen, round_forms
from docgen.web.round_forms import PAGES, RoundView, form_errors, page_spec, prefill

bp = Blueprint("round_documents", __name__, url_prefix="/rounds", template_folder="templates")

#: The inputs the page adds to the schema's (names start with "_": never a payload path).
EXTRA_LABELS = {"_units": "Đơn vị", "_grouping": "Cách gửi",
                "_allow_incomplete": "Lập khi đợt kiểm tra chưa đủ kết quả"}


# --- the page -----------------------------------------------------------------------------

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
                                 if _checked(f"_not_met.{u['stt']}.{a}", False)},
                     # as typed after a refusal, else what the notice says by default
                     "points_text": request.form.get(f"_points.{u['stt']}",
                                                     "\n".join(u["points"])),
                     "general_text": request.form.get(f"_general.{u['stt']}",
                                                      u["conclusion"])}
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
    round_ = round_forms.load(http_rounds.session_factory(), round_id)
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
    round_ = round_forms.load(http_rounds.session_factory(), round_id)
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
    return _produce("decision", round_id, lambda r, payload: http_rounds.kept_document(
        "decision", r.id, payload, params=request.form, prefix="_"))


@bp.get("/<int:round_id>/plan")
def plan(round_id: int) -> tuple[str, int]:
    return _show("plan", round_id)


@bp.post("/<int:round_id>/plan")
def plan_post(round_id: int) -> Any:
    return _produce("plan", round_id, lambda r, payload: http_rounds.kept_document(
        "plan", r.id, payload, params=request.form, prefix="_"))


@bp.get("/<int:round_id>/units/<int:stt>/minutes")
def minutes(round_id: int, stt: int) -> tuple[str, int]:
    return _show("minutes", round_id, stt)


@bp.post("/<int:round_id>/units/<int:stt>/minutes")
def minutes_post(round_id: int, stt: int) -> Any:
    def work(round_: RoundView, payload: dict[str, Any]) -> Response:
        unit = round_.unit(stt)
        payload["unit"] = {**(payload.get("unit") or {}), "name": unit["name"]}
        return http_rounds.minutes(round_.id, stt, payload, params=request.form,
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
        return http_rounds.letters(round_.id, body, params=request.form, prefix="_")
    return _produce("letters", round_id, work)


def _notice_unit(unit: dict[str, Any]) -> dict[str, Any]:
    """One unit's own part of its notice, from the page: the aspects not met, the points to
    correct (one a line; none typed: "không ghi nhận điểm không phù hợp") and the general
    assessment (blank: the minutes' conclusion)."""
    stt = unit["stt"]
    own: dict[str, Any] = {"stt": stt, "not_met": [
        a for a, _, _ in unit["findings"] if request.form.get(f"_not_met.{stt}.{a}")]}
    if f"_points.{stt}" in request.form:
        own["nonconformities"] = [
            {"content": line.strip(" -–—•;")} for line in
            request.form[f"_points.{stt}"].splitlines() if line.strip(" -–—•;")]
    general = request.form.get(f"_general.{stt}", "").strip()
    if general:
        own["general"] = general
    return own


@bp.get("/<int:round_id>/notices")
def notices(round_id: int) -> tuple[str, int]:
    return _show("notices", round_id)


@bp.post("/<int:round_id>/notices")
def notices_post(round_id: int) -> Any:
    def work(round_: RoundView, payload: dict[str, Any]) -> Response:
        with_minutes = [u for u in round_.units
                        if u["mode"] == ON_SITE and u["minutes"] is not None]
        chosen = _chosen("_include", with_minutes)
        units = [_notice_unit(u) for u in with_minutes if u["stt"] in chosen]
        body = {"notice": payload, "stt": chosen, "units": units}
        return http_rounds.notices(round_.id, body, params=request.form, prefix="_")
    return _produce("notices", round_id, work)


@bp.get("/<int:round_id>/report")
def report(round_id: int) -> tuple[str, int]:
    return _show("report", round_id)


@bp.post("/<int:round_id>/report")
def report_post(round_id: int) -> Any:
    return _produce("report", round_id, lambda r, payload: http_rounds.report(
        r.id, payload, allow_incomplete=flag(request.form, "_allow_incomplete"),
        params=request.form, prefix="_"))
