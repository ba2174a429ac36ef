"""The OpenAPI document: flask-smorest's ``Api``, tuned for docgen.

- Request bodies are the Marshmallow schemas themselves (``MinutesSchema`` …),
  converted by apispec; :func:`docgen_constraints` adds what apispec cannot see
  in docgen's own fields and validators (``maxLength`` of a ``Text``, our
  ``Range``/``Length``), taken from :mod:`docgen.schemas.jsonschema` so the
  OpenAPI document and ``schemas/*.schema.json`` state the same limits.
- Every error response is a :class:`~docgen.http.problems.ProblemSchema` as
  ``application/problem+json``, registered once per status as a component
  (``Problem422`` …) with an example.
- Swagger UI's assets come from the installed ``flask-swagger-ui`` package and
  are served by this app (``/api/docs/assets/``): no CDN.
- The document follows the catalog: each type has its own paths, built when the app
  starts; when the loaded types change (a type added to the template store, a deployed
  pack with other fields), ``/api/openapi.json`` is built again as a restart would build
  it (:meth:`DocgenApi.follow_catalog`), once per change.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any

from apispec import BasePlugin
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint, Flask, Response, json, send_from_directory
from flask_smorest import Api
from marshmallow import fields

from docgen import __version__
from docgen.http.problems import PROBLEM_BASE, PROBLEM_MEDIA_TYPE, ProblemSchema
from docgen.rendering import MEDIA_TYPES, PDFA_VERSIONS
from docgen.schemas.fields import Length, Payload, Range
from docgen.schemas.jsonschema import field_schema

OPENAPI_VERSION = "3.1.0"
DOCS_ASSETS = "/api/docs/assets/"

_CONSTRAINTS = ("maxLength", "minLength", "minimum", "maximum", "minItems", "maxItems")


def docgen_constraints(self: Any, field: fields.Field, ret: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """apispec attribute function: limits from docgen's fields, as the JSON Schema states them."""
    if isinstance(field, fields.Nested):
        return {}
    try:
        schema = field_schema(field)
    except TypeError:  # a field docgen's JSON Schema does not know (not one of ours)
        return {}
    return {key: schema[key] for key in _CONSTRAINTS if key in schema}


def payload_component(field: Payload) -> str:
    """The component a :class:`~docgen.schemas.fields.Payload` field is documented by: the
    type's own (by the name the documents blueprint gives the schema loaded now), a derived
    one, or the rows of one of the type's tables."""
    from apispec.ext.marshmallow import resolver

    from docgen.catalog import get_type

    if field.component is not None:
        return field.component
    schema: Any = get_type(field.doc_type).schema
    if field.rows_of is not None:
        table = schema._declared_fields[field.rows_of]
        schema = table.inner.nested
    return resolver(schema)  # type: ignore[no-any-return]


def payload_reference(self: Any, field: fields.Field, ret: dict[str, Any],
                      **kwargs: Any) -> dict[str, Any]:
    """apispec attribute function: a document payload is its component, not a bare object."""
    if not isinstance(field, Payload):
        return {}
    for key in ("type", "additionalProperties", "propertyNames"):
        ret.pop(key, None)
    return {"$ref": f"#/components/schemas/{payload_component(field)}"}


def _without_docgen_validators(original: Any) -> Any:
    """apispec's ``field2range`` takes any validator with ``min``/``max`` for a
    marshmallow ``Range`` — docgen's ``Length`` too, and fails on a list. Ours are
    documented by :func:`docgen_constraints`; leave apispec the others."""

    def field2range(field: fields.Field, ret: dict[str, Any]) -> dict[str, Any]:
        if any(isinstance(v, Range | Length) for v in field.validators):
            return {}
        return original(field, ret=ret)

    return field2range


@dataclass(frozen=True)
class ProblemDoc:
    """How one error status is documented: its usual code and title, and an example detail."""

    code: str
    title: str
    description: str
    detail: str


