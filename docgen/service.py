"""The service seam: a request in, a rendered (and numbered) document out. No IO.

Every entry point — the API, the clerk's form, the CLI, the rounds — builds a
:class:`DocumentRequest` and hands it to :meth:`Service.produce`; none of them checks an
option, validates a payload or numbers a document on its own::

    request = service.request("minutes", data, format="pdf", pdfa="2b", register=True,
                              idempotency_key="k-1")     # every option checked here, once
    produced = service.produce(request)                   # validate once, render, convert,
    produced.rendered.content, produced.entry             # number and record

``Service`` holds the :class:`~docgen.rendering.Renderer` (engine, compiled templates, the
PDF converter) and, where the app has one, the register database. Numbering lives in
:mod:`docgen.register.numbering`; a caller that must record something in the same
transaction as the number (a round's minutes) uses
:func:`~docgen.register.numbering.number_in` directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from docgen.errors import InputError
from docgen.rendering import Output, Rendered, Renderer, Validated

if TYPE_CHECKING:
    from docgen.register import Register
    from docgen.register.models import Entry

__all__ = ["DocumentRequest", "Produced", "RegisterNotConfiguredError", "Service"]


class RegisterNotConfiguredError(InputError):
    """Numbering was asked of a service without a register (a library caller's mistake)."""

    code = "register_not_configured"
    title = "Không có sổ đăng ký văn bản"
    status = 503


@dataclass(frozen=True)
class DocumentRequest:
    """What a caller asks for. Build it with :meth:`Service.request`, which checks it."""

    doc_type: str
    data: Any
    output: Output = field(default_factory=Output)
    #: Take the issuer's next number and record the document in the outgoing register.
    register: bool = False
    #: With ``register``: a retry with the same key and request answers the same file.
    idempotency_key: str | None = None
    #: A template version (sha256, or a stored version's number): ``None`` is the deployed one.
    version: str | None = None


@dataclass(frozen=True)
class Produced:
    """The document, and its register entry when it was numbered."""

    rendered: Rendered
    entry: Entry | None = None


class Service:
    """Validate once, render, convert, number: the one path behind every entry point."""

    def __init__(self, renderer: Renderer, register: Register | None = None) -> None:
        self.renderer = renderer
        self.register = register

    @property
    def formats(self) -> tuple[str, ...]:
        return self.renderer.formats

    def request(self, doc_type: str, data: Any, *, format: str = "docx",
                pdfa: str | None = None, register: bool = False,
                idempotency_key: str | None = None,
                version: str | None = None) -> DocumentRequest:
        """A checked request: the format this installation makes, PDF/A only with PDF
        (``DOCGEN_PDF_PDFA`` applied), a well-formed idempotency key; ``version`` names a
        template version (checked when the type is looked up)."""
        output = self.renderer.output(format, pdfa)
        key = None
        if register:  # the register (SQLAlchemy) is imported only when numbering is asked
            from docgen.register.numbering import check_idempotency_key

            key = check_idempotency_key(idempotency_key)
        return DocumentRequest(doc_type, data, output, register, key,
                               (version or "").strip() or None)

    def validate(self, doc_type: str, data: Any, *, version: str | None = None) -> Validated:
        return self.renderer.validate(doc_type, data, version=version)

    def produce(self, request: DocumentRequest, validated: Validated | None = None) -> Produced:
        """The document of ``request``; ``validated`` when the caller validated already
        (the form, which shows errors before it renders), so nothing validates twice."""
        validated = validated or self.renderer.validate(request.doc_type, request.data,
                                                        version=request.version)
        if not request.register:
            return Produced(self.renderer.render_validated(validated, request.output))
        from docgen.register.numbering import issue

        rendered, entry = issue(self.renderer, self.the_register().session_factory, validated,
                                request.output, request.idempotency_key)
        return Produced(rendered, entry)

    def the_register(self) -> Register:
        if self.register is None:
            raise RegisterNotConfiguredError(
                "Dịch vụ này không mở sổ đăng ký văn bản đi nên không cấp số được.")
        return self.register
