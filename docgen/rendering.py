"""The one render path every entry point calls: validate, build context, render.

``Renderer`` holds what is expensive to build (the engine with its compiled
template cache, the optional PDF converter); :func:`docgen.render` uses a
process-wide default one. The web form, the API, the CLI and the batch runner
are thin adapters over :meth:`Renderer.render`.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from marshmallow import Schema

from docgen import metrics, vi
from docgen.catalog import DocumentType, get_type
from docgen.config import Settings
from docgen.engine import Engine
from docgen.errors import FieldError, TemplateNotFoundError, UnsupportedFormatError
from docgen.schemas.base import load_payload

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_MEDIA_TYPE = "application/pdf"
MEDIA_TYPES = {"docx": DOCX_MEDIA_TYPE, "pdf": PDF_MEDIA_TYPE}


class Converter(Protocol):
    """Turns a .docx into a PDF (the LibreOffice pool; a fake in unit tests)."""

    def convert(self, docx: bytes, *, pdfa: str | None = None) -> bytes: ...


@dataclass(frozen=True)
class Validated:
    """A payload that passed its schema: clean data plus non-blocking warnings."""

    doc_type: DocumentType
    data: dict[str, Any]
    warnings: list[FieldError] = field(default_factory=list)


@dataclass(frozen=True)
class Rendered:
    content: bytes
    format: str
    media_type: str
    filename: str
    warnings: list[FieldError]


def converter_from_settings(settings: Settings) -> Converter:
    """The warm LibreOffice pool, configured by ``DOCGEN_PDF_*``; it starts lazily.

    Building it costs nothing: no process starts until the first PDF (or
    ``start()``). Without LibreOffice, ``convert`` raises
    ``ConverterUnavailableError`` (a 503 naming the packages), DOCX unaffected.
    """
    from docgen.pdf import ConverterPool

    return ConverterPool(
        workers=settings.pdf_workers,
        timeout=settings.pdf_timeout,
        max_conversions=settings.pdf_max_conversions,
        queue_size=settings.pdf_queue,
        soffice=settings.pdf_soffice or None,
        python=settings.pdf_python or None,
    )


@functools.cache
def _schema(kind: DocumentType) -> Schema:
    """One schema instance per type: building one (and its nested copies) per call
    cost about as much as validating. Loading keeps no state on the instance."""
    return kind.schema()


class Renderer:
    """Validate, build the context, render; convert to PDF through ``converter``.

    ``converter`` defaults to the LibreOffice pool from the settings.
    """

    formats: tuple[str, ...] = ("docx", "pdf")

    def __init__(self, settings: Settings | None = None, converter: Converter | None = None):
        self.settings = settings or Settings.from_env()
        self.engine = Engine(filters=vi.FILTERS)
        self.converter = converter or converter_from_settings(self.settings)

    def template_path(self, doc_type: DocumentType) -> Path:
        path = Path(self.settings.template_dir) / doc_type.template
        if not path.is_file():
            raise TemplateNotFoundError(f"Không tìm thấy mẫu văn bản {path}.")
        return path

    def validate(self, doc_type: str, data: Any) -> Validated:
        """Validate and normalise; raise ``ValidationError`` with field paths."""
        kind = get_type(doc_type)
        clean = load_payload(_schema(kind), data)
        return Validated(kind, clean, kind.warnings(clean))

    def render_validated(
        self, validated: Validated, format: str = "docx", *, pdfa: str | None = None
    ) -> Rendered:
        if format not in self.formats:
            raise UnsupportedFormatError(format, list(self.formats))
        kind = validated.doc_type
        template = self.engine.load(self.template_path(kind))
        with metrics.render_timer(kind.id):
            content = template.render(kind.build_context(validated.data))
        if format == "pdf":
            content = self.converter.convert(content, pdfa=pdfa or self.settings.pdf_pdfa or None)
        return Rendered(
            content=content,
            format=format,
            media_type=MEDIA_TYPES[format],
            filename=f"{kind.file_stem(validated.data)}.{format}",
            warnings=validated.warnings,
        )

    def render(
        self, doc_type: str, data: Any, format: str = "docx", *, pdfa: str | None = None
    ) -> Rendered:
        """Validate ``data`` as ``doc_type`` and render it to ``format``."""
        if format not in self.formats:  # refuse before the work, not after
            raise UnsupportedFormatError(format, list(self.formats))
        return self.render_validated(self.validate(doc_type, data), format, pdfa=pdfa)


_default: Renderer | None = None
_default_lock = threading.Lock()


def default_renderer() -> Renderer:
    """The process-wide renderer behind :func:`docgen.render`."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Renderer()
        return _default


def render(doc_type: str, data: dict[str, Any], format: str = "docx") -> bytes:
    """Validate ``data`` as ``doc_type`` and return the document's bytes (docx or pdf).

    Raises ``docgen.errors.ValidationError`` (with field paths) on bad input,
    ``UnknownDocumentTypeError`` for an unknown type, ``UnsupportedFormatError``
    for a format this installation cannot produce.
    """
    return default_renderer().render(doc_type, data, format).content
