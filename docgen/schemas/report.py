"""Báo cáo kết quả kiểm tra (BC): the department's report of a round to the Province."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, validates_schema

from docgen.errors import FieldError
from docgen.schemas.base import BaseSchema
from docgen.schemas.common import (
    DocumentSchema,
    FindingSchema,
    PeriodMixin,
    nested_list,
    optional_text,
    text_field,
    text_list,
    year_field,
)
from docgen.schemas.fields import Integer, Message, Nested, Range


def _count(title: str, description: str) -> Integer:
    return Integer(
        required=True,
        validate=Range(min=0, max=100000),
        metadata={"title": title, "description": description},
    )


class UnitCountsSchema(BaseSchema):
    planned = _count("Số đơn vị trong kế hoạch", "Tổng số cơ quan, đơn vị trong kế hoạch kiểm tra.")
    on_site = _count("Số đơn vị kiểm tra tại trụ sở", "Ít nhất một phần ba số đơn vị.")
    integrated = _count(
        "Trong đó: kiểm tra lồng ghép",
        "Số đơn vị tại trụ sở kiểm tra lồng ghép với Đoàn kiểm tra cải cách hành chính.",
    )
    not_inspected = _count(
        "Trong đó: chưa kiểm tra được", "Số đơn vị tại trụ sở chưa kiểm tra được."
    )
    by_report = _count("Số đơn vị kiểm tra qua báo cáo", "Kiểm tra qua hồ sơ, báo cáo.")

    @validates_schema
    def _counts_consistent(self, data: dict[str, Any], **kwargs: Any) -> None:
        errors: dict[str, list[Message]] = {}
        if data["on_site"] + data["by_report"] != data["planned"]:
            errors.setdefault("by_report", []).append(
                Message(
                    f"Số đơn vị tại trụ sở ({data['on_site']}) cộng qua báo cáo "
                    f"({data['by_report']}) phải bằng số đơn vị trong kế hoạch "
                    f"({data['planned']}).",
                    "counts_sum",
                )
            )
        for key, label in (("integrated", "lồng ghép"), ("not_inspected", "chưa kiểm tra được")):
            if data[key] > data["on_site"]:
                errors.setdefault(key, []).append(
                    Message(
                        f"Số đơn vị {label} ({data[key]}) không được lớn hơn số đơn vị "
                        f"kiểm tra tại trụ sở ({data['on_site']}).",
                        "counts_exceed_on_site",
                    )
                )
        if errors:
            raise ValidationError(errors)


class ReportSchema(PeriodMixin, DocumentSchema):
    addressees = text_list("Kính gửi", min_items=1, max_items=10)
    year = year_field()
    basis = text_field("Căn cứ, mở đầu", max_length=3000)
    counts = Nested(UnitCountsSchema, required=True, metadata={"title": "Số lượng đơn vị"})
    integrated_with = optional_text("Kiểm tra lồng ghép với")
    not_inspected_reason = optional_text("Lý do chưa kiểm tra được")
    findings = nested_list(FindingSchema, "Kết quả theo từng nội dung", max_items=20)
    shortcomings = text_list("Tồn tại, hạn chế", max_items=50)
    recommendations_province = text_list("Kiến nghị với UBND tỉnh", max_items=50)
    recommendations_ministry = text_list("Kiến nghị với Bộ Khoa học và Công nghệ", max_items=50)

    @validates_schema
    def _issued_after_inspection(self, data: dict[str, Any], **kwargs: Any) -> None:
        end, issued = data.get("period_end"), data.get("date")
        if end and issued and issued < end:
            raise ValidationError(
                Message("Ngày báo cáo phải sau hoặc bằng ngày kết thúc kiểm tra.", "date_order"),
                field_name="date",
            )


def report_warnings(data: dict[str, Any]) -> list[FieldError]:
    """On-site below one third of planned: the plan missed the legal minimum."""
    counts = data["counts"]
    if counts["on_site"] * 3 < counts["planned"]:
        return [
            FieldError(
                path="counts.on_site",
                message=(
                    f"Số đơn vị kiểm tra tại trụ sở ({counts['on_site']}) ít hơn một phần ba "
                    f"số đơn vị trong kế hoạch ({counts['planned']}); quy định yêu cầu ít nhất "
                    "một phần ba."
                ),
                code="on_site_below_one_third",
            )
        ]
    return []
