"""The document types: id -> Vietnamese name, type code, schema, template, context.

This is the one place that knows what a ``minutes`` is. The CLI, the API, the
form and the batch runner look types up here and never special-case one.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from marshmallow import Schema

from docgen import context
from docgen.errors import FieldError, UnknownDocumentTypeError
from docgen.schemas.decision import DecisionSchema
from docgen.schemas.minutes import MinutesSchema, minutes_warnings
from docgen.schemas.plan import PlanSchema, plan_warnings
from docgen.schemas.report import ReportSchema, report_warnings

ContextBuilder = Callable[[dict[str, Any]], dict[str, Any]]
WarningCheck = Callable[[dict[str, Any]], list[FieldError]]


def _no_warnings(data: dict[str, Any]) -> list[FieldError]:
    return []


@dataclass(frozen=True)
class DocumentType:
    id: str
    #: Vietnamese name as a clerk calls it ("Biên bản kiểm tra").
    name: str
    #: The title printed on the document ("BIÊN BẢN").
    type_name: str
    #: Type code of Decree 30, Appendix III ("BB").
    type_code: str
    schema: type[Schema]
    template: str
    extra_context: ContextBuilder
    warnings: WarningCheck = _no_warnings

    def build_context(self, data: dict[str, Any]) -> dict[str, Any]:
        """Validated data plus derived values, as the template sees them."""
        return {**context.common_context(self, data), **self.extra_context(data)}

    def file_stem(self, data: dict[str, Any]) -> str:
        """'BB-12-ĐKT-2017-10-12': type code, number, issuer code, date.

        Vietnamese letters are kept; the HTTP layer adds an ASCII fallback.
        """
        number = data.get("number")
        parts = [self.type_code]
        if number:
            parts.append(f"{number:02d}")
        parts += [data["agency"]["code"], data["date"].isoformat()]
        return "-".join(parts)


DOCUMENT_TYPES: dict[str, DocumentType] = {
    t.id: t
    for t in (
        DocumentType(
            id="plan",
            name="Kế hoạch kiểm tra",
            type_name="KẾ HOẠCH",
            type_code="KH",
            schema=PlanSchema,
            template="plan.docx",
            extra_context=context.plan_context,
            warnings=plan_warnings,
        ),
        DocumentType(
            id="decision",
            name="Quyết định thành lập Đoàn kiểm tra",
            type_name="QUYẾT ĐỊNH",
            type_code="QĐ",
            schema=DecisionSchema,
            template="decision.docx",
            extra_context=context.decision_context,
        ),
        DocumentType(
            id="minutes",
            name="Biên bản kiểm tra",
            type_name="BIÊN BẢN",
            type_code="BB",
            schema=MinutesSchema,
            template="minutes.docx",
            extra_context=context.minutes_context,
            warnings=minutes_warnings,
        ),
        DocumentType(
            id="report",
            name="Báo cáo kết quả kiểm tra",
            type_name="BÁO CÁO",
            type_code="BC",
            schema=ReportSchema,
            template="report.docx",
            extra_context=context.report_context,
            warnings=report_warnings,
        ),
    )
}


def get_type(doc_type: str) -> DocumentType:
    """The document type called ``doc_type``, or ``UnknownDocumentTypeError``."""
    try:
        return DOCUMENT_TYPES[doc_type]
    except KeyError:
        raise UnknownDocumentTypeError(str(doc_type), list(DOCUMENT_TYPES)) from None


#: The committed example payloads (valid by construction: a test renders each).
EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "schemas" / "examples"


@functools.cache
def _example(doc_type: str) -> dict[str, Any]:
    return json.loads((EXAMPLES_DIR / f"{doc_type}.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def example_payload(kind: DocumentType) -> dict[str, Any] | None:
    """A fresh copy of the type's example payload, or ``None`` if it is not installed."""
    try:
        return copy.deepcopy(_example(kind.id))
    except OSError:
        return None
