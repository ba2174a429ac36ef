"""``POST /api/v1/templates/check``: a Word template in, every finding out.

    curl -s -F template=@mau.docx -F type=minutes http://127.0.0.1:8000/api/v1/templates/check

200 with ``{"findings": [...], "errors": n, "warnings": n}`` whatever the template's
problems are — a report is the answer, not a failure. A file that cannot be checked at
all (not a .docx, a zip bomb, a DTD…) is a 422 problem whose one error carries the
finding's code at path ``template``; a body over the checker's size limit is a 413.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import request
from flask_smorest import Blueprint
from werkzeug.exceptions import RequestEntityTooLarge, UnsupportedMediaType

from docgen.api.openapi import SECURITY, problem_ref
from docgen.catalog import DOCUMENT_TYPES
from docgen.check import CODES, DEFAULT_LIMITS, count
from docgen.check.types import check_for_type, unusable
from docgen.errors import FieldError, PayloadTooLargeError, ValidationError
from docgen.http.access_log import note
from docgen.http.requests import service

__all__ = ["bp"]

bp = Blueprint("templates_check", __name__, url_prefix="/api/v1",
               description="Kiểm tra mẫu Word theo Nghị định 30 — template check.")

#: The template's own limit plus room for the multipart envelope and the ``type`` field.
_MAX_BODY = DEFAULT_LIMITS.max_bytes + 64 * 1024


class CheckFindingSchema(ma.Schema):
    class Meta:
        ordered = True

    code = ma.fields.String(required=True, metadata={
        "description": "Stable code.", "enum": sorted(CODES), "example": "font_size"})
    severity = ma.fields.String(required=True, metadata={"enum": ["error", "warning"]})
    message = ma.fields.String(required=True, metadata={
        "description": "Vietnamese message.",
        "example": "Quốc hiệu: cỡ chữ 14 pt; Phụ lục I: 12–13 pt."})
    location = ma.fields.String(required=True, metadata={
        "description": "Where, as a Word user finds it (story, table cell, opening words).",
        "example": "phần thân, bảng 1 hàng 1 ô 2, đoạn «CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM»"})


class CheckResultSchema(ma.Schema):
    class Meta:
        ordered = True

    findings = ma.fields.List(ma.fields.Nested(CheckFindingSchema), required=True)
    errors = ma.fields.Integer(required=True, metadata={"description": "Findings of severity error."})
    warnings = ma.fields.Integer(required=True)


_DOC = {
    "operationId": "check_template",
    "summary": "Kiểm tra một mẫu Word (thể thức Nghị định 30, thẻ, trường của loại) — check a "
               "template",
    "description": (
        "Every problem at once: template syntax and misplaced `{%tr %}` tags, tags reading "
        "names the type does not have (with suggestions), required fields never shown, the "
        "Decree 30 layout (A4, margins, Times New Roman, sizes and weights of each part, the "
        "motto's exact text, page numbers from page 2) and, with `type`, the type's example "
        "rendered through the template. Answers 200 with the findings even when they are "
        "errors; a file that cannot be checked at all is a 422."),
    "security": SECURITY,
    "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
        "type": "object", "required": ["template"],
        "properties": {
            "template": {"type": "string", "format": "binary", "description": "The .docx."},
            "type": {"type": "string", "enum": list(DOCUMENT_TYPES),
                     "description": "Check against this document type's fields and example."},
        }}}}},
    "responses": {str(s): problem_ref(s) for s in (401, 404, 413, 415, 422)},
}


@bp.route("/templates/check", methods=["POST"], endpoint="check_template")
@bp.response(200, CheckResultSchema)
@bp.doc(**_DOC)
def check_template_view() -> dict[str, Any]:
    """Check a Word template"""
    request.max_content_length = _MAX_BODY
    if request.mimetype != "multipart/form-data":
        raise UnsupportedMediaType()
    too_large = PayloadTooLargeError(f"Tệp mẫu vượt giới hạn {DEFAULT_LIMITS.max_bytes:,} byte."
                                     .replace(",", "."))
    if (request.content_length or 0) > _MAX_BODY:  # refused before a byte is parsed
        raise too_large
    try:
        upload, doc_type = request.files.get("template"), request.form.get("type") or None
        data = upload.read(_MAX_BODY + 1) if upload is not None else None
    except RequestEntityTooLarge as exc:  # a body without Content-Length, cut off while read
        raise too_large from exc
    if doc_type:
        note(doc_type=doc_type)
    if data is None:
        raise ValidationError([FieldError("template", "Thiếu tệp mẫu .docx (trường «template»).",
                                          "required")])
    findings = check_for_type(data, doc_type, service().renderer)
    if unusable(findings):
        finding = findings[0]
        where = f" ({finding.location})" if finding.location else ""
        raise ValidationError([FieldError("template", finding.message + where, finding.code)],
                              f"Không kiểm tra được tệp mẫu: {finding.message}")
    errors, warnings = count(findings)
    return {"findings": [f.to_dict() for f in findings], "errors": errors, "warnings": warnings}
