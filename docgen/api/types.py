"""``GET /api/v1/document-types`` and each type's JSON Schema and example payload."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import current_app, url_for
from flask_smorest import Blueprint
from werkzeug.exceptions import NotFound

from docgen.api.openapi import SECURITY, problem_ref
from docgen.catalog import DOCUMENT_TYPES, DocumentType, example_payload, get_type
from docgen.http.access_log import note
from docgen.rendering import Renderer
from docgen.schemas.jsonschema import document_json_schema


class LinksSchema(ma.Schema):
    schema = ma.fields.String(metadata={"description": "JSON Schema of the payload."})
    example = ma.fields.String(metadata={"description": "A valid example payload."})
    render = ma.fields.String(metadata={"description": "POST the payload here for the file."})
    # `validate` would shadow Schema.validate: the attribute gets another name.
    validate_ = ma.fields.String(data_key="validate",
                                 metadata={"description": "POST the payload here to check it."})
    form = ma.fields.String(metadata={"description": "The clerks' web form."})


class DocumentTypeSchema(ma.Schema):
    class Meta:
        ordered = True

    id = ma.fields.String(metadata={"example": "minutes"})
    name = ma.fields.String(metadata={"description": "Vietnamese name.",
                                      "example": "Biên bản kiểm tra"})
    type_name = ma.fields.String(metadata={"description": "Title printed on the document.",
                                           "example": "BIÊN BẢN"})
    type_code = ma.fields.String(metadata={"description": "Type code (Decree 30, App. III); "
                                                          "empty for a công văn.",
                                           "example": "BB"})
    source = ma.fields.String(metadata={"description": "Where the type in use comes from: "
                                                       "`shipped`, `folder` (DOCGEN_PACKS_DIR) "
                                                       "or `store` (the template store).",
                                        "example": "shipped"})
    version = ma.fields.String(metadata={"description": "SHA-256 of the template in use (what "
                                                        "a register entry records)."})
    deployed_version = ma.fields.Integer(allow_none=True, metadata={
        "description": "The template store's version number in use; null when the pack "
                       "itself is used."})
    links = ma.fields.Nested(LinksSchema)


class DocumentTypeListSchema(ma.Schema):
    document_types = ma.fields.List(ma.fields.Nested(DocumentTypeSchema))
    formats = ma.fields.List(
        ma.fields.String(),
        metadata={"description": "Output formats this installation produces.",
                  "example": ["docx"]},
    )


DOC_TYPE_PARAMETER = {
    "in": "path",
    "name": "doc_type",
    "required": True,
    "description": "Document type id.",
    "schema": {"type": "string", "enum": list(DOCUMENT_TYPES), "example": "minutes"},
}


def _links(kind: DocumentType) -> dict[str, str]:
    # A type added to the store after start has no route of its own: the generic one.
    own = f"documents.render_{kind.id}" in current_app.view_functions
    return {
        "schema": url_for("document_types.schema", doc_type=kind.id),
        "example": url_for("document_types.example", doc_type=kind.id),
        "render": url_for(f"documents.render_{kind.id}") if own
        else url_for("documents_fallback.render", doc_type=kind.id),
        "validate_": url_for(f"documents.validate_{kind.id}") if own
        else url_for("documents_fallback.validate", doc_type=kind.id),
        "form": url_for("web.form", doc_type=kind.id),
    }


def _deployed_numbers() -> dict[str, int]:
    store = current_app.extensions.get("docgen.store")
    if store is None:
        return {}
    numbers = {}
    for kind in DOCUMENT_TYPES.values():
        if kind.source == "store":
            info = store.deployed_version(kind.id)
            if info is not None:
                numbers[kind.id] = info.version
    return numbers


def make_blueprint() -> Blueprint:
    blp = Blueprint(
        "document_types", __name__, url_prefix="/api/v1",
        description="Các loại văn bản, JSON Schema và dữ liệu mẫu — document types.",
    )
    common = {"401": problem_ref(401)}
    by_type = {**common, "404": problem_ref(404)}

    @blp.route("/document-types", methods=["GET"])
    @blp.response(200, DocumentTypeListSchema)
    @blp.doc(operationId="list_document_types", responses=common, security=SECURITY)
    def list_types() -> dict[str, Any]:
        """Các loại văn bản — the document types

        Every loaded type — shipped, from DOCGEN_PACKS_DIR, from the template store — with
        its source, the template version in use, and links to its schema, example, render
        and validate endpoints.
        """
        renderer: Renderer = current_app.extensions["docgen.renderer"]
        numbers = _deployed_numbers()
        return {
            "document_types": [
                {"id": t.id, "name": t.name, "type_name": t.type_name,
                 "type_code": t.type_code, "source": t.source, "version": t.version,
                 "deployed_version": numbers.get(t.id), "links": _links(t)}
                for t in DOCUMENT_TYPES.values()
            ],
            "formats": renderer.formats,
        }

    @blp.route("/document-types/<doc_type>/schema", methods=["GET"], endpoint="schema",
               parameters=[DOC_TYPE_PARAMETER])
    @blp.doc(operationId="get_document_type_schema", security=SECURITY, responses={
        **by_type,
        "200": {"description": "JSON Schema (draft 2020-12) of the payload, with Vietnamese "
                               "`title`s and `x-enum-labels`.",
                "content": {"application/json": {"schema": {"type": "object"}}}},
    })
    def type_schema(doc_type: str) -> Any:
        """JSON Schema dữ liệu của một loại văn bản — the payload's JSON Schema"""
        note(doc_type=doc_type)
        kind = get_type(doc_type)
        return document_json_schema(kind.id, kind.name, kind.schema())

    @blp.route("/document-types/<doc_type>/example", methods=["GET"], endpoint="example",
               parameters=[DOC_TYPE_PARAMETER])
    @blp.doc(operationId="get_document_type_example", security=SECURITY, responses={
        **by_type,
        "200": {"description": "A valid payload for this type (POST it to render).",
                "content": {"application/json": {"schema": {"type": "object"}}}},
    })
    def type_example(doc_type: str) -> Any:
        """Dữ liệu mẫu hợp lệ — a valid example payload"""
        note(doc_type=doc_type)
        kind = get_type(doc_type)
        example = example_payload(kind)
        if example is None:
            raise NotFound()
        return example

    return blp
