"""Shared parts of every document: agency, number, place and date, signer,
recipients (Nơi nhận), team member, unit, per-aspect finding.

Every field has a Vietnamese ``title`` (the form label, the JSON Schema title,
the column header a spreadsheet may use) and, where useful, a ``description``.
"""

from __future__ import annotations

import re
from typing import Any

from marshmallow import ValidationError, validates_schema

from docgen.errors import FieldError
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

#: The word of the second line under "TM. <tập thể>" (Decree 30, art. 13.2 and App. I):
#: a deputy signs for the head ("TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"),
#: or the acting head signs ("TM. ỦY BAN NHÂN DÂN / Q. CHỦ TỊCH"). TL. and TUQ. are
#: given by the head of an agency to one of its units, never under a collective's TM.
DEPUTY_AUTHORITIES = {
    "KT.": "KT. — cấp phó ký thay người đứng đầu",
    "Q.": "Q. — quyền người đứng đầu",
}

#: The combinations a signer may have, as "TM. + KT." (for the README and messages).
SIGNATURE_LEVELS = ("", "TM.", "KT.", "TM. + KT.", "Q.", "TM. + Q.", "TL.", "TUQ.")

#: The second line the undocumented workaround put inside on_behalf_of:
#: "Ủy ban nhân dân\nKT. Chủ tịch" (still accepted, with a deprecation warning).
_SECOND_LINE_IN_PRINCIPAL = re.compile(r"^(?P<word>KT|Q)\.\s*(?P<head>\S.*)$", re.IGNORECASE)

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
        "ví dụ: UBND tỉnh Sóc Trăng. Xuống dòng ở chỗ muốn ngắt tên trong tiêu đề; "
        "để liền một dòng thì docgen tự ngắt, không ngắt giữa địa danh.",
        multiline=True,
    )
    name = text_field(
        "Cơ quan ban hành",
        description="Ví dụ: Sở Khoa học và Công nghệ. Xuống dòng ở chỗ muốn ngắt tên trong "
        "tiêu đề (phần thân văn bản vẫn in liền một dòng); để liền thì docgen tự ngắt.",
        multiline=True,
    )
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


