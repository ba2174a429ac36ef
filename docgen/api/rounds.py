"""Inspection rounds over HTTP: plan → units → minutes per unit → the round's report.

    POST /api/v1/rounds                                  a round and its units (JSON, CSV, XLSX)
    GET  /api/v1/rounds/<id>                             units, status, computed counts
    PUT  /api/v1/rounds/<id>/units/<stt>/minutes         the unit's minutes → the .docx
    POST /api/v1/rounds/<id>/units/<stt>/not-inspected   an on-site unit not inspected (reason)
    POST /api/v1/rounds/<id>/units/<stt>/reported        a by-report unit's report came in
    POST /api/v1/rounds/<id>/report                      the report, figures from the records
    POST /api/v1/rounds/report                           stateless: report text + unit list

The whole round (issue 16):

    GET    /api/v1/rounds                                every round with its counts
    PATCH  /api/v1/rounds/<id>                           title, due date, units (while nothing
                                                         is numbered)
    DELETE /api/v1/rounds/<id>                           a draft round
    GET    /api/v1/rounds/<id>/dashboard[/export]        units by mode/status, overdue, documents
    GET    /api/v1/rounds/<id>/events                    the audit log
    POST   /api/v1/rounds/from-plan                      a round from a plan payload
    GET    /api/v1/rounds/<id>/plan                      the plan payload, the round's units in it
    PUT    /api/v1/rounds/<id>/plan | /decision          kept with the round, rendered (numbered)
    PUT    /api/v1/rounds/<id>/units/<stt>/submission    what a by-report unit sent (+ files)
    GET    /api/v1/rounds/<id>/attachments/<aid>         one of those files
    POST   /api/v1/rounds/<id>/letters | /notices        công văn to by-report units; TB per unit
    POST   /api/v1/rounds/<id>/units/<stt>/corrections   the unit reported its corrections

The rounds live in the register database (:mod:`docgen.rounds.store`); the register
blueprint opens it for the app. Errors are problem+json through the app's handler.
"""

from __future__ import annotations

import json
from typing import Any

import marshmallow as ma
from apispec.ext.marshmallow import resolver
from flask import Response, request, url_for
from flask_smorest import Blueprint

from docgen import jsonin, rounds
from docgen.api.client_json import ClientJSONParser
from docgen.api.openapi import (
    FORMAT_PARAMETER,
    IDEMPOTENCY_PARAMETER,
    PDFA_PARAMETER,
    REGISTER_PARAMETER,
    REGISTERED_HEADERS,
    SECURITY,
    problem_doc,
    problem_ref,
    request_id_header,
)
from docgen.catalog import example_payload, get_type
from docgen.errors import UnreadableInputError
from docgen.http import rounds as http_rounds
from docgen.http.access_log import note
from docgen.http.actor import actor
from docgen.http.files import document_response, file_response
from docgen.http.jobs import limit_upload, upload_limit_named
from docgen.http.requests import document_request, flag, json_body, service
from docgen.rendering import MEDIA_TYPES
from docgen.rounds import store, workflow
from docgen.rounds.payloads import (
    DERIVED,
    ROUND_LETTER,
    ROUND_NOTICE,
    ROUND_PLAN,
    derived,
    derived_example,
    derived_schema,
)
from docgen.rounds.schemas import RoundReportSchema
from docgen.rounds.units_file import UnitsFile, read_units_file, rows_named
from docgen.schemas.common import AgencySchema

bp = Blueprint("rounds", __name__, url_prefix="/api/v1/rounds",
               description="Đợt kiểm tra — an inspection round: units, minutes per unit, and "
                           "the report computed from them.")
bp.ARGUMENTS_PARSER = ClientJSONParser()  # bounded JSON bodies (issue 13, point 12)

# --- documentation: shapes and responses ---------------------------------------------------


class RegisterRefSchema(ma.Schema):
    class Meta:
        ordered = True

    id = ma.fields.Integer(metadata={"description": "The register entry's id."})
    symbol = ma.fields.String(metadata={"description": "Number and symbol as printed, "
                                                       "e.g. `01/BB-ĐKT`."})


class UnitMinutesOutSchema(ma.Schema):
    class Meta:
        ordered = True

    date = ma.fields.String(metadata={"format": "date"})
    aspects = ma.fields.List(ma.fields.String(), metadata={
        "description": "The aspects the minutes have findings on."})
    register_entry = ma.fields.Nested(RegisterRefSchema, allow_none=True, metadata={
        "description": "When the minutes were numbered through the register."})


class UnitSubmissionOutSchema(ma.Schema):
    class Meta:
        ordered = True

    received_on = ma.fields.String(allow_none=True, metadata={"format": "date"})
    aspects = ma.fields.List(ma.fields.String(), metadata={
        "description": "The aspects its self-assessment covers."})
    attachments = ma.fields.Integer(metadata={"description": "Files attached."})


class RoundUnitOutSchema(ma.Schema):
    class Meta:
        ordered = True

    stt = ma.fields.Integer()
    name = ma.fields.String()
    mode = ma.fields.String(metadata={"enum": ["on_site", "by_report"]})
    integrated = ma.fields.Boolean()
    status = ma.fields.String(metadata={
        "enum": ["planned", "inspected", "not_inspected", "reported"]})
    reason = ma.fields.String(metadata={"description": "Why it was not inspected."})
    due_date = ma.fields.String(allow_none=True, metadata={"format": "date"})
    scheduled_on = ma.fields.String(allow_none=True, metadata={"format": "date"})
    corrections_reported_on = ma.fields.String(allow_none=True, metadata={"format": "date"})
    minutes = ma.fields.Nested(UnitMinutesOutSchema, allow_none=True)
    submission = ma.fields.Nested(UnitSubmissionOutSchema, allow_none=True)


class CountsOutSchema(ma.Schema):
    class Meta:
        ordered = True

    planned = ma.fields.Integer()
    on_site = ma.fields.Integer()
    integrated = ma.fields.Integer()
    not_inspected = ma.fields.Integer()
    by_report = ma.fields.Integer()


