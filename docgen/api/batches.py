"""Batches and jobs: ``POST /api/v1/batches/<type>`` -> 202 + a job; follow it, fetch the ZIP.

    POST /api/v1/batches/minutes        multipart: file=units.xlsx [defaults=…json] [merge=1]
                                        or JSON: [payload, …] / {"rows": [...], "defaults": {...}}
      -> 202 {"id": …, "state": "queued", …}, Location: /api/v1/jobs/<id>
    GET  /api/v1/jobs/<id>              state, rows done/total, errors so far, links
    POST /api/v1/jobs/<id>/cancel       stop it (a queued job never starts)
    GET  /api/v1/jobs/<id>/result       the ZIP (409 until done)
    GET  /api/v1/jobs/<id>/errors       errors.csv, also while running
    GET  /api/v1/batches/<type>/template   the .xlsx header template

Input that cannot work (an unreadable or empty file, headers naming no field,
too many rows) is refused at once — 400, 413, 422 — before a job exists. The
upload limit is ``DOCGEN_BATCH_MAX_UPLOAD_BYTES`` here, not the JSON one.

Registering ``bp`` also registers the clerks' upload page (:mod:`docgen.batch.web`)
and creates the app's :class:`~docgen.jobs.Jobs` (``app.extensions["docgen.jobs"]``).
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import marshmallow as ma
from flask import Flask, Response, current_app, request, send_file, url_for
from flask.blueprints import BlueprintSetupState
from flask_smorest import Blueprint
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge, UnsupportedMediaType

from docgen.api.access_log import note
from docgen.api.documents import content_disposition
from docgen.api.openapi import SECURITY, problem_ref, request_id_header
from docgen.api.problems import PROBLEM_BASE, PROBLEM_MEDIA_TYPE
from docgen.catalog import DOCUMENT_TYPES, get_type
from docgen.config import Settings
from docgen.errors import PayloadTooLargeError, UnreadableInputError, UnsupportedFormatError
from docgen.jobs import Job, Jobs

bp = Blueprint(
    "batches", __name__, url_prefix="/api/v1",
    description="Tạo hàng loạt từ CSV/Excel hoặc danh sách JSON, chạy nền — batch jobs.",
)

ZIP_MEDIA_TYPE = "application/zip"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OPTION_NAMES = ("encoding", "delimiter", "sheet", "pattern", "format", "webhook")
#: What each row becomes: a Word file, or a PDF through the LibreOffice pool.
BATCH_FORMATS = ("docx", "pdf")
TRUE_WORDS = {"1", "true", "yes", "on", "có"}


def _init(state: BlueprintSetupState) -> None:
    app = state.app
    settings: Settings = app.config["DOCGEN"]
    jobs = Jobs(settings)
    app.extensions["docgen.jobs"] = jobs
    atexit.register(jobs.close)
    from docgen.batch.web import bp as web_bp

    app.register_blueprint(web_bp)


bp.record_once(_init)


def jobs() -> Jobs:
    return current_app.extensions["docgen.jobs"]  # type: ignore[no-any-return]


def jobs_of(app: Flask) -> Jobs:
    return app.extensions["docgen.jobs"]  # type: ignore[no-any-return]


# -- the job as the API shows it ------------------------------------------------------


def _iso(moment: float | None) -> str | None:
    if moment is None:
        return None
    return dt.datetime.fromtimestamp(moment, dt.UTC).isoformat(timespec="seconds")


def job_body(job: Job, *, web: bool = False) -> dict[str, Any]:
    """The job as JSON: the same for the API and the upload page's polling."""
    prefix = "batch_web." if web else "batches."
    links = {"self": url_for(f"{prefix}job_status", job_id=job.id),
             "page": url_for("batch_web.job_page", job_id=job.id),
             "errors": url_for(f"{prefix}job_errors", job_id=job.id)}
    if not job.state.final:
        links["cancel"] = url_for(f"{prefix}cancel_job", job_id=job.id)
    if job.state == "done":
        links["result"] = url_for(f"{prefix}job_result", job_id=job.id)
    return {
        "id": job.id,
        "type": job.doc_type,
        "state": str(job.state),
        "state_title": job.state.label,
        "backend": job.backend,
        "source": job.source,
        "rows": {"total": job.total, "done": job.done, "ok": job.ok, "failed": job.failed,
                 "warnings": job.warnings},
        "rate": job.rate,
        "message": job.message,
        "error_code": job.error_code or None,
        "errors": job.errors,
        "error_count": job.error_count,
        "created_at": _iso(job.created_at),
        "started_at": _iso(job.started_at),
        "finished_at": _iso(job.finished_at),
        "expires_at": _iso(job.expires_at),
        "links": links,
    }


