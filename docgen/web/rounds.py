"""The rounds' pages: every round (``/rounds``) and one round's dashboard (``/rounds/<id>``).

The dashboard shows the units by mode and status, the progress (minutes, reports received,
overdue units, notices, corrections), the documents issued with their register numbers,
the units (filtered by mode, status, overdue, name; exported as Excel or CSV with the same
filters) and the audit log. Its forms — the due date, a by-report unit's report (date,
self-assessment per aspect, remarks, files), a not-inspected mark, corrections reported,
deleting a draft round — are page POSTs: behind the pages' login and the CSRF token, like
every page form (:mod:`docgen.http.csrf`). They call :mod:`docgen.rounds.workflow`, the same
functions as the API and ``docgen round``; each is logged with the page's login.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for
from werkzeug.exceptions import NotFound

from docgen.errors import FieldError, InputError, ValidationError
from docgen.http.access_log import note
from docgen.http.actor import actor
from docgen.http.files import file_response
from docgen.register import EXTENSION, Register
from docgen.rounds import audit, store, workflow
from docgen.rounds.errors import RoundNotFoundError
from docgen.schemas.common import ASPECTS, MODES

bp = Blueprint("rounds_web", __name__, url_prefix="/rounds", template_folder="templates")


def _register() -> Register:
    return current_app.extensions[EXTENSION]


@bp.get("")
def rounds_page() -> str:
    with _register().session_factory() as session:
        rows = workflow.list_rounds(session)
    return render_template("rounds.html", rounds=rows)


def _query() -> dict[str, Any]:
    return {k: v for k in ("mode", "status", "overdue", "q")
            if (v := request.args.get(k, "").strip())}


def _page(round_id: int, *, error: str = "", errors: list[Any] | None = None,
          done: str = "", status: int = 200) -> tuple[str, int]:
    try:
        filters = workflow.DashboardFilters.parse(request.args)
    except ValidationError as exc:
        filters, error = workflow.DashboardFilters(), exc.errors[0].message
    with _register().session_factory() as session:
        board = workflow.dashboard(session, round_id, filters)
    return render_template(
        "round.html", board=board, query=_query(), modes=MODES, aspects=ASPECTS,
        statuses=workflow.STATUS_WORDS, overdue_words=workflow.OVERDUE_WORDS,
        actions=audit.ACTIONS, error=error, errors=errors or [], done=done,
        max_mb=workflow.MAX_ATTACHMENT_BYTES // (1024 * 1024),
        types=", ".join(sorted(workflow.ATTACHMENT_TYPES)),
        units=_all_units(round_id)), status


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
    try:
        work()
    except ValidationError as exc:
        return _page(round_id, error=str(exc), errors=exc.errors, status=422)
    except InputError as exc:
        if isinstance(exc, RoundNotFoundError):
            raise
        return _page(round_id, error=str(exc), status=exc.status)
    return redirect(url_for("rounds_web.round_page", round_id=round_id, done=action), 303)


def _stt() -> int:
    value = request.form.get("stt", "").strip()
    if not value.isdigit() or len(value) > 9:
        raise ValidationError([FieldError("stt", "Hãy chọn đơn vị.", "required")])
    return int(value)


@bp.post("/<int:round_id>/due-date")
def due_date(round_id: int) -> Any:
    value = request.form.get("due_date", "").strip() or None
    return _act(round_id, "edit", lambda: workflow.update_round(
        _register().session_factory, round_id, {"due_date": value}, actor=actor()))


@bp.post("/<int:round_id>/submission")
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
