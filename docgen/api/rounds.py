"""Inspection rounds over HTTP: plan → units → minutes per unit → the round's report.

    POST /api/v1/rounds                                  a round and its units (JSON or CSV) → 201
    GET  /api/v1/rounds/<id>                             units, status, computed counts
    PUT  /api/v1/rounds/<id>/units/<stt>/minutes         the unit's minutes → the .docx
    POST /api/v1/rounds/<id>/units/<stt>/not-inspected   an on-site unit not inspected (reason)
    POST /api/v1/rounds/<id>/units/<stt>/reported        a by-report unit's report came in
    POST /api/v1/rounds/<id>/report                      the report, figures from the records
    POST /api/v1/rounds/report                           stateless: report text + unit list

The rounds live in the register database (:mod:`docgen.rounds.store`); the register
blueprint opens it for the app. Errors are problem+json through the app's handler.
"""

from __future__ import annotations

import json
from typing import Any

import marshmallow as ma
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
from docgen.http.access_log import note
from docgen.http.files import document_response
from docgen.http.requests import document_request, flag, json_body, service
from docgen.rendering import MEDIA_TYPES
from docgen.rounds import store
from docgen.rounds.schemas import RoundReportSchema
from docgen.service import DocumentRequest, Produced

bp = Blueprint("rounds", __name__, url_prefix="/api/v1/rounds",
               description="Đợt kiểm tra — an inspection round: units, minutes per unit, and "
                           "the report computed from them.")
bp.ARGUMENTS_PARSER = ClientJSONParser()  # bounded JSON bodies (issue 13, point 12)

# --- documentation: shapes and responses ---------------------------------------------------


class UnitMinutesOutSchema(ma.Schema):
    class Meta:
        ordered = True

    date = ma.fields.String(metadata={"format": "date"})
    aspects = ma.fields.List(ma.fields.String(), metadata={
        "description": "The aspects the minutes have findings on."})
    register_entry = ma.fields.Dict(allow_none=True, metadata={
        "description": "`{id, symbol}` when the minutes were numbered through the register."})


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
    minutes = ma.fields.Nested(UnitMinutesOutSchema, allow_none=True)


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
    issuer = ma.fields.Dict(metadata={"description": "The agency block of the report."})
    year = ma.fields.Integer()
    title = ma.fields.String()
    created_at = ma.fields.String(metadata={"format": "date-time"})
    counts = ma.fields.Nested(CountsOutSchema, metadata={
        "description": "Counted from the units' records, as the report prints them."})
    progress = ma.fields.Nested(ProgressOutSchema)
    aspects = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer(), metadata={
        "description": "Per aspect: units whose minutes have a finding on it."})
    units = ma.fields.List(ma.fields.Nested(RoundUnitOutSchema))


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
    return service().the_register().session_factory


def _options(request: DocumentRequest) -> dict[str, Any]:
    """The checked options of ``request`` as the store's keyword arguments."""
    return {"fmt": request.output.format, "pdfa": request.output.pdfa,
            "register": request.register, "idempotency_key": request.idempotency_key}


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


def _new_round_payload() -> Any:
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("units")
        if upload is None:
            raise UnreadableInputError("Thiếu tệp danh sách đơn vị (trường 'units', CSV).")
        data = jsonin.loads(request.form.get("data") or "{}", where="data")
        if not isinstance(data, dict):
            raise UnreadableInputError("Trường 'data' phải là một đối tượng JSON.")
        return {**data, "units": rounds.read_units_csv(upload.read())}
    return json_body()


@bp.route("", methods=["POST"], endpoint="create")
@bp.doc(
    operationId="create_round", security=SECURITY,
    summary="Tạo đợt kiểm tra với các đơn vị trong kế hoạch — create a round",
    description="JSON (`issuer`, `year`, `title`, `units`), or multipart with a CSV file "
                "`units` in the layout of `soc-trang-2017-units.csv` (stt, unit_name, mode, "
                "integrated_with_reform_inspection, not_inspected) and a JSON field `data` "
                "with `issuer`, `year`, `title`.",
    requestBody={"required": True, "content": {
        "application/json": {"schema": store.NewRoundSchema, "example": _round_example()},
        "multipart/form-data": {"schema": {
            "type": "object", "required": ["units", "data"],
            "properties": {"units": {"type": "string", "format": "binary",
                                     "description": "CSV, UTF-8."},
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
    """Create a round from JSON or the plan's CSV."""
    round_ = store.create_round(_session_factory(), _new_round_payload())
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
        "schema": get_type("minutes").schema,
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
    asked = document_request("minutes", json_body())
    rendered, entry = store.record_minutes(service().renderer, _session_factory(), round_id,
                                           stt, asked.data, **_options(asked))
    return document_response(Produced(rendered, entry))


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
    return store.mark_not_inspected(_session_factory(), round_id, stt, body)


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
    return store.mark_reported(_session_factory(), round_id, stt)


# --- the report ----------------------------------------------------------------------------

def _report_example() -> dict[str, Any] | None:
    report = example_payload(get_type("report"))
    if report is None:
        return None
    for key in ("counts", "findings", "number", "agency", "year", "period_start", "period_end",
                "not_inspected_reason"):
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
                "`allow_incomplete=true` (the report then says how many are pending).",
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
                           "field errors, `computed_field` for `counts`/`findings`).",
                           "Còn 2 đơn vị kiểm tra tại trụ sở chưa có biên bản cũng chưa được "
                           "ghi là chưa kiểm tra được: Sở Nội vụ (STT 2), Sở Tư pháp (STT 3)."),
        **_problems(400, 401, 406, 413, 415, 500, 502, 503, 504)})
def round_report(round_id: int) -> Response:
    """The report of a round, from its records."""
    note(doc_type="report")
    asked = document_request("report", json_body())
    report = store.ReportRequest(asked.data,
                                 allow_incomplete=flag(request.args, "allow_incomplete"))
    rendered, entry = store.render_report(service().renderer, _session_factory(), round_id,
                                          report, **_options(asked))
    return document_response(Produced(rendered, entry))


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
