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


#: The separate decision a plan is issued with: all three or none.
APPROVAL_FIELDS = ("approval_number", "approval_date", "approval_by")


class PlanSchema(PeriodMixin, DocumentSchema):
    approval_number = text_field(
        "Số và ký hiệu quyết định ban hành",
        required=False,
        max_length=50,
        description="Khi kế hoạch ban hành kèm theo một quyết định riêng, ví dụ: 1234/QĐ-UBND; "
        "in dưới tên kế hoạch: “(Ban hành kèm theo Quyết định số … ngày … của …)”.",
    )
    approval_date = Date(
        required=False,
        allow_none=True,
        load_default=None,
        metadata={"title": "Ngày quyết định ban hành"},
    )
    approval_by = text_field(
        "Người ký quyết định ban hành",
        required=False,
        max_length=300,
        description="Ví dụ: Chủ tịch UBND tỉnh Sóc Trăng.",
    )
    year = year_field()
    legal_bases = text_list(
        "Căn cứ",
        max_items=20,
        description="Mỗi mục một văn bản; “Căn cứ” ở đầu và dấu “;” ở cuối do mẫu tự thêm.",
    )
    proposal = optional_text(
        "Theo đề nghị",
        description="Như ở quyết định, in sau các căn cứ, ví dụ: Theo đề nghị của Giám đốc Sở "
        "Khoa học và Công nghệ.",
    )
    opening = text_field(
        "Câu mở đầu",
        required=False,
        max_length=3000,
        description="Để trống: “<cơ quan> xây dựng Kế hoạch kiểm tra … năm <năm> như sau:” "
        "(Ủy ban nhân dân, Ban Chỉ đạo: “ban hành”). Ghi cả câu khi cần mở đầu khác, ví dụ: "
        "“Thực hiện …, Sở Khoa học và Công nghệ xây dựng Kế hoạch … như sau:”.",
    )
    purpose = text_field("Mục đích", max_length=3000)
    requirements = text_field("Yêu cầu", max_length=3000)
    contents = text_list("Nội dung kiểm tra", min_items=1, max_items=30)
    units = nested_list(ScheduledUnitSchema, "Đơn vị được kiểm tra", max_items=2000)
    methods = text_field(
        "Hình thức kiểm tra",
        required=False,
        max_length=1000,
        description="Để trống: theo các đơn vị trong lịch (“kiểm tra tại trụ sở hoặc kiểm tra "
        "qua báo cáo”, hoặc chỉ một hình thức khi mọi đơn vị cùng một hình thức).",
    )
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
    closing = text_field(
        "Câu kết",
        required=False,
        max_length=3000,
        description="Để trống: “Trên đây là Kế hoạch kiểm tra … năm <năm> của <cơ quan>./.”; "
        "dấu “./.” ở cuối do mẫu tự thêm.",
    )

    @validates_schema
    def _approval_complete(self, data: dict[str, Any], **kwargs: Any) -> None:
        given = {key: bool(data.get(key)) for key in APPROVAL_FIELDS}
        if any(given.values()) and not all(given.values()):
            raise ValidationError({
                key: [Message(
                    "Kế hoạch ban hành kèm theo quyết định: ghi đủ số, ngày và người ký "
                    "quyết định (hoặc để trống cả ba).",
                    "incomplete_approval",
                )]
                for key, present in given.items() if not present
            })

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
