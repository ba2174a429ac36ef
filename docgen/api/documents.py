"""``POST /api/v1/documents/<type>``: JSON in, the document out; ``…/validate``: check only.

Each document type gets its own path in the OpenAPI document, with its own
Marshmallow schema as the request body and its example payload, so a generated
client (or schemathesis) knows exactly what to send. A type that does not exist
still gets a problem+json 404 (``unknown_document_type``) from the catch-all rule.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import marshmallow as ma
from flask import Blueprint as FlaskBlueprint
from flask import Response, current_app, request
from flask_smorest import Blueprint
from werkzeug.exceptions import BadRequest, NotAcceptable, UnsupportedMediaType

from docgen import jsonin
from docgen.api.access_log import note
from docgen.api.openapi import SECURITY, problem_ref, request_id_header
from docgen.api.problems import FieldErrorSchema
from docgen.api.types import example_payload
from docgen.catalog import DOCUMENT_TYPES, DocumentType, get_type
from docgen.errors import UnsupportedFormatError
from docgen.rendering import MEDIA_TYPES, Renderer

#: PDF/A variants the converter produces (docgen.pdf.PDFA_VERSIONS, without importing it here).
PDFA_VERSIONS = ("1b", "2b", "3b")

#: Media type -> format, in the server's order of preference.
FORMATS_BY_MEDIA_TYPE = {media: fmt for fmt, media in MEDIA_TYPES.items()}


def renderer() -> Renderer:
    return current_app.extensions["docgen.renderer"]


def json_payload() -> Any:
    """The request body as JSON; 415 for another content type, 400 if unparseable."""
    if not request.is_json:
        raise UnsupportedMediaType()
    # Bounded depth and digits, no lone surrogates: nothing in the body becomes a 500.
    return jsonin.loads(request.get_data(cache=True))


def requested_format() -> str:
    """``?format=`` if given, else the best of ``Accept``; 406 when ``Accept`` rules it out.

    A format this installation cannot produce (``pdf`` without the converter) is
    refused later by the renderer, with the list of formats it can.
    """
    accept = request.accept_mimetypes
    fmt = request.args.get("format")
    if fmt is not None:
        media = MEDIA_TYPES.get(fmt)
        if media and accept and not accept.quality(media):
            raise NotAcceptable()
        return fmt
    if not accept:
        return "docx"
    available = [MEDIA_TYPES[f] for f in renderer().formats]
    best = accept.best_match(available) or accept.best_match(list(MEDIA_TYPES.values()))
    if best is None:
        raise NotAcceptable()
    return FORMATS_BY_MEDIA_TYPE[best]


def requested_pdfa(fmt: str) -> str | None:
    """``?pdfa=1b|2b|3b`` asks a PDF/A variant (archiving); only meaningful with pdf."""
    pdfa = request.args.get("pdfa") or None
    if pdfa is not None and (fmt != "pdf" or pdfa not in PDFA_VERSIONS):
        raise UnsupportedFormatError(f"pdfa={pdfa}", [f"format=pdf&pdfa={v}" for v in PDFA_VERSIONS])
    return pdfa


def ascii_fold(text: str) -> str:
    """'QĐ-04-Sở' -> 'QD-04-So': the ASCII fallback of a Vietnamese file name."""
    text = text.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c if c.isascii() and c.isprintable() else "_" for c in decomposed
                   if not unicodedata.combining(c))


def content_disposition(filename: str) -> str:
    """RFC 6266 with an RFC 5987 UTF-8 name and an ASCII fallback."""
    fallback = ascii_fold(filename).replace('"', "").replace("\\", "")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def register_requested() -> bool:
    """``?register=true``: take the next official number and record the document."""
    value = request.args.get("register", "false").lower()
    if value not in ("true", "1", "false", "0"):
        raise BadRequest()
    return value in ("true", "1")


def render_document(doc_type: str) -> Response:
    note(doc_type=doc_type)
    kind = get_type(doc_type)
    if register_requested():
        # The register owns numbering; imported here because it builds on this module.
        from docgen.api.register import register_document

        return register_document(kind.id)
    data = json_payload()
    fmt = requested_format()
    note(format=fmt)
    rendered = renderer().render(kind.id, data, fmt, pdfa=requested_pdfa(fmt))
    response = Response(rendered.content, mimetype=rendered.media_type)
    response.headers["Content-Disposition"] = content_disposition(rendered.filename)
    if rendered.warnings:
        response.headers["X-Docgen-Warnings"] = str(len(rendered.warnings))
        response.headers["X-Docgen-Warning-Codes"] = ", ".join(
            f"{w.path}={w.code}" for w in rendered.warnings
        )
    return response


class ValidationResultSchema(ma.Schema):
    class Meta:
        ordered = True

    valid = ma.fields.Boolean(metadata={"description": "Always true (an invalid payload is a 422)."})
    document_type = ma.fields.String(metadata={"example": "report"})
    file_name = ma.fields.String(metadata={"description": "Name the rendered .docx will get.",
                                           "example": "BC-215-SKHCN-2017-12-14.docx"})
    warnings = ma.fields.List(
        ma.fields.Nested(FieldErrorSchema),
        metadata={"description": "Non-blocking remarks; the document still renders."},
    )


def validate_document(doc_type: str) -> dict[str, Any]:
    note(doc_type=doc_type)
    kind = get_type(doc_type)
    validated = renderer().validate(kind.id, json_payload())
    return {
        "valid": True,
        "document_type": kind.id,
        "file_name": f"{kind.file_stem(validated.data)}.docx",
        "warnings": [w.to_dict() for w in validated.warnings],
    }


# --- OpenAPI description of the per-type operations ------------------------------------

FORMAT_PARAMETER = {
    "in": "query",
    "name": "format",
    "required": False,
    "description": "Output format; default docx (or the best match of `Accept`). "
                   "`pdf` goes through the warm LibreOffice pool: 503 when LibreOffice is "
                   "not installed or the queue is full (with Retry-After), 504 on timeout.",
    "schema": {"type": "string", "enum": list(MEDIA_TYPES), "default": "docx"},
}

REGISTER_PARAMETER = {
    "in": "query",
    "name": "register",
    "required": False,
    "description": "true: take the issuer's next number for the year (Số: 05/BB-…), render "
                   "with it and record it in the outgoing register, in one transaction (a "
                   "failed render takes no number). Send `Idempotency-Key` to retry safely. "
                   "The answer then carries X-Docgen-Register-Number/-Symbol/-Entry.",
    "schema": {"type": "boolean", "default": False},
}

IDEMPOTENCY_HEADER = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "description": "With register=true: a retry with the same key and payload answers the "
                   "same number and the very same file.",
    "schema": {"type": "string", "maxLength": 200},
}

PDFA_PARAMETER = {
    "in": "query",
    "name": "pdfa",
    "required": False,
    "description": "With format=pdf: produce PDF/A-1b, -2b or -3b (archiving; all fonts "
                   "embedded, XMP declares the conformance). Default: DOCGEN_PDF_PDFA.",
    "schema": {"type": "string", "enum": list(PDFA_VERSIONS)},
}

FILE_HEADERS = {
    "Content-Disposition": {
        "description": "`attachment` with an ASCII `filename` and the Vietnamese "
                       "`filename*=UTF-8''…` (RFC 6266/5987), built from type code, number, "
                       "issuer code and date.",
        "schema": {"type": "string"},
        "example": "attachment; filename=\"BB-12-DKT-2017-10-12.docx\"; "
                   "filename*=UTF-8''BB-12-%C4%90KT-2017-10-12.docx",
    },
    "X-Docgen-Warnings": {"description": "Number of warnings, when there are some.",
                          "schema": {"type": "string"}},
    "X-Docgen-Warning-Codes": {"description": "`path=code` of each warning, comma-separated.",
                               "schema": {"type": "string"}},
    "X-Request-ID": request_id_header(),
}


def _request_body(kind: DocumentType) -> dict[str, Any]:
    media: dict[str, Any] = {"schema": kind.schema}
    example = example_payload(kind)
    if example is not None:
        media["example"] = example
    return {"required": True, "description": f"Dữ liệu {kind.name.lower()}.",
            "content": {"application/json": media}}


def _errors(*statuses: int) -> dict[str, str]:
    return {str(s): problem_ref(s) for s in statuses}


def _render_doc(kind: DocumentType) -> dict[str, Any]:
    return {
        "operationId": f"render_{kind.id}",
        "summary": f"{kind.name} ({kind.type_code}): JSON -> .docx",
        "description": (
            f"Validate the payload as a {kind.id} ({kind.name}) and answer the rendered "
            "document. Warnings do not block: they come back in `X-Docgen-Warnings`; "
            f"`POST …/{kind.id}/validate` lists them in full."
        ),
        "security": SECURITY,
        "parameters": [FORMAT_PARAMETER, PDFA_PARAMETER, REGISTER_PARAMETER,
                       IDEMPOTENCY_HEADER],
        "requestBody": _request_body(kind),
        "responses": {
            "200": {
                "description": "The document.",
                "headers": FILE_HEADERS,
                "content": {media: {"schema": {"type": "string", "format": "binary"}}
                            for media in MEDIA_TYPES.values()},
            },
            **_errors(400, 401, 406, 409, 413, 415, 422, 500, 502, 503, 504),
        },
    }


def _validate_doc(kind: DocumentType) -> dict[str, Any]:
    return {
        "operationId": f"validate_{kind.id}",
        "summary": f"{kind.name}: check a payload without rendering",
        "description": "200 with the (possibly empty) list of warnings, or 422 with every "
                       "field error and its JSON path.",
        "security": SECURITY,
        "requestBody": _request_body(kind),
        "responses": _errors(400, 401, 413, 415, 422),
    }


def _bind(func: Callable[[str], Any], doc_type: str, name: str, doc: str) -> Callable[[], Any]:
    def view() -> Any:
        return func(doc_type)

    view.__name__ = name
    view.__doc__ = doc
    return view


def make_blueprint() -> Blueprint:
    blp = Blueprint(
        "documents", __name__, url_prefix="/api/v1",
        description="Tạo và kiểm tra văn bản — render and validate documents.",
    )
    for kind in DOCUMENT_TYPES.values():
        render = _bind(render_document, kind.id, f"render_{kind.id}", kind.name)
        blp.route(f"/documents/{kind.id}", methods=["POST"], endpoint=f"render_{kind.id}")(
            blp.doc(**_render_doc(kind))(render)
        )
        check = _bind(validate_document, kind.id, f"validate_{kind.id}", kind.name)
        check = blp.response(200, ValidationResultSchema, description="The payload is valid.",
                             headers={"X-Request-ID": request_id_header()})(check)
        blp.route(f"/documents/{kind.id}/validate", methods=["POST"],
                  endpoint=f"validate_{kind.id}")(blp.doc(**_validate_doc(kind))(check))
    return blp


def make_fallback_blueprint() -> FlaskBlueprint:
    """Unknown types: the same views, which answer 404 ``unknown_document_type``."""
    bp = FlaskBlueprint("documents_fallback", __name__, url_prefix="/api/v1")
    bp.add_url_rule("/documents/<doc_type>", "render", render_document, methods=["POST"])
    bp.add_url_rule("/documents/<doc_type>/validate", "validate", validate_document,
                    methods=["POST"])
    return bp
