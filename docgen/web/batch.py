"""The clerks' upload page: send a CSV/XLSX, watch the progress, fetch the ZIP.

    GET  /batch                   the upload form (type, file, shared values, merge)
    POST /batch                   queue the job -> 303 to its page
    GET  /batch/<id>              progress bar (polls …/status each second), links when done
    GET  /batch/<id>/status       the job as JSON (as GET /api/v1/jobs/<id>)
    POST /batch/<id>/cancel       cancel -> back to the page
    GET  /batch/<id>/result       the ZIP;  GET /batch/<id>/errors  errors.csv
    GET  /batch/template/<type>   the .xlsx header template

Like the document form, these pages need no API key, but a login when keys are
set (docgen.http.security), and their POSTs a CSRF token (docgen.http.csrf); the
job id (128 random bits) is what lets a browser see a job, so a reload or a
bookmark finds it again. They read uploads and answer files through :mod:`docgen.http.jobs`, as the
API does; registered by :func:`docgen.web.init_app`.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, redirect, render_template, request, url_for

from docgen.catalog import DOCUMENT_TYPES, get_type
from docgen.errors import DocgenError, ValidationError
from docgen.http import jobs as batch_http
from docgen.http.bodies import upload_view
from docgen.http.files import path_response

bp = Blueprint("batch_web", __name__, url_prefix="/batch")


@bp.get("")
def upload_page() -> str:
    chosen = request.args.get("type", "minutes")
    return render_template("batch/upload.html", types=list(DOCUMENT_TYPES.values()),
                           chosen=chosen if chosen in DOCUMENT_TYPES else "minutes",
                           error=None, field_errors=[])


@bp.post("")
@upload_view  # the upload limit holds from the first byte read (the CSRF check reads the form)
def upload() -> Any:
    doc_type = request.form.get("type", "")
    try:
        kind = get_type(doc_type)
        batch_http.limit_upload()
        with batch_http.upload_limit_named():
            upload, form = request.files.get("file"), request.form
        job = batch_http.submit_upload(kind.id, upload, form, {})
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
    job = batch_http.jobs().get(job_id)
    return render_template("batch/job.html", job=job, body=batch_http.job_body(job, web=True),
                           kind=get_type(job.doc_type))


@bp.get("/<job_id>/status")
def job_status(job_id: str) -> dict[str, Any]:
    return batch_http.job_body(batch_http.jobs().get(job_id), web=True)


@bp.post("/<job_id>/cancel")
def cancel_job(job_id: str) -> Any:
    batch_http.jobs().cancel(job_id)
    if request.accept_mimetypes.best == "application/json":
        return job_status(job_id)
    return redirect(url_for("batch_web.job_page", job_id=job_id), 303)


@bp.get("/<job_id>/result")
def job_result(job_id: str) -> Response:
    job = batch_http.jobs().get(job_id)
    return path_response(batch_http.jobs().result_path(job_id), batch_http.ZIP_MEDIA_TYPE,
                         batch_http.result_filename(job))


@bp.get("/<job_id>/errors")
def job_errors(job_id: str) -> Response:
    return path_response(batch_http.jobs().errors_path(job_id), "text/csv", "errors.csv")


@bp.get("/template/<doc_type>")
def template(doc_type: str) -> Response:
    return batch_http.template_response(doc_type, False)