class ProgressOutSchema(ma.Schema):
    minutes = ma.fields.Integer(metadata={"description": "On-site units with minutes."})
    pending = ma.fields.Integer(metadata={
        "description": "On-site units with neither minutes nor a not-inspected mark."})
    reported = ma.fields.Integer(metadata={
        "description": "By-report units whose report has been received."})


class RoundOutSchema(ma.Schema):
    class Meta:
        ordered = True

    id = ma.fields.Integer()
    issuer = ma.fields.Nested(AgencySchema, metadata={
        "description": "The agency block of the round's documents."})
    year = ma.fields.Integer()
    title = ma.fields.String()
    created_at = ma.fields.String(metadata={"format": "date-time"})
    due_date = ma.fields.String(allow_none=True, metadata={"format": "date"})
    counts = ma.fields.Nested(CountsOutSchema, metadata={
        "description": "Counted from the units' records, as the report prints them."})
    progress = ma.fields.Nested(ProgressOutSchema)
    aspects = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer(), metadata={
        "description": "Per aspect: units whose minutes have a finding on it."})
    units = ma.fields.List(ma.fields.Nested(RoundUnitOutSchema))


def register_components(spec: Any) -> None:
    """The schemas derived from the document types (:mod:`docgen.rounds.payloads`), made
    from the types loaded now: called each time the document is built."""
    for made in DERIVED:
        spec.components.schema(made.name, {"description": made.description},
                               schema=derived_schema(made))


def _problems(*statuses: int) -> dict[str, Any]:
    return {str(s): problem_ref(s) for s in statuses}


def _not_found(code: str, title: str, detail: str) -> dict[str, Any]:
    return problem_doc(404, code, title, "No such round, or no unit with that stt.", detail)


ROUND_NOT_FOUND = _not_found("round_not_found", "Không có đợt kiểm tra này",
                             "Không có đợt kiểm tra số 7.")
UNIT_NOT_ON_SITE = problem_doc(
    409, "unit_not_on_site", "Đơn vị không kiểm tra tại trụ sở",
    "The unit is inspected by report (no minutes), or its minutes are already numbered "
    "(`minutes_already_registered`), or it already has minutes (`unit_has_minutes`).",
    "UBND xã Long Hưng (STT 80) được kiểm tra qua báo cáo, không kiểm tra tại trụ sở: "
    "không có biên bản kiểm tra.")
DOCUMENT_CONTENT = {m: {"schema": {"type": "string", "format": "binary"}}
                    for m in MEDIA_TYPES.values()}
NUMBER_CONFLICT = problem_doc(409, "number_conflict", "Số, ký hiệu văn bản đã có trong sổ",
                             "With `register=true`: the number is already in the register.",
                             "Số, ký hiệu văn bản này đã có trong sổ đăng ký của năm; "
                             "không cấp số.")


def _session_factory() -> Any:
    return http_rounds.session_factory()


# --- POST /rounds, GET /rounds/<id> --------------------------------------------------------

def _round_example() -> dict[str, Any]:
    return {"issuer": {"parent_name": "UBND tỉnh Sóc Trăng", "name": "Sở Khoa học và Công nghệ",
                       "code": "SKHCN", "place": "Sóc Trăng"},
            "year": 2017,
            "title": "Kiểm tra việc áp dụng HTQLCL theo TCVN ISO 9001:2008 năm 2017",
            "units": [{"stt": 1, "name": "Sở Nội vụ", "mode": "on_site"},
                      {"stt": 2, "name": "UBND huyện Mỹ Tú", "mode": "on_site",
                       "integrated": True},
                      {"stt": 3, "name": "UBND xã Long Hưng", "mode": "by_report"}]}


def _new_round_payload() -> tuple[Any, UnitsFile | None]:
    """The new round's payload, and the unit list file it came with (multipart)."""
    if request.mimetype == "multipart/form-data":
        limit_upload()  # a file may be larger than a JSON body (DOCGEN_BATCH_MAX_UPLOAD_BYTES)
        with upload_limit_named():
            upload = request.files.get("units")
        if upload is None:
            raise UnreadableInputError("Thiếu tệp danh sách đơn vị (trường 'units', CSV hoặc "
                                       "Excel .xlsx).")
        data = jsonin.loads(request.form.get("data") or "{}", where="data")
        if not isinstance(data, dict):
            raise UnreadableInputError("Trường 'data' phải là một đối tượng JSON.")
        found = read_units_file(upload.read(), upload.filename or "")
        return {**data, "units": found.units}, found
    return json_body(), None


@bp.route("", methods=["POST"], endpoint="create")
@bp.doc(
    operationId="create_round", security=SECURITY,
    summary="Tạo đợt kiểm tra với các đơn vị trong kế hoạch — create a round",
    description="JSON (`issuer`, `year`, `title`, `units`), or multipart with a file "
                "`units` — CSV (UTF-8 with or without BOM, UTF-16 or Windows-1258; comma, "
                "semicolon or tab) or Excel .xlsx, told by its content — in the layout of "
                "`soc-trang-2017-units.csv` (stt, unit_name, mode, "
                "integrated_with_reform_inspection, not_inspected; optional reason, due_date, "
                "scheduled_on), and a JSON field `data` with `issuer`, `year`, `title`, "
                "`due_date`. An error in a row says its row and column "
                "(\"Dòng 13, cột mode: …\"), its `path` is `units[i].<field>`. A file that "
                "cannot be read (empty, a file named .xlsx that is not one, no `unit_name` or "
                "`mode` column) is a 400; more than 5000 rows, or an .xlsx that would expand "
                "past the zip limits, a 413.",
    requestBody={"required": True, "content": {
        "application/json": {"schema": store.NewRoundSchema, "example": _round_example()},
        "multipart/form-data": {"schema": {
            "type": "object", "required": ["units", "data"],
            "properties": {"units": {"type": "string", "format": "binary",
                                     "description": "CSV or XLSX (the unit list)."},
                           "data": {"type": "string", "description": "JSON: issuer, year, "
                                                                     "title."}}}}}},
    responses={
        "201": {"description": "The round, with its units and computed counts.",
                "headers": {"Location": {"description": "The round's address.",
                                         "schema": {"type": "string"}},
                            "X-Request-ID": request_id_header()},
                "content": {"application/json": {"schema": RoundOutSchema}}},
        **_problems(400, 401, 413, 415, 422, 503)})