class RowsSchema(ma.Schema):
    total = ma.fields.Integer(metadata={"description": "Data rows in the input."})
    done = ma.fields.Integer(metadata={"description": "Rows handled so far."})
    ok = ma.fields.Integer(metadata={"description": "Documents made."})
    failed = ma.fields.Integer(metadata={"description": "Rows refused (see errors)."})
    warnings = ma.fields.Integer()


class RowErrorSchema(ma.Schema):
    class Meta:
        ordered = True

    row = ma.fields.Integer(metadata={"description": "Row as Excel numbers it (header = 1); "
                                                     "for a JSON list, the item from 1."})
    column = ma.fields.String(metadata={"description": "Column letter, when the sheet has it."})
    header = ma.fields.String(metadata={"description": "Column header as the sheet has it "
                                                       "(or would have it)."})
    path = ma.fields.String(metadata={"description": "JSON path of the field."})
    message = ma.fields.String(metadata={"description": "Vietnamese message."})
    code = ma.fields.String()


class JobLinksSchema(ma.Schema):
    self = ma.fields.String()
    page = ma.fields.String(metadata={"description": "The web page following this job."})
    errors = ma.fields.String(metadata={"description": "errors.csv so far."})
    cancel = ma.fields.String(metadata={"description": "POST to cancel (while not final)."})
    result = ma.fields.String(metadata={"description": "The ZIP (when done)."})


class JobSchema(ma.Schema):
    class Meta:
        ordered = True

    id = ma.fields.String(metadata={"example": "3f2b9c0e5d7a4e1f9a8b7c6d5e4f3a2b"})
    type = ma.fields.String(metadata={"example": "minutes"})
    state = ma.fields.String(metadata={"enum": ["queued", "running", "done", "failed",
                                                "cancelled"]})
    state_title = ma.fields.String(metadata={"example": "Đang tạo văn bản"})
    backend = ma.fields.String(metadata={"enum": ["local", "celery"]})
    source = ma.fields.String(metadata={"example": "units.xlsx"})
    rows = ma.fields.Nested(RowsSchema)
    rate = ma.fields.Float(metadata={"description": "Rows per second."})
    message = ma.fields.String(metadata={"description": "Summary when done, reason when failed."})
    error_code = ma.fields.String(allow_none=True)
    errors = ma.fields.List(ma.fields.Nested(RowErrorSchema),
                            metadata={"description": "The first 100 row errors."})
    error_count = ma.fields.Integer()
    created_at = ma.fields.String(allow_none=True)
    started_at = ma.fields.String(allow_none=True)
    finished_at = ma.fields.String(allow_none=True)
    expires_at = ma.fields.String(allow_none=True,
                                  metadata={"description": "Result deleted after this."})
    links = ma.fields.Nested(JobLinksSchema)


# -- reading the request -----------------------------------------------------------------


def _flag(value: Any) -> bool:
    return isinstance(value, bool) and value or str(value).strip().lower() in TRUE_WORDS


def _defaults_from_form() -> Any:
    upload = request.files.get("defaults")
    try:
        text = upload.read().decode("utf-8-sig") if upload and upload.filename else \
            request.form.get("defaults", "")
    except UnicodeDecodeError as exc:
        raise UnreadableInputError("Tệp giá trị chung (defaults) không phải văn bản UTF-8.") \
            from exc
    if not text.strip():
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UnreadableInputError(
            f"Giá trị chung (defaults) không phải JSON hợp lệ: dòng {exc.lineno}, cột {exc.colno}."
        ) from exc
    except RecursionError as exc:
        raise UnreadableInputError("Giá trị chung (defaults) lồng nhau quá sâu.") from exc


