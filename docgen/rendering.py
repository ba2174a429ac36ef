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

from docgen import layout, metrics, vi
from docgen.catalog import DocumentType, get_type
from docgen.config import Settings
from docgen.engine import Engine
from docgen.errors import FieldError, TemplateNotFoundError, UnsupportedFormatError
from docgen.schemas.base import load_payload
from docgen.schemas.common import signer_warnings

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_MEDIA_TYPE = "application/pdf"
MEDIA_TYPES = {"docx": DOCX_MEDIA_TYPE, "pdf": PDF_MEDIA_TYPE}
#: The output formats, in the server's order of preference.
FORMATS: tuple[str, ...] = tuple(MEDIA_TYPES)
#: PDF/A variants the converter produces (archiving): the one list every entry point offers.
PDFA_VERSIONS: tuple[str, ...] = ("1b", "2b", "3b")


@dataclass(frozen=True)
class Output:
    """What the bytes are: a format and, for PDF, an optional PDF/A variant.

    Built through :meth:`checked`, the one place an output option is refused:

    >>> Output.checked("pdf", "2b")
    Output(format='pdf', pdfa='2b')
    >>> Output.checked("docx", "2b")
    Traceback (most recent call last):
    ...
    docgen.errors.UnsupportedFormatError: Định dạng 'pdfa=2b' không được hỗ trợ. Các định dạng có: format=pdf&pdfa=1b, format=pdf&pdfa=2b, format=pdf&pdfa=3b.
    """

    format: str = "docx"
    pdfa: str | None = None

    @classmethod
    def checked(cls, format: str = "docx", pdfa: str | None = None, *,
                formats: tuple[str, ...] = FORMATS, default_pdfa: str | None = None) -> Output:
        """``format`` must be one of ``formats``; ``pdfa`` one of PDF/A's, with pdf only.

        ``default_pdfa`` (``DOCGEN_PDF_PDFA``) applies to a PDF that asks none, so the
        effective variant is known up front (the register's request hash covers it).
        """
        if format not in formats:
            raise UnsupportedFormatError(str(format), list(formats))
        pdfa = pdfa or None
        if pdfa is not None and (format != "pdf" or pdfa not in PDFA_VERSIONS):
            raise UnsupportedFormatError(f"pdfa={pdfa}",
                                         [f"format=pdf&pdfa={v}" for v in PDFA_VERSIONS])
        if format == "pdf" and pdfa is None:
            pdfa = default_pdfa or None
        return cls(format, pdfa)

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.format]


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
        # The letterhead pass lays out the header table of each rendered document.
        cache_dir = self.settings.cache_dir
        self.engine = Engine(filters=vi.FILTERS, post_render=layout.POST_RENDER,
                             cache_dir=cache_dir / "compiled" if cache_dir is not None else None)
        self._converter = converter
        self._converter_lock = threading.Lock()

    @property
    def converter(self) -> Converter:
        """The PDF converter, built on first use (importing the pool costs a command that
        writes .docx only)."""
        if self._converter is None:
            with self._converter_lock:
                if self._converter is None:
                    self._converter = converter_from_settings(self.settings)
        return self._converter

    def close(self) -> None:
        """Stop the PDF converter if one was started (its LibreOffice instances)."""
        converter, self._converter = self._converter, None
        close = getattr(converter, "close", None)
        if close is not None:
            close()

    def template_path(self, doc_type: DocumentType) -> Path:
        path = Path(self.settings.template_dir) / doc_type.template
        if not path.is_file():
            raise TemplateNotFoundError(f"Không tìm thấy mẫu văn bản {path}.")
        return path

    def validate(self, doc_type: str, data: Any, *, version: str | None = None) -> Validated:
        """Validate and normalise; raise ``ValidationError`` with field paths.

        ``version`` (a template sha256 or a stored version's number) validates against
        that version of the type rather than the deployed one.
        """
        kind = get_type(doc_type, version)
        clean = load_payload(_schema(kind), data)
        return Validated(kind, clean, kind.warnings(clean) + signer_warnings(clean))

    def output(self, format: str = "docx", pdfa: str | None = None) -> Output:
        """The checked output options, with ``DOCGEN_PDF_PDFA`` applied."""
        return Output.checked(format, pdfa, formats=self.formats,
                              default_pdfa=self.settings.pdf_pdfa or None)

    def render_validated(
        self, validated: Validated, format: str | Output = "docx", *, pdfa: str | None = None
    ) -> Rendered:
        output = format if isinstance(format, Output) else self.output(format, pdfa)
        format, pdfa = output.format, output.pdfa
        kind = validated.doc_type
        template = self.engine.load(self.template_path(kind))
        with metrics.render_timer(kind.id):
            content = template.render(kind.build_context(validated.data))
        if format == "pdf":
            content = self.converter.convert(content, pdfa=pdfa)
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
        output = self.output(format, pdfa)  # refuse before the work, not after
        return self.render_validated(self.validate(doc_type, data), output)


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
