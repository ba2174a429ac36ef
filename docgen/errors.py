"""One exception hierarchy for docgen, each class with a stable ``code``.

The web layer, the CLI and the batch runner each present these their own way;
the ``code`` strings are part of the public contract and never change once
released. Messages are Vietnamese, because the people who read them are.

    DocgenError                         docgen_error
    ├── InputError                      invalid_input        (the caller's fault: 4xx)
    │   ├── UnreadableInputError        unreadable_input     (not JSON, not a mapping)
    │   ├── UnknownDocumentTypeError    unknown_document_type
    │   ├── UnsupportedFormatError      unsupported_format
    │   ├── PayloadTooLargeError        payload_too_large
    │   ├── IllegalCharacterError       illegal_character    (a value holds a character XML forbids)
    │   ├── NotADocxError               not_a_docx           (an upload to convert is no .docx: 415)
    │   ├── UnsafeDocxError             unsafe_docx          (a .docx whose zip could be a bomb: 422)
    │   └── ValidationError             validation_failed    (carries FieldError list)
    ├── TemplateError                   template_error       (a template is broken: 5xx, logged)
    │   ├── TemplateNotFoundError       template_not_found
    │   ├── TemplateSyntaxError         template_syntax      (carries part and line)
    │   └── TemplateRenderError         template_render      (carries part, undefined names)
    └── ConversionError                 conversion_failed    (PDF converter: 5xx)
        ├── ConverterUnavailableError   converter_unavailable
        ├── ConverterBusyError          converter_busy       (queue full: 503 + Retry-After)
        └── ConversionTimeoutError      conversion_timeout

Features add their own leaves under these roots, beside their code:
``docgen.jobs._errors`` (job_not_found 404, job_not_finished 409,
jobs_unavailable 503), ``docgen.register.errors`` (invalid_idempotency_key,
idempotency_key_reused, unknown_issuer, number_conflict 409,
register_unavailable 503) and ``docgen.rounds.errors`` (round_not_found,
round_unit_not_found, unit_not_on_site, unit_not_by_report,
minutes_already_registered, unit_has_minutes, round_incomplete). The API, the
CLI and the form handle them all through the roots.

``FieldError`` is not an exception: it is one entry of a validation failure,
``{path, message, code}``, with a JSON path such as ``members[2].full_name``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

__all__ = [
    "ConversionError",
    "ConversionTimeoutError",
    "ConverterBusyError",
    "ConverterUnavailableError",
    "DocgenError",
    "FieldError",
    "IllegalCharacterError",
    "InputError",
    "NotADocxError",
    "PayloadTooLargeError",
    "TemplateError",
    "TemplateNotFoundError",
    "TemplateRenderError",
    "TemplateSyntaxError",
    "UnknownDocumentTypeError",
    "UnreadableInputError",
    "UnsafeDocxError",
    "UnsupportedFormatError",
    "ValidationError",
]


class DocgenError(Exception):
    """Root of every error docgen raises on purpose."""

    code: str = "docgen_error"
    title: str = "Lỗi docgen"
    #: HTTP status the API answers with; the CLI maps it to an exit code.
    status: int = 500

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.title
        super().__init__(self.message)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message}


class InputError(DocgenError):
    code = "invalid_input"
    title = "Dữ liệu đầu vào không hợp lệ"
    status = 400


class UnreadableInputError(InputError):
    code = "unreadable_input"
    title = "Không đọc được dữ liệu đầu vào"
    status = 400


class UnknownDocumentTypeError(InputError):
    code = "unknown_document_type"
    title = "Không có loại văn bản này"
    status = 404

    def __init__(self, doc_type: str, known: list[str]) -> None:
        self.doc_type = doc_type
        self.known = known
        super().__init__(
            f"Không có loại văn bản '{doc_type}'. Các loại có: {', '.join(known)}."
        )


class UnsupportedFormatError(InputError):
    code = "unsupported_format"
    title = "Định dạng đầu ra không được hỗ trợ"
    status = 406

    def __init__(self, fmt: str, supported: list[str]) -> None:
        self.format = fmt
        self.supported = supported
        super().__init__(
            f"Định dạng '{fmt}' không được hỗ trợ. Các định dạng có: {', '.join(supported)}."
        )


class PayloadTooLargeError(InputError):
    code = "payload_too_large"
    title = "Dữ liệu gửi lên quá lớn"
    status = 413


class NotADocxError(InputError):
    code = "not_a_docx"
    title = "Tệp không phải văn bản Word (.docx)"
    status = 415


class UnsafeDocxError(InputError):
    """A .docx (a zip) refused before LibreOffice sees it: too many parts, too big unpacked,
    compressed suspiciously well (a zip bomb), encrypted, or lying about its sizes."""

    code = "unsafe_docx"
    title = "Tệp .docx không an toàn để chuyển đổi"
    status = 422

    def __init__(self, message: str, *, member: str | None = None) -> None:
        self.member = member
        super().__init__(message)


class IllegalCharacterError(InputError):
    code = "illegal_character"
    title = "Dữ liệu chứa ký tự không hợp lệ"
    status = 422

    def __init__(self, char: str, *, path: str | None = None) -> None:
        self.char = char
        self.path = path
        where = f" tại '{path}'" if path else ""
        super().__init__(
            f"Giá trị{where} chứa ký tự điều khiển U+{ord(char):04X}, "
            "không được phép trong văn bản Word."
        )


@dataclass(frozen=True)
class FieldError:
    """One problem with one field: where (JSON path), what (Vietnamese), which (code)."""

    path: str
    message: str
    code: str = "invalid"

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


class ValidationError(InputError):
    code = "validation_failed"
    title = "Dữ liệu không hợp lệ"
    status = 422

    def __init__(self, errors: list[FieldError], message: str | None = None) -> None:
        self.errors = list(errors)
        if message is None:
            first = self.errors[0] if self.errors else None
            message = (
                f"Có {len(self.errors)} lỗi trong dữ liệu; lỗi đầu tiên: "
                f"{first.path}: {first.message}"
                if first
                else self.title
            )
        super().__init__(message)

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "errors": [e.to_dict() for e in self.errors]}


class TemplateError(DocgenError):
    code = "template_error"
    title = "Lỗi mẫu văn bản"
    status = 500


class TemplateNotFoundError(TemplateError):
    code = "template_not_found"
    title = "Không tìm thấy mẫu văn bản"


class TemplateSyntaxError(TemplateError):
    """The Jinja source of a template part does not compile."""

    code = "template_syntax"
    title = "Mẫu văn bản có lỗi cú pháp"

    def __init__(self, message: str, *, part: str | None = None, line: int | None = None) -> None:
        self.part = part
        self.line = line
        where = f" ({part}, dòng {line})" if part and line else (f" ({part})" if part else "")
        super().__init__(f"{message}{where}")


class TemplateRenderError(TemplateError):
    """Rendering failed: an undefined variable, a sandbox violation, a bad filter call."""

    code = "template_render"
    title = "Không điền được mẫu văn bản"

    def __init__(
        self, message: str, *, part: str | None = None, names: list[str] | None = None
    ) -> None:
        self.part = part
        self.names = names or []
        super().__init__(message)


class ConversionError(DocgenError):
    code = "conversion_failed"
    title = "Không chuyển được sang PDF"
    status = 502


class ConverterUnavailableError(ConversionError):
    code = "converter_unavailable"
    title = "Bộ chuyển PDF không sẵn sàng"
    status = 503


class ConverterBusyError(ConversionError):
    code = "converter_busy"
    title = "Bộ chuyển PDF đang quá tải"
    status = 503

    def __init__(self, message: str | None = None, *, retry_after: int = 5) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class ConversionTimeoutError(ConversionError):
    code = "conversion_timeout"
    title = "Chuyển sang PDF quá thời gian cho phép"
    status = 504