#: status -> documentation; the example details are real messages.
PROBLEMS: dict[int, ProblemDoc] = {
    400: ProblemDoc("unreadable_input", "Không đọc được dữ liệu đầu vào",
                    "The body is not JSON, or not a JSON object.",
                    "Nội dung gửi lên không phải JSON hợp lệ."),
    401: ProblemDoc("unauthorized", "Chưa xác thực",
                    "API keys are configured and the request has none, or a wrong one.",
                    "Thiếu khóa API: gửi tiêu đề Authorization: Bearer <khóa> hoặc X-API-Key."),
    404: ProblemDoc("unknown_document_type", "Không có loại văn bản này",
                    "No such document type (or no such path).",
                    "Không có loại văn bản 'memo'. Các loại có: plan, decision, minutes, report."),
    405: ProblemDoc("method_not_allowed", "Phương thức không được phép",
                    "Method not allowed here; see the `Allow` header.",
                    "Địa chỉ này không nhận phương thức đã gửi."),
    406: ProblemDoc("unsupported_format", "Định dạng đầu ra không được hỗ trợ",
                    "`format` (or `Accept`) asks for a format this installation does not make.",
                    "Định dạng 'odt' không được hỗ trợ. Các định dạng có: docx, pdf."),
    409: ProblemDoc("job_not_finished", "Chưa thực hiện được",
                    "Not possible in the resource's present state (a job not finished yet).",
                    "Công việc chưa xong; hãy thử lại sau."),
    413: ProblemDoc("payload_too_large", "Dữ liệu gửi lên quá lớn",
                    "The body is over the size limit (`DOCGEN_MAX_REQUEST_BYTES`).",
                    "Dữ liệu gửi lên vượt giới hạn 5.242.880 byte."),
    415: ProblemDoc("unsupported_media_type", "Kiểu nội dung không được hỗ trợ",
                    "The body is not `application/json`.",
                    "Hãy gửi dữ liệu dạng application/json."),
    422: ProblemDoc("validation_failed", "Dữ liệu không hợp lệ",
                    "The payload does not pass its schema; `errors` lists each field.",
                    "Có 1 lỗi trong dữ liệu; lỗi đầu tiên: members[2].full_name: "
                    "Không được để trống."),
    500: ProblemDoc("template_error", "Lỗi mẫu văn bản",
                    "A failure on docgen's side (a broken template): logged, never detailed.",
                    "Lỗi mẫu văn bản."),
    502: ProblemDoc("conversion_failed", "Không chuyển được sang PDF",
                    "LibreOffice could not convert this document (also after a restart).",
                    "LibreOffice không đọc được văn bản Word này nên không tạo được PDF."),
    429: ProblemDoc("too_many_attempts", "Nhập sai khóa quá nhiều lần",
                    "Too many wrong keys from this address (`DOCGEN_KEY_ATTEMPTS` in "
                    "`DOCGEN_KEY_ATTEMPTS_WINDOW` seconds); wait `Retry-After` seconds.",
                    "Đã nhập sai khóa quá nhiều lần từ địa chỉ này; thử lại sau 285 giây."),
    503: ProblemDoc("converter_unavailable", "Bộ chuyển PDF không sẵn sàng",
                    "The PDF converter is not installed (`converter_unavailable`), or its "
                    "queue is full (`converter_busy`, with `Retry-After`).",
                    "Không tìm thấy LibreOffice (soffice) nên không xuất được PDF; văn bản "
                    "Word (.docx) vẫn dùng bình thường."),
    504: ProblemDoc("conversion_timeout", "Chuyển sang PDF quá thời gian cho phép",
                    "A conversion ran past `DOCGEN_PDF_TIMEOUT` twice (the instance was "
                    "restarted in between).",
                    "Chuyển sang PDF quá 60 giây nên đã dừng; vui lòng thử lại sau."),
}


def problem_example(status: int) -> dict[str, Any]:
    doc = PROBLEMS[status]
    example: dict[str, Any] = {"type": PROBLEM_BASE + doc.code, "title": doc.title,
                               "status": status, "detail": doc.detail, "code": doc.code}
    if status == 422:
        example["errors"] = [{"path": "members[2].full_name",
                              "message": "Không được để trống.", "code": "blank"}]
    return example


def problem_ref(status: int) -> str:
    """Name of the response component for ``status``: use as ``{"422": problem_ref(422)}``."""
    return f"Problem{status}"


#: Operation security: a key when the server has keys; the empty requirement says
#: "or none" (a server without DOCGEN_API_KEYS is open).
SECURITY: list[dict[str, list[str]]] = [{"bearer": []}, {"apiKey": []}, {}]


def request_id_header() -> dict[str, Any]:
    return {"description": "Request id: the caller's `X-Request-ID` echoed, or a new one.",
            "schema": {"type": "string"}}


def catalog_signature() -> tuple[tuple[str, str, str, object], ...]:
    """What the per-type paths of the document depend on: each loaded type's id, template
    version, source and schema (a deployed pack may change the fields, not the template)."""
    from docgen.catalog import DOCUMENT_TYPES

    return tuple((k.id, k.version, k.source, k.schema) for k in DOCUMENT_TYPES.values())


