"""The outgoing register over HTTP (sổ đăng ký văn bản đi).

    POST /api/v1/register/documents/<type>   number + render + record; the file back (one
                                             path per type when the app is built, and a
                                             catch-all for types the store adds later)
    GET  /api/v1/register                    the entries, filtered and paginated
    GET  /api/v1/register/export             the register book as CSV or XLSX
    GET  /api/v1/register/entries/<id>/file  the stored file of one entry

The register database is opened by ``create_app`` (:func:`docgen.register.init_app`);
numbering goes through the service seam like every other document.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import Blueprint as FlaskBlueprint
from flask import Response, current_app
from flask_smorest import Blueprint

from docgen import register as register_core
from docgen.api.openapi import (
    FORMAT_PARAMETER,
    IDEMPOTENCY_PARAMETER,
    PDFA_PARAMETER,
    REGISTERED_HEADERS,
    SECURITY,
    problem_doc,
    problem_ref,
    request_id_header,
)
from docgen.catalog import DOCUMENT_TYPES, DocumentType, example_payload
from docgen.http.access_log import note
from docgen.http.files import content_disposition, document_response, entry_response
from docgen.http.requests import document_request, json_body, service
from docgen.register.book import (
    EXPORTERS,
    Filters,
    all_entries,
    entry_dict,
    list_entries,
)
from docgen.rendering import MEDIA_TYPES


def the_register() -> register_core.Register:
    return current_app.extensions[register_core.EXTENSION]  # type: ignore[no-any-return]


# --- POST /register/documents/<type> ---------------------------------------------------

def register_document(doc_type: str) -> Response:
    """The documented view behind each type's path: ``?register=true`` always."""
    note(doc_type=doc_type)
    asked = document_request(doc_type, json_body(), register=True)
    note(format=asked.output.format)
    return document_response(service().produce(asked))


def _register_doc(kind: DocumentType) -> dict[str, Any]:
    media: dict[str, Any] = {"schema": kind.schema}
    example = example_payload(kind)
    if example is not None:
        media["example"] = example
    return {
        "operationId": f"register_{kind.id}",
        "summary": f"{kind.name} ({kind.type_code}): cấp số, tạo văn bản, ghi sổ — number, "
                   "render, record",
        "description": (
            "Give the document the issuer's next number for the year of its date (shared by "
            "all types or per type, an issuer setting), render it with that number and record "
            "it in the outgoing register, in one transaction. A payload `number` is replaced. "
            "A failed render takes no number."
        ),
        "security": SECURITY,
        "parameters": [IDEMPOTENCY_PARAMETER, FORMAT_PARAMETER, PDFA_PARAMETER],
        "requestBody": {"required": True, "content": {"application/json": media}},
        "responses": {
            "200": {"description": "The numbered document.", "headers": REGISTERED_HEADERS,
                    "content": {m: {"schema": {"type": "string", "format": "binary"}}
                                for m in MEDIA_TYPES.values()}},
            **{str(s): problem_ref(s) for s in (400, 401, 406, 413, 415, 422, 500, 503)},
            "409": problem_doc(409, "number_conflict", "Số, ký hiệu văn bản đã có trong sổ",
                            "The number and symbol are already in the register for that year "
                            "(the issuer changed its numbering mode mid-year); no number taken.",
                            "Số, ký hiệu văn bản này đã có trong sổ đăng ký của năm; "
                            "không cấp số."),
        },
    }


def _bind(kind: DocumentType) -> Any:
    def view() -> Response:
        return register_document(kind.id)

    view.__name__ = f"register_{kind.id}"
    view.__doc__ = kind.name
    return view


# --- GET /register, /register/export ---------------------------------------------------

class RegisterFilterSchema(ma.Schema):
    issuer = ma.fields.String(validate=ma.validate.Length(min=1, max=50),
                              metadata={"description": "Agency code, e.g. `SKHCN`.",
                                        "example": "ĐKT"})
    year = ma.fields.Integer(validate=ma.validate.Range(min=1900, max=2200),
                             metadata={"example": 2017})
    type = ma.fields.String(validate=ma.validate.Length(min=1, max=30),
                            metadata={"description": "Type id (`minutes`) or type code (`BB`)."})


class RegisterQuerySchema(RegisterFilterSchema):
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=1_000_000))
    per_page = ma.fields.Integer(load_default=50, validate=ma.validate.Range(min=1, max=500))


class ExportQuerySchema(RegisterFilterSchema):
    format = ma.fields.String(load_default="xlsx", validate=ma.validate.OneOf(list(EXPORTERS)))


class SignerOutSchema(ma.Schema):
    authority = ma.fields.String()
    on_behalf_of = ma.fields.String()
    position = ma.fields.String()
    full_name = ma.fields.String()


