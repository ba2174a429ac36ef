"""Marshmallow fields and validators that speak Vietnamese and carry error codes.

Every error message a field or validator produces is a :class:`Message`: a
``str`` (so marshmallow stores and merges it as usual) with a stable ``code``
attribute, which :func:`docgen.schemas.base.field_errors` turns into
``FieldError(path, message, code)``.

Text fields normalise to Unicode NFC, trim, unify newlines and refuse characters
that XML (and so Word) cannot hold — at the field, so the error names the path.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Sequence
from typing import Any, Self

from marshmallow import ValidationError, fields

from docgen.vi import find_illegal_xml_char, normalize_text
from docgen.vi.reading import (
    InputError,
    read_date,
    read_datetime,
    read_decimal,
    read_integer,
    read_money,
)


class Message(str):
    """A Vietnamese error message with a stable machine-readable ``code``."""

    code: str

    def __new__(cls, text: str, code: str) -> Self:
        obj = super().__new__(cls, text)
        obj.code = code
        return obj


#: Messages shared by every field; ``code`` is the key unless mapped here.
_COMMON = {
    "required": "Thiếu trường bắt buộc.",
    "null": "Trường này không được để trống (null).",
    "validator_failed": "Giá trị không hợp lệ.",
}
_CODES = {"null": "required", "validator_failed": "invalid"}


class _VietnameseErrors:
    """Mixin: Vietnamese messages, and errors as coded :class:`Message` objects."""

    default_error_messages: dict[str, Any] = _COMMON

    def make_error(self, key: str, **kwargs: Any) -> ValidationError:
        text = self.error_messages[key]  # type: ignore[attr-defined]
        if isinstance(text, str):
            text = text.format(**kwargs)
        return ValidationError(Message(text, _CODES.get(key, key)))

    def input_error(self, exc: InputError) -> ValidationError:
        """A refusal by the shared reading rules (:mod:`docgen.vi.reading`), as a field error."""
        return ValidationError(Message(exc.message, exc.code))


class Text(_VietnameseErrors, fields.String):
    """Free text: NFC, trimmed, newlines unified, XML-legal, bounded length.

    ``allow_blank=False`` (the default for required fields) refuses a value that
    is empty after trimming.
    """

    default_error_messages: dict[str, Any] = {
        "invalid": "Phải là một chuỗi ký tự.",
        "blank": "Không được để trống.",
        "illegal_character": "Chứa ký tự điều khiển U+{codepoint} không được phép trong văn bản.",
        "too_long": "Dài quá {max} ký tự.",
    }

    def __init__(self, *, max_length: int = 5000, allow_blank: bool | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.max_length = max_length
        self.allow_blank = (not self.required) if allow_blank is None else allow_blank

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        if not isinstance(value, str):
            raise self.make_error("invalid")
        bad = find_illegal_xml_char(value)
        if bad is not None:
            raise self.make_error("illegal_character", codepoint=f"{ord(bad):04X}")
        text = normalize_text(value)
        if not text and not self.allow_blank:
            raise self.make_error("blank")
        if len(text) > self.max_length:
            raise self.make_error("too_long", max=self.max_length)
        return text


class Integer(_VietnameseErrors, fields.Integer):
    """A whole number: a JSON integer, or a string a clerk would write ("2.150", "1 200").

    Read by :func:`docgen.vi.reading.read_integer`, the rule of every entry point.
    """

    default_error_messages: dict[str, Any] = {
        "invalid": "Phải là một số nguyên.",
        "too_large": "Số quá lớn.",
    }

    def __init__(self, **kwargs: Any):
        super().__init__(strict=True, **kwargs)

    def _read(self, value: Any) -> int:
        return read_integer(value)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> int:
        try:
            return self._read(value)
        except InputError as exc:
            raise self.input_error(exc) from None


class Date(_VietnameseErrors, fields.Date):
    """A date in ISO form (``2017-12-14``) with a four-digit year that exists.

    Read by :func:`docgen.vi.reading.read_date`, whose messages say what is wrong —
    "0021-03-09" (year), "2017-02-31" (no such day) — in the words the form uses too.
    """

    default_error_messages: dict[str, Any] = {
        "invalid": "Ngày không hợp lệ; dùng dạng YYYY-MM-DD (ví dụ 2017-12-14).",
        "format": "Không định dạng được ngày.",
    }

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> dt.date:
        if not isinstance(value, str):
            raise self.make_error("invalid")
        try:
            return read_date(value, typed=False)
        except InputError as exc:
            raise self.input_error(exc) from None


class DateTime(_VietnameseErrors, fields.NaiveDateTime):
    default_error_messages: dict[str, Any] = {
        "invalid": "Thời điểm không hợp lệ; dùng dạng YYYY-MM-DDTHH:MM (ví dụ 2017-10-12T08:00).",
        "invalid_awareness": "Thời điểm không hợp lệ.",
        "format": "Không định dạng được thời điểm.",
    }

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> dt.datetime:
        if not isinstance(value, str):
            raise self.make_error("invalid")
        try:
            moment = read_datetime(value, typed=False)
        except InputError as exc:
            raise self.input_error(exc) from None
        if moment.tzinfo is not None and moment.utcoffset() is not None:
            raise self.make_error("invalid_awareness")
        return moment


class Paragraphs(Text):
    """Text of several paragraphs: each line becomes a real Word paragraph where the
    template loops over ``value|paragraphs`` (a declared pack's ``paragraphs`` kind)."""


class Money(Integer):
    """An amount in đồng: a whole number, never negative (a pack's ``money`` kind);
    a string may group thousands and end in "đồng" ("1.500.000 đồng")."""

    default_error_messages: dict[str, Any] = {
        "invalid": "Phải là số tiền bằng đồng, số nguyên (ví dụ 1500000 hoặc 1.500.000).",
        "too_large": "Số tiền quá lớn.",
    }

    def _read(self, value: Any) -> int:
        return read_money(value)


class Decimal(_VietnameseErrors, fields.Field):
    """A number that may have decimals, loaded as :class:`decimal.Decimal`.

    JSON numbers and strings are accepted, read by :func:`docgen.vi.reading.read_decimal`
    ("12.5", "12,5", "1.234,5"); booleans, NaN and infinities are refused. ``places``
    bounds the digits after the point, so 33,333… cannot slip into a document.
    """

    default_error_messages: dict[str, Any] = {
        "invalid": "Phải là một số (dùng dấu chấm cho phần thập phân trong JSON, ví dụ 12.5).",
        "too_precise": "Tối đa {places} chữ số sau dấu thập phân.",
    }
    percent = False

    def __init__(self, *, places: int = 2, **kwargs: Any):
        super().__init__(**kwargs)
        self.places = places

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> decimal.Decimal:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise self.make_error("invalid")
        if isinstance(value, str | float) and len(value if isinstance(value, str) else repr(value)) > 40:
            raise self.make_error("invalid")
        try:
            number = read_decimal(value, percent=self.percent)
        except InputError as exc:
            raise self.input_error(exc) from None
        exponent = number.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > self.places:
            raise self.make_error("too_precise", places=self.places)
        return number

    def _serialize(self, value: Any, attr: Any, obj: Any, **kwargs: Any) -> Any:
        return None if value is None else str(value)


class Percent(Decimal):
    """A percentage written as a number from 0 to 100 (95.34 means 95,34%; "95,34%" too)."""

    percent = True


#: The bound of a list that names none: every list has one (issue 13, point 1).
DEFAULT_MAX_ITEMS = 1000


class List(_VietnameseErrors, fields.List):
    """A list with a bound checked *before* its items are validated.

    Marshmallow validates every item and only then runs ``validate``: a million
    items cost a million item errors (100 MB of answer) before ``Length`` says
    "too many". Here the count is checked first, so an oversized list costs one
    error, ``too_many_items``, naming the limit.
    """

    default_error_messages: dict[str, Any] = {
        "invalid": "Phải là một danh sách.",
        "too_many_items": "Danh sách có {count} mục, vượt giới hạn {max} mục.",
    }

    def __init__(self, cls_or_instance: Any, *, max_items: int = DEFAULT_MAX_ITEMS,
                 **kwargs: Any):
        super().__init__(cls_or_instance, **kwargs)
        self.max_items = max_items

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> list[Any]:
        if isinstance(value, list | tuple) and len(value) > self.max_items:
            raise self.make_error("too_many_items", count=len(value), max=self.max_items)
        return super()._deserialize(value, attr, data, **kwargs)


class Nested(_VietnameseErrors, fields.Nested):
    default_error_messages: dict[str, Any] = {
        "type": "Phải là một đối tượng (JSON object).",
        "invalid": "Phải là một đối tượng (JSON object).",
    }


class Payload(_VietnameseErrors, fields.Dict):
    """A document payload (a JSON object) taken as given: whoever uses it validates it with
    the document type's own schema (``Renderer.validate``), so this field only checks it is
    an object.

    The OpenAPI document describes it by reference, not as a bare object
    (:func:`docgen.api.openapi.payload_reference`): the component of ``doc_type`` — by name,
    looked up when the document is built, so a type deployed from the template store is the
    one described — or ``component``, a schema derived from it (the type's fields less what
    the caller fills in), or with ``rows_of`` one row of the type's table field.
    """

    default_error_messages: dict[str, Any] = {
        "invalid": "Phải là một đối tượng (JSON object).",
    }

    def __init__(self, doc_type: str, *, component: str | None = None,
                 rows_of: str | None = None, **kwargs: Any):
        super().__init__(keys=fields.String(), **kwargs)
        self.doc_type, self.component, self.rows_of = doc_type, component, rows_of


class Table(List):
    """Rows of typed columns (a pack's ``table`` kind): a list of one Nested row schema."""


class Choice(Text):
    """A string from a fixed set; ``choices`` maps value -> Vietnamese label."""

    default_error_messages: dict[str, Any] = {
        **Text.default_error_messages,
        "invalid_choice": "Giá trị '{input}' không hợp lệ; chọn một trong: {choices}.",
    }

    def __init__(self, choices: dict[str, str], **kwargs: Any):
        self.choices = dict(choices)
        kwargs.setdefault("max_length", 100)
        kwargs["metadata"] = {
            "enum": list(self.choices),
            "x-enum-labels": dict(self.choices),
            **kwargs.get("metadata", {}),
        }
        super().__init__(**kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if text not in self.choices:
            raise self.make_error(
                "invalid_choice", input=text, choices=", ".join(repr(c) for c in self.choices)
            )
        return text


# --- validators -----------------------------------------------------------


class Range:
    """``min <= value <= max`` with a Vietnamese, coded message."""

    def __init__(self, min: int | None = None, max: int | None = None):
        self.min, self.max = min, max

    def __call__(self, value: int) -> int:
        if self.min is not None and value < self.min:
            raise ValidationError(Message(f"Phải lớn hơn hoặc bằng {self.min}.", "out_of_range"))
        if self.max is not None and value > self.max:
            raise ValidationError(Message(f"Phải nhỏ hơn hoặc bằng {self.max}.", "out_of_range"))
        return value


class Length:
    """Number of items in a list, with a Vietnamese, coded message."""

    def __init__(self, min: int | None = None, max: int | None = None):
        self.min, self.max = min, max

    def __call__(self, value: Sequence[Any]) -> Sequence[Any]:
        if self.min is not None and len(value) < self.min:
            raise ValidationError(Message(f"Cần ít nhất {self.min} mục.", "too_few"))
        if self.max is not None and len(value) > self.max:
            raise ValidationError(Message(f"Tối đa {self.max} mục.", "too_many"))
        return value


def cross_field_error(text: str, code: str) -> Message:
    """A message for a ``@validates_schema`` check, e.g. on-site + by-report = planned."""
    return Message(text, code)
