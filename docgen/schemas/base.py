"""The base schema every document schema derives from, and error flattening.

Marshmallow reports errors as nested dicts (``{"members": {2: {"full_name":
[...]}}}``); :func:`field_errors` flattens them into ``FieldError`` entries with
JSON paths (``members[2].full_name``) that the API, the CLI and the form share.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import marshmallow
from marshmallow import RAISE, Schema

from docgen.errors import FieldError, UnreadableInputError, ValidationError
from docgen.schemas._fast import Invalid, fast_loader
from docgen.schemas.fields import Message

#: Path used for errors about the payload as a whole (cross-field checks).
ROOT = "_schema"


class BaseSchema(Schema):
    """Unknown fields refused by name; messages Vietnamese and coded."""

    class Meta:
        unknown = RAISE
        ordered = True

    error_messages: dict[str, str] = {
        "unknown": Message("Trường không được phép (không có trong mẫu dữ liệu).", "unknown_field"),
        "type": Message("Phải là một đối tượng (JSON object).", "invalid_type"),
    }


def _join(path: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    if key == ROOT:
        return path
    return f"{path}.{key}" if path else str(key)


def _walk(messages: Any, path: str) -> Iterator[FieldError]:
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            yield from _walk(value, _join(path, key))
    elif isinstance(messages, list | tuple):
        for item in messages:
            yield from _walk(item, path)
    else:
        code = getattr(messages, "code", "invalid")
        yield FieldError(path=path or "$", message=str(messages), code=code)


def field_errors(messages: Any) -> list[FieldError]:
    """Flatten marshmallow's nested messages into path-named field errors.

    >>> from docgen.schemas.fields import Message
    >>> [e.path for e in field_errors({"members": {2: {"full_name": [Message("x", "c")]}}})]
    ['members[2].full_name']
    """
    return list(_walk(messages, ""))


def load_payload(schema: Schema, data: Any) -> dict[str, Any]:
    """Validate and normalise ``data`` with ``schema``, or raise ``ValidationError``.

    A valid payload takes :func:`~docgen.schemas._fast.fast_loader` (a third of
    marshmallow's time); anything else is loaded again by marshmallow, whose
    errors are the ones reported.
    """
    if not isinstance(data, Mapping):
        raise UnreadableInputError(
            "Dữ liệu phải là một đối tượng JSON (dạng {\"tên trường\": giá trị, ...})."
        )
    try:
        return fast_loader(schema)(data)  # type: ignore[no-any-return]
    except (Invalid, marshmallow.ValidationError):
        pass
    try:
        return schema.load(data)
    except marshmallow.ValidationError as exc:
        raise ValidationError(field_errors(exc.messages)) from exc
