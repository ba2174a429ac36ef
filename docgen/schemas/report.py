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
from docgen.schemas.fields import Integer, Message, Nested, Range, Text


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


class RecommendationSchema(BaseSchema):
    addressee = text_field(
        "Kiến nghị với",
        max_length=300,
        description="Cơ quan nhận kiến nghị, ví dụ: UBND tỉnh; Bộ Khoa học và Công nghệ; "
        "Sở Tài chính. Các kiến nghị cùng một cơ quan được in chung một mục.",
    )
    content = text_field("Nội dung kiến nghị", max_length=2000)


class ExtraFigureSchema(BaseSchema):
    label = text_field(
        "Chỉ tiêu",
        max_length=500,
        description="Ví dụ: Số thủ tục hành chính được áp dụng Hệ thống quản lý chất lượng.",
    )
    numerator = Integer(
        required=True,
        validate=Range(min=0, max=10**9),
        metadata={"title": "Số đạt", "description": "Tử số của tỷ lệ, ví dụ 118 trong 118/124."},
    )
    denominator = Integer(
        required=True,
        validate=Range(min=1, max=10**9),
        metadata={"title": "Tổng số", "description": "Mẫu số của tỷ lệ, ví dụ 124 trong 118/124."},
    )

    @validates_schema
    def _share_at_most_whole(self, data: dict[str, Any], **kwargs: Any) -> None:
        numerator, denominator = data.get("numerator"), data.get("denominator")
        if numerator is not None and denominator is not None and numerator > denominator:
            raise ValidationError(
                Message(
                    f"Số đạt ({numerator}) không được lớn hơn tổng số ({denominator}).",
                    "numerator_exceeds_denominator",
                ),
                field_name="numerator",
            )


class ReportSchema(PeriodMixin, DocumentSchema):
    addressees = text_list("Kính gửi", min_items=1, max_items=10)
    year = year_field()
    basis = text_field("Căn cứ, mở đầu", max_length=3000)
    counts = Nested(UnitCountsSchema, required=True, metadata={"title": "Số lượng đơn vị"})
    integrated_with = optional_text(
        "Kiểm tra lồng ghép với",
        description="Để trống: “Đoàn kiểm tra cải cách hành chính của tỉnh” (theo cấp của cơ "
        "quan: của thành phố, của huyện …).",
    )
    not_inspected_reason = optional_text("Lý do chưa kiểm tra được")
    pending_units = optional_text(
        "Đơn vị chưa có kết quả",
        max_length=3000,
        description="In sau bảng số lượng, khi báo cáo lập lúc còn đơn vị chưa có kết quả; "
        "báo cáo của một đợt kiểm tra tự ghi (tên các đơn vị).",
    )
    findings = nested_list(FindingSchema, "Kết quả theo từng nội dung", max_items=20)
    shortcomings = text_list("Tồn tại, hạn chế", max_items=50)
    extra_figures_intro = Text(
        required=False,
        load_default="Kết quả một số chỉ tiêu:",
        max_length=500,
        metadata={
            "title": "Dòng dẫn bảng chỉ tiêu",
            "description": "In trên bảng chỉ tiêu khác (khi có).",
        },
    )
    extra_figures = nested_list(
        ExtraFigureSchema, "Chỉ tiêu khác (số đạt/tổng số)", min_items=0, max_items=50
    )
    recommendations = nested_list(
        RecommendationSchema, "Kiến nghị, đề xuất", min_items=0, max_items=100
    )
    recommendations_province = text_list(
        "Kiến nghị với UBND tỉnh",
        max_items=50,
        description="Cách ghi cũ, vẫn nhận: in thành mục “Đối với UBND tỉnh” (theo cấp của cơ "
        "quan). Dùng “Kiến nghị, đề xuất” để gửi kiến nghị tới bất kỳ cơ quan nào.",
    )
    recommendations_ministry = text_list(
        "Kiến nghị với Bộ Khoa học và Công nghệ",
        max_items=50,
        description="Cách ghi cũ, vẫn nhận: in thành mục “Đối với Bộ Khoa học và Công nghệ”.",
    )

    @validates_schema
    def _one_way_of_recommending(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("recommendations") and (
            data.get("recommendations_province") or data.get("recommendations_ministry")
        ):
            raise ValidationError(
                Message(
                    "Ghi kiến nghị theo một cách: hoặc “Kiến nghị, đề xuất” (recommendations), "
                    "hoặc cách cũ (recommendations_province, recommendations_ministry), "
                    "không dùng cả hai.",
                    "conflicting_fields",
                ),
                field_name="recommendations",
            )

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
