"""Errors of the template store, in docgen's one tree (:mod:`docgen.errors`).

    DocgenError
    ├── InputError
    │   ├── UnreadableInputError
    │   │   └── UploadRefusedError           upload_refused          422 (carries place)
    │   │       ├── UnsafeXmlError           unsafe_xml              422 (a DTD or an entity)
    │   │       └── PackRefusedError         pack_refused            422 (the packs loader's
    │   │                                                            error, its code as cause)
    │   ├── PayloadTooLargeError
    │   │   └── UploadTooLargeError          upload_too_large        413
    │   ├── TemplateCheckFailedError         template_check_failed   422 (carries findings)
    │   ├── PackIdMismatchError              pack_id_mismatch        422
    │   ├── DocumentTypeExistsError          document_type_exists    409
    │   ├── TemplateVersionNotFoundError     template_version_not_found 404
    │   ├── StoreLockedError                 store_locked            403 (no DOCGEN_ADMIN_KEYS)
    │   └── AdminKeyRequiredError            admin_key_required      401
    └── StoreUnavailableError                store_unavailable       503

``safezip.ZipBombError`` (archive_too_large 413) is raised as it is. Every refusal happens
before anything is written: nothing is stored, the deployed version is untouched.
"""

from __future__ import annotations

from typing import Any

from docgen.errors import DocgenError, InputError, PayloadTooLargeError, UnreadableInputError

__all__ = [
    "AdminKeyRequiredError",
    "DocumentTypeExistsError",
    "PackIdMismatchError",
    "PackRefusedError",
    "StoreLockedError",
    "StoreUnavailableError",
    "TemplateCheckFailedError",
    "TemplateVersionNotFoundError",
    "UnsafeXmlError",
    "UploadRefusedError",
    "UploadTooLargeError",
]


class UploadRefusedError(UnreadableInputError):
    """An uploaded pack or template that cannot be stored; ``place`` says where."""

    code = "upload_refused"
    title = "Không nhận tệp tải lên"
    status = 422

    def __init__(self, message: str, *, place: str = "", cause: str = "") -> None:
        self.place = place
        self.cause = cause
        super().__init__(message)

    def to_dict(self) -> dict[str, Any]:
        body = {**super().to_dict(), "place": self.place}
        if self.cause:
            body["cause"] = self.cause
        return body


class UnsafeXmlError(UploadRefusedError):
    code = "unsafe_xml"
    title = "Mẫu Word chứa khai báo XML không được phép"


class PackRefusedError(UploadRefusedError):
    """The packs loader refused the upload (declaration, example, template): ``cause`` is
    its error code (``invalid_pack``, ``validation_failed``, ``template_syntax`` …)."""

    code = "pack_refused"
    title = "Gói loại văn bản không hợp lệ"


class UploadTooLargeError(PayloadTooLargeError):
    code = "upload_too_large"
    title = "Tệp tải lên quá lớn"


class TemplateCheckFailedError(InputError):
    """``docgen check`` found errors: nothing stored; every finding listed."""

    code = "template_check_failed"
    title = "Mẫu chưa đạt khi kiểm tra"
    status = 422

    def __init__(self, message: str, findings: list[dict[str, str]]) -> None:
        self.findings = findings
        super().__init__(message)

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "findings": self.findings}


class PackIdMismatchError(InputError):
    code = "pack_id_mismatch"
    title = "Gói khai báo một loại văn bản khác"
    status = 422


class DocumentTypeExistsError(InputError):
    code = "document_type_exists"
    title = "Loại văn bản đã có"
    status = 409


class TemplateVersionNotFoundError(InputError):
    code = "template_version_not_found"
    title = "Không có phiên bản mẫu này"
    status = 404

    def __init__(self, doc_type: str, version: str) -> None:
        self.doc_type = doc_type
        self.version = version
        super().__init__(f"Loại văn bản '{doc_type}' không có phiên bản mẫu '{version}'.")


class StoreLockedError(InputError):
    code = "store_locked"
    title = "Kho mẫu không thay đổi được qua HTTP"
    status = 403


class AdminKeyRequiredError(InputError):
    code = "admin_key_required"
    title = "Cần khóa quản trị"
    status = 401


class StoreUnavailableError(DocgenError):
    code = "store_unavailable"
    title = "Kho mẫu không dùng được"
    status = 503
