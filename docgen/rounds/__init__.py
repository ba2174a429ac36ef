"""The summary report of a round (Báo cáo kết quả kiểm tra) from the results of each unit.

The report's counts are not typed by hand: they are computed from the list of
units of the round and what happened at each one —

    planned        every unit in the list
    on_site        mode ``on_site`` (tại trụ sở)
    integrated     on-site units inspected together with the administrative-reform team
    not_inspected  on-site units that could not be inspected
    by_report      mode ``by_report`` (qua báo cáo)

— so the report always adds up (the report schema checks the same sums). The
units come as JSON (``[{"name", "mode", "integrated", "not_inspected"}]``) or as a
CSV or XLSX with the columns of ``shared/data/soc-trang-2017-units.csv`` (``unit_name``,
``mode``, ``integrated_with_reform_inspection``, ``not_inspected``; 0/1), read by
:mod:`docgen.rounds.units_file`.
No Flask here: :mod:`docgen.api.rounds` and ``docgen round`` are the adapters.

This module is the stateless path (a unit list in, a report out). Rounds kept in the
register database, with the minutes of each unit and a report whose per-aspect
results are also computed, are in the submodules:

    store.py     create a round, record minutes / not-inspected marks, build the report
    summary.py   the per-aspect paragraphs of the report, from the minutes' findings
    errors.py    round_not_found, unit_not_on_site, round_incomplete …
    units_file.py  the unit list from a CSV or XLSX file, errors by row and column
    cli.py       ``docgen round …``
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from marshmallow import ValidationError as MarshmallowValidationError
from marshmallow import fields, validates_schema

from docgen.errors import FieldError, ValidationError
from docgen.rendering import Renderer, Validated
from docgen.rounds.payloads import REPORT_WITHOUT_COUNTS
from docgen.rounds.units_file import MAX_UNITS
from docgen.schemas.base import BaseSchema, load_payload
from docgen.schemas.common import MODES, nested_list, optional_text, text_field
from docgen.schemas.fields import Choice, Integer, Message, Payload, Range

__all__ = ["RoundSchema", "UnitResultSchema", "read_units_csv", "round_report", "unit_counts",
           "validate_round"]



class UnitResultSchema(BaseSchema):
    """One unit of the round and its result."""

    stt = Integer(required=False, validate=Range(min=1, max=100000),
                  metadata={"title": "Số thứ tự", "description": "Default: the position."})
    name = text_field("Tên cơ quan, đơn vị", max_length=300)
    mode = Choice(MODES, required=True, metadata={"title": "Hình thức kiểm tra"})
    integrated = fields.Boolean(
        load_default=False,
        metadata={"title": "Kiểm tra lồng ghép với Đoàn kiểm tra cải cách hành chính"})
    not_inspected = fields.Boolean(
        load_default=False, metadata={"title": "Chưa kiểm tra được"})
    reason = optional_text("Lý do chưa kiểm tra được")

    @validates_schema
    def _on_site_only(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("mode") != "by_report":
            return
        errors = {
            key: [Message("Chỉ đơn vị kiểm tra tại trụ sở mới có thể "
                          f"{label}; đơn vị này kiểm tra qua báo cáo.", "only_on_site")]
            for key, label in (("integrated", "kiểm tra lồng ghép"),
                               ("not_inspected", "là chưa kiểm tra được"))
            if data.get(key)
        }
        if errors:
            raise MarshmallowValidationError(errors)


class RoundSchema(BaseSchema):
    """``report``: a report payload without ``counts``; ``units``: the round's units."""

    report = Payload("report", component=REPORT_WITHOUT_COUNTS, required=True, metadata={
        "title": "Báo cáo (không có counts)",
        "description": "The fields of a `report` payload except `counts`, which is computed."})
    units = nested_list(UnitResultSchema, "Kết quả từng đơn vị", max_items=MAX_UNITS)


def unit_counts(units: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    """The report's counts from validated unit results.

    >>> unit_counts([{"mode": "on_site", "integrated": True, "not_inspected": False},
    ...              {"mode": "by_report", "integrated": False, "not_inspected": False}])
    {'planned': 2, 'on_site': 1, 'integrated': 1, 'not_inspected': 0, 'by_report': 1}
    """
    on_site = [u for u in units if u["mode"] == "on_site"]
    return {
        "planned": len(units),
        "on_site": len(on_site),
        "integrated": sum(1 for u in on_site if u["integrated"]),
        "not_inspected": sum(1 for u in on_site if u["not_inspected"]),
        "by_report": len(units) - len(on_site),
    }


def round_report(payload: Any) -> dict[str, Any]:
    """The ``report`` payload with its computed ``counts``; ``ValidationError`` on bad units."""
    clean = load_payload(RoundSchema(), payload)
    if "counts" in clean["report"]:
        raise ValidationError([FieldError(
            "report.counts", "Số lượng đơn vị được tính từ danh sách đơn vị (units); "
            "không nhập counts.", "computed_field")])
    return {**clean["report"], "counts": unit_counts(clean["units"])}


def validate_round(renderer: Renderer, payload: Any) -> Validated:
    """Validate the round and the report it makes; report errors get a ``report.`` path."""
    report = round_report(payload)
    try:
        return renderer.validate("report", report)
    except ValidationError as exc:
        raise ValidationError([FieldError(_report_path(e.path), e.message, e.code)
                               for e in exc.errors]) from exc


def _report_path(path: str) -> str:
    return "report" if path in ("", "$") else f"report.{path}"


# --- the unit list as a file ----------------------------------------------------------

def read_units_csv(content: bytes, filename: str = "") -> list[dict[str, Any]]:
    """Unit results from a unit list file: CSV (UTF-8 with or without BOM, UTF-16,
    Windows-1258; comma, semicolon or tab) or XLSX — :func:`docgen.rounds.units_file.
    read_units_file`, the one reader of the API, the CLI and the pages.

    Values are checked afterwards by the schema; a flag that is not 0/1 (or x, có/không,
    true/false) is passed on as is and refused there, by row.
    """
    from docgen.rounds.units_file import read_units_file

    return read_units_file(content, filename).units
