"""The template store over HTTP: add a type or a version, list versions, deploy / roll back.

    POST /api/v1/document-types                                   multipart pack=<zip>
    GET  /api/v1/document-types/<id>/versions
    POST /api/v1/document-types/<id>/versions                     multipart template=<docx>
                                                                  or pack=<zip> [comment=…]
    POST /api/v1/document-types/<id>/versions/<version>/deploy    (a roll-back too)

Every call that changes the store needs an administrator key (``DOCGEN_ADMIN_KEYS``, as
``Authorization: Bearer …``), checked before the body is read; without administrator keys
the store cannot be changed over HTTP at all (403 ``store_locked``). Uploads are bounded by
``DOCGEN_STORE_MAX_BYTES`` and proved before anything is stored (:mod:`docgen.store`).
``GET /api/v1/document-types`` (every loaded type with its version and source) is
:mod:`docgen.api.types`'.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import marshmallow as ma
from flask import current_app, request
from flask_smorest import Blueprint
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import RequestEntityTooLarge, UnsupportedMediaType

from docgen.api.check import CheckFindingSchema
from docgen.api.openapi import SECURITY, problem_doc, problem_ref
from docgen.catalog import get_type
from docgen.config import Settings
from docgen.http.access_log import note
from docgen.http.security import require_admin
from docgen.store import EXTENSION, TemplateStore
from docgen.store.errors import UploadRefusedError, UploadTooLargeError

bp = Blueprint(
    "template_store", __name__, url_prefix="/api/v1",
    description="Kho mẫu: thêm loại văn bản, thêm phiên bản mẫu, triển khai và quay lại "
                "phiên bản cũ — the template store (administrator key).",
)

#: Room for the multipart envelope and the comment around the file itself.
MULTIPART_SLACK = 64 * 1024
ADMIN_SECURITY: list[dict[str, list[str]]] = [{"bearer": []}]


class AddedSchema(ma.Schema):
    class Meta:
        ordered = True

    document_type = ma.fields.String(metadata={"example": "permit"})
    version = ma.fields.Integer(metadata={"description": "The version's number in its type "
                                                         "(1, 2, 3 … in upload order).",
                                          "example": 2})
    sha256 = ma.fields.String(metadata={"description": "SHA-256 of the Word template: the "
                                                       "version as the register records it."})
    deployed = ma.fields.Boolean(metadata={"description": "Whether it is used by default "
                                                          "(a new type's first version is)."})
    findings = ma.fields.List(ma.fields.Nested(CheckFindingSchema),
                              metadata={"description": "The check's warnings (errors refuse "
                                                       "the upload)."})


class VersionSchema(ma.Schema):
    class Meta:
        ordered = True

    version = ma.fields.Integer(metadata={"example": 2})
    sha256 = ma.fields.String()
    author = ma.fields.String(metadata={"description": "Fingerprint of the administrator key "
                                                       "(`admin:3f9a…`) or the CLI's label."})
    comment = ma.fields.String()
    created_at = ma.fields.String(metadata={"format": "date-time"})
    deployed = ma.fields.Boolean()


class VersionListSchema(ma.Schema):
    class Meta:
        ordered = True

    document_type = ma.fields.String()
    source = ma.fields.String(metadata={"description": "Where the type in use comes from: "
                                                       "`shipped`, `folder` or `store`."})
    version = ma.fields.String(metadata={"description": "SHA-256 of the template in use."})
    versions = ma.fields.List(ma.fields.Nested(VersionSchema))


class DeployedSchema(ma.Schema):
    class Meta:
        ordered = True

    document_type = ma.fields.String()
    source = ma.fields.String()
    version = ma.fields.Integer(allow_none=True, metadata={
        "description": "The stored version now deployed; null: back to the shipped/folder "
                       "pack."})
    sha256 = ma.fields.String(metadata={"description": "SHA-256 of the template now in use."})


def the_store() -> TemplateStore:
    return current_app.extensions[EXTENSION]  # type: ignore[no-any-return]


@contextlib.contextmanager
def _bounded_upload() -> Iterator[None]:
    """Multipart bodies up to ``DOCGEN_STORE_MAX_BYTES`` (not the JSON limit); a bigger one
    is refused by its size, naming the setting, before it is read."""
    settings: Settings = current_app.config["DOCGEN"]
    request.max_content_length = settings.store_max_bytes + MULTIPART_SLACK
    try:
        yield
    except RequestEntityTooLarge as exc:
        raise UploadTooLargeError(
            f"Tệp gửi lên vượt giới hạn {settings.store_max_bytes:,} byte "
            "(DOCGEN_STORE_MAX_BYTES).".replace(",", ".")) from exc


def _files() -> tuple[dict[str, FileStorage], str]:
    if request.mimetype != "multipart/form-data":
        raise UnsupportedMediaType()
    with _bounded_upload():
        files = {k: v for k, v in request.files.items() if k in ("pack", "template")}
        comment = request.form.get("comment", "")
    return files, comment.strip()[:2000]


def _read(upload: FileStorage) -> bytes:
    with _bounded_upload():
        return upload.read()


_ADMIN_ERRORS = {
    "401": problem_ref(401),
    "403": problem_doc(403, "store_locked", "Kho mẫu không thay đổi được qua HTTP",
                       "The server has no DOCGEN_ADMIN_KEYS: the store cannot be changed "
                       "over HTTP.", "Máy chủ chưa đặt khóa quản trị (DOCGEN_ADMIN_KEYS)."),
    "413": problem_ref(413),
    "415": problem_ref(415),
    "422": problem_ref(422),
}

_UPLOAD_BODY = {
    "required": True,
    "content": {"multipart/form-data": {"schema": {
        "type": "object",
        "properties": {
            "pack": {"type": "string", "format": "binary",
                     "description": "The pack as a zip: type.toml, template.docx, "
                                    "example.json (at the root or in one folder)."},
            "template": {"type": "string", "format": "binary",
                         "description": "A Word template (.docx) for the type's current "
                                        "declaration and example."},
            "comment": {"type": "string", "maxLength": 2000},
        },
    }}},
}


@bp.route("/document-types", methods=["POST"], endpoint="add_type")
@bp.response(201, AddedSchema, description="Stored and deployed as version 1.")
@bp.doc(operationId="add_document_type", summary="Thêm loại văn bản mới từ một gói (zip)",
        description="Multipart field `pack`: the pack's zip. Refused (nothing stored) when "
                    "it is not a zip, too big, a zip bomb, has XML with DTDs or entities, a "
                    "declaration with unknown keys or wrong kinds, an example that does not "
                    "validate or a template that does not render it (or reads outside its "
                    "sandbox); 409 when the id exists. Administrator key required.",
        security=ADMIN_SECURITY, requestBody=_UPLOAD_BODY,
        responses={**_ADMIN_ERRORS, "409": problem_doc(
            409, "document_type_exists", "Loại văn bản đã có",
            "A type with this id exists: add a version instead.",
            "Loại văn bản 'notice' đã có; thêm phiên bản mới qua …/versions.")})
def add_type() -> tuple[dict[str, Any], int]:
    author = require_admin()
    files, comment = _files()
    pack = files.get("pack")
    if pack is None:
        raise UploadRefusedError("Gửi gói loại văn bản (zip) trong trường 'pack'.",
                                 place="pack")
    added = the_store().add_type(_read(pack), name=pack.filename or "pack.zip",
                                 author=author, comment=comment)
    note(doc_type=added.info.type_id)
    return added.to_dict(), 201


@bp.route("/document-types/<doc_type>/versions", methods=["GET"], endpoint="versions")
@bp.response(200, VersionListSchema)
@bp.doc(operationId="list_template_versions", summary="Các phiên bản mẫu của một loại",
        description="Every stored version, newest first, and which one is deployed.",
        security=SECURITY, responses={"401": problem_ref(401), "404": problem_ref(404)})
def list_versions(doc_type: str) -> dict[str, Any]:
    note(doc_type=doc_type)
    kind = get_type(doc_type)
    return {"document_type": kind.id, "source": kind.source, "version": kind.version,
            "versions": [v.to_dict() for v in the_store().versions(kind.id)]}


@bp.route("/document-types/<doc_type>/versions", methods=["POST"], endpoint="add_version")
@bp.response(201, AddedSchema, description="Stored, not deployed.")
@bp.doc(operationId="add_template_version",
        summary="Thêm phiên bản mẫu (tệp Word hoặc cả gói) cho một loại",
        description="Multipart `template` (a .docx, used with the type's current "
                    "declaration and example) or `pack` (a zip whose id is this type); "
                    "optional `comment`. The new version is not deployed: deploy it with "
                    "…/versions/{version}/deploy, or render it with "
                    "`POST /api/v1/documents/{type}?version={sha256}`.",
        security=ADMIN_SECURITY, requestBody=_UPLOAD_BODY,
        responses={**_ADMIN_ERRORS, "404": problem_ref(404)})
def add_version(doc_type: str) -> tuple[dict[str, Any], int]:
    author = require_admin()
    note(doc_type=doc_type)
    kind = get_type(doc_type)
    files, comment = _files()
    if not files:
        raise UploadRefusedError("Gửi một mẫu Word trong trường 'template' hoặc một gói "
                                 "(zip) trong trường 'pack'.", place="template")
    if "pack" in files:
        upload = files["pack"]
        added = the_store().add_version(kind.id, pack=_read(upload),
                                        name=upload.filename or "pack.zip", author=author,
                                        comment=comment)
    else:
        upload = files["template"]
        added = the_store().add_version(kind.id, template=_read(upload),
                                        name=upload.filename or "template.docx",
                                        author=author, comment=comment)
    return added.to_dict(), 201


@bp.route("/document-types/<doc_type>/versions/<version>/deploy", methods=["POST"],
          endpoint="deploy")
@bp.response(200, DeployedSchema)
@bp.doc(operationId="deploy_template_version",
        summary="Triển khai một phiên bản mẫu (cũng để quay lại phiên bản cũ)",
        description="`version`: the stored version's number or its sha256; the sha256 of "
                    "the shipped (or folder) pack's template goes back to that pack. Renders "
                    "use it from the next request (other workers within "
                    "DOCGEN_STORE_REFRESH seconds).",
        security=ADMIN_SECURITY,
        responses={"401": _ADMIN_ERRORS["401"], "403": _ADMIN_ERRORS["403"],
                   "404": problem_ref(404)})
def deploy(doc_type: str, version: str) -> dict[str, Any]:
    author = require_admin()
    note(doc_type=doc_type)
    kind = get_type(doc_type)
    info = the_store().deploy(kind.id, version, author=author)
    now = get_type(kind.id)
    return {"document_type": kind.id, "source": now.source,
            "version": info.version if info is not None else None, "sha256": now.version}