def create_round() -> Response:
    """Create a round from JSON or the plan's unit list (CSV or XLSX)."""
    payload, units_file = _new_round_payload()
    with rows_named(units_file):
        round_ = store.create_round(_session_factory(), payload, actor=actor())
    with _session_factory()() as session:
        body = RoundOutSchema().dump(store.round_dict(session, round_.id))
    response = Response(json.dumps(body, ensure_ascii=False), status=201,
                        mimetype="application/json")
    response.headers["Location"] = url_for("rounds.get", round_id=round_.id)
    return response


@bp.route("/<int:round_id>", methods=["GET"], endpoint="get")
@bp.response(200, RoundOutSchema, headers={"X-Request-ID": request_id_header()})
@bp.doc(operationId="get_round", security=SECURITY,
        summary="Đợt kiểm tra: đơn vị, trạng thái, số lượng tính được — a round",
        responses={"401": problem_ref(401), "404": ROUND_NOT_FOUND})
def get_round(round_id: int) -> dict[str, Any]:
    """The round, its units and what is recorded for each."""
    with _session_factory()() as session:
        return store.round_dict(session, round_id)


# --- minutes and not-inspected ---------------------------------------------------------------

@bp.route("/<int:round_id>/units/<int:stt>/minutes", methods=["PUT"], endpoint="minutes")
@bp.doc(
    operationId="put_round_minutes", security=SECURITY,
    summary="Ghi biên bản kiểm tra của một đơn vị tại trụ sở — record minutes",
    description="The payload is a `minutes` payload; its `unit.name` must be the unit's "
                "name. Findings are kept per aspect for the report. Recording again replaces "
                "the minutes until they are numbered (`register=true`).",
    parameters=[FORMAT_PARAMETER, PDFA_PARAMETER, REGISTER_PARAMETER, IDEMPOTENCY_PARAMETER],
    requestBody={"required": True, "content": {"application/json": {
        # By name: the component the documents blueprint registers for the minutes type
        # in use when the document is built (a class taken here, at import, would be
        # another one once the catalog reloads or the store deploys a minutes pack).
        "schema": resolver(get_type("minutes").schema),
        **({"example": ex} if (ex := example_payload(get_type("minutes"))) else {})}}},
    responses={
        "200": {"description": "The minutes.", "headers": REGISTERED_HEADERS,
                "content": DOCUMENT_CONTENT},
        "404": _not_found("round_unit_not_found", "Không có đơn vị này trong đợt kiểm tra",
                          "Đợt kiểm tra số 7 không có đơn vị số thứ tự 200."),
        "409": UNIT_NOT_ON_SITE,
        **_problems(400, 401, 406, 413, 415, 422, 500, 502, 503, 504)})
def put_minutes(round_id: int, stt: int) -> Response:
    """Record (and optionally number) one unit's minutes."""
    note(doc_type="minutes")
    return http_rounds.minutes(round_id, stt, json_body())


@bp.route("/<int:round_id>/units/<int:stt>/not-inspected", methods=["POST"],
          endpoint="not_inspected")
@bp.arguments(store.NotInspectedSchema, location="json", as_kwargs=True)
@bp.response(200, RoundUnitOutSchema, headers={"X-Request-ID": request_id_header()})
@bp.doc(operationId="mark_round_unit_not_inspected", security=SECURITY,
        summary="Ghi đơn vị tại trụ sở là chưa kiểm tra được, kèm lý do — not inspected",
        responses={"404": _not_found("round_unit_not_found",
                                     "Không có đơn vị này trong đợt kiểm tra",
                                     "Đợt kiểm tra số 7 không có đơn vị số thứ tự 200."),
                   "409": UNIT_NOT_ON_SITE, **_problems(400, 401, 415, 422)})
def not_inspected(round_id: int, stt: int, **body: Any) -> dict[str, Any]:
    """The unit, marked."""
    return store.mark_not_inspected(_session_factory(), round_id, stt, body, actor=actor())


@bp.route("/<int:round_id>/units/<int:stt>/reported", methods=["POST"], endpoint="reported")
@bp.response(200, RoundUnitOutSchema, headers={"X-Request-ID": request_id_header()})
@bp.doc(operationId="mark_round_unit_reported", security=SECURITY,
        summary="Ghi đơn vị kiểm tra qua báo cáo là đã gửi báo cáo — report received",
        responses={"404": _not_found("round_unit_not_found",
                                     "Không có đơn vị này trong đợt kiểm tra",
                                     "Đợt kiểm tra số 7 không có đơn vị số thứ tự 200."),
                   "409": problem_doc(409, "unit_not_by_report",
                                      "Đơn vị không kiểm tra qua báo cáo",
                                      "The unit is inspected on-site.",
                                      "Sở Nội vụ (STT 2) được kiểm tra tại trụ sở, không kiểm "
                                      "tra qua báo cáo."),
                   "401": problem_ref(401)})
def reported(round_id: int, stt: int) -> dict[str, Any]:
    """The unit, marked as reported."""
    return store.mark_reported(_session_factory(), round_id, stt, actor=actor())


# --- the report ----------------------------------------------------------------------------

def _report_example() -> dict[str, Any] | None:
    report = example_payload(get_type("report"))
    if report is None:
        return None
    for key in ("counts", "findings", "pending_units", "number", "agency", "year",
                "period_start", "period_end", "not_inspected_reason"):
        report.pop(key, None)
    report["aspect_notes"] = {"internal_audit": "Một số nơi việc đánh giá nội bộ còn hình thức"}
    return report


