"""``DocumentType``: one loaded pack — what a ``minutes`` is, as every entry point sees it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marshmallow import Schema

from docgen import context, vi
from docgen.errors import FieldError

ContextBuilder = Callable[[dict[str, Any]], dict[str, Any]]
WarningCheck = Callable[[dict[str, Any]], list[FieldError]]


def _no_warnings(data: dict[str, Any]) -> list[FieldError]:
    return []


def _no_context(data: dict[str, Any]) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class DocumentType:
    """A document type loaded from its pack (``templates/<id>/`` or an agency's folder).

    ``template`` is the Word file's path (absolute for a pack; a bare name is read
    under ``DOCGEN_TEMPLATE_DIR``, as library callers built types before packs);
    ``version`` is the SHA-256 of that file, the identity a template store and the
    register use. ``source`` says where the pack came from: ``shipped`` or ``folder``.
    """

    id: str
    #: Vietnamese name as a clerk calls it ("Biên bản kiểm tra").
    name: str
    #: The title printed on the document ("BIÊN BẢN"); "" for a công văn.
    type_name: str
    #: Type code of Decree 30, Appendix III ("BB"); "" for a công văn (no code).
    type_code: str
    schema: type[Schema]
    template: str | Path
    extra_context: ContextBuilder = _no_context
    warnings: WarningCheck = _no_warnings
    version: str = ""
    source: str = "shipped"
    pack_dir: Path | None = None
    example: dict[str, Any] | None = field(default=None, compare=False, repr=False)
    description: str = ""

    def build_context(self, data: dict[str, Any]) -> dict[str, Any]:
        """Validated data plus derived values, as the template sees them."""
        return {**context.common_context(self, data), **self.extra_context(data)}

    def issuer_code(self, data: dict[str, Any]) -> str:
        """The issuer part of the symbol: the agency's code, and for a công văn (no type
        code) the drafting unit after it — ``SKHCN-TĐC`` in ``215/SKHCN-TĐC``."""
        code = str(data["agency"]["code"])
        unit = data.get("drafting_unit") if not self.type_code else None
        return f"{code}-{unit}" if unit else code

    def number_symbol(self, number: int | None, data: dict[str, Any]) -> str:
        """``05/KH-SKHCN``, or ``215/SKHCN-TĐC`` for a công văn."""
        return vi.document_number(number, self.type_code, self.issuer_code(data))

    def file_stem(self, data: dict[str, Any]) -> str:
        """'BB-12-ĐKT-2017-10-12': type code, number, issuer code, date.

        Vietnamese letters are kept; the HTTP layer adds an ASCII fallback. A công
        văn, without a code, starts with "CV".
        """
        number = data.get("number")
        parts = [self.type_code or "CV"]
        if number:
            parts.append(f"{number:02d}")
        parts += [self.issuer_code(data), data["date"].isoformat()]
        return "-".join(parts)
