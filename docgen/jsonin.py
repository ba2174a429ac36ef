"""JSON a client sent, parsed so that nothing in it can become a 500.

``json.loads`` accepts three things docgen cannot carry further:

- ``[[[[…`` nested deeper than Python recurses (``RecursionError``);
- an integer of thousands of digits (``ValueError`` past Python's 4,300-digit
  limit; below it, a number SQLite cannot bind: ``OverflowError``);
- ``"\\ud800"``, a lone surrogate: a ``str`` that cannot be encoded to UTF-8,
  so writing it to a job folder, a log or an answer fails.

:func:`loads` refuses each with an :class:`~docgen.errors.UnreadableInputError`
(400, ``unreadable_input``) whose Vietnamese message names the place, before
any of it reaches a schema. No Flask here: the API, the batch runner and the
CLI call it alike.
"""

from __future__ import annotations

import json
from typing import Any

from docgen.errors import UnreadableInputError

__all__ = ["MAX_DEPTH", "MAX_INT_DIGITS", "check_value", "loads"]

#: Nesting deeper than any payload docgen knows (a minutes payload is 4 deep).
MAX_DEPTH = 32
#: Digits of an integer: 64-bit integers have 19; anything longer is no count or id.
MAX_INT_DIGITS = 20


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise UnreadableInputError(
            f"Số nguyên '{text[:12]}…' có {len(text.lstrip('-'))} chữ số, vượt giới hạn "
            f"{MAX_INT_DIGITS} chữ số."
        )
    return int(text)


def _parse_constant(name: str) -> Any:
    raise UnreadableInputError(f"Giá trị '{name}' không phải JSON hợp lệ.")


def _path(parts: list[Any]) -> str:
    path = ""
    for key in parts:
        path += f"[{key}]" if isinstance(key, int) else (f".{key}" if path else str(key))
    return path or "$"


def _walk(value: Any, parts: list[Any]) -> str | None:
    """The first problem (``depth``, ``surrogate``) of a parsed value, its path left in ``parts``.

    One pass, no copies of the path: a million-item list costs a million cheap
    type checks, not a million path lists.
    """
    if len(parts) > MAX_DEPTH:
        return "depth"
    if isinstance(value, dict):
        for key, item in value.items():
            if _has_surrogate(key):
                return "surrogate"
            if isinstance(item, str | dict | list):
                parts.append(key)
                problem = _walk(item, parts)
                if problem:
                    return problem
                parts.pop()
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, str | dict | list):
                parts.append(index)
                problem = _walk(item, parts)
                if problem:
                    return problem
                parts.pop()
    elif isinstance(value, str) and _has_surrogate(value):
        return "surrogate"
    return None


def _has_surrogate(text: str) -> bool:
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def check_value(value: Any, *, where: str = "") -> None:
    """Refuse a parsed value nested past :data:`MAX_DEPTH` or holding a lone surrogate.

    >>> check_value({"a": ["ok"]})
    >>> check_value({"a": ["\\ud800"]})
    Traceback (most recent call last):
    docgen.errors.UnreadableInputError: Giá trị tại 'a[0]' chứa ký tự thay thế đơn lẻ (surrogate), không phải văn bản Unicode hợp lệ.
    """
    parts: list[Any] = []
    problem = _walk(value, parts)
    if problem is not None:
        path = _path(parts)
        place = f"{where}{'.' if where and path != '$' else ''}{path if path != '$' else ''}"
        place = place or "$"
        if problem == "depth":
            raise UnreadableInputError(
                f"Nội dung JSON lồng nhau quá sâu (quá {MAX_DEPTH} cấp) tại '{place}'."
            )
        raise UnreadableInputError(
            f"Giá trị tại '{place}' chứa ký tự thay thế đơn lẻ (surrogate), không phải văn "
            "bản Unicode hợp lệ."
        )


def loads(raw: bytes | str, *, where: str = "") -> Any:
    """Parse a client's JSON; :class:`UnreadableInputError` for anything docgen cannot carry.

    >>> loads(b'{"copies": 2}')
    {'copies': 2}
    >>> loads(b"[" * 100_000)
    Traceback (most recent call last):
    docgen.errors.UnreadableInputError: Nội dung JSON lồng nhau quá sâu.
    """
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as exc:
        raise UnreadableInputError("Nội dung gửi lên không phải văn bản UTF-8.") from exc
    try:
        value = json.loads(text, parse_int=_parse_int, parse_constant=_parse_constant)
    except RecursionError as exc:
        raise UnreadableInputError("Nội dung JSON lồng nhau quá sâu.") from exc
    except json.JSONDecodeError as exc:
        raise UnreadableInputError(
            f"Nội dung gửi lên không phải JSON hợp lệ (dòng {exc.lineno}, cột {exc.colno})."
        ) from exc
    except ValueError as exc:  # e.g. a float literal too long to convert
        raise UnreadableInputError("Nội dung gửi lên không phải JSON hợp lệ.") from exc
    check_value(value, where=where)
    return value