@bp.route("/<int:round_id>/report", methods=["POST"], endpoint="report")
@bp.doc(
    operationId="render_round_report", security=SECURITY,
    summary="Báo cáo kết quả kiểm tra của đợt, số liệu tính từ kết quả — the round's report",
    description="The body is the report's own text. `counts` (planned, on-site, integrated, "
                "not inspected, by report) come from the units; `findings` are one paragraph "
                "per aspect written from the minutes' findings (how many minutes have it, the "
                "findings grouped by unit). Refused (422 `round_incomplete`) while on-site "
                "units have neither minutes nor a not-inspected mark, unless "
                "`allow_incomplete=true` (the report then says how many are pending). "
                "`pending_units`: one sentence after the counts naming the on-site units "
                "without a result and the by-report units whose report has not come (at most "
                "20 names a group, the rest counted); absent for a complete round.",
    parameters=[FORMAT_PARAMETER, PDFA_PARAMETER, REGISTER_PARAMETER, IDEMPOTENCY_PARAMETER,
                {"in": "query", "name": "allow_incomplete", "required": False,
                 "description": "Produce the report although on-site units are pending.",
                 "schema": {"type": "boolean", "default": False}}],
    requestBody={"required": True, "content": {"application/json": {
        "schema": RoundReportSchema,
        **({"example": ex} if (ex := _report_example()) else {})}}},
    responses={
        "200": {"description": "The report.", "headers": REGISTERED_HEADERS,
                "content": DOCUMENT_CONTENT},
        "404": ROUND_NOT_FOUND,
        "409": NUMBER_CONFLICT,
        "422": problem_doc(422, "round_incomplete", "Đợt kiểm tra chưa đủ kết quả",
                           "On-site units without a result (or `validation_failed` with "
                           "field errors, `computed_field` for `counts`/`findings`/`pending_units`).",
                           "Còn 2 đơn vị kiểm tra tại trụ sở chưa có biên bản cũng chưa được "
                           "ghi là chưa kiểm tra được: Sở Nội vụ (STT 2), Sở Tư pháp (STT 3)."),
        **_problems(400, 401, 406, 413, 415, 500, 502, 503, 504)})
def round_report(round_id: int) -> Response:
    """The report of a round, from its records."""
    note(doc_type="report")
    return http_rounds.report(round_id, json_body(),
                                  allow_incomplete=flag(request.args, "allow_incomplete"))


# --- stateless: report text + unit list ----------------------------------------------------

def _stateless_example() -> dict[str, Any] | None:
    report = example_payload(get_type("report"))
    if report is None:
        return None
    report.pop("counts", None)
    report.pop("number", None)
    return {"report": report, "units": [
        {"name": "Sở Nội vụ", "mode": "on_site", "integrated": False, "not_inspected": False},
        {"name": "UBND huyện Mỹ Tú", "mode": "on_site", "integrated": True,
         "not_inspected": False},
        {"name": "UBND xã Long Hưng", "mode": "by_report"},
    ]}


@bp.route("/report", methods=["POST"], endpoint="stateless_report")
@bp.doc(
    operationId="render_report_from_units", security=SECURITY,
    summary="Báo cáo kết quả kiểm tra (BC) từ danh sách đơn vị, không lưu — stateless",
    description="Counts (planned, on-site, integrated, not inspected, by report) are computed "
                "from `units`; the rest of the report is `report` (its `findings` typed). "
                "`?register=true` numbers it through the outgoing register.",
    parameters=[FORMAT_PARAMETER, PDFA_PARAMETER, REGISTER_PARAMETER, IDEMPOTENCY_PARAMETER],
    requestBody={"required": True, "content": {"application/json": {
        "schema": rounds.RoundSchema,
        **({"example": ex} if (ex := _stateless_example()) else {})}}},
    responses={
        "200": {"description": "The report.",
                "headers": {**REGISTERED_HEADERS, "X-Request-ID": request_id_header()},
                "content": DOCUMENT_CONTENT},
        "409": NUMBER_CONFLICT,
        **_problems(400, 401, 406, 413, 415, 422, 500, 502, 503, 504)})
def stateless_report() -> Response:
    """The report, its counts computed from the units given in the request."""
    note(doc_type="report")
    payload = json_body()
    asked = document_request("report", payload)  # options refused before any work
    validated = rounds.validate_round(service().renderer, payload)
    return document_response(service().produce(asked, validated))


# --- the whole round (issue 16) --------------------------------------------------------------

UNIT_NOT_FOUND = _not_found("round_unit_not_found", "Không có đơn vị này trong đợt kiểm tra",
                            "Đợt kiểm tra số 7 không có đơn vị số thứ tự 200.")
ROUND_NUMBERED = problem_doc(
    409, "round_numbered", "Đợt kiểm tra đã có văn bản được cấp số",
    "A document of the round is numbered: its unit list stays (or `unit_has_records` for a "
    "unit with records removed, renamed or changing mode).",
    "Đợt kiểm tra số 1 đã có văn bản được cấp số (12/BB-ĐKT) trong sổ đăng ký văn bản đi; "
    "không thể sửa danh sách đơn vị.")
ZIP_CONTENT = {"application/zip": {"schema": {"type": "string", "format": "binary"}}}
ZIP = "application/zip"


class RoundListItemSchema(ma.Schema):
    class Meta:
        ordered = True

    id = ma.fields.Integer()
    issuer = ma.fields.String()
    year = ma.fields.Integer()
    title = ma.fields.String()
    due_date = ma.fields.String(allow_none=True, metadata={"format": "date"})
    units = ma.fields.Integer()
    on_site = ma.fields.Integer()
    by_report = ma.fields.Integer()
    minutes = ma.fields.Integer()
    not_inspected = ma.fields.Integer()
    reports_received = ma.fields.Integer()
    numbered = ma.fields.Integer(metadata={"description": "Documents numbered in the register."})
    draft = ma.fields.Boolean(metadata={"description": "Nothing numbered: editable, deletable."})


class RoundListSchema(ma.Schema):
    rounds = ma.fields.List(ma.fields.Nested(RoundListItemSchema))


