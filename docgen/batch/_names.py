"""File names inside a batch: from a pattern, safe on Windows, unique.

The pattern is a Python format string over the row's values:
``{stt:03d}-{unit_name}`` gives ``007-Sở Tài nguyên và Môi trường.docx``.
Names are those of the payload's fields outside repeated groups, with ``_`` for
``.`` (``unit_name``, ``agency_code``, ``signer_full_name``, ``date``, which
takes a date format: ``{date:%d-%m-%Y}``), plus ``stt`` (the STT column, or the
row's place among the data rows), ``row`` (the Excel row), ``type_code`` and
``stem`` (the single-document name, ``BB-12-ĐKT-2017-10-12``).

Vietnamese letters are kept (NFC); what Windows refuses (``<>:"/\\|?*``, control
characters, trailing dots and spaces, CON/PRN/AUX/NUL/COM1…/LPT1…) is replaced,
and names longer than a Windows path can comfortably hold are cut. Two rows
that give the same name — compared as Windows does, ignoring case — get
``(2)``, ``(3)``… before the extension.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from docgen.batch._fields import Node, iter_leaves
from docgen.errors import InputError

DEFAULT_PATTERNS = {"minutes": "{stt:03d}-{unit_name}"}
FALLBACK_PATTERN = "{stt:03d}-{stem}"
FIXED_NAMES = ("stt", "row", "type_code", "stem")

#: Stem length cap: an unzipped round sits a few folders deep, and Windows'
#: classic path limit is 260 characters.
MAX_STEM = 100

_FORBIDDEN = re.compile(r'[<>:"|?*\x00-\x1f\x7f]')
_SLASHES = re.compile(r"[/\\]")
_SPACES = re.compile(r"\s+")
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
             *(f"lpt{i}" for i in range(1, 10))}


def safe_filename(name: str, *, default: str = "van-ban") -> str:
    """``name`` made safe for Windows, Vietnamese letters kept.

    >>> safe_filename('UBND xã "Hòa Tú 1"/Mỹ Xuyên: 2017?.docx')
    'UBND xã _Hòa Tú 1_-Mỹ Xuyên_ 2017_.docx'
    >>> safe_filename("CON.docx"), safe_filename(" . ")
    ('_CON.docx', 'van-ban')
    """
    text = _SPACES.sub(" ", unicodedata.normalize("NFC", name))
    text = _SLASHES.sub("-", text)
    text = _FORBIDDEN.sub("_", text).strip().rstrip(". ")
    stem, dot, ext = text.rpartition(".")
    if not dot or not ext or " " in ext or len(ext) > 5:
        stem, ext = text, ""
    stem = stem.strip().rstrip(". ")
    if len(stem) > MAX_STEM:
        stem = stem[:MAX_STEM].rstrip(". ")
    if not stem:
        stem = default
    if stem.split(".")[0].casefold() in _RESERVED:
        stem = "_" + stem
    return f"{stem}.{ext}" if ext else stem


class UniqueNames:
    """Hands out names no two alike, as a case-insensitive file system compares them."""

    def __init__(self, reserved: Iterable[str] = ()) -> None:
        self._used: set[str] = {self._key(n) for n in reserved}

    @staticmethod
    def _key(name: str) -> str:
        return unicodedata.normalize("NFC", name).casefold()

    def claim(self, name: str) -> str:
        """``name``, or ``name (2)``, ``name (3)``… before the extension.

        >>> names = UniqueNames()
        >>> [names.claim(n) for n in ["Sở Y tế.docx", "sở y tế.docx", "Sở Y tế.docx"]]
        ['Sở Y tế.docx', 'sở y tế (2).docx', 'Sở Y tế (3).docx']
        """
        stem, dot, ext = name.rpartition(".")
        if not dot:
            stem, ext = name, ""
        candidate, n = name, 1
        while self._key(candidate) in self._used:
            n += 1
            candidate = f"{stem} ({n}).{ext}" if ext else f"{stem} ({n})"
        self._used.add(self._key(candidate))
        return candidate


def pattern_names(root: Node) -> list[str]:
    """The variables a file name pattern may use for a document type."""
    names = list(FIXED_NAMES)
    for path, node in iter_leaves(root, include_lists=False):
        if node.kind == "leaf":
            names.append("_".join(str(k) for k in path))
    return names


#: Format specs a pattern may use: a zero-padded integer width (``03d``) …
_INT_SPEC = re.compile(r"0?[1-9]?d")
#: … or a date format of day/month/year/hour/minute codes and separators (``%d-%m-%Y``).
_DATE_SPEC = re.compile(r"(?:%[dmYyHM]|[-_. ])+")
#: Bounds of a pattern itself (the resulting name is cut to MAX_STEM by safe_filename).
MAX_PATTERN = 200
MAX_FIELDS = 10


class FilenamePatternError(InputError):
    """A ``pattern`` docgen will not format: unknown variable, spec or access, too long."""

    code = "invalid_pattern"
    title = "Mẫu tên tệp không hợp lệ"


class FilenamePattern:
    """A checked pattern: plain field references only, refused before any row is read.

    A pattern is a clerk's text, so it is *not* handed to ``str.format`` as it
    came: ``{unit_name:>100000000}`` padded every name to 100 MB and
    ``{unit_name.__class__}`` reached attributes. Allowed are ``{name}``,
    ``{name:03d}`` (a zero-padded integer, width up to 9) and ``{date:%d-%m-%Y}``
    (day, month, year, hour, minute codes); no conversion (``!r``), no attribute
    or index access, no other spec. The result is cut to :data:`MAX_STEM`.
    """

    def __init__(self, pattern: str, allowed: Iterable[str], extension: str) -> None:
        self.allowed = list(allowed)
        self.extension = extension
        pattern = pattern.strip()
        if pattern.casefold().endswith("." + extension):
            pattern = pattern[: -len(extension) - 1]
        self.pattern = pattern
        if len(pattern) > MAX_PATTERN:
            raise FilenamePatternError(f"Mẫu tên tệp dài quá {MAX_PATTERN} ký tự.")
        unknown: list[str] = []
        fields = 0
        try:
            for _, name, spec, conversion in string.Formatter().parse(pattern):
                if name is None:
                    continue
                fields += 1
                if conversion or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                    raise FilenamePatternError(
                        f"Mẫu tên tệp chỉ được dùng tên biến đơn giản, ví dụ {{unit_name}}; "
                        f"không nhận '{{{name}{'!' + conversion if conversion else ''}}}'."
                    )
                if spec and not (_INT_SPEC.fullmatch(spec) or _DATE_SPEC.fullmatch(spec)):
                    raise FilenamePatternError(
                        f"Định dạng '{{{name}:{spec}}}' trong mẫu tên tệp không được phép; "
                        "chỉ dùng số có số 0 đứng trước ({stt:03d}) hoặc ngày ({date:%d-%m-%Y})."
                    )
                if name not in self.allowed and name not in unknown:
                    unknown.append(name)
        except ValueError as exc:
            raise FilenamePatternError(f"Mẫu tên tệp '{pattern}' sai cú pháp: {exc}.") from exc
        if fields > MAX_FIELDS:
            raise FilenamePatternError(f"Mẫu tên tệp dùng quá {MAX_FIELDS} biến.")
        if unknown:
            raise FilenamePatternError(
                f"Mẫu tên tệp có biến không có: {', '.join(unknown)}. "
                f"Các biến dùng được: {', '.join(self.allowed)}."
            )

    def format(self, values: Mapping[str, Any]) -> str:
        """The safe file name for one row; the fallback pattern if a value does not fit."""
        clean = {k: ("" if v is None else v) for k, v in values.items()}
        try:
            name = self.pattern.format(**clean)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError):
            name = FALLBACK_PATTERN.format(**clean)
        return safe_filename(f"{name[: MAX_STEM * 4]}.{self.extension}")


def pattern_values(data: Mapping[str, Any], root: Node, **fixed: Any) -> dict[str, Any]:
    """The pattern variables of one validated payload."""
    values = dict(fixed)
    for path, node in iter_leaves(root, include_lists=False):
        if node.kind != "leaf":
            continue
        value: Any = data
        for key in path:
            value = value.get(key) if isinstance(value, Mapping) else None
        values["_".join(str(k) for k in path)] = value
    return values


__all__ = [
    "DEFAULT_PATTERNS",
    "FALLBACK_PATTERN",
    "FilenamePattern",
    "FilenamePatternError",
    "UniqueNames",
    "pattern_names",
    "pattern_values",
    "safe_filename",
]
