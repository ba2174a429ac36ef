"""Kế hoạch kiểm tra (KH): the yearly inspection plan with its unit schedule."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, validates_schema

from docgen.errors import FieldError
from docgen.schemas.base import BaseSchema
from docgen.schemas.common import (
    MODES,
    DocumentSchema,
    PeriodMixin,
    nested_list,
    optional_text,
    text_field,
    text_list,
    year_field,
)
from docgen.schemas.fields import Choice, Date, Integer, Message, Range


class ScheduledUnitSchema(BaseSchema):
    name = text_field("Tên đơn vị")
    mode = Choice(MODES, required=True, metadata={"title": "Hình thức kiểm tra"})
    scheduled_on = Date(
        required=False, allow_none=True, load_default=None, metadata={"title": "Ngày dự kiến"}
    )


class ResponsibilitySchema(BaseSchema):
    party = text_field("Cơ quan, đơn vị")
    duties = text_field("Trách nhiệm", max_length=3000)


class PlanSchema(PeriodMixin, DocumentSchema):
    year = year_field()
    legal_bases = text_list(
        "Căn cứ",
        max_items=20,
        description="Mỗi mục một văn bản; “Căn cứ” ở đầu và dấu “;” ở cuối do mẫu tự thêm.",
    )
    purpose = text_field("Mục đích", max_length=3000)
    requirements = text_field("Yêu cầu", max_length=3000)
    contents = text_list("Nội dung kiểm tra", min_items=1, max_items=30)
    units = nested_list(ScheduledUnitSchema, "Đơn vị được kiểm tra", max_items=2000)
    team = text_field("Đoàn kiểm tra", max_length=3000)
    budget = optional_text("Kinh phí", max_length=3000)
    budget_amount = Integer(
        required=False,
        allow_none=True,
        load_default=None,
        validate=Range(min=0, max=10**15),
        metadata={"title": "Số tiền kinh phí (đồng)"},
    )
    responsibilities = nested_list(ResponsibilitySchema, "Tổ chức thực hiện", min_items=0)

    @validates_schema
    def _schedule_within_period(self, data: dict[str, Any], **kwargs: Any) -> None:
        start, end = data.get("period_start"), data.get("period_end")
        if not (start and end):
            return
        errors = {
            index: {
                "scheduled_on": [
                    Message(
                        "Ngày dự kiến nằm ngoài thời gian kiểm tra của kế hoạch.",
                        "date_out_of_period",
                    )
                ]
            }
            for index, unit in enumerate(data.get("units", []))
            if unit["scheduled_on"] and not start <= unit["scheduled_on"] <= end
        }
        if errors:
            raise ValidationError({"units": errors})
        issued = data.get("date")
        if issued and issued > start:
            raise ValidationError(
                Message(
                    "Ngày ban hành kế hoạch phải trước hoặc bằng ngày bắt đầu kiểm tra.",
                    "date_order",
                ),
                field_name="date",
            )


def plan_warnings(data: dict[str, Any]) -> list[FieldError]:
    """Fewer than one third of the units on-site misses the legal minimum."""
    units = data["units"]
    on_site = sum(1 for u in units if u["mode"] == "on_site")
    if on_site * 3 < len(units):
        return [
            FieldError(
                path="units",
                message=(
                    f"Chỉ {on_site}/{len(units)} đơn vị kiểm tra tại trụ sở; quy định yêu cầu "
                    "ít nhất một phần ba."
                ),
                code="on_site_below_one_third",
            )
        ]
    return []