class EventOutSchema(ma.Schema):
    class Meta:
        ordered = True

    at = ma.fields.String(metadata={"format": "date-time"})
    actor = ma.fields.String(metadata={"description": "api:<key fingerprint>, trang:<login>, "
                                                      "cli:<user> (+ the name given)."})
    action = ma.fields.String()
    what = ma.fields.String()
    stt = ma.fields.Integer(allow_none=True)
    detail = ma.fields.String()


class EventListSchema(ma.Schema):
    events = ma.fields.List(ma.fields.Nested(EventOutSchema))


class DashboardAttachmentSchema(ma.Schema):
    class Meta:
        ordered = True

    id = ma.fields.Integer()
    filename = ma.fields.String()
    size = ma.fields.Integer(metadata={"description": "Bytes."})


class DashboardProgressSchema(ma.Schema):
    class Meta:
        ordered = True

    minutes = ma.fields.Integer(metadata={"description": "On-site units with minutes."})
    pending_on_site = ma.fields.Integer(metadata={
        "description": "On-site units with neither minutes nor a not-inspected mark."})
    reports_received = ma.fields.Integer()
    reports_pending = ma.fields.Integer()
    overdue = ma.fields.Integer()
    notices = ma.fields.Integer(metadata={"description": "Units with a notice of results."})
    corrections_reported = ma.fields.Integer()
    report_issued = ma.fields.String(allow_none=True, metadata={
        "description": "The symbol of the numbered report, or null."})


class DashboardFiltersSchema(ma.Schema):
    class Meta:
        ordered = True

    mode = ma.fields.String(allow_none=True)
    status = ma.fields.String(allow_none=True)
    overdue = ma.fields.Boolean()
    q = ma.fields.String()


class DashboardDocumentSchema(ma.Schema):
    class Meta:
        ordered = True

    id = ma.fields.Integer(allow_none=True, metadata={
        "description": "null for numbered minutes (kept with the unit)."})
    kind = ma.fields.String(metadata={
        "enum": ["plan", "decision", "letter", "notice", "report", "minutes"]})
    what = ma.fields.String(metadata={"description": "The kind in Vietnamese."})
    stt = ma.fields.Integer(allow_none=True, metadata={"description": "The unit's, if any."})
    date = ma.fields.String(allow_none=True, metadata={"format": "date"})
    summary = ma.fields.String()
    symbol = ma.fields.String(allow_none=True, metadata={"description": "When numbered."})
    register_entry_id = ma.fields.Integer(allow_none=True)


class DashboardUnitSchema(ma.Schema):
    class Meta:
        ordered = True

    stt = ma.fields.Integer()
    name = ma.fields.String()
    mode = ma.fields.String()
    integrated = ma.fields.Boolean()
    status = ma.fields.String()
    reason = ma.fields.String()
    due_date = ma.fields.String(allow_none=True)
    overdue = ma.fields.String(metadata={
        "enum": ["", "report", "inspection", "corrections"],
        "description": "Why the unit is late, \"\" when it is not."})
    minutes_date = ma.fields.String(allow_none=True)
    minutes_symbol = ma.fields.String(allow_none=True)
    received_on = ma.fields.String(allow_none=True)
    assessments = ma.fields.Integer()
    attachments = ma.fields.List(ma.fields.Nested(DashboardAttachmentSchema))
    remarks = ma.fields.String()
    notice_symbol = ma.fields.String(allow_none=True)
    notice_date = ma.fields.String(allow_none=True)
    corrections_due = ma.fields.String(allow_none=True)
    corrections_reported_on = ma.fields.String(allow_none=True)


class DashboardSchema(ma.Schema):
    class Meta:
        ordered = True

    id = ma.fields.Integer()
    title = ma.fields.String()
    year = ma.fields.Integer()
    issuer = ma.fields.Nested(AgencySchema)
    due_date = ma.fields.String(allow_none=True)
    today = ma.fields.String()
    counts = ma.fields.Nested(CountsOutSchema)
    by_mode_status = ma.fields.Dict(
        keys=ma.fields.String(), values=ma.fields.Dict(keys=ma.fields.String(),
                                                       values=ma.fields.Integer()),
        metadata={"description": "{mode: {status: units}}, every unit of the round."})
    progress = ma.fields.Nested(DashboardProgressSchema)
    draft = ma.fields.Boolean()
    filters = ma.fields.Nested(DashboardFiltersSchema)
    units = ma.fields.List(ma.fields.Nested(DashboardUnitSchema), metadata={
        "description": "The units the filters select."})
    documents = ma.fields.List(ma.fields.Nested(DashboardDocumentSchema), metadata={
        "description": "Documents of the round: kind, unit stt, date, symbol when numbered."})
    events = ma.fields.List(ma.fields.Nested(EventOutSchema))


FILTER_PARAMETERS = [
    {"in": "query", "name": "mode", "required": False, "description": "on_site | by_report",
     "schema": {"type": "string", "enum": ["on_site", "by_report"]}},
    {"in": "query", "name": "status", "required": False,
     "schema": {"type": "string", "enum": ["planned", "inspected", "not_inspected",
                                           "reported"]}},
    {"in": "query", "name": "overdue", "required": False, "description": "Only late units.",
     "schema": {"type": "boolean", "default": False}},
    {"in": "query", "name": "q", "required": False, "description": "Part of a unit's name.",
     "schema": {"type": "string", "maxLength": 200}},
]


def _json(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status,
                    mimetype="application/json")


@bp.route("", methods=["GET"], endpoint="list")
@bp.response(200, RoundListSchema, headers={"X-Request-ID": request_id_header()})
@bp.doc(operationId="list_rounds", security=SECURITY,
        summary="Danh sách các đợt kiểm tra, số lượng và tiến độ — every round",
        responses={"401": problem_ref(401), "503": problem_ref(503)})
def list_all() -> dict[str, Any]:
    """Every round, newest first."""
    with _session_factory()() as session:
        return {"rounds": workflow.list_rounds(session)}


