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
)
from docgen.schemas.fields import Integer, Message, Range


class DecisionSchema(PeriodMixin, DocumentSchema):
    decider = text_field(
        "Thẩm quyền ban hành",
        description="Người có thẩm quyền quyết định, ví dụ: Giám đốc Sở Khoa học và Công nghệ "
        "tỉnh Sóc Trăng.",
    )
    authority_basis = optional_text(
        "Căn cứ thẩm quyền",
        max_length=1000,
        description="Văn bản quy định chức năng, nhiệm vụ, quyền hạn của cơ quan ban hành; in "
        "thành căn cứ đầu tiên, ví dụ: Quyết định số …/QĐ-UBND ngày … của UBND tỉnh quy định "
        "chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Sở Khoa học và Công nghệ.",
    )
    legal_bases = text_list(
        "Căn cứ ban hành",
        min_items=1,
        max_items=20,
        description="Mỗi mục một văn bản; “Căn cứ” ở đầu và dấu “;” ở cuối do mẫu tự thêm.",
    )
    proposal = optional_text("Xét đề nghị", description="Ví dụ: Xét đề nghị của Chi cục trưởng …")
    year = Integer(
        required=False,
        allow_none=True,
        load_default=None,
        validate=Range(min=2000, max=2100),
        metadata={
            "title": "Năm kiểm tra",
            "description": "Điều 1 theo trích yếu; năm chỉ được thêm vào Điều 1 khi trích yếu "
            "chưa ghi năm.",
        },
    )
    article_1 = text_field(
        "Điều 1 (câu dẫn)",
        required=False,
        max_length=2000,
        description="Để trống: theo trích yếu (“Về việc thành lập Đoàn kiểm tra …” thành "
        "“Thành lập Đoàn kiểm tra …, gồm các ông (bà) có tên sau:”).",
    )
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
