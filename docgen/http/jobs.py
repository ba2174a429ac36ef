"""Batch jobs over HTTP, shared by the API (docgen.api.batches) and the pages (docgen.web.batch).

Reading an upload or a JSON list of rows into a job, the job as JSON, the files a job
leaves (its ZIP, its errors.csv), the spreadsheet template. The jobs themselves are
:mod:`docgen.jobs` (``app.extensions["docgen.jobs"]``, created by its ``init_app``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from flask import Response, current_app, request, url_for
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import RequestEntityTooLarge, UnsupportedMediaType

from docgen import jsonin
from docgen.catalog import get_type
from docgen.config import Settings
from docgen.errors import PayloadTooLargeError, UnreadableInputError, UnsupportedFormatError
from docgen.http.files import file_response
from docgen.jobs import Job, Jobs

ZIP_MEDIA_TYPE = "application/zip"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OPTION_NAMES = ("encoding", "delimiter", "sheet", "pattern", "format", "webhook")
#: What each row becomes: a Word file, or a PDF through the LibreOffice pool.
BATCH_FORMATS = ("docx", "pdf")
TRUE_WORDS = {"1", "true", "yes", "on", "có"}


def jobs() -> Jobs:
    return current_app.extensions["docgen.jobs"]  # type: ignore[no-any-return]


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
        return jsonin.loads(text, where="defaults")
    except UnreadableInputError as exc:
        raise UnreadableInputError(f"Giá trị chung (defaults): {exc.message}") from exc


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


def submit_json(doc_type: str) -> Job:
    if not request.is_json:
        raise UnsupportedMediaType()
    body = jsonin.loads(request.get_data(cache=True))  # depth, digits, lone surrogates
    defaults = None
    options = _options(request.args)
    if isinstance(body, dict) and "rows" in body:
        defaults = body.get("defaults")
        options.update(_options(body))
        body = body["rows"]
    return jobs().submit_payloads(doc_type, body, defaults=defaults, options=options)


def template_response(doc_type: str, names: bool) -> Response:
    from docgen.batch import write_template

    kind = get_type(doc_type)
    with tempfile.TemporaryDirectory() as tmp:
        path = write_template(kind.id, Path(tmp) / "template.xlsx",
                              style="name" if names else "label")
        content = path.read_bytes()
    return file_response(content, XLSX_MEDIA_TYPE, f"mau-{kind.id}.xlsx")


def result_filename(job: Job) -> str:
    """'units-3f2b9c0e.zip': the upload's name (or the type) and the job's first digits."""
    stem = Path(job.source).stem if job.source and job.source != "JSON" else job.doc_type
    return f"{stem}-{job.id[:8]}.zip"