def _options(source: Any) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for name in OPTION_NAMES:
        value = source.get(name)
        if value in (None, ""):
            continue
        if not isinstance(value, str):
            raise UnreadableInputError(f"Tùy chọn '{name}' phải là một chuỗi.")
        options[name] = value
    if source.get("merge") is not None:
        options["merge"] = _flag(source.get("merge"))
    fmt = options.get("format", "docx")
    if fmt not in BATCH_FORMATS:
        raise UnsupportedFormatError(fmt, list(BATCH_FORMATS))
    if fmt != "docx" and options.get("merge"):
        raise UnsupportedFormatError(
            f"{fmt} + merge", ["merge với format=docx (merged.docx gộp các tệp Word)"])
    return options


def submit_upload(doc_type: str, upload: FileStorage | None, form: Any, args: Any) -> Job:
    """Queue a job from a multipart upload (shared by the API and the web page)."""
    if upload is None or not upload.filename:
        raise UnreadableInputError("Thiếu tệp: gửi tệp CSV hoặc Excel trong trường 'file'.")
    options = {**_options(args), **_options(form)}
    return jobs().submit_sheet(doc_type, upload.stream, upload.filename,
                               defaults=_defaults_from_form(), options=options)


def limit_upload() -> None:
    """Uploads may be larger than JSON bodies (``DOCGEN_BATCH_MAX_UPLOAD_BYTES``)."""
    settings: Settings = current_app.config["DOCGEN"]
    request.max_content_length = settings.batch_max_upload_bytes


@contextlib.contextmanager
def upload_limit_named() -> Iterator[None]:
    """A 413 that states the batch limit, not the JSON body limit."""
    try:
        yield
    except RequestEntityTooLarge as exc:
        limit = current_app.config["DOCGEN"].batch_max_upload_bytes
        raise PayloadTooLargeError(
            f"Tệp gửi lên vượt giới hạn {limit:,} byte (DOCGEN_BATCH_MAX_UPLOAD_BYTES)."
            .replace(",", ".")
        ) from exc


def _submit_json(doc_type: str) -> Job:
    try:
        body = request.get_json()
    except BadRequest as exc:
        raise UnreadableInputError("Nội dung gửi lên không phải JSON hợp lệ.") from exc
    except RecursionError as exc:
        raise UnreadableInputError("Nội dung JSON lồng nhau quá sâu.") from exc
    defaults = None
    options = _options(request.args)
    if isinstance(body, dict) and "rows" in body:
        defaults = body.get("defaults")
        options.update(_options(body))
        body = body["rows"]
    return jobs().submit_payloads(doc_type, body, defaults=defaults, options=options)


def _accepted(job: Job) -> tuple[dict[str, Any], int, dict[str, str]]:
    location = url_for("batches.job_status", job_id=job.id)
    return job_body(job), 202, {"Location": location,
                                "Retry-After": "1"}


# -- OpenAPI descriptions ---------------------------------------------------------------

_TYPE_PARAMETER = {"in": "path", "name": "doc_type", "required": True,
                   "description": "Document type id.",
                   "schema": {"type": "string", "enum": list(DOCUMENT_TYPES)}}
_JOB_PARAMETER = {"in": "path", "name": "job_id", "required": True,
                  "description": "Job id (32 hex digits), from the 202 answer.",
                  "schema": {"type": "string", "pattern": "^[0-9a-f]{32}$"}}
