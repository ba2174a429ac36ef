"""RFC 9457 problem details: one body shape, filled in one place.

Every error the HTTP layer answers — ours (``DocgenError``), Werkzeug's (404,
405, 413, …) and flask-smorest's/webargs' (``abort(422, messages=…)``) — goes
through :func:`problem_response`, so a client can rely on ``type``, ``title``,
``status``, ``detail`` (Vietnamese) and ``code``, plus ``errors``
``[{path, message, code}]`` for a 422. :class:`ProblemSchema` is that body; the
OpenAPI document uses it for every error response.

A person at the web form (``/``, not ``/api``) who asks for HTML gets the same
problem as a small HTML page instead of JSON.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import marshmallow as ma
from flask import Flask, Response, current_app, json, request
from markupsafe import escape
from werkzeug.exceptions import HTTPException

from docgen.errors import (
    ConversionError,
    ConverterBusyError,
    DocgenError,
    FieldError,
    TooManyAttemptsError,
    ValidationError,
)
from docgen.schemas.base import field_errors

log = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_BASE = "https://docgen.local/problems/"

#: Werkzeug errors in Vietnamese, with stable codes.
HTTP_PROBLEMS: dict[int, tuple[str, str, str]] = {
    400: ("bad_request", "Yêu cầu không hợp lệ", "Yêu cầu không đọc được."),
    401: ("unauthorized", "Chưa xác thực", "Cần khóa API hợp lệ."),
    403: ("forbidden", "Không được phép", "Không được phép truy cập tài nguyên này."),
    404: ("not_found", "Không tìm thấy", "Không có tài nguyên ở địa chỉ này."),
    405: ("method_not_allowed", "Phương thức không được phép", "Địa chỉ này không nhận phương thức đã gửi."),
    406: ("not_acceptable", "Không đáp ứng được định dạng yêu cầu", "Không có định dạng phù hợp với tiêu đề Accept."),
    413: ("payload_too_large", "Dữ liệu gửi lên quá lớn", "Dữ liệu gửi lên vượt giới hạn cho phép."),
    415: ("unsupported_media_type", "Kiểu nội dung không được hỗ trợ", "Hãy gửi dữ liệu dạng application/json."),
    422: ("validation_failed", "Dữ liệu không hợp lệ", "Dữ liệu gửi lên không hợp lệ."),
}


class FieldErrorSchema(ma.Schema):
    path = ma.fields.String(
        required=True,
        metadata={"description": "JSON path of the field, e.g. `members[2].full_name`; "
                                 "`$` for the payload as a whole."},
    )
    message = ma.fields.String(required=True, metadata={"description": "Vietnamese message."})
    code = ma.fields.String(required=True, metadata={"description": "Stable machine code."})


class ProblemSchema(ma.Schema):
    """RFC 9457 problem details, as every docgen error is answered."""

    class Meta:
        ordered = True

    type = ma.fields.String(required=True, metadata={"format": "uri"})
    title = ma.fields.String(required=True, metadata={"description": "Vietnamese title."})
    status = ma.fields.Integer(required=True)
    detail = ma.fields.String(required=True, metadata={"description": "Vietnamese explanation."})
    code = ma.fields.String(required=True, metadata={"description": "Stable machine code."})
    errors = ma.fields.List(
        ma.fields.Nested(FieldErrorSchema),
        metadata={"description": "Per-field errors (422 only): the first 50."},
    )
    total_errors = ma.fields.Integer(
        metadata={"description": "How many field errors there are in all (422 only); more than "
                                 "`errors` lists when the payload has more than 50."},
    )
    place = ma.fields.String(
        metadata={"description": "Where in an uploaded pack or template the problem is "
                                 "(`type.toml: fields.units.kind`, `template.docx: "
                                 "word/document.xml`)."},
    )
    cause = ma.fields.String(
        metadata={"description": "The code of the underlying error (`invalid_pack`, "
                                 "`template_syntax`, `validation_failed` …)."},
    )
    findings = ma.fields.List(
        ma.fields.Dict(),
        metadata={"description": "`docgen check`'s findings `{code, severity, message, "
                                 "location}` (an upload refused by the check)."},
    )


def wants_html() -> bool:
    """A person's browser on a web page, as opposed to an API client."""
    if request.path.startswith("/api"):
        return False
    accept = request.accept_mimetypes
    return accept.accept_html and accept.quality("text/html") >= accept.quality("application/json")


