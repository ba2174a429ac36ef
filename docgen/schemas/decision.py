"""Quyết định thành lập Đoàn kiểm tra (QĐ): the decision setting up the team."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, validates_schema

from docgen.schemas.common import (
    DocumentSchema,
    PeriodMixin,
    TeamMemberSchema,
    nested_list,
    optional_text,
    text_field,
    text_list,
    year_field,
)
from docgen.schemas.fields import Message


class DecisionSchema(PeriodMixin, DocumentSchema):
    decider = text_field(
        "Thẩm quyền ban hành",
        description="Người có thẩm quyền quyết định, ví dụ: Giám đốc Sở Khoa học và Công nghệ "
        "tỉnh Sóc Trăng.",
    )
    legal_bases = text_list(
        "Căn cứ ban hành",
        min_items=1,
        max_items=20,
        description="Mỗi mục một văn bản; “Căn cứ” ở đầu và dấu “;” ở cuối do mẫu tự thêm.",
    )
    proposal = optional_text("Xét đề nghị", description="Ví dụ: Xét đề nghị của Chi cục trưởng …")
    year = year_field()
    members = nested_list(TeamMemberSchema, "Thành viên Đoàn kiểm tra")
    duties = text_field("Nhiệm vụ của Đoàn (Điều 2)", max_length=5000)
    executors = text_field("Trách nhiệm thi hành (Điều 3)", max_length=2000)

    @validates_schema
    def _decided_before_inspection(self, data: dict[str, Any], **kwargs: Any) -> None:
        start, issued = data.get("period_start"), data.get("date")
        if start and issued and issued > start:
            raise ValidationError(
                Message(
                    "Ngày ban hành quyết định phải trước hoặc bằng ngày bắt đầu kiểm tra.",
                    "date_order",
                ),
                field_name="date",
            )
        leaders = [m for m in data.get("members", []) if m["role"] == "truong_doan"]
        if len(leaders) != 1:
            raise ValidationError(
                Message(
                    f"Đoàn kiểm tra phải có đúng một Trưởng đoàn (hiện có {len(leaders)}).",
                    "team_leader_count",
                ),
                field_name="members",
            )