def with_current_type_ids(spec: dict[str, Any], ids: list[str]) -> dict[str, Any]:
    """``spec`` with every ``doc_type`` path parameter listing ``ids`` (some operations
    state the types in a parameter made when their module was imported)."""
    for operations in spec.get("paths", {}).values():
        for operation in [operations, *(o for o in operations.values() if isinstance(o, dict))]:
            for parameter in operation.get("parameters", []):
                if (isinstance(parameter, dict) and parameter.get("name") == "doc_type"
                        and "enum" in parameter.get("schema", {})):
                    parameter["schema"] = {**parameter["schema"], "enum": list(ids)}
    return spec


class DocgenApi(Api):
    """flask-smorest's Api with problem+json errors and no generic "default" response, whose
    document follows the catalog (:meth:`follow_catalog`)."""

    ERROR_SCHEMA = ProblemSchema
    DEFAULT_ERROR_RESPONSE_NAME = None  # type: ignore[assignment]

    _rebuild: Callable[[], dict[str, Any]] | None = None
    _built_for: tuple[tuple[str, str, str, object], ...] = ()
    _rebuilt: tuple[tuple[tuple[str, str, str, object], ...], dict[str, Any]] | None = None

    def follow_catalog(self, rebuild: Callable[[], dict[str, Any]]) -> None:
        """Serve ``rebuild()`` — the document as the app would be built now — instead of the
        start-up one once the loaded types differ from those the app was built with."""
        self._rebuild, self._built_for, self._rebuilt = rebuild, catalog_signature(), None
        self._rebuild_lock = threading.Lock()

    def current_spec(self) -> dict[str, Any]:
        """The OpenAPI document for the types loaded now (built again once per change)."""
        signature = catalog_signature()
        if self._rebuild is None or signature == self._built_for:
            return self.spec.to_dict()  # type: ignore[no-any-return]
        with self._rebuild_lock:
            if self._rebuilt is None or self._rebuilt[0] != signature:
                ids = [entry[0] for entry in signature]
                self._rebuilt = (signature, with_current_type_ids(self._rebuild(), ids))
            return self._rebuilt[1]

    def _openapi_json(self) -> Response:
        """``/api/openapi.json``: :meth:`current_spec` (flask-smorest serves the start-up one)."""
        return Response(json.dumps(self.current_spec(), indent=2, sort_keys=False),
                        mimetype="application/json")

    def _register_responses(self) -> None:
        self.spec.components.schema("Problem", schema=ProblemSchema)
        for status, doc in PROBLEMS.items():
            headers: dict[str, Any] = {"X-Request-ID": request_id_header()}
            if status == 405:
                headers["Allow"] = {"description": "Methods this path accepts.",
                                    "schema": {"type": "string"}}
            if status == 401:
                headers["WWW-Authenticate"] = {"description": "`Bearer realm=\"docgen\"`",
                                               "schema": {"type": "string"}}
            if status in (429, 503):
                headers["Retry-After"] = {"description": "Seconds to wait.",
                                          "schema": {"type": "integer"}}
            self.spec.components.response(problem_ref(status), {
                "description": doc.description,
                "headers": headers,
                "content": {PROBLEM_MEDIA_TYPE: {"schema": "Problem",
                                                 "example": problem_example(status)}},
            })


API_DESCRIPTION = """\
Văn bản hành chính theo Nghị định 30/2020/NĐ-CP cho kiểm tra ISO 9001: gửi JSON, nhận tệp Word.

Official Vietnamese administrative documents for ISO 9001 inspection rounds. POST a JSON
payload to `/api/v1/documents/{type}` and get the .docx back (or `?format=pdf`, PDF/A
with `&pdfa=2b`); `…/validate` checks a payload
without rendering. Every error is `application/problem+json` (RFC 9457) with a Vietnamese
`detail`, a stable `code` and, for 422, `errors: [{path, message, code}]`.

When the server has API keys (`DOCGEN_API_KEYS`), every `/api/v1` call needs
`Authorization: Bearer <key>` or `X-API-Key: <key>`. This document and `/api/docs` stay open.
"""


def _assets_blueprint() -> Blueprint:
    dist = resources.files("flask_swagger_ui") / "dist"
    bp = Blueprint("api_docs_assets", __name__, url_prefix=DOCS_ASSETS.rstrip("/"))

    @bp.get("/<path:filename>")
    def asset(filename: str) -> Any:
        return send_from_directory(str(dist), filename, max_age=86400)

    return bp


