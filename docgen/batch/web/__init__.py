"""The clerks' upload page: send a CSV/XLSX, watch the progress, fetch the ZIP.

    GET  /batch                   the upload form (type, file, shared values, merge)
    POST /batch                   queue the job -> 303 to its page
    GET  /batch/<id>              progress bar (polls …/status each second), links when done
    GET  /batch/<id>/status       the job as JSON (as GET /api/v1/jobs/<id>)
    POST /batch/<id>/cancel       cancel -> back to the page
    GET  /batch/<id>/result       the ZIP;  GET /batch/<id>/errors  errors.csv
    GET  /batch/template/<type>   the .xlsx header template

Like the document form, these pages need no API key; the job id (128 random
bits) is what lets a browser see a job, so a reload or a bookmark finds it
again. Registered by :mod:`docgen.api.batches` (``bp.record_once``); the only
Flask code of :mod:`docgen.batch`.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, redirect, render_template, request, url_for

from docgen.catalog import DOCUMENT_TYPES, get_type
from docgen.errors import DocgenError, ValidationError

bp = Blueprint("batch_web", __name__, url_prefix="/batch", template_folder="templates",
               static_folder="static", static_url_path="/static")


def _api() -> Any:
    from docgen.api import batches

    return batches


@bp.get("")
def upload_page() -> str:
    chosen = request.args.get("type", "minutes")
    return render_template("batch/upload.html", types=list(DOCUMENT_TYPES.values()),
                           chosen=chosen if chosen in DOCUMENT_TYPES else "minutes",
                           error=None, field_errors=[])


@bp.post("")
def upload() -> Any:
    api = _api()
    doc_type = request.form.get("type", "")
    try:
        kind = get_type(doc_type)
        api.limit_upload()
        with api.upload_limit_named():
            upload, form = request.files.get("file"), request.form
        job = api.submit_upload(kind.id, upload, form, {})
    except DocgenError as exc:
        if exc.status >= 500:
            raise
        html = render_template(
            "batch/upload.html", types=list(DOCUMENT_TYPES.values()),
            chosen=doc_type if doc_type in DOCUMENT_TYPES else "minutes", error=exc.message,
            field_errors=exc.errors if isinstance(exc, ValidationError) else [])
        return html, exc.status
    return redirect(url_for("batch_web.job_page", job_id=job.id), 303)


@bp.get("/<job_id>")
def job_page(job_id: str) -> str:
    api = _api()
    job = api.jobs().get(job_id)
    return render_template("batch/job.html", job=job, body=api.job_body(job, web=True),
                           kind=get_type(job.doc_type))


@bp.get("/<job_id>/status")
def job_status(job_id: str) -> dict[str, Any]:
    api = _api()
    return api.job_body(api.jobs().get(job_id), web=True)  # type: ignore[no-any-return]


@bp.post("/<job_id>/cancel")
def cancel_job(job_id: str) -> Any:
    _api().jobs().cancel(job_id)
    if request.accept_mimetypes.best == "application/json":
        return job_status(job_id)
    return redirect(url_for("batch_web.job_page", job_id=job_id), 303)


@bp.get("/<job_id>/result")
def job_result(job_id: str) -> Response:
    api = _api()
    job = api.jobs().get(job_id)
    return api._file_response(api.jobs().result_path(job_id), api.ZIP_MEDIA_TYPE,  # type: ignore[no-any-return]
                              api.result_filename(job))


@bp.get("/<job_id>/errors")
def job_errors(job_id: str) -> Response:
    api = _api()
    return api._file_response(api.jobs().errors_path(job_id), "text/csv",  # type: ignore[no-any-return]
                              "errors.csv")


@bp.get("/template/<doc_type>")
def template(doc_type: str) -> Response:
    return _api().template_response(doc_type, False)  # type: ignore[no-any-return]