class EntrySchema(ma.Schema):
    class Meta:
        ordered = True

    id = ma.fields.Integer()
    issuer = ma.fields.String(metadata={"example": "ĐKT"})
    year = ma.fields.Integer(metadata={"example": 2017})
    number = ma.fields.Integer(metadata={"example": 12})
    symbol = ma.fields.String(metadata={"description": "Số, ký hiệu.", "example": "12/BB-ĐKT"})
    type_code = ma.fields.String(metadata={"example": "BB"})
    document_type = ma.fields.String(metadata={"example": "minutes"})
    summary = ma.fields.String(metadata={"description": "Trích yếu."})
    date = ma.fields.String(metadata={"format": "date"})
    signer = ma.fields.Nested(SignerOutSchema)
    recipients = ma.fields.List(ma.fields.String())
    archive = ma.fields.String()
    copies = ma.fields.Integer(allow_none=True)
    notes = ma.fields.String()
    format = ma.fields.String()
    filename = ma.fields.String()
    checksum = ma.fields.String(metadata={"description": "sha256 of the file, hex."})
    template_version = ma.fields.String(allow_none=True, metadata={
        "description": "sha256 of the Word template that produced the document: render it "
                       "again with `POST /api/v1/documents/{type}?version=` this value. Null "
                       "for entries made before the template store."})
    idempotency_key = ma.fields.String(allow_none=True)
    created_at = ma.fields.String(metadata={"format": "date-time"})


class EntryPageSchema(ma.Schema):
    class Meta:
        ordered = True

    items = ma.fields.List(ma.fields.Nested(EntrySchema))
    total = ma.fields.Integer()
    page = ma.fields.Integer()
    per_page = ma.fields.Integer()
    pages = ma.fields.Integer()


def _filters(args: dict[str, Any]) -> Filters:
    return Filters(issuer=args.get("issuer"), year=args.get("year"), type=args.get("type"))


def make_blueprint() -> Blueprint:
    """The register's paths, with one ``POST /documents/<type>`` per type loaded now.

    Made when the app is built (not at import), so the types of a ``DOCGEN_PACKS_DIR``
    given to ``create_app`` get their paths as the environment's do; a type added to the
    template store later is served by :func:`make_fallback_blueprint`.
    """
    blp = Blueprint(
        "register", __name__, url_prefix="/api/v1/register",
        description="Sổ đăng ký văn bản đi — number documents and read the outgoing register.",
    )
    for kind in DOCUMENT_TYPES.values():
        blp.route(f"/documents/{kind.id}", methods=["POST"], endpoint=f"register_{kind.id}")(
            blp.doc(**_register_doc(kind))(_bind(kind))
        )

    @blp.route("", methods=["GET"], endpoint="list")
    @blp.arguments(RegisterQuerySchema, location="query", as_kwargs=True)
    @blp.response(200, EntryPageSchema, headers={"X-Request-ID": request_id_header()})
    @blp.doc(operationId="list_register", security=SECURITY,
             responses={"401": problem_ref(401), "422": problem_ref(422)})
    def list_register(**args: Any) -> dict[str, Any]:
        """Sổ đăng ký văn bản đi, từng trang — the outgoing register, a page at a time

        In the book's order: issuer, year, number.
        """
        with the_register().session_factory() as session:
            page = list_entries(session, _filters(args), args["page"], args["per_page"])
            return {"items": [entry_dict(e) for e in page.items], "total": page.total,
                    "page": page.page, "per_page": page.per_page, "pages": page.pages}

    @blp.route("/export", methods=["GET"], endpoint="export")
    @blp.arguments(ExportQuerySchema, location="query", as_kwargs=True)
    @blp.doc(operationId="export_register", security=SECURITY, responses={
        "200": {"description": "The register book: the ten columns of Decree 30, Appendix IV.",
                "headers": {"Content-Disposition": {"schema": {"type": "string"}},
                            "X-Request-ID": request_id_header()},
                "content": {media: {"schema": {"type": "string", "format": "binary"}}
                            for _fn, media in EXPORTERS.values()}},
        "401": problem_ref(401), "422": problem_ref(422)})
    def export_register(**args: Any) -> Response:
        """Xuất sổ đăng ký văn bản đi (CSV, XLSX) — export the register book"""
        exporter, media = EXPORTERS[args["format"]]
        with the_register().session_factory() as session:
            content = exporter(all_entries(session, _filters(args)))
        parts = ["so-dang-ky-van-ban-di"] + [str(args[k]) for k in ("issuer", "year")
                                             if args.get(k)]
        response = Response(content, mimetype=media)  # text/csv gets "; charset=utf-8"
        response.headers["Content-Disposition"] = content_disposition(
            "-".join(parts) + "." + args["format"])
        return response

    @blp.route("/entries/<int:entry_id>/file", methods=["GET"], endpoint="entry_file")
    @blp.doc(operationId="register_entry_file", security=SECURITY, responses={
        "200": {"description": "The file as it was issued.", "headers": REGISTERED_HEADERS,
                "content": {m: {"schema": {"type": "string", "format": "binary"}}
                            for m in MEDIA_TYPES.values()}},
        "401": problem_ref(401), "404": problem_ref(404)})
    def entry_file(entry_id: int) -> Response:
        """Tệp đã phát hành của một văn bản trong sổ — the stored file of an entry

        The very bytes that were issued.
        """
        return entry_response(entry_id)

    return blp


def make_fallback_blueprint() -> FlaskBlueprint:
    """``POST /api/v1/register/documents/<type>`` for a type without a path of its own (one
    added to the template store after start; an unknown type answers 404)."""
    fallback = FlaskBlueprint("register_fallback", __name__, url_prefix="/api/v1/register")
    fallback.add_url_rule("/documents/<doc_type>", "register", register_document,
                          methods=["POST"])
    return fallback
