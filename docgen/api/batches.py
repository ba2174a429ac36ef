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

The reading of uploads and the job's JSON are :mod:`docgen.http.jobs`, shared with the
clerks' upload page (:mod:`docgen.web.batch`); the app's :class:`~docgen.jobs.Jobs` comes
from :func:`docgen.jobs.init_app`.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import Response, request, url_for
from flask_smorest import Blueprint
from werkzeug.exceptions import UnsupportedMediaType

from docgen.api.openapi import SECURITY, problem_ref, request_id_header
from docgen.catalog import DOCUMENT_TYPES, get_type
from docgen.http.access_log import note
from docgen.http.files import path_response
from docgen.http.jobs import (
    BATCH_FORMATS,
    XLSX_MEDIA_TYPE,
    ZIP_MEDIA_TYPE,
    job_body,
    jobs,
    limit_upload,
    result_filename,
    submit_json,
    submit_upload,
    template_response,
    upload_limit_named,
)
from docgen.http.problems import PROBLEM_BASE, PROBLEM_MEDIA_TYPE
from docgen.jobs import Job

bp = Blueprint(
    "batches", __name__, url_prefix="/api/v1",
    description="Tạo hàng loạt từ CSV/Excel hoặc danh sách JSON, chạy nền — batch jobs.",
)



# -- the job as the API shows it ------------------------------------------------------


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
    "operationId": "create_batch",
    "summary": "Tạo hàng loạt từ CSV/Excel hoặc danh sách JSON — start a batch job",
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
            job = submit_json(kind.id)
    else:
        raise UnsupportedMediaType()
    return _accepted(job)


@bp.route("/batches/<doc_type>/template", methods=["GET"], endpoint="batch_template",
          parameters=[_TYPE_PARAMETER])
@bp.doc(operationId="get_batch_template", security=SECURITY, responses={
    "200": {"description": "An .xlsx with exactly the columns the type accepts, an example "
                           "row and a sheet 'chung' for shared values.",
            "content": {XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}}},
    "404": problem_ref(404), "401": problem_ref(401)})
def batch_template(doc_type: str) -> Response:
    """Tệp Excel mẫu của một loại văn bản — the spreadsheet template"""
    return template_response(doc_type, request.args.get("names") is not None)


@bp.route("/jobs/<job_id>", methods=["GET"], endpoint="job_status",
          parameters=[_JOB_PARAMETER])
@bp.response(200, JobSchema)
@bp.doc(operationId="get_job", security=SECURITY, responses={"404": problem_ref(404), "401": problem_ref(401)})
def job_status(job_id: str) -> dict[str, Any]:
    """Trạng thái và tiến độ của việc — a job's state and progress"""
    return job_body(jobs().get(job_id))


@bp.route("/jobs/<job_id>/cancel", methods=["POST"], endpoint="cancel_job",
          parameters=[_JOB_PARAMETER])
@bp.response(202, JobSchema, description="Cancelling: a running job stops at its next row.")
@bp.doc(operationId="cancel_job", security=SECURITY, responses={"404": problem_ref(404), "401": problem_ref(401)})
def cancel_job(job_id: str) -> tuple[dict[str, Any], int]:
    """Hủy việc — cancel a job"""
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
@bp.doc(operationId="get_job_result", security=SECURITY, responses={
    "200": {"description": "The ZIP: one document per good row, errors.csv, summary.txt "
                           "(and merged.docx when asked).",
            "content": {ZIP_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}}},
    **_DOWNLOAD_ERRORS})
def job_result(job_id: str) -> Response:
    """Tải kết quả (ZIP) — download a job's ZIP"""
    job = jobs().get(job_id)
    return path_response(jobs().result_path(job_id), ZIP_MEDIA_TYPE, result_filename(job))


@bp.route("/jobs/<job_id>/errors", methods=["GET"], endpoint="job_errors",
          parameters=[_JOB_PARAMETER])
@bp.doc(operationId="get_job_errors", security=SECURITY, responses={
    "200": {"description": "errors.csv (UTF-8 with BOM): row, column, header, field, "
                           "message, code.",
            "content": {"text/csv": {"schema": {"type": "string"}}}},
    **_DOWNLOAD_ERRORS})
def job_errors(job_id: str) -> Response:
    """Tải báo cáo lỗi (errors.csv) — download a job's error report"""
    return path_response(jobs().errors_path(job_id), "text/csv", "errors.csv")


__all__ = ["bp"]