class _DeputyAuthority(Choice):
    """ "KT." or "Q."; "TL."/"TUQ." under "TM." are named as the combination they are."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        text = Text._deserialize(self, value, attr, data, **kwargs)
        if text in self.choices:
            return text
        if text in AUTHORITIES and text:
            raise ValidationError(Message(
                f"Không ký “TM. … / {text} …”: dưới dòng “TM.” (thay mặt tập thể) chỉ có "
                "“KT.” (cấp phó ký thay) hoặc “Q.” (quyền cấp trưởng) — Nghị định "
                "30/2020/NĐ-CP, Điều 13. Ký thừa lệnh, thừa ủy quyền thì chọn thẩm quyền "
                f"ký “{text}” ở dòng thứ nhất.",
                "signature_level_not_allowed",
            ))
        raise self.make_error(
            "invalid_choice", input=text, choices=", ".join(repr(c) for c in self.choices)
        )


class SignerSchema(BaseSchema):
    """Who signs, and for whom: the lines above the signature (Decree 30, art. 13).

    ``authority`` + ``on_behalf_of`` is the first line ("KT. GIÁM ĐỐC", "TM. ỦY BAN
    NHÂN DÂN"); under "TM." a second line ``deputy_authority`` + ``deputy_for``
    ("KT. CHỦ TỊCH", "Q. CHỦ TỊCH"); then ``position`` ("PHÓ CHỦ TỊCH"), which an
    acting head ("Q. GIÁM ĐỐC") leaves out. :func:`signature_lines` prints them.
    """

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
    deputy_authority = _DeputyAuthority(
        DEPUTY_AUTHORITIES,
        required=False,
        load_default="KT.",
        metadata={
            "title": "Thẩm quyền dòng thứ hai",
            "description": "Dòng thứ hai dưới “TM. …”: “KT.” khi cấp phó ký thay người đứng "
            "đầu (TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH), “Q.” khi quyền người "
            "đứng đầu ký (TM. ỦY BAN NHÂN DÂN / Q. CHỦ TỊCH).",
        },
    )
    deputy_for = text_field(
        "Ký thay (dòng thứ hai)",
        required=False,
        max_length=100,
        description="Khi thay mặt tập thể mà người ký là cấp phó hoặc quyền người đứng đầu: "
        "chức danh người đứng đầu, in thành dòng “KT. …” (hoặc “Q. …”) dưới dòng “TM. …” "
        "(ví dụ: Chủ tịch).",
    )
    position = text_field(
        "Chức vụ người ký",
        required=False,
        description="Ví dụ: Phó Giám đốc. Bắt buộc, trừ khi ký “Q.” (quyền): khi đó dòng "
        "“Q. GIÁM ĐỐC” là chức vụ.",
    )
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
        if data.get("deputy_authority") == "Q." and not data.get("deputy_for"):
            raise ValidationError(
                Message(
                    "Có thẩm quyền dòng thứ hai “Q.” thì phải ghi chức danh người đứng đầu ở "
                    "“Ký thay (dòng thứ hai)”, ví dụ: Chủ tịch (in “Q. CHỦ TỊCH”).",
                    "required",
                ),
                field_name="deputy_for",
            )
        legacy = _second_line_in_principal(data) if data.get("deputy_for") else None
        if legacy is not None:
            raise ValidationError(
                Message(
                    "Dòng thứ hai đã ghi ở “Ký thay (dòng thứ hai)”; bỏ dòng "
                    f"“{legacy[1]}” khỏi “Ký thay / thay mặt cho”.",
                    "conflicting_signature_lines",
                ),
                field_name="on_behalf_of",
            )

    @validates_schema(skip_on_field_errors=False)
    def _position_unless_acting(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("position") or _last_word(data) == "Q.":
            return
        raise ValidationError(
            Message("Thiếu chức vụ người ký (chỉ để trống khi ký “Q.”, ví dụ: Q. GIÁM ĐỐC).",
                    "required"),
            field_name="position",
        )


def _second_line_in_principal(signer: dict[str, Any]) -> tuple[str, str] | None:
    """ "Ủy ban nhân dân\\nKT. Chủ tịch" under "TM." -> ("Ủy ban nhân dân", "KT. Chủ tịch")."""
    if signer.get("authority") != "TM.":
        return None
    lines = [line.strip() for line in str(signer.get("on_behalf_of") or "").splitlines()]
    lines = [line for line in lines if line]
    if len(lines) != 2 or not _SECOND_LINE_IN_PRINCIPAL.match(lines[1]):
        return None
    return lines[0], lines[1]


def signature_levels(signer: dict[str, Any]) -> list[tuple[str, str]]:
    """The authority lines above the position, as (word, principal), in print order.

    >>> signature_levels({"authority": "TM.", "on_behalf_of": "Ủy ban nhân dân",
    ...                   "deputy_authority": "KT.", "deputy_for": "Chủ tịch"})
    [('TM.', 'Ủy ban nhân dân'), ('KT.', 'Chủ tịch')]
    >>> signature_levels({"authority": "TM.", "on_behalf_of": "Ủy ban nhân dân\\nQ. Chủ tịch"})
    [('TM.', 'Ủy ban nhân dân'), ('Q.', 'Chủ tịch')]
    >>> signature_levels({"authority": ""})
    []
    """
    authority = signer.get("authority") or ""
    if not authority:
        return []
    legacy = _second_line_in_principal(signer) if not signer.get("deputy_for") else None
    if legacy is not None:
        match = _SECOND_LINE_IN_PRINCIPAL.match(legacy[1])
        assert match is not None
        return [(authority, legacy[0]), (f"{match['word'].upper()}.", match["head"])]
    levels = [(authority, str(signer.get("on_behalf_of") or ""))]
    if signer.get("deputy_for"):
        levels.append((signer.get("deputy_authority") or "KT.", signer["deputy_for"]))
    return levels


def _last_word(signer: dict[str, Any]) -> str:
    levels = signature_levels(signer)
    return levels[-1][0] if levels else ""


def signature_lines(signer: dict[str, Any]) -> list[str]:
    """The lines above the signature space, upper case as printed.

    >>> signature_lines({"authority": "TM.", "on_behalf_of": "Ủy ban nhân dân",
    ...                  "deputy_for": "Chủ tịch", "position": "Phó Chủ tịch"})
    ['TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH']
    >>> signature_lines({"authority": "Q.", "on_behalf_of": "Giám đốc", "position": ""})
    ['Q. GIÁM ĐỐC']
    """
    lines = [f"{word} {principal.upper()}" for word, principal in signature_levels(signer)]
    if signer.get("position"):
        lines.append(str(signer["position"]).upper())
    return lines


def signer_warnings(data: dict[str, Any]) -> list[FieldError]:
    """The deprecation warning for the second line written inside ``on_behalf_of``."""
    signer = data.get("signer")
    if not isinstance(signer, dict) or signer.get("deputy_for"):
        return []
    legacy = _second_line_in_principal(signer)
    if legacy is None:
        return []
    word, head = signature_levels(signer)[1]
    return [FieldError(
        "signer.on_behalf_of",
        f"Cách ghi “{legacy[1]}” xuống dòng trong “Ký thay / thay mặt cho” đã cũ (vẫn in "
        f"như trước): hãy ghi “{legacy[0]}” ở đây, “{head}” ở “Ký thay (dòng thứ hai)” và "
        f"chọn “{word}” ở “Thẩm quyền dòng thứ hai”.",
        "deprecated_signer_line_break",
    )]


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
    "DEPUTY_AUTHORITIES",
    "MODES",
    "PERIOD_DISPLAYS",
    "SIGNATURE_LEVELS",
    "AgencySchema",
    "DocumentSchema",
    "FindingSchema",
    "PeriodMixin",
    "SignerSchema",
    "nested_list",
    "optional_text",
    "signature_levels",
    "signature_lines",
    "signer_warnings",
    "text_field",
    "text_list",
    "year_field",
]