@bp.route("/<int:round_id>", methods=["PATCH"], endpoint="edit")
@bp.doc(
    operationId="edit_round", security=SECURITY,
    summary="Sửa đợt kiểm tra: tên, hạn, danh sách đơn vị khi chưa cấp số — edit a round",
    description="`title` and `due_date` change any time; `units` (the whole list, matched by "
                "stt) only while no document of the round is numbered. A unit with minutes, a "
                "submission or a notice keeps its stt, name and mode.",
    requestBody={"required": True, "content": {"application/json": {
        "schema": workflow.RoundEditSchema,
        "example": {"due_date": "2017-10-16", "title": "Kiểm tra ISO năm 2017"}}}},
    responses={"200": {"description": "The round.",
                       "content": {"application/json": {"schema": RoundOutSchema}}},
               "404": ROUND_NOT_FOUND, "409": ROUND_NUMBERED,
               **_problems(400, 401, 413, 415, 422)})
def edit(round_id: int) -> Response:
    workflow.update_round(_session_factory(), round_id, json_body(), actor=actor())
    with _session_factory()() as session:
        return _json(RoundOutSchema().dump(store.round_dict(session, round_id)))


@bp.route("/<int:round_id>", methods=["DELETE"], endpoint="delete")
@bp.doc(operationId="delete_round", security=SECURITY,
        summary="Xóa đợt kiểm tra còn là dự thảo (chưa cấp số văn bản nào) — delete a draft",
        responses={"204": {"description": "Deleted; its audit log stays."},
                   "404": ROUND_NOT_FOUND, "409": ROUND_NUMBERED, "401": problem_ref(401)})
def delete(round_id: int) -> Response:
    workflow.delete_round(_session_factory(), round_id, actor=actor())
    return Response(status=204)


def _board(round_id: int) -> dict[str, Any]:
    filters = workflow.DashboardFilters.parse(request.args)
    with _session_factory()() as session:
        return workflow.dashboard(session, round_id, filters)


@bp.route("/<int:round_id>/dashboard", methods=["GET"], endpoint="dashboard")
@bp.response(200, DashboardSchema, headers={"X-Request-ID": request_id_header()})
@bp.doc(operationId="round_dashboard", security=SECURITY,
        summary="Bảng theo dõi đợt kiểm tra: đơn vị, tiến độ, quá hạn, văn bản — dashboard",
        parameters=FILTER_PARAMETERS,
        responses={"401": problem_ref(401), "404": ROUND_NOT_FOUND, "422": problem_ref(422)})
def dashboard(round_id: int) -> dict[str, Any]:
    return _board(round_id)


@bp.route("/<int:round_id>/dashboard/export", methods=["GET"], endpoint="dashboard_export")
@bp.doc(operationId="export_round_dashboard", security=SECURITY,
        summary="Xuất danh sách đơn vị của bảng theo dõi ra Excel hoặc CSV — export",
        parameters=[*FILTER_PARAMETERS,
                    {"in": "query", "name": "format", "required": False,
                     "schema": {"type": "string", "enum": ["csv", "xlsx"], "default": "xlsx"}}],
        responses={"200": {"description": "The units the filters select.", "content": {
            "text/csv": {"schema": {"type": "string", "format": "binary"}},
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                "schema": {"type": "string", "format": "binary"}}}},
            "401": problem_ref(401), "404": ROUND_NOT_FOUND, "422": problem_ref(422)})
def dashboard_export(round_id: int) -> Response:
    fmt = request.args.get("format", "xlsx").strip().lower()
    if fmt not in ("csv", "xlsx"):
        from docgen.errors import FieldError, ValidationError
        raise ValidationError([FieldError("format", "Định dạng xuất phải là csv hoặc xlsx.",
                                          "invalid_choice")])
    content, media = workflow.export_units(_board(round_id), fmt)
    return file_response(content, media, f"dot-kiem-tra-{round_id}.{fmt}")


@bp.route("/<int:round_id>/events", methods=["GET"], endpoint="events")
@bp.response(200, EventListSchema, headers={"X-Request-ID": request_id_header()})
@bp.doc(operationId="round_events", security=SECURITY,
        summary="Nhật ký thao tác của đợt kiểm tra: ai, lúc nào, làm gì — audit log",
        description="Kept after a draft round is deleted (its last line the deletion); empty "
                    "for a number no round ever had.",
        responses={"401": problem_ref(401), "404": ROUND_NOT_FOUND})
def events(round_id: int) -> dict[str, Any]:
    from docgen.rounds import audit

    with _session_factory()() as session:
        return {"events": audit.events(session, round_id)}


@bp.route("/from-plan", methods=["POST"], endpoint="from_plan")
@bp.doc(operationId="create_round_from_plan", security=SECURITY,
        summary="Tạo đợt kiểm tra từ kế hoạch kiểm tra (lịch đơn vị, hình thức) — from a plan",
        description="`plan` is a `plan` payload: its units (name, mode, scheduled date) "
                    "become the round's; issuer and year are the plan's. The plan is kept "
                    "with the round.",
        requestBody={"required": True, "content": {"application/json": {
            "schema": workflow.FromPlanSchema,
            **({"example": {"plan": ex, "due_date": "2017-10-16"}}
               if (ex := example_payload(get_type("plan"))) else {})}}},
        responses={"201": {"description": "The round.", "headers": {
            "Location": {"description": "The round's address.", "schema": {"type": "string"}}},
            "content": {"application/json": {"schema": RoundOutSchema}}},
            **_problems(400, 401, 413, 415, 422)})
def from_plan() -> Response:
    round_ = workflow.round_from_plan(service().renderer, _session_factory(), json_body(),
                                      actor=actor())
    with _session_factory()() as session:
        response = _json(RoundOutSchema().dump(store.round_dict(session, round_.id)), 201)
    response.headers["Location"] = url_for("rounds.get", round_id=round_.id)
    return response