_OPTION_PROPERTIES = {
    "webhook": {"type": "string", "format": "uri",
                "description": "Called (POST, JSON, signed `X-Docgen-Signature: sha256=…`) "
                               "when the job ends; must start with a `DOCGEN_WEBHOOK_ALLOW` "
                               "prefix (422 on `webhook` otherwise)."},
    "defaults": {"type": "string", "format": "binary",
                 "description": "Shared values: a JSON partial payload (file or text), "
                                "merged under every row."},
    "merge": {"type": "boolean", "description": "Also put merged.docx (every document, "
                                                "in order, a page each) into the ZIP."},
    "pattern": {"type": "string", "description": "File name pattern, "
                                                 "e.g. `{stt:03d}-{unit_name}`."},
    "format": {"type": "string", "enum": list(BATCH_FORMATS), "default": "docx",
               "description": "Each row as .docx, or as .pdf through the LibreOffice pool "
                              "(not with `merge`)."},
    "encoding": {"type": "string", "description": "CSV encoding (utf-8, cp1258, utf-16); "
                                                  "detected when absent."},
    "delimiter": {"type": "string", "description": "CSV delimiter: `,`, `;` or `tab`."},
    "sheet": {"type": "string", "description": "XLSX sheet with the rows."},
}
_CREATE_DOC = {
    "summary": "Start a batch: CSV/XLSX upload or a JSON list -> a job",
    "description": (
        "One document per row. Headers are field names (`signer.full_name`, "
        "`members[0].full_name`) or Vietnamese labels (`Người ký.Họ và tên người ký`, "
        "`Thành viên Đoàn kiểm tra 1.Họ và tên`); see the README, *Batch generation*. "
        "Bad rows do not stop the batch: they are listed in errors.csv. Answers 202 with "
        "the job and `Location`; follow it with `GET /api/v1/jobs/{job_id}`."
    ),
    "security": SECURITY,
    "parameters": [_TYPE_PARAMETER],
    "requestBody": {"required": True, "content": {
        "multipart/form-data": {"schema": {
            "type": "object", "required": ["file"],
            "properties": {"file": {"type": "string", "format": "binary",
                                    "description": ".csv or .xlsx, header in the first row."},
                           **_OPTION_PROPERTIES}}},
        "application/json": {"schema": {"oneOf": [
            {"type": "array", "items": {"type": "object"},
             "description": "The payloads, as POST /documents/{type} takes them."},
            {"type": "object", "required": ["rows"], "properties": {
                "rows": {"type": "array", "items": {"type": "object"}},
                "defaults": {"type": "object"}, "merge": {"type": "boolean"},
                "pattern": {"type": "string"}, "webhook": _OPTION_PROPERTIES["webhook"],
                "format": {"type": "string", "enum": list(BATCH_FORMATS)}}},
        ]}},
    }},
    "responses": {str(s): problem_ref(s) for s in (400, 401, 404, 406, 413, 415, 422, 503)},
}


def _file_response(path: Path, media_type: str, filename: str) -> Response:
    response = send_file(path, mimetype=media_type, conditional=True, max_age=0)
    response.headers["Content-Disposition"] = content_disposition(filename)
    return response


def result_filename(job: Job) -> str:
    stem = Path(job.source).stem if job.source and job.source != "JSON" else job.doc_type
    return f"{stem}-{job.id[:8]}.zip"


# -- views -------------------------------------------------------------------------------


@bp.route("/batches/<doc_type>", methods=["POST"], endpoint="create_batch")
@bp.response(202, JobSchema, description="Queued: the job, with `Location` to follow.",
             headers={"Location": {"description": "The job's URL.",
                                   "schema": {"type": "string"}},
                      "X-Request-ID": request_id_header()})
@bp.doc(**_CREATE_DOC)
def create_batch(doc_type: str) -> Any:
    """Start a batch job"""
    note(doc_type=doc_type)
    kind = get_type(doc_type)
    limit_upload()
    if request.mimetype == "multipart/form-data":
        with upload_limit_named():
            upload, form = request.files.get("file"), request.form
        job = submit_upload(kind.id, upload, form, request.args)
    elif request.is_json:
        with upload_limit_named():
            job = _submit_json(kind.id)
    else:
        raise UnsupportedMediaType()
    return _accepted(job)


