"""``POST /api/v1/documents/<type>``: JSON in, the document out; ``…/validate``: check only.

Each document type gets its own path in the OpenAPI document, with its own
Marshmallow schema as the request body and its example payload, so a generated
client (or schemathesis) knows exactly what to send. A type that does not exist
still gets a problem+json 404 (``unknown_document_type``) from the catch-all rule, which
also serves the types added to the template store after the app was built (their own
paths appear in the OpenAPI document after a restart).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import marshmallow as ma
from flask import Blueprint as FlaskBlueprint
from flask import Response, request
from flask_smorest import Blueprint

from docgen.api.openapi import (
    FILE_HEADERS,
    FORMAT_PARAMETER,
    IDEMPOTENCY_HEADER,
    PDFA_PARAMETER,
    REGISTER_PARAMETER,
    SECURITY,
    VERSION_PARAMETER,
    problem_ref,
    request_id_header,
)
from docgen.catalog import DOCUMENT_TYPES, DocumentType, example_payload, get_type
from docgen.http.access_log import note
from docgen.http.files import document_response
from docgen.http.problems import FieldErrorSchema
from docgen.http.requests import document_request, json_body, service
from docgen.rendering import MEDIA_TYPES


def render_document(doc_type: str) -> Response:
    """``POST /documents/<type>[?format=&pdfa=&register=]``: the one request path."""
    note(doc_type=doc_type)
    kind = get_type(doc_type)
    asked = document_request(kind.id, json_body())
    note(format=asked.output.format)
    return document_response(service().produce(asked))


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
    validated = service().validate(kind.id, json_body(),
                                   version=request.args.get("version") or None)
    return {
        "valid": True,
        "document_type": kind.id,
        "file_name": f"{kind.file_stem(validated.data)}.docx",
        "warnings": [w.to_dict() for w in validated.warnings],
    }


# --- OpenAPI description of the per-type operations ------------------------------------

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
        "summary": f"{kind.name} ({kind.type_code}): tạo văn bản — JSON -> .docx/.pdf",
        "description": (
            f"Validate the payload as a {kind.id} ({kind.name}) and answer the rendered "
            "document. Warnings do not block: they come back in `X-Docgen-Warnings`; "
            f"`POST …/{kind.id}/validate` lists them in full."
        ),
        "security": SECURITY,
        "parameters": [FORMAT_PARAMETER, PDFA_PARAMETER, REGISTER_PARAMETER,
                       VERSION_PARAMETER, IDEMPOTENCY_HEADER],
        "requestBody": _request_body(kind),
        "responses": {
            "200": {
                "description": "The document.",
                "headers": FILE_HEADERS,
                "content": {media: {"schema": {"type": "string", "format": "binary"}}
                            for media in MEDIA_TYPES.values()},
            },
            # 404: a ?version= this type does not have (template_version_not_found).
            **_errors(400, 401, 404, 406, 409, 413, 415, 422, 500, 502, 503, 504),
        },
    }


def _validate_doc(kind: DocumentType) -> dict[str, Any]:
    return {
        "operationId": f"validate_{kind.id}",
        "summary": f"{kind.name}: kiểm tra dữ liệu, không tạo văn bản — validate only",
        "description": "200 with the (possibly empty) list of warnings, or 422 with every "
                       "field error and its JSON path.",
        "security": SECURITY,
        "parameters": [VERSION_PARAMETER],
        "requestBody": _request_body(kind),
        "responses": _errors(400, 401, 404, 413, 415, 422),
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
