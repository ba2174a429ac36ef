"""A finding: one problem in a template, said so that a Word user can act on it.

Every check in this package returns :class:`Finding` objects and never raises for a
problem in the file: a template with ten problems gets ten findings, at once. The
``code`` strings are a public contract (the CLI's ``--json``, the API, ``/readyz``):
they never change once released. Messages are Vietnamese; a ``location`` names the
place the way Word shows it (header/body/footer, the paragraph's opening words, table N
row R cell C), never an XML line number.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

__all__ = ["CODES", "ERROR", "UNUSABLE", "WARNING", "Finding", "Severity", "count"]

Severity = Literal["error", "warning"]
ERROR: Severity = "error"
WARNING: Severity = "warning"

#: Every code a finding may carry, with what it is about (the README lists them too).
CODES: dict[str, str] = {
    # unusable input: the file cannot be checked at all
    "not_docx": "không phải tệp .docx (zip) đọc được",
    "too_large": "tệp quá lớn",
    "zip_bomb": "nén bất thường (zip bomb): kích thước giải nén hoặc tỉ lệ nén quá lớn",
    "xml_dtd": "XML có DTD hoặc khai báo thực thể (entity)",
    "xml_malformed": "một phần XML hỏng",
    "not_pack": "không phải gói loại văn bản (thư mục hoặc zip có type.toml) đọc được",
    # a pack (docgen check of a folder or a zip)
    "invalid_pack": "khai báo type.toml không hợp lệ, hoặc gói thiếu mẫu hay dữ liệu mẫu",
    "example_invalid": "dữ liệu mẫu example.json không hợp lệ theo khai báo",
    "pack_id_mismatch": "gói khai báo một loại văn bản khác loại được hỏi",
    # tags
    "template_syntax": "lỗi cú pháp thẻ",
    "unclosed_tag": "thẻ mở mà không đóng trong cùng đoạn",
    "misplaced_structural_tag": "thẻ {%tr %}/{%tc %} đặt ngoài hàng/ô bảng",
    "structural_tag_with_text": "đoạn chứa thẻ cấu trúc còn chữ khác (sẽ mất khi điền)",
    "unknown_filter": "bộ lọc không có",
    "unknown_name": "thẻ đọc tên mà loại văn bản không có",
    "unknown_field": "thẻ đọc trường con mà loại văn bản không có",
    "required_field_not_shown": "trường bắt buộc không xuất hiện trong mẫu",
    # Decree 30 layout
    "page_size": "khổ giấy không phải A4 đứng",
    "margin": "lề trang ngoài khoảng của Phụ lục I",
    "font": "phông chữ không phải Times New Roman",
    "font_size": "cỡ chữ ngoài khoảng của Phụ lục I",
    "font_weight": "đậm/nghiêng không đúng Phụ lục I",
    "motto_text": "Quốc hiệu hoặc Tiêu ngữ sai chữ",
    "part_not_found": "không tìm thấy một thành phần thể thức",
    "page_number": "số trang không đúng (từ trang 2, giữa đầu trang)",
    # the rendered example
    "example_render_failed": "không điền được dữ liệu mẫu vào mẫu",
    "tag_left_in_output": "văn bản điền thử còn sót thẻ",
}

#: The codes that mean the file could not be checked at all (always a lone finding).
UNUSABLE = frozenset({"not_docx", "too_large", "zip_bomb", "xml_dtd", "xml_malformed",
                      "not_pack"})


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem: a stable ``code``, a ``severity``, a Vietnamese ``message``, a ``location``.

    >>> Finding("margin", "error", "Lề trái 25 mm; Phụ lục I: 30–35 mm.", "thiết lập trang").to_dict()
    {'code': 'margin', 'severity': 'error', 'message': 'Lề trái 25 mm; Phụ lục I: 30–35 mm.', 'location': 'thiết lập trang'}
    """

    code: str
    severity: Severity
    message: str
    location: str = ""

    def __post_init__(self) -> None:
        if self.code not in CODES:  # a typo here would silently fork the public contract
            raise ValueError(f"unknown finding code {self.code!r}")

    def to_dict(self) -> dict[str, str]:
        return asdict(self)

    def __str__(self) -> str:
        label = "Lỗi" if self.severity == ERROR else "Cảnh báo"
        where = f" — {self.location}" if self.location else ""
        return f"{label} [{self.code}]: {self.message}{where}"


def count(findings: list[Finding]) -> tuple[int, int]:
    """(errors, warnings) among ``findings``."""
    errors = sum(1 for f in findings if f.severity == ERROR)
    return errors, len(findings) - errors
