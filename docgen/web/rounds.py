"""The rounds' pages: every round (``/rounds``), one round's dashboard (``/rounds/<id>``),
a new round (``/rounds/new``) and a round's edit page (``/rounds/<id>/edit``).

The dashboard shows the units by mode and status, the progress (minutes, reports received,
overdue units, notices, corrections), the documents issued with their register numbers,
the units (filtered by mode, status, overdue, name; exported as Excel or CSV with the same
filters) and the audit log. Its forms — the due date, a by-report unit's report (date,
self-assessment per aspect, remarks, files), a not-inspected mark, corrections reported,
deleting a draft round — are page POSTs: behind the pages' login and the CSRF token, like
every page form (:mod:`docgen.http.csrf`). They call :mod:`docgen.rounds.workflow`, the same
functions as the API and ``docgen round``; each is logged with the page's login.

``/rounds/new`` makes a round two ways: the issuer (the agency block, its fields generated
from :class:`~docgen.rounds.store.NewRoundSchema` by :mod:`docgen.web.formgen`), year, title
and due date with the unit list as a CSV or XLSX file (:mod:`docgen.rounds.units_file`, the
reader of the API and the CLI), or a ``plan`` payload (.json) with the due date and the
integrated units. ``/rounds/<id>/edit`` changes the title, the due date, each unit's own due
date, and replaces the unit list with a file while nothing is numbered. An error comes back
as the page, filled as sent, the error named (a row of the file by its row and column); a
file input cannot be refilled by a server, so the page says to choose the file again.
"""

from __future__ import annotations

import dataclasses
import functools
from collections import defaultdict
from typing import Any

from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import NotFound

from docgen import jsonin
from docgen.errors import FieldError, InputError, ValidationError
from docgen.http.access_log import note
from docgen.http.actor import actor
from docgen.http.bodies import upload_view
from docgen.http.csrf import FIELD as CSRF_FIELD
from docgen.http.files import file_response
from docgen.register import EXTENSION, Register
from docgen.rounds import MAX_UNITS, audit, store, workflow
from docgen.rounds.errors import RoundNotFoundError
from docgen.rounds.units_file import UnitsFile, read_units_file, rows_named
from docgen.schemas.base import load_payload
from docgen.schemas.common import ASPECTS, MODES
from docgen.schemas.walk import describe_field
from docgen.vi.reading import InputError as TypedInputError
from docgen.vi.reading import read_date
from docgen.web import formgen

bp = Blueprint("rounds_web", __name__, url_prefix="/rounds", template_folder="templates")


def _register() -> Register:
    return current_app.extensions[EXTENSION]


@bp.get("")
def rounds_page() -> str:
    with _register().session_factory() as session:
        rows = workflow.list_rounds(session)
    return render_template("rounds.html", rounds=rows)


# --- a new round: from a unit list file, or from a plan --------------------------------------

#: The fields of the new-round form that are typed (the units come as a file).
NEW_FIELDS = ("issuer", "year", "title", "due_date")
EDIT_FIELDS = ("title", "due_date")
UNITS_ACCEPT = ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


#: The page's own hints where the schema's description is written for the API (English).
HINTS = {"issuer": "Cơ quan đứng tên báo cáo của đợt kiểm tra: các trường như khối cơ quan "
                   "ban hành của các văn bản.",
         "due_date": "Hạn các đơn vị kiểm tra qua báo cáo gửi báo cáo (dd/mm/yyyy); "
                     "không bắt buộc."}


@functools.cache
def _spec(schema: type, keys: tuple[str, ...]) -> tuple[formgen.Node, ...]:
    fields = schema().fields
    nodes = (formgen.node_for(describe_field(k, fields[k])) for k in keys)
    return tuple(dataclasses.replace(n, description=HINTS.get(n.key, n.description))
                 for n in nodes)


def new_spec() -> tuple[formgen.Node, ...]:
    return _spec(store.NewRoundSchema, NEW_FIELDS)


def edit_spec() -> tuple[formgen.Node, ...]:
    return _spec(workflow.RoundEditSchema, EDIT_FIELDS)


