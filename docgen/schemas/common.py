"""Shared parts of every document: agency, number, place and date, signer,
recipients (Nơi nhận), team member, unit, per-aspect finding.

Every field has a Vietnamese ``title`` (the form label, the JSON Schema title,
the column header a spreadsheet may use) and, where useful, a ``description``.
"""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, validates_schema

from docgen.schemas.base import BaseSchema
from docgen.schemas.fields import (
    Choice,
    Date,
    Integer,
    Length,
    List,
    Message,
    Nested,
    Range,
    Text,
)
from docgen.vi import is_code
from docgen.vi.levels import LEVELS

#: Authority words of the signature block (Decree 30, art. 13 and App. I).
AUTHORITIES = {
    "": "Ký trực tiếp",
    "TM.": "TM. — thay mặt tập thể",
    "KT.": "KT. — ký thay người đứng đầu",
    "TL.": "TL. — thừa lệnh",
    "TUQ.": "TUQ. — thừa ủy quyền",
    "Q.": "Q. — quyền",
}

#: The six aspects checked at each unit (DOMAIN.md), value -> heading.
ASPECTS = {
    "scope": "Phạm vi áp dụng Hệ thống quản lý chất lượng",
    "dissemination": "Việc phổ biến, hướng dẫn hệ thống tài liệu, quy trình đến cán bộ, công chức",
    "conformity": "Sự phù hợp với TCVN ISO 9001, chính sách chất lượng và mục tiêu chất lượng",
    "execution": "Việc thực hiện các quy trình giải quyết công việc",
    "internal_audit": "Đánh giá nội bộ và xem xét của lãnh đạo",
    "improvement": "Hoạt động cải tiến Hệ thống quản lý chất lượng",
}

#: Inspection modes of a unit in the plan, value -> title.
MODES = {"on_site": "Tại trụ sở", "by_report": "Qua báo cáo"}


def text_field(title: str, *, required: bool = True, max_length: int = 500, **meta: Any) -> Text:
    """A text field; an optional one defaults to "" so templates can test it."""
    optional: dict[str, Any] = {} if required else {"load_default": ""}
    return Text(
        required=required, max_length=max_length, metadata={"title": title, **meta}, **optional
    )


def optional_text(title: str, *, max_length: int = 500, **meta: Any) -> Text:
    return Text(
        required=False,
        allow_none=True,
        load_default=None,
        max_length=max_length,
        metadata={"title": title, **meta},
    )


def text_list(title: str, *, min_items: int = 0, max_items: int = 100, **meta: Any) -> List:
    optional: dict[str, Any] = {} if min_items > 0 else {"load_default": list}
    return List(
        Text(required=True, max_length=2000, metadata={"title": title}),
        required=min_items > 0,
        max_items=max_items,
        validate=Length(min=min_items, max=max_items),
        metadata={"title": title, **meta},
        **optional,
    )


def nested_list(
    schema: type[BaseSchema], title: str, *, min_items: int = 1, max_items: int = 30
) -> List:
    """A repeating group (team members, findings, units) of ``schema`` objects."""
    optional: dict[str, Any] = {} if min_items > 0 else {"load_default": list}
    return List(
        Nested(schema),
        required=min_items > 0,
        max_items=max_items,
        validate=Length(min=min_items, max=max_items),
        metadata={"title": title},
        **optional,
    )


class AgencySchema(BaseSchema):
    parent_name = text_field(
        "Cơ quan chủ quản",
        required=False,
        description="Tên cơ quan, tổ chức chủ quản trực tiếp (dòng trên cùng, bên trái), "
        "ví dụ: UBND tỉnh Sóc Trăng.",
    )
    name = text_field("Cơ quan ban hành", description="Ví dụ: Sở Khoa học và Công nghệ.")
    code = text_field(
        "Chữ viết tắt cơ quan",
        max_length=30,
        description="Chữ viết tắt tên cơ quan ban hành trong ký hiệu văn bản, ví dụ: SKHCN.",
    )
    place = text_field(
        "Địa danh",
        max_length=100,
        description="Tỉnh, thành phố nơi cơ quan đóng trụ sở, dùng ở dòng ngày tháng.",
    )
    level = Choice(
        {"": "Nhận biết từ tên cơ quan", **{k: w.capitalize() for k, w in LEVELS.items()}},
        required=False,
        load_default="",
        allow_blank=True,
        metadata={
            "title": "Cấp chính quyền",
            "description": "Cấp của chính quyền địa phương mà cơ quan trực thuộc, dùng trong lời "
            "văn (“của tỉnh”, “Đối với UBND thành phố”). Để trống: đọc từ tên cơ quan chủ quản "
            "hoặc cơ quan ban hành (“UBND tỉnh Sóc Trăng” là tỉnh); không đọc được thì là tỉnh.",
        },
    )

    @validates_schema
    def _code_fits_a_symbol(self, data: dict[str, Any], **kwargs: Any) -> None:
        if not is_code(data.get("code", "")):
            raise ValidationError(
                Message(
                    "Chữ viết tắt chỉ gồm chữ, số, '&' và '-' ở giữa (không có '/', '.', "
                    "'_' ở đầu/cuối hay khoảng trắng), ví dụ: SKHCN.",
                    "invalid",
                ),
                field_name="code",
            )