@bp.route("/batches/<doc_type>/template", methods=["GET"], endpoint="batch_template",
          parameters=[_TYPE_PARAMETER])
@bp.doc(security=SECURITY, responses={
    "200": {"description": "An .xlsx with exactly the columns the type accepts, an example "
                           "row and a sheet 'chung' for shared values.",
            "content": {XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}}},
    "404": problem_ref(404), "401": problem_ref(401)})
def batch_template(doc_type: str) -> Response:
    """The spreadsheet template of a type"""
    return template_response(doc_type, request.args.get("names") is not None)


def template_response(doc_type: str, names: bool) -> Response:
    from docgen.batch import write_template

    kind = get_type(doc_type)
    with tempfile.TemporaryDirectory() as tmp:
        path = write_template(kind.id, Path(tmp) / "template.xlsx",
                              style="name" if names else "label")
        content = path.read_bytes()
    response = Response(content, mimetype=XLSX_MEDIA_TYPE)
    response.headers["Content-Disposition"] = content_disposition(f"mau-{kind.id}.xlsx")
    return response


@bp.route("/jobs/<job_id>", methods=["GET"], endpoint="job_status",
          parameters=[_JOB_PARAMETER])
@bp.response(200, JobSchema)
@bp.doc(security=SECURITY, responses={"404": problem_ref(404), "401": problem_ref(401)})
def job_status(job_id: str) -> dict[str, Any]:
    """A job's state and progress"""
    return job_body(jobs().get(job_id))


@bp.route("/jobs/<job_id>/cancel", methods=["POST"], endpoint="cancel_job",
          parameters=[_JOB_PARAMETER])
@bp.response(202, JobSchema, description="Cancelling: a running job stops at its next row.")
@bp.doc(security=SECURITY, responses={"404": problem_ref(404), "401": problem_ref(401)})
def cancel_job(job_id: str) -> tuple[dict[str, Any], int]:
    """Cancel a job"""
    return job_body(jobs().cancel(job_id)), 202


_CONFLICT = {
    "description": "No result: the job is queued, running, failed or cancelled.",
    "headers": {"X-Request-ID": request_id_header()},
    "content": {PROBLEM_MEDIA_TYPE: {
        "schema": {"$ref": "#/components/schemas/Problem"},
        "example": {"type": PROBLEM_BASE + "job_not_finished", "title": "Việc chưa có kết quả",
                    "status": 409, "code": "job_not_finished",
                    "detail": "Việc '3f2b9c0e5d7a4e1f9a8b7c6d5e4f3a2b' chưa có kết quả để tải: "
                              "đang tạo văn bản."},
    }},
}
_DOWNLOAD_ERRORS = {"404": problem_ref(404), "401": problem_ref(401), "409": _CONFLICT}


@bp.route("/jobs/<job_id>/result", methods=["GET"], endpoint="job_result",
          parameters=[_JOB_PARAMETER])
@bp.doc(security=SECURITY, responses={
    "200": {"description": "The ZIP: one document per good row, errors.csv, summary.txt "
                           "(and merged.docx when asked).",
            "content": {ZIP_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}}},
    **_DOWNLOAD_ERRORS})
def job_result(job_id: str) -> Response:
    """Download a job's ZIP"""
    job = jobs().get(job_id)
    return _file_response(jobs().result_path(job_id), ZIP_MEDIA_TYPE, result_filename(job))


@bp.route("/jobs/<job_id>/errors", methods=["GET"], endpoint="job_errors",
          parameters=[_JOB_PARAMETER])
@bp.doc(security=SECURITY, responses={
    "200": {"description": "errors.csv (UTF-8 with BOM): row, column, header, field, "
                           "message, code.",
            "content": {"text/csv": {"schema": {"type": "string"}}}},
    **_DOWNLOAD_ERRORS})
def job_errors(job_id: str) -> Response:
    """Download a job's error report"""
    return _file_response(jobs().errors_path(job_id), "text/csv", "errors.csv")


__all__ = ["bp", "job_body", "jobs", "jobs_of", "submit_upload", "template_response"]
