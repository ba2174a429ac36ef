"""``POST /api/v1/templates/check``: a Word template or a pack in, every finding out.

    curl -s -F template=@mau.docx -F type=minutes http://127.0.0.1:8000/api/v1/templates/check
    curl -s -F pack=@giay-phep.zip http://127.0.0.1:8000/api/v1/templates/check

200 with ``{"findings": [...], "errors": n, "warnings": n}`` whatever the template's or
the pack's problems are — a report is the answer, not a failure. A file that cannot be
checked at all (not a .docx or a pack, a zip bomb, a DTD…) is a 422 problem whose one
error carries the finding's code at path ``template`` or ``pack``; a body over the
checker's size limit is a 413.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import request
from flask_smorest import Blueprint
from werkzeug.exceptions import RequestEntityTooLarge, UnsupportedMediaType

from docgen.api.openapi import SECURITY, problem_ref
from docgen.catalog import DOCUMENT_TYPES, get_type
from docgen.check import CODES, DEFAULT_LIMITS, count
from docgen.check.packs import check_pack_zip
from docgen.check.types import check_for_type, unusable
from docgen.errors import FieldError, PayloadTooLargeError, ValidationError
from docgen.http.access_log import note
from docgen.http.requests import service

__all__ = ["make_blueprint"]

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


def _doc() -> dict[str, Any]:
    """The operation's documentation, with the types loaded when the blueprint is made."""
    return {
        "operationId": "check_template",
        "summary": "Kiểm tra một mẫu Word hoặc một gói loại văn bản (thể thức Nghị định 30, "
                   "thẻ, trường của loại) — check a template or a pack",
        "description": (
            "Every problem at once: template syntax and misplaced `{%tr %}` tags, tags "
            "reading names the type does not have (with suggestions), required fields never "
            "shown, the Decree 30 layout (A4, margins, Times New Roman, sizes and weights of "
            "each part, the motto's exact text, page numbers from page 2) and, with `type`, "
            "the type's example rendered through the template. Send `template` (a .docx) or "
            "`pack` (a pack's zip: type.toml, template.docx, example.json): a pack's "
            "declaration is read as the packs loader reads it (`invalid_pack`), its example "
            "validated by it (`example_invalid`) and rendered through its template. Answers "
            "200 with the findings even when they are errors; a file that cannot be checked "
            "at all (`not_docx`, `not_pack`, `too_large`, `zip_bomb`, `xml_dtd`, "
            "`xml_malformed`) is a 422."),
        "security": SECURITY,
        "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
            "type": "object",
            "properties": {
                "template": {"type": "string", "format": "binary",
                             "description": "The .docx (or send `pack`)."},
                "pack": {"type": "string", "format": "binary",
                         "description": "A pack as a zip: type.toml, template.docx, "
                                        "example.json, at the root or in one folder (or "
                                        "send `template`)."},
                "type": {"type": "string", "enum": list(DOCUMENT_TYPES),
                         "description": "Check against this document type's fields and "
                                        "example (with `pack`: the id the pack must declare)."},
            }}}}},
        "responses": {str(s): problem_ref(s) for s in (401, 404, 413, 415, 422)},
    }


def make_blueprint() -> Blueprint:
    bp = Blueprint("templates_check", __name__, url_prefix="/api/v1",
                   description="Kiểm tra mẫu Word theo Nghị định 30 — template check.")
    bp.route("/templates/check", methods=["POST"], endpoint="check_template")(
        bp.response(200, CheckResultSchema)(bp.doc(**_doc())(check_template_view)))
    return bp


def check_template_view() -> dict[str, Any]:
    """Check a Word template"""
    request.max_content_length = _MAX_BODY
    if request.mimetype != "multipart/form-data":
        raise UnsupportedMediaType()
    too_large = PayloadTooLargeError(f"Tệp gửi lên vượt giới hạn {DEFAULT_LIMITS.max_bytes:,} "
                                     "byte.".replace(",", "."))
    if (request.content_length or 0) > _MAX_BODY:  # refused before a byte is parsed
        raise too_large
    try:
        template, pack = request.files.get("template"), request.files.get("pack")
        doc_type = request.form.get("type") or None
        upload, field = (pack, "pack") if pack is not None else (template, "template")
        data = upload.read(_MAX_BODY + 1) if upload is not None else None
    except RequestEntityTooLarge as exc:  # a body without Content-Length, cut off while read
        raise too_large from exc
    if doc_type:
        note(doc_type=doc_type)
    if template is not None and pack is not None:
        raise ValidationError([FieldError("pack", "Gửi một trong hai: mẫu Word (trường "
                                          "«template») hoặc gói (trường «pack»).", "ambiguous")])
    if data is None:
        raise ValidationError([FieldError("template", "Thiếu tệp mẫu .docx (trường «template») "
                                          "hoặc gói .zip (trường «pack»).", "required")])
    if field == "pack":
        if doc_type is not None:
            get_type(doc_type)  # an unknown type is a 404, as for a template
        assert upload is not None
        findings = check_pack_zip(data, name=upload.filename or "pack.zip", doc_type=doc_type,
                                  renderer=service().renderer)
    else:
        findings = check_for_type(data, doc_type, service().renderer)
    if unusable(findings):
        finding = findings[0]
        where = f" ({finding.location})" if finding.location else ""
        what = "gói" if field == "pack" else "tệp mẫu"
        raise ValidationError([FieldError(field, finding.message + where, finding.code)],
                              f"Không kiểm tra được {what}: {finding.message}")
    errors, warnings = count(findings)
    return {"findings": [f.to_dict() for f in findings], "errors": errors, "warnings": warnings}