def _by_path(errors: list[FieldError]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for error in errors:
        found[error.path].append(error.message)
    return dict(found)


def _upload(name: str) -> FileStorage | None:
    upload = request.files.get(name)
    return upload if upload is not None and upload.filename else None


def _units_from(upload: FileStorage | None, *, required: bool) -> UnitsFile | None:
    """The unit list of an uploaded file; a file that cannot be read is an error on the
    ``units`` field (422 on the page), with the reader's code."""
    if upload is None:
        if not required:
            return None
        raise ValidationError([FieldError("units", "Hãy chọn tệp danh sách đơn vị (CSV hoặc "
                                                   "Excel .xlsx).", "required")])
    try:
        return read_units_file(upload.read(), upload.filename or "")
    except InputError as exc:
        raise ValidationError([FieldError("units", exc.message, exc.code)]) from exc


def _new_page(*, raw: formgen.RawTree | None = None, plan: dict[str, str] | None = None,
              errors: list[FieldError] | None = None, which: str = "",
              more: str = "", status: int = 200) -> tuple[str, int]:
    spec = new_spec()
    return render_template(
        "round_new.html", spec=spec, raw=raw or formgen.blank(spec), plan=plan or {},
        errors=_by_path(errors or []), error_list=errors or [], which=which, more=more,
        accept=UNITS_ACCEPT, max_units=MAX_UNITS, upload_max=_upload_max()), status


@bp.get("/new")
def new_page() -> tuple[str, int]:
    return _new_page()


@bp.post("/new")
@upload_view  # files: the upload limit holds from the first byte (CSRF reads the form)
def create() -> Any:
    """A round from the typed issuer, year, title, due date and the unit list file."""
    spec = new_spec()
    raw = formgen.collect(spec, request.form)
    problems: list[FieldError] = []
    payload = formgen.to_payload(spec, raw, problems)
    units_file: UnitsFile | None = None
    try:
        try:
            units_file = _units_from(_upload("units_file"), required=True)
        except ValidationError as exc:  # and what else is wrong, all in one answer
            raise ValidationError(exc.errors + _typed_errors(payload)) from exc
        assert units_file is not None
        with rows_named(units_file):
            round_ = store.create_round(_register().session_factory,
                                        {**payload, "units": units_file.units}, actor=actor())
    except ValidationError as exc:
        errors = formgen.with_form_messages(exc.errors, problems)
        return _new_page(raw=raw, errors=errors, which="units", more=exc.more_line(),
                         status=422)
    return redirect(url_for("rounds_web.round_page", round_id=round_.id, done="create"), 303)


def _typed_errors(payload: dict[str, Any]) -> list[FieldError]:
    """The errors of the typed fields of a new round (the unit list aside)."""
    try:
        load_payload(store.NewRoundSchema(), {**payload, "units": [
            {"name": "-", "mode": "on_site"}]})
    except ValidationError as exc:
        return [e for e in exc.errors if not e.path.startswith("units")]
    return []


#: The from-plan schema's paths -> the inputs of the plan form (the other form has a title
#: and a due date too: an error shows under the input it is about).
PLAN_PATHS = {"title": "plan_title", "due_date": "plan_due_date"}


def _plan_fields() -> dict[str, str]:
    return {k: request.form.get(k, "") for k in ("plan_title", "plan_due_date",
                                                 "plan_integrated", "_user")}


def _typed_date(text: str, path: str) -> str | None:
    """A date typed dd/mm/yyyy (or ISO) as ISO; blank is None."""
    if not text.strip():
        return None
    try:
        return read_date(text.strip()).isoformat()
    except TypedInputError as exc:
        raise ValidationError([FieldError(path, exc.message, exc.code)]) from exc


@bp.post("/new/from-plan")
@upload_view  # files: the upload limit holds from the first byte (CSRF reads the form)
def create_from_plan() -> Any:
    """A round from a plan payload (.json): its units, modes and dates; the plan kept."""
    fields = _plan_fields()
    try:
        upload = _upload("plan_file")
        if upload is None:
            raise ValidationError([FieldError("plan", "Hãy chọn tệp kế hoạch kiểm tra (.json, "
                                                      "dữ liệu của loại văn bản plan).",
                                              "required")])
        plan = jsonin.loads(upload.read(), where="plan")
        data: dict[str, Any] = {"plan": plan, "due_date": _typed_date(fields["plan_due_date"],
                                                                      "plan_due_date"),
                                "integrated": [line.strip() for line in
                                               fields["plan_integrated"].splitlines()
                                               if line.strip()]}
        if fields["plan_title"].strip():
            data["title"] = fields["plan_title"].strip()
        round_ = workflow.round_from_plan(current_app.extensions["docgen.renderer"],
                                          _register().session_factory, data, actor=actor())
    except ValidationError as exc:  # named by the plan form's own inputs
        errors = [FieldError(PLAN_PATHS.get(e.path, e.path), e.message, e.code)
                  for e in exc.errors]
        return _new_page(plan=fields, errors=errors, which="plan", more=exc.more_line(),
                         status=422)
    except InputError as exc:  # not JSON, not an object
        return _new_page(plan=fields, errors=[FieldError("plan", exc.message, exc.code)],
                         which="plan", status=422)
    return redirect(url_for("rounds_web.round_page", round_id=round_.id, done="create"), 303)


# --- editing a round ---------------------------------------------------------------------------

def _edit_page(round_id: int, *, raw: formgen.RawTree | None = None,
               unit_dates: dict[int, str] | None = None, errors: list[FieldError] | None = None,
               error: str = "", more: str = "", status: int = 200) -> tuple[str, int]:
    spec = edit_spec()
    with _register().session_factory() as session:
        board = workflow.dashboard(session, round_id)
        shown = store.round_dict(session, round_id)
    if raw is None:
        raw = formgen.from_payload(spec, {"title": board["title"],
                                          "due_date": board["due_date"]})
    if unit_dates is None:
        unit_dates = {u["stt"]: _dd_mm(u["due_date"]) for u in shown["units"]}
    numbered = [d["symbol"] for d in board["documents"] if d["symbol"]]
    return render_template(
        "round_edit.html", board=board, units=shown["units"], spec=spec, raw=raw,
        unit_dates=unit_dates, errors=_by_path(errors or []), error_list=errors or [],
        error=error, more=more, numbered=numbered, modes=MODES, accept=UNITS_ACCEPT,
        max_units=MAX_UNITS, upload_max=_upload_max()), status


def _dd_mm(iso: str | None) -> str:
    if not iso:
        return ""
    year, month, day = iso.split("-")
    return f"{day}/{month}/{year}"


@bp.get("/<int:round_id>/edit")
def edit_page(round_id: int) -> tuple[str, int]:
    return _edit_page(round_id)


def _unit_dates_posted() -> dict[int, str]:
    found = {}
    for name, value in request.form.items():
        if name.startswith("unit_due.") and name[9:].isascii() and name[9:].isdigit() \
                and len(name) < 20:
            found[int(name[9:])] = value
    return found


@bp.post("/<int:round_id>/edit")
@upload_view  # files: the upload limit holds from the first byte (CSRF reads the form)
def edit(round_id: int) -> Any:
    """Title, due date, the units' own due dates; or a new unit list from a file."""
    spec = edit_spec()
    raw = formgen.collect(spec, request.form)
    posted = _unit_dates_posted()
    problems: list[FieldError] = []
    payload = formgen.to_payload(spec, raw, problems)
    payload.setdefault("due_date", None)
    try:
        units_file = _units_from(_upload("units_file"), required=False)
        if units_file is not None:  # the file's due_date column, if any, sets the units'
            payload["units"] = units_file.units
        else:
            dates: list[dict[str, Any]] = []
            bad: list[FieldError] = []
            for stt, text in sorted(posted.items()):
                try:
                    dates.append({"stt": stt, "due_date": _typed_date(text, f"unit_due.{stt}")})
                except ValidationError as exc:
                    bad.extend(FieldError(e.path, f"STT {stt}: {e.message}", e.code)
                               for e in exc.errors)
            if bad:
                raise ValidationError(bad)
            if dates:
                payload["unit_due_dates"] = dates
        with rows_named(units_file):
            workflow.update_round(_register().session_factory, round_id, payload,
                                  actor=actor())
    except ValidationError as exc:
        errors = formgen.with_form_messages(exc.errors, problems)
        return _edit_page(round_id, raw=raw, unit_dates=posted, errors=errors,
                          more=exc.more_line(), status=422)
    except InputError as exc:
        if isinstance(exc, RoundNotFoundError):
            raise
        # 409 round_numbered / unit_has_records: the page, filled, with the message
        return _edit_page(round_id, raw=raw, unit_dates=posted, error=exc.message,
                          errors=[FieldError("units", exc.message, exc.code)],
                          status=exc.status)
    return redirect(url_for("rounds_web.round_page", round_id=round_id,
                            done="units" if units_file is not None else "edit"), 303)


def _query() -> dict[str, Any]:
    return {k: v for k in ("mode", "status", "overdue", "q")
            if (v := request.args.get(k, "").strip())}


def _page(round_id: int, *, error: str = "", errors: list[Any] | None = None,
          done: str = "", status: int = 200, action: str = "",
          posted: dict[str, str] | None = None) -> tuple[str, int]:
    """The dashboard; after a refused action, that action's form filled with what was sent
    (``action``, ``posted``) and open, so nothing typed is lost."""
    try:
        filters = workflow.DashboardFilters.parse(request.args)
    except ValidationError as exc:
        filters, error = workflow.DashboardFilters(), exc.errors[0].message
    with _register().session_factory() as session:
        board = workflow.dashboard(session, round_id, filters)
    upload_max = _upload_max()
    return render_template(
        "round.html", board=board, query=_query(), modes=MODES, aspects=ASPECTS,
        statuses=workflow.STATUS_WORDS, overdue_words=workflow.OVERDUE_WORDS,
        actions=audit.ACTIONS, error=error, errors=errors or [], done=done,
        action=action, posted=posted or {}, upload_max=upload_max,
        upload_mb=_megabytes(upload_max), max_bytes=workflow.MAX_ATTACHMENT_BYTES,
        max_mb=workflow.MAX_ATTACHMENT_BYTES // (1024 * 1024),
        types=", ".join(sorted(workflow.ATTACHMENT_TYPES)),
        units=_all_units(round_id)), status


def _upload_max() -> int:
    """What one page post with files may carry (``DOCGEN_BATCH_MAX_UPLOAD_BYTES``), for the
    pages' check before sending (static/upload-limit.js)."""
    return int(current_app.config["DOCGEN"].batch_max_upload_bytes)


def _megabytes(size: int) -> str:
    """``size`` in MB as a clerk reads it: 20, 2,5."""
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0").replace(".", ",")


def _all_units(round_id: int) -> list[dict[str, Any]]:
    with _register().session_factory() as session:
        return store.round_dict(session, round_id)["units"]


@bp.get("/<int:round_id>")
def round_page(round_id: int) -> tuple[str, int]:
    done = request.args.get("done", "")
    return _page(round_id, done=done if done in audit.ACTIONS else "")


@bp.get("/<int:round_id>/export.<fmt>")
def export(round_id: int, fmt: str) -> Response:
    if fmt not in ("csv", "xlsx"):
        raise NotFound()
    note(format=fmt)
    filters = workflow.DashboardFilters.parse(request.args)
    with _register().session_factory() as session:
        board = workflow.dashboard(session, round_id, filters)
    content, media = workflow.export_units(board, fmt)
    return file_response(content, media, f"dot-kiem-tra-{round_id}.{fmt}")


@bp.get("/<int:round_id>/attachments/<int:attachment_id>")
def attachment(round_id: int, attachment_id: int) -> Response:
    """A unit's attached file: behind the pages' login, like the register's files."""
    with _register().session_factory() as session:
        found = workflow.attachment(session, round_id, attachment_id)
        response = file_response(found.content, found.media_type, found.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _act(round_id: int, action: str, work: Any) -> Any:
    """Run a form's action; back to the dashboard with its result, or the page with the
    Vietnamese error (422/404/409), never a 500."""
    posted = {k: v for k, v in request.form.items() if k != CSRF_FIELD}
    try:
        work()
    except ValidationError as exc:
        return _page(round_id, error=str(exc), errors=exc.errors, status=422, action=action,
                     posted=posted)
    except InputError as exc:
        if isinstance(exc, RoundNotFoundError):
            raise
        return _page(round_id, error=str(exc), status=exc.status, action=action,
                     posted=posted)
    return redirect(url_for("rounds_web.round_page", round_id=round_id, done=action), 303)


def _stt() -> int:
    value = request.form.get("stt", "").strip()
    if not (value.isascii() and value.isdigit()) or len(value) > 9:
        raise ValidationError([FieldError("stt", "Hãy chọn đơn vị.", "required")])
    return int(value)


@bp.post("/<int:round_id>/due-date")
def due_date(round_id: int) -> Any:
    value = request.form.get("due_date", "").strip() or None
    return _act(round_id, "edit", lambda: workflow.update_round(
        _register().session_factory, round_id, {"due_date": value}, actor=actor()))


@bp.post("/<int:round_id>/submission")
@upload_view  # files: the upload limit holds from the first byte (CSRF reads the form)
def submission(round_id: int) -> Any:
    def work() -> None:
        data = {"received_on": request.form.get("received_on", "").strip(),
                "remarks": request.form.get("remarks", ""),
                "assessments": [{"aspect": aspect, "content": text}
                                for aspect in ASPECTS
                                if (text := request.form.get(f"aspect_{aspect}", "").strip())]}
        uploads = [workflow.Upload(f.filename or "tep", f.read())
                   for f in request.files.getlist("attachments") if f.filename]
        workflow.record_submission(_register().session_factory, round_id, _stt(), data,
                                   uploads, actor=actor())
    return _act(round_id, "submission", work)


@bp.post("/<int:round_id>/not-inspected")
def not_inspected(round_id: int) -> Any:
    return _act(round_id, "not_inspected", lambda: store.mark_not_inspected(
        _register().session_factory, round_id, _stt(),
        {"reason": request.form.get("reason", "")}, actor=actor()))


@bp.post("/<int:round_id>/corrections")
def corrections(round_id: int) -> Any:
    return _act(round_id, "corrections", lambda: workflow.record_corrections(
        _register().session_factory, round_id, _stt(),
        {"reported_on": request.form.get("reported_on", "").strip(),
         "note": request.form.get("note", "")}, actor=actor()))


@bp.post("/<int:round_id>/delete")
def delete(round_id: int) -> Any:
    try:
        workflow.delete_round(_register().session_factory, round_id, actor=actor())
    except InputError as exc:
        if isinstance(exc, RoundNotFoundError):
            raise
        return _page(round_id, error=str(exc), status=exc.status)
    return redirect(url_for("rounds_web.rounds_page"), 303)