def _html_page(body: dict[str, Any]) -> str:
    items = "".join(
        f"<li><code>{escape(e['path'])}</code>: {escape(e['message'])}</li>"
        for e in body.get("errors", [])
    )
    return (
        '<!doctype html><html lang="vi"><head><meta charset="utf-8">'
        f"<title>{escape(body['title'])}</title>"
        '<link rel="stylesheet" href="/static/form.css"></head><body><main class="problem">'
        f"<h1>{escape(body['title'])}</h1><p>{escape(body['detail'])}</p>"
        f"{'<ul>' + items + '</ul>' if items else ''}"
        f'<p class="problem-code">Mã lỗi: <code>{escape(body["code"])}</code> '
        f"(HTTP {body['status']})</p>"
        '<p><a href="/">← Về trang chọn loại văn bản</a></p></main></body></html>'
    )


def problem_response(
    status: int, code: str, title: str, detail: str, **extra: Any
) -> Response:
    """The one place a problem body is built (JSON for clients, HTML for the form's users)."""
    body = ProblemSchema().dump(
        {"type": PROBLEM_BASE + code, "title": title, "status": status, "detail": detail,
         "code": code, **extra}
    )
    if wants_html():
        return Response(_html_page(body), status=status, mimetype="text/html")
    return Response(
        json.dumps(body, ensure_ascii=False, sort_keys=False), status=status,
        mimetype=PROBLEM_MEDIA_TYPE,
    )


def validation_problem(errors: list[FieldError], detail: str | None = None) -> Response:
    exc = ValidationError(errors, detail)
    return problem_response(
        exc.status, exc.code, exc.title, exc.message, errors=[e.to_dict() for e in exc.errors],
        total_errors=exc.total,
    )


def from_docgen_error(exc: DocgenError) -> Response:
    extra: dict[str, Any] = {}
    if isinstance(exc, ValidationError):
        extra["errors"] = [e.to_dict() for e in exc.errors]
        extra["total_errors"] = exc.total
    elif exc.status < 500:  # a refused upload names its place, its cause, the findings
        body = exc.to_dict()
        extra.update({k: body[k] for k in ("place", "cause", "findings") if body.get(k)})
    if isinstance(exc, ConversionError):
        # The converter's messages are written for users (never LibreOffice's stderr).
        log.warning("PDF conversion: %s: %s", exc.code, exc.message)
        detail = exc.message
    elif exc.status >= 500:
        # Log the cause, show a safe message: templates are ours to fix.
        log.error("server-side failure: %s", exc, exc_info=exc)
        detail = exc.title + "."
    else:
        detail = exc.message
    response = problem_response(exc.status, exc.code, exc.title, detail, **extra)
    if isinstance(exc, ConverterBusyError | TooManyAttemptsError):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


def _webargs_errors(data: Mapping[str, Any]) -> list[FieldError] | None:
    """flask-smorest/webargs put ``{"json": {...marshmallow messages...}}`` in ``exc.data``."""
    messages = data.get("messages") or data.get("errors")
    if not isinstance(messages, Mapping):
        return None
    # webargs nests by location (json, query, headers…); the location is not a field.
    return [e for loc_messages in messages.values() for e in field_errors(loc_messages)]


def from_http_exception(exc: HTTPException) -> Response:
    status = exc.code or 500
    if status >= 500:
        log.error("HTTP %s raised: %s", status, exc.description)
    code, title, detail = HTTP_PROBLEMS.get(
        status, ("http_error", exc.name or "Lỗi", "Yêu cầu không thực hiện được.")
    )
    data = getattr(exc, "data", None)
    if status == 422 and isinstance(data, Mapping):
        errors = _webargs_errors(data)
        if errors:
            return validation_problem(errors)
    if status == 413:
        limit = current_app.config.get("MAX_CONTENT_LENGTH")
        if limit:
            detail = f"Dữ liệu gửi lên vượt giới hạn {limit:,} byte.".replace(",", ".")
    response = problem_response(status, code, title, detail)
    original = exc.get_response()
    for header in ("Allow", "WWW-Authenticate", "Retry-After"):
        if original.headers.get(header):
            response.headers[header] = original.headers[header]
    return response


def from_unexpected(exc: Exception) -> Response:
    log.exception("unexpected error", exc_info=exc)
    return problem_response(
        500, "internal_error", "Lỗi hệ thống", "Đã có lỗi ngoài dự kiến; lỗi đã được ghi lại."
    )


def init_app(app: Flask) -> None:
    """Register the handlers; call after flask-smorest's ``Api`` so ours replace its own."""
    app.register_error_handler(DocgenError, from_docgen_error)
    app.register_error_handler(HTTPException, from_http_exception)
    app.register_error_handler(Exception, from_unexpected)