@bp.route("/<int:round_id>/plan", methods=["GET"], endpoint="plan")
@bp.doc(operationId="get_round_plan", security=SECURITY,
        summary="Kế hoạch kiểm tra của đợt, với danh sách đơn vị của đợt — the plan payload",
        responses={"200": {"description": "A `plan` payload; its `units` are the round's.",
                           "content": {"application/json": {
                               "schema": resolver(get_type("plan").schema)}}},
                   "401": problem_ref(401), "404": ROUND_NOT_FOUND,
                   "422": problem_doc(422, "round_has_no_plan", "Dữ liệu không hợp lệ",
                                      "No plan is kept with the round.",
                                      "Đợt kiểm tra chưa có kế hoạch.")})
def plan(round_id: int) -> Response:
    with _session_factory()() as session:
        return _json(workflow.plan_payload(session, round_id))


def _kept_document(kind: str, round_id: int) -> Response:
    note(doc_type=kind)
    return http_rounds.kept_document(kind, round_id, json_body())


_KEPT_RESPONSES = {
    "200": {"description": "The document.", "headers": REGISTERED_HEADERS,
            "content": DOCUMENT_CONTENT},
    "404": ROUND_NOT_FOUND, "409": NUMBER_CONFLICT,
    **_problems(400, 401, 406, 413, 415, 422, 500, 502, 503, 504)}


@bp.route("/<int:round_id>/plan", methods=["PUT"], endpoint="put_plan")
@bp.doc(operationId="put_round_plan", security=SECURITY,
        summary="Lưu kế hoạch kiểm tra với đợt và xuất văn bản — keep the round's plan",
        description="A `plan` payload (without `units`: the round's are used). With units, "
                    "they must be the round's (422 `plan_unit_mismatch`).",
        parameters=[FORMAT_PARAMETER, REGISTER_PARAMETER],
        requestBody={"required": True, "content": {"application/json": {
            "schema": ROUND_PLAN,
            **({"example": ex} if (ex := derived_example(
                derived(ROUND_PLAN), example_payload(get_type("plan")))) else {})}}},
        responses=_KEPT_RESPONSES)
def put_plan(round_id: int) -> Response:
    return _kept_document("plan", round_id)


@bp.route("/<int:round_id>/decision", methods=["PUT"], endpoint="decision")
@bp.doc(operationId="put_round_decision", security=SECURITY,
        summary="Quyết định thành lập Đoàn kiểm tra của đợt: lưu, cấp số, xuất — the decision",
        description="A `decision` payload. Minutes recorded without `basis` and the notices "
                    "cite it (number, date, decider, subject).",
        parameters=[FORMAT_PARAMETER, REGISTER_PARAMETER],
        requestBody={"required": True, "content": {"application/json": {
            # By name, as for the minutes: the decision type loaded when the document is built.
            "schema": resolver(get_type("decision").schema),
            **({"example": ex} if (ex := example_payload(get_type("decision"))) else {})}}},
        responses=_KEPT_RESPONSES)
def put_decision(round_id: int) -> Response:
    return _kept_document("decision", round_id)


class AttachmentOutSchema(ma.Schema):
    class Meta:
        ordered = True

    id = ma.fields.Integer(metadata={
        "description": "GET /api/v1/rounds/{round_id}/attachments/{id} answers the file."})
    filename = ma.fields.String()
    media_type = ma.fields.String()
    size = ma.fields.Integer(metadata={"description": "Bytes."})
    sha256 = ma.fields.String(metadata={"description": "Hex digest of the file."})


class SubmissionOutSchema(ma.Schema):
    class Meta:
        ordered = True

    received_on = ma.fields.String(allow_none=True, metadata={"format": "date"})
    assessments = ma.fields.List(ma.fields.Nested(workflow.AssessmentSchema), metadata={
        "description": "The self-assessment per aspect, in the order sent."})
    remarks = ma.fields.String()
    attachments = ma.fields.List(ma.fields.Nested(AttachmentOutSchema))


class CorrectionsOutSchema(ma.Schema):
    class Meta:
        ordered = True

    stt = ma.fields.Integer()
    name = ma.fields.String()
    corrections_reported_on = ma.fields.String(metadata={"format": "date"})
    corrections_note = ma.fields.String()


def _submission_body() -> tuple[Any, list[workflow.Upload]]:
    if request.mimetype == "multipart/form-data":
        limit_upload()  # files of up to 10 MB each: more than a JSON body may be
        with upload_limit_named():
            files = request.files.getlist("attachments")
        data = jsonin.loads(request.form.get("data") or "{}", where="data")
        uploads = [workflow.Upload(f.filename or "tep", f.read()) for f in files]
        return data, uploads
    return json_body(), []


@bp.route("/<int:round_id>/units/<int:stt>/submission", methods=["PUT"], endpoint="submission")
@bp.doc(
    operationId="put_round_submission", security=SECURITY,
    summary="Ghi nhận báo cáo của đơn vị kiểm tra qua báo cáo: ngày nhận, tự đánh giá, tệp "
            "— record a submission",
    description="JSON `{received_on, assessments: [{aspect, content}], remarks}`, or "
                "multipart with that JSON in `data` and files in `attachments` (PDF, Word, "
                "Excel, JPEG, PNG; at most 10 MB each, 10 per report, the whole request at most "
                "`DOCGEN_BATCH_MAX_UPLOAD_BYTES` (20 MB by default) — send more in another "
                "request; kept in the database). "
                "Recording again replaces the date, assessment and remarks; files are added.",
    requestBody={"required": True, "content": {
        "application/json": {"schema": workflow.SubmissionSchema, "example": {
            "received_on": "2017-10-09", "remarks": "Báo cáo đầy đủ nội dung.",
            "assessments": [{"aspect": "scope",
                             "content": "Áp dụng cho toàn bộ thủ tục hành chính."}]}},
        "multipart/form-data": {"schema": {"type": "object", "required": ["data"], "properties": {
            "data": {"type": "string", "description": "The JSON above."},
            "attachments": {"type": "array", "items": {"type": "string",
                                                       "format": "binary"}}}}}}},
    responses={"200": {"description": "The submission.",
                       "content": {"application/json": {"schema": SubmissionOutSchema}}},
               "404": UNIT_NOT_FOUND,
               "409": problem_doc(409, "unit_not_by_report", "Đơn vị không kiểm tra qua báo cáo",
                                  "The unit is inspected on-site.",
                                  "Sở Nội vụ (STT 2) được kiểm tra tại trụ sở, không kiểm "
                                  "tra qua báo cáo."),
               **_problems(400, 401, 413, 415, 422)})
