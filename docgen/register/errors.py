"""Errors of the register, in docgen's one tree (:mod:`docgen.errors`).

    DocgenError
    ├── InputError
    │   ├── InvalidIdempotencyKeyError   invalid_idempotency_key   400
    │   ├── IdempotencyKeyReusedError    idempotency_key_reused    422 (same key, other request)
    │   ├── UnknownIssuerError           unknown_issuer            404
    │   └── NumberConflictError          number_conflict           409 (symbol already in the year)
    └── RegisterUnavailableError         register_unavailable      503 (database locked/unreachable)
"""

from __future__ import annotations

from docgen.errors import DocgenError, InputError

__all__ = [
    "IdempotencyKeyReusedError",
    "InvalidIdempotencyKeyError",
    "NumberConflictError",
    "RegisterUnavailableError",
    "UnknownIssuerError",
]


class InvalidIdempotencyKeyError(InputError):
    code = "invalid_idempotency_key"
    title = "Khóa Idempotency-Key không hợp lệ"
    status = 400


class IdempotencyKeyReusedError(InputError):
    """The key already numbered a document from a different request."""

    code = "idempotency_key_reused"
    title = "Khóa Idempotency-Key đã dùng cho yêu cầu khác"
    status = 422

    def __init__(self, key: str, symbol: str) -> None:
        self.key = key
        self.symbol = symbol
        super().__init__(
            f"Khóa Idempotency-Key '{key}' đã được dùng để đăng ký văn bản số {symbol} "
            "với dữ liệu khác; hãy dùng khóa mới cho văn bản mới."
        )


class UnknownIssuerError(InputError):
    code = "unknown_issuer"
    title = "Không có cơ quan ban hành này trong sổ"
    status = 404

    def __init__(self, code: str) -> None:
        self.issuer = code
        super().__init__(f"Sổ đăng ký chưa có cơ quan ban hành mã '{code}'.")


class NumberConflictError(InputError):
    """The symbol is already in the register for that year (e.g. after a mode change)."""

    code = "number_conflict"
    title = "Số, ký hiệu văn bản đã có trong sổ"
    status = 409


class RegisterUnavailableError(DocgenError):
    code = "register_unavailable"
    title = "Sổ đăng ký văn bản tạm thời không dùng được"
    status = 503