def init_api(app: Flask) -> DocgenApi:
    """Create the Api (spec at ``/api/openapi.json``, Swagger UI at ``/api/docs``)."""
    app.config.update(
        API_TITLE="docgen API",
        API_VERSION=__version__,
        OPENAPI_VERSION=OPENAPI_VERSION,
        OPENAPI_URL_PREFIX="/api",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        OPENAPI_SWAGGER_UI_URL=DOCS_ASSETS,
        OPENAPI_SWAGGER_UI_CONFIG={"validatorUrl": None, "deepLinking": True,
                                   "tryItOutEnabled": True},
        API_SPEC_OPTIONS={
            "info": {"description": API_DESCRIPTION,
                     "license": {"name": "MIT", "identifier": "MIT"}},
            "components": {"securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer",
                           "description": "A key from DOCGEN_API_KEYS."},
                "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key",
                           "description": "A key from DOCGEN_API_KEYS."},
            }},
        },
    )
    plugin = MarshmallowPlugin()
    api = DocgenApi(spec_kwargs={"marshmallow_plugin": plugin,
                                 "extra_plugins": [KeyAttemptsPlugin()]})
    api.init_app(app)
    converter = plugin.converter
    assert converter is not None  # set when the spec was created
    converter.attribute_functions = [
        _without_docgen_validators(f) if getattr(f, "__name__", "") == "field2range" else f
        for f in converter.attribute_functions
    ]
    converter.add_attribute_function(docgen_constraints)
    converter.add_attribute_function(payload_reference)  # last: it replaces the object
    app.register_blueprint(_assets_blueprint())
    return api


class KeyAttemptsPlugin(BasePlugin):
    """Every operation that answers 401 for a wrong key may answer 429 after too many
    (:mod:`docgen.http.throttle`): documented once here, not at each operation."""

    def operation_helper(self, path: str | None = None,
                         operations: dict[str, Any] | None = None, **kwargs: Any) -> None:
        for operation in (operations or {}).values():
            responses = operation.get("responses") if isinstance(operation, dict) else None
            if isinstance(responses, dict) and ("401" in responses or 401 in responses):
                responses.setdefault("429", problem_ref(429))


# --- parameters and headers every document operation shares ----------------------------

def problem_doc(status: int, code: str, title: str, description: str, detail: str) -> dict[str, Any]:
    """An error response the shared components do not have (409), documented the same way."""
    example = {"type": PROBLEM_BASE + code, "title": title, "status": status,
               "detail": detail, "code": code}
    return {"description": description,
            "headers": {"X-Request-ID": request_id_header()},
            "content": {PROBLEM_MEDIA_TYPE: {"schema": "Problem", "example": example}}}


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

VERSION_PARAMETER = {
    "in": "query",
    "name": "version",
    "required": False,
    "description": "Render with this template version rather than the deployed one: its "
                   "sha256 (as a register entry's `template_version` records it) or a "
                   "stored version's number. 404 `template_version_not_found` otherwise.",
    "schema": {"type": "string"},
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
    "X-Docgen-Warning-Messages": {"description": "`path=<message>` of each warning, the "
                                                 "Vietnamese message percent-encoded UTF-8, "
                                                 "comma-separated.",
                                  "schema": {"type": "string"}},
    "X-Request-ID": request_id_header(),
}


IDEMPOTENCY_PARAMETER = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "description": "Retry safely: the same key with the same payload answers the same "
                   "number and the very same file (stored in the register). The same key "
                   "with another payload is a 422 `idempotency_key_reused`.",
    "schema": {"type": "string", "maxLength": 200},
}

REGISTERED_HEADERS = {
    "Content-Disposition": {"description": "`attachment`, ASCII `filename` and UTF-8 `filename*`.",
                            "schema": {"type": "string"}},
    "X-Docgen-Register-Number": {"description": "The number given, e.g. `1`.",
                                 "schema": {"type": "string"}},
    "X-Docgen-Register-Symbol": {"description": "Number and symbol as printed, "
                                                "percent-encoded UTF-8 (`01%2FBB-%C4%90KT`).",
                                 "schema": {"type": "string"}},
    "X-Docgen-Register-Entry": {"description": "Id of the register entry.",
                                "schema": {"type": "string"}},
    "X-Docgen-Checksum": {"description": "`sha256=<hex>` of the file.",
                          "schema": {"type": "string"}},
    "X-Request-ID": request_id_header(),
}