class SignerSchema(BaseSchema):
    authority = Choice(
        AUTHORITIES,
        required=False,
        load_default="",
        allow_blank=True,
        metadata={"title": "Thẩm quyền ký", "description": "TM., KT., TL., TUQ., Q. hoặc để trống."},
    )
    on_behalf_of = text_field(
        "Ký thay / thay mặt cho",
        required=False,
        description="Chức danh người đứng đầu hoặc tên tập thể, khi có thẩm quyền ký "
        "(ví dụ: Giám đốc; Ủy ban nhân dân).",
    )
    deputy_for = text_field(
        "Ký thay (dòng thứ hai)",
        required=False,
        max_length=100,
        description="Khi thay mặt tập thể mà người ký là cấp phó: chức danh người đứng đầu, "
        "in thành dòng “KT. …” dưới dòng “TM. …” (ví dụ: Chủ tịch).",
    )
    position = text_field("Chức vụ người ký", description="Ví dụ: Phó Giám đốc.")
    full_name = text_field("Họ và tên người ký", max_length=100)

    @validates_schema
    def _authority_needs_principal(self, data: dict[str, Any], **kwargs: Any) -> None:
        # Both or neither: the signature prints "KT. GIÁM ĐỐC" only with an authority, so a
        # principal without one would be accepted and silently dropped (issue 13, point 15).
        if data.get("on_behalf_of") and not data.get("authority"):
            raise ValidationError(
                Message(
                    f"Có ghi ký thay/thay mặt cho '{data['on_behalf_of']}' thì phải chọn thẩm "
                    "quyền ký (TM., KT., TL., TUQ. hoặc Q.).",
                    "needs_authority",
                ),
                field_name="on_behalf_of",
            )
        if data.get("deputy_for") and data.get("authority") != "TM.":
            # "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH" (Decree 30, art. 13): the
            # second line exists only under a collective body's "TM." line.
            raise ValidationError(
                Message(
                    "Dòng “KT. …” thứ hai chỉ dùng khi thẩm quyền ký là “TM.” (thay mặt tập "
                    "thể), ví dụ: TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH.",
                    "needs_collective_authority",
                ),
                field_name="deputy_for",
            )
        if data.get("authority") and not data.get("on_behalf_of"):
            raise ValidationError(
                Message(
                    f"Có thẩm quyền ký '{data['authority']}' thì phải ghi ký thay/thay mặt cho ai.",
                    "required",
                ),
                field_name="on_behalf_of",
            )


class FindingSchema(BaseSchema):
    aspect = Choice(ASPECTS, required=True, metadata={"title": "Nội dung kiểm tra"})
    content = text_field("Kết quả", max_length=5000)


class DocumentSchema(BaseSchema):
    """Fields every document type has, in the order they appear on the page."""

    agency = Nested(AgencySchema, required=True, metadata={"title": "Cơ quan ban hành"})
    number = Integer(
        required=False,
        allow_none=True,
        load_default=None,
        validate=Range(min=1, max=99999),
        metadata={
            "title": "Số văn bản",
            "description": "Số thứ tự trong năm; để trống để văn thư điền khi đăng ký.",
        },
    )
    date = Date(required=True, metadata={"title": "Ngày ban hành"})
    summary = text_field("Trích yếu nội dung", max_length=1000)
    signer = Nested(SignerSchema, required=True, metadata={"title": "Người ký"})
    recipients = text_list("Nơi nhận", max_items=50)
    archive = Text(
        required=False,
        load_default="VT",
        max_length=100,
        metadata={
            "title": "Lưu",
            "description": "Nơi lưu bản gốc, ví dụ: VT, TĐC (dòng cuối “- Lưu: VT, TĐC.”).",
        },
    )


#: How a period is written in the body: by its dates, or by its months only.
PERIOD_DISPLAYS = {
    "days": "Theo ngày (từ ngày … đến ngày …)",
    "months": "Theo tháng (từ tháng … đến tháng … năm …)",
}


class PeriodMixin(BaseSchema):
    """An inspection period with its dates in order."""

    period_start = Date(required=True, metadata={"title": "Kiểm tra từ ngày"})
    period_end = Date(required=True, metadata={"title": "Kiểm tra đến ngày"})
    period_display = Choice(
        PERIOD_DISPLAYS,
        required=False,
        load_default="days",
        metadata={
            "title": "Ghi thời gian kiểm tra",
            "description": "Theo ngày: “từ ngày 18/9/2017 đến ngày 30/11/2017”; theo tháng: "
            "“từ tháng 4 đến tháng 9 năm 2023” (chỉ dùng tháng của hai ngày trên).",
        },
    )

    @validates_schema
    def _period_in_order(self, data: dict[str, Any], **kwargs: Any) -> None:
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            raise ValidationError(
                Message("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu kiểm tra.", "date_order"),
                field_name="period_end",
            )


def year_field() -> Integer:
    return Integer(
        required=True, validate=Range(min=2000, max=2100), metadata={"title": "Năm kiểm tra"}
    )


__all__ = [
    "ASPECTS",
    "AUTHORITIES",
    "MODES",
    "PERIOD_DISPLAYS",
    "AgencySchema",
    "DocumentSchema",
    "FindingSchema",
    "PeriodMixin",
    "SignerSchema",
    "nested_list",
    "optional_text",
    "text_field",
    "text_list",
    "year_field",
]
