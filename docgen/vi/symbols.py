"""The number and symbol of a document (số, ký hiệu): ``05/KH-SKHCN``.

Decree 30/2020/NĐ-CP writes ``{number}/{type code}-{issuer code}``, numbers
below 10 with a leading zero. Administrative documents carry no year in the
symbol (only legal normative documents do, e.g. ``19/2014/QĐ-TTg``), because
numbering restarts every 1 January.

An official letter (công văn) has no type code: its symbol is the agency and
the drafting unit, ``123/SKHCN-TĐC``. Pass ``type_code=""`` and the whole
``"SKHCN-TĐC"`` as ``issuer_code`` for it.

Documents are often printed before the clerk registers them in the outgoing
register (sổ đăng ký văn bản đi); then the number is left blank to be written
by hand. The blank is :data:`BLANK_NUMBER`: eight no-break spaces. No-break
spaces because Word keeps them where it may drop or collapse ordinary ones,
and never breaks the line inside them; eight because a Times New Roman space
is a quarter em, so eight make about two em (9 mm at 13 pt), room for three or
four handwritten digits.
"""

from __future__ import annotations

import re

from docgen.vi._coerce import describe
from docgen.vi.numbers import two_digits
from docgen.vi.text import normalize_text

__all__ = ["BLANK_NUMBER", "document_number"]

#: Stands for a number the clerk writes by hand: eight U+00A0 NO-BREAK SPACE.
BLANK_NUMBER = "\u00a0" * 8

# A code is letters, digits, "&" (KH&CN) and inner hyphens (SKHCN-TĐC):
# a slash or a space would make the symbol ambiguous.
_CODE = re.compile(r"[^\W_](?:[\w&-]*[^\W_])?")


def is_code(text: str) -> bool:
    """True when ``text`` can stand as a type or issuer code in a symbol.

    >>> is_code("SKHCN"), is_code("KH&CN"), is_code("SKHCN-TĐC"), is_code("S/KH"), is_code("0.1")
    (True, True, True, False, False)
    """
    return bool(_CODE.fullmatch(text))


def _code(value: object, name: str, *, allow_empty: bool = False) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} phải là chuỗi, nhận được {describe(value)}")
    code = normalize_text(value)
    if code == "" and allow_empty:
        return code
    if not is_code(code):
        raise ValueError(
            f"{name} chỉ gồm chữ, số, '&' và '-' (không dấu '/' hay khoảng trắng), "
            f"nhận được {value!r}"
        )
    return code


def document_number(number: int | None, type_code: str, issuer_code: str) -> str:
    """Write the number and symbol of a document, without the "Số:" label.

    ``number`` is the position in the agency's yearly register, from 1; ``None``
    leaves :data:`BLANK_NUMBER` in its place.

    >>> document_number(5, "KH", "SKHCN")
    '05/KH-SKHCN'
    >>> document_number(105, "QĐ", "BCĐISO")
    '105/QĐ-BCĐISO'
    >>> document_number(123, "", "SKHCN-TĐC")
    '123/SKHCN-TĐC'
    >>> document_number(None, "KH", "SKHCN") == "\\u00a0" * 8 + "/KH-SKHCN"
    True
    """
    if number is None:
        written = BLANK_NUMBER
    elif isinstance(number, bool) or not isinstance(number, int):
        raise TypeError(f"Số văn bản phải là số nguyên hoặc None, nhận được {describe(number)}")
    elif number < 1:
        raise ValueError(f"Số văn bản bắt đầu từ 1, nhận được {number}")
    else:
        written = two_digits(number)
    issuer = _code(issuer_code, "Mã cơ quan ban hành")
    kind = _code(type_code, "Mã loại văn bản", allow_empty=True)
    return f"{written}/{kind}-{issuer}" if kind else f"{written}/{issuer}"
