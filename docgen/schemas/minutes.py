"""Biên bản kiểm tra (BB): the inspection team's minutes at one unit."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, validates_schema

from docgen.errors import FieldError
from docgen.schemas.base import BaseSchema
from docgen.schemas.common import (
    DocumentSchema,
    FindingSchema,
    RepresentativeSchema,
    TeamMemberSchema,
    nested_list,
    optional_text,
    text_field,
    text_list,
)
from docgen.schemas.fields import Choice, DateTime, Integer, Message, Nested, Range


class InspectedUnitSchema(BaseSchema):
    name = text_field("Tên đơn vị được kiểm tra")
    address = optional_text("Địa chỉ")


#: Who signs for the team: the leader (the signer) alone, or with the team's secretary.
TEAM_SIGNATURES = {
    "leader": "Trưởng đoàn ký",
    "leader_and_secretary": "Trưởng đoàn và Thư ký cùng ký",
}


class MinutesSchema(DocumentSchema):
    unit = Nested(InspectedUnitSchema, required=True, metadata={"title": "Đơn vị được kiểm tra"})
    basis = text_field(
        "Căn cứ",
        max_length=2000,
        description="Quyết định thành lập Đoàn kiểm tra (số, ngày, cơ quan ban hành).",
    )
    started_at = DateTime(required=True, metadata={"title": "Bắt đầu lúc"})
    ended_at = DateTime(required=True, metadata={"title": "Kết thúc lúc"})
    location = text_field("Địa điểm kiểm tra")
    members = nested_list(TeamMemberSchema, "Thành viên Đoàn kiểm tra")
    unit_representatives = nested_list(RepresentativeSchema, "Đại diện đơn vị được kiểm tra")
    findings = nested_list(FindingSchema, "Kết quả kiểm tra theo từng nội dung", max_items=20)
    conclusion = text_field("Kết luận", max_length=5000)
    requests = text_list("Kiến nghị đối với đơn vị", max_items=50)
    representative_signer = Nested(
        RepresentativeSchema,
        required=True,
        metadata={"title": "Người ký đại diện đơn vị"},
    )
    team_signatures = Choice(
        TEAM_SIGNATURES,
        required=False,
        load_default="leader",
        metadata={
            "title": "Chữ ký của Đoàn kiểm tra",
            "description": "Khi mẫu biên bản có chữ ký thư ký: Trưởng đoàn và Thư ký cùng ký "
            "(thư ký là thành viên có nhiệm vụ Thư ký trong danh sách Đoàn).",
        },
    )
    copies = Integer(
        required=False,
        load_default=2,
        validate=Range(min=1, max=20),
        metadata={"title": "Số bản"},
    )

    @validates_schema
    def _secretary_in_the_team(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("team_signatures") != "leader_and_secretary":
            return
        if not any(m["role"] == "thu_ky" for m in data.get("members", [])):
            raise ValidationError(
                Message(
                    "Thư ký cùng ký biên bản thì Đoàn kiểm tra phải có một thành viên nhiệm vụ "
                    "“Thư ký”; thêm thư ký vào danh sách hoặc chọn “Trưởng đoàn ký”.",
                    "no_secretary",
                ),
                field_name="team_signatures",
            )

    @validates_schema
    def _times_in_order(self, data: dict[str, Any], **kwargs: Any) -> None:
        start, end = data.get("started_at"), data.get("ended_at")
        if start and end and end <= start:
            raise ValidationError(
                Message("Thời điểm kết thúc phải sau thời điểm bắt đầu.", "date_order"),
                field_name="ended_at",
            )


def minutes_warnings(data: dict[str, Any]) -> list[FieldError]:
    """The minutes are normally dated the day of the inspection."""
    if data["started_at"].date() != data["date"]:
        return [
            FieldError(
                path="date",
                message="Ngày lập biên bản khác ngày bắt đầu kiểm tra.",
                code="date_differs_from_inspection",
            )
        ]
    return []