def submission(round_id: int, stt: int) -> Response:
    data, uploads = _submission_body()
    return _json(workflow.record_submission(_session_factory(), round_id, stt, data, uploads,
                                            actor=actor()))


@bp.route("/<int:round_id>/units/<int:stt>/submission", methods=["GET"],
          endpoint="get_submission")
@bp.response(200, SubmissionOutSchema, headers={"X-Request-ID": request_id_header()})
@bp.doc(operationId="get_round_submission", security=SECURITY,
        summary="Báo cáo đã nhận của một đơn vị kiểm tra qua báo cáo — a submission",
        responses={"401": problem_ref(401), "404": UNIT_NOT_FOUND})
def get_submission(round_id: int, stt: int) -> dict[str, Any]:
    with _session_factory()() as session:
        return workflow.get_submission(session, round_id, stt)


@bp.route("/<int:round_id>/attachments/<int:attachment_id>", methods=["GET"],
          endpoint="attachment")
@bp.doc(operationId="get_round_attachment", security=SECURITY,
        summary="Tệp đính kèm báo cáo của đơn vị — an attached file",
        responses={"200": {"description": "The file as the unit sent it.",
                           "content": {"application/octet-stream": {
                               "schema": {"type": "string", "format": "binary"}}}},
                   "401": problem_ref(401),
                   "404": _not_found("attachment_not_found", "Không có tệp đính kèm này",
                                     "Không có tệp đính kèm số 9.")})
def attachment(round_id: int, attachment_id: int) -> Response:
    with _session_factory()() as session:
        found = workflow.attachment(session, round_id, attachment_id)
        response = file_response(found.content, found.media_type, found.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


_MANY_RESPONSES = {
    "200": {"description": "One document, or several in a .zip.", "headers": REGISTERED_HEADERS,
            "content": {**DOCUMENT_CONTENT, **ZIP_CONTENT}},
    "404": ROUND_NOT_FOUND, "409": NUMBER_CONFLICT,
    **_problems(400, 401, 406, 413, 415, 422, 500, 502, 503, 504)}


@bp.route("/<int:round_id>/letters", methods=["POST"], endpoint="letters")
@bp.doc(
    operationId="render_round_letters", security=SECURITY,
    summary="Công văn đề nghị các đơn vị kiểm tra qua báo cáo gửi báo cáo — letters",
    description="`letter`: a `letter` payload without `units` (`deadline` defaults to the "
                "round's due date, `agency` to its issuer). `grouping`: `list` (one letter "
                "with the units listed) or `each` (one per unit, its own due date). `stt`: the "
                "units (default: by-report units without a report). `register=true` numbers "
                "every letter in one transaction.",
    parameters=[FORMAT_PARAMETER, REGISTER_PARAMETER],
    requestBody={"required": True, "content": {"application/json": {
        "schema": workflow.LettersSchema,
        **({"example": {"letter": ex, "grouping": "list"}} if (ex := derived_example(
            derived(ROUND_LETTER), example_payload(get_type("letter")))) else {})}}},
    responses=_MANY_RESPONSES)
def letters(round_id: int) -> Response:
    note(doc_type="letter")
    return http_rounds.letters(round_id, json_body())


@bp.route("/<int:round_id>/notices", methods=["POST"], endpoint="notices")
@bp.doc(
    operationId="render_round_notices", security=SECURITY,
    summary="Thông báo kết quả kiểm tra cho từng đơn vị, lập từ biên bản — notices",
    description="`notice`: the common fields of a `notice` payload (date, report_deadline, "
                "signer, recipients, archive). Per unit, from its minutes: findings per "
                "aspect (each `dat` unless in the unit's `not_met`: the minutes hold findings, "
                "not a verdict), the conclusion as `general`, the requests as the points to "
                "correct without a correction of their own (a request that only asks for the "
                "corrections' report is dropped: the closing sentence asks for it by "
                "`report_deadline`); the decision and the minutes are cited. `units`: per-unit "
                "`not_met` aspects, `nonconformities` (replace the requests), `general`. "
                "`stt`: default every unit with minutes and no notice yet.",
    parameters=[FORMAT_PARAMETER, REGISTER_PARAMETER],
    requestBody={"required": True, "content": {"application/json": {
        "schema": workflow.NoticesSchema,
        **({"example": {"notice": ex}} if (ex := derived_example(
            derived(ROUND_NOTICE), example_payload(get_type("notice")))) else {})}}},
    responses=_MANY_RESPONSES)
def notices(round_id: int) -> Response:
    note(doc_type="notice")
    return http_rounds.notices(round_id, json_body())


@bp.route("/<int:round_id>/units/<int:stt>/corrections", methods=["POST"],
          endpoint="corrections")
@bp.doc(operationId="record_round_corrections", security=SECURITY,
        summary="Ghi đơn vị đã báo cáo kết quả khắc phục — corrections reported",
        requestBody={"required": True, "content": {"application/json": {
            "schema": workflow.CorrectionsSchema,
            "example": {"reported_on": "2017-11-15", "note": "Đã khắc phục."}}}},
        responses={"200": {"description": "The unit's corrections.",
                           "content": {"application/json": {"schema": CorrectionsOutSchema}}},
                   "404": UNIT_NOT_FOUND, "409": UNIT_NOT_ON_SITE,
                   **_problems(400, 401, 415, 422)})
def corrections(round_id: int, stt: int) -> Response:
    return _json(workflow.record_corrections(_session_factory(), round_id, stt, json_body(),
                                             actor=actor()))
