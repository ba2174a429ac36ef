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
    │   ├── TemplateRenderError         template_render      (carries part, undefined names)
    │   └── PackError                   invalid_pack         (a pack's declaration; carries place)
    ├── AccessError                     access_denied        (who may use a page: 401/403)
    │   ├── LoginRequiredError          login_required       (a page behind the keys, no login: 401)
    │   ├── CsrfError                   csrf_failed          (a page POST without its token or origin: 403)
    │   └── TooManyAttemptsError        too_many_attempts    (wrong keys from one address: 429 + Retry-After)
    ├── ConfigurationError              invalid_setting      (a DOCGEN_* value cannot be used)
    └── ConversionError                 conversion_failed    (PDF converter: 5xx)
        ├── ConverterUnavailableError   converter_unavailable
        ├── ConverterBusyError          converter_busy       (queue full: 503 + Retry-After)
        └── ConversionTimeoutError      conversion_timeout

Features add their own leaves under these roots, beside their code:
``docgen.jobs._errors`` (job_not_found 404, job_not_finished 409,
jobs_unavailable 503), ``docgen.register.errors`` (invalid_idempotency_key,
idempotency_key_reused, unknown_issuer, number_conflict 409,
register_unavailable 503), ``docgen.rounds.errors`` (round_not_found,
round_unit_not_found, unit_not_on_site, unit_not_by_report,
minutes_already_registered, unit_has_minutes, round_incomplete),
``docgen.safezip`` (archive_too_large 413, under UnreadableInputError) and
``docgen.batch._names`` (invalid_pattern 400, under InputError) and
``docgen.pdf.raster`` (invalid_preview_page 400 under InputError, preview_unavailable
503 under ConversionError). The API, the
CLI and the form handle them all through the roots.

A ``ValidationError`` lists at most :data:`MAX_LISTED_ERRORS` field errors and
counts them all in ``total`` (``total_errors`` in the API's body); field codes
include ``too_many_items`` (a list over its bound, refused before its items are
read), ``needs_authority`` (a signer's on_behalf_of without an authority) and the
signature levels' ``needs_collective_authority``, ``signature_level_not_allowed`` (TL. or
TUQ. under TM.) and ``conflicting_signature_lines`` (docgen.schemas.common.SignerSchema);
the warning ``deprecated_signer_line_break`` (the second line typed inside on_behalf_of).

``FieldError`` is not an exception: it is one entry of a validation failure,
``{path, message, code}``, with a JSON path such as ``members[2].full_name``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

__all__ = [
    "MAX_LISTED_ERRORS",
    "AccessError",
    "ConfigurationError",
    "ConversionError",
    "ConversionTimeoutError",
    "ConverterBusyError",
    "ConverterUnavailableError",
    "CsrfError",
    "DocgenError",
    "FieldError",
    "IllegalCharacterError",
    "InputError",
    "LoginRequiredError",
    "NotADocxError",
    "PackError",
    "PayloadTooLargeError",
    "TemplateError",
    "TemplateNotFoundError",
    "TemplateRenderError",
    "TemplateSyntaxError",
    "TooManyAttemptsError",
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


class AccessError(DocgenError):
    """A page refused to this browser: not signed in, or a POST that did not come from us."""

    code = "access_denied"
    title = "Không được phép"
    status = 403


class LoginRequiredError(AccessError):
    code = "login_required"
    title = "Cần đăng nhập"
    status = 401

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or "Trang này cần đăng nhập: dán khóa truy cập ở trang /login.")


class CsrfError(AccessError):
    """A state-changing page POST without a valid ``_csrf`` token or from another origin.

    ``reason`` says which check failed (``origin_missing``, ``origin_mismatch``,
    ``token_missing``, ``token_mismatch``) — for the log and the tests; the message
    tells the clerk what to do.
    """

    code = "csrf_failed"
    title = "Yêu cầu không xuất phát từ trang của docgen"
    status = 403

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(
            "Yêu cầu bị từ chối vì không mang mã chống giả mạo (CSRF) hợp lệ hoặc không gửi "
            "từ chính trang này. Hãy tải lại trang rồi gửi lại."
        )


class TooManyAttemptsError(AccessError):
    """Too many wrong keys from one client address (:mod:`docgen.http.throttle`)."""

    code = "too_many_attempts"
    title = "Nhập sai khóa quá nhiều lần"
    status = 429

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(f"Đã nhập sai khóa quá nhiều lần từ địa chỉ này; thử lại sau "
                         f"{retry_after} giây.")


@dataclass(frozen=True)
class FieldError:
    """One problem with one field: where (JSON path), what (Vietnamese), which (code)."""

    path: str
    message: str
    code: str = "invalid"

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


#: How many field errors a ValidationError lists; the rest are only counted.
MAX_LISTED_ERRORS = 50


class ValidationError(InputError):
    """Bad fields: the first :data:`MAX_LISTED_ERRORS` listed, ``total`` counting them all.

    A hostile payload can hold thousands of bad values; listing each one would
    make the answer (and the work of building it) grow with the attack. So the
    list is capped, and ``total`` lets every presenter say "… và N lỗi khác".
    """

    code = "validation_failed"
    title = "Dữ liệu không hợp lệ"
    status = 422

    def __init__(self, errors: list[FieldError], message: str | None = None, *,
                 total: int | None = None) -> None:
        errors = list(errors)
        self.total = max(total if total is not None else len(errors), len(errors))
        self.errors = errors[:MAX_LISTED_ERRORS]
        if message is None:
            first = self.errors[0] if self.errors else None
            message = (
                f"Có {self.total} lỗi trong dữ liệu; lỗi đầu tiên: "
                f"{first.path}: {first.message}"
                if first
                else self.title
            )
            if self.omitted:
                message += f" ({len(self.errors)} lỗi đầu được liệt kê, {self.more_line()})"
        super().__init__(message)

    @property
    def omitted(self) -> int:
        """Errors counted in ``total`` but not listed."""
        return self.total - len(self.errors)

    def more_line(self) -> str:
        """'… và 1150 lỗi khác' when errors were left out, else ''."""
        return f"… và {self.omitted} lỗi khác" if self.omitted else ""

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "errors": [e.to_dict() for e in self.errors],
                "total_errors": self.total}


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


class PackError(TemplateError):
    """A pack (``type.toml``, its template or example) docgen cannot load.

    ``place`` names where, as its author finds it: ``type.toml: fields.units.kind``.
    A shipped or folder pack with this error is a broken installation (5xx, logged).
    """

    code = "invalid_pack"
    title = "Gói loại văn bản không hợp lệ"

    def __init__(self, message: str, *, place: str = "") -> None:
        self.place = place
        super().__init__(message)

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "place": self.place}


class ConfigurationError(DocgenError):
    """A ``DOCGEN_*`` setting holds a value docgen cannot use; the message names it
    (a secret's value is never shown). The CLI exits 2; a server does not start."""

    code = "invalid_setting"
    title = "Cấu hình không hợp lệ"


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
