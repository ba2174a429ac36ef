"""The bridge from document types to the checker: arguments, and a cache per file hash.

The one module of ``docgen.check`` that knows today's catalog. ``/readyz`` and
``docgen doctor`` check every loaded type's template; a template file is checked once
per SHA-256 of its bytes (a re-check costs one read and one hash), so a readiness probe
stays fast while an edited file is checked again on the next probe.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docgen.catalog import DOCUMENT_TYPES, DocumentType, example_payload, get_type
from docgen.schemas.walk import describe_schema

from ._check import check_template
from ._findings import ERROR, UNUSABLE, Finding

if TYPE_CHECKING:
    from docgen.rendering import Renderer as DocumentRenderer

__all__ = ["TypeCheck", "check_for_type", "check_loaded_types", "unusable"]


def unusable(findings: list[Finding]) -> bool:
    """Whether ``findings`` say the file could not be checked at all (exit 2, a 422)."""
    return len(findings) == 1 and findings[0].code in UNUSABLE


@dataclass(frozen=True)
class TypeCheck:
    """The findings for one type's template file."""

    doc_type: str
    path: Path
    sha256: str
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == ERROR)

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors


def check_for_type(docx: bytes, doc_type: str | None,
                   renderer: DocumentRenderer | None = None) -> list[Finding]:
    """Check ``docx`` as the template of ``doc_type`` (or as a bare .docx when None).

    Raises ``UnknownDocumentTypeError`` for a type that does not exist.
    """
    if doc_type is None:
        return check_template(docx)
    kind = get_type(doc_type)
    if renderer is None:
        from docgen.rendering import default_renderer

        renderer = default_renderer()
    the_renderer = renderer

    def context(payload: Mapping[str, Any]) -> Mapping[str, Any]:
        return kind.build_context(the_renderer.validate(kind.id, payload).data)

    def render(template: bytes, payload: Mapping[str, Any]) -> bytes:
        return the_renderer.engine.compile(template).render(context(payload))

    return check_template(docx, fields=describe_schema(kind.schema), example=example_payload(kind),
                          render=render, context=context, engine=the_renderer.engine)


_cache: dict[tuple[str, str], tuple[Finding, ...]] = {}
_cache_lock = threading.Lock()


def check_loaded_types(template_dir: Path, renderer: DocumentRenderer | None = None
                       ) -> list[TypeCheck]:
    """Every loaded type's template checked, cached per (type, file hash).

    A missing template is one ``not_docx`` error for its type, so the caller reports it
    like any other problem.
    """
    results = []
    for kind in DOCUMENT_TYPES.values():
        results.append(_check_file(kind, template_dir / kind.template, renderer))
    return results


def _check_file(kind: DocumentType, path: Path, renderer: DocumentRenderer | None) -> TypeCheck:
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = "không có tệp" if isinstance(exc, FileNotFoundError) else "không đọc được tệp"
        missing = Finding("not_docx", ERROR, f"Không đọc được mẫu: {reason}.", str(path))
        return TypeCheck(kind.id, path, "", (missing,))
    sha256 = hashlib.sha256(data).hexdigest()
    with _cache_lock:
        cached = _cache.get((kind.id, sha256))
    if cached is None:
        cached = tuple(check_for_type(data, kind.id, renderer))
        with _cache_lock:
            _cache[(kind.id, sha256)] = cached
    return TypeCheck(kind.id, path, sha256, cached)
