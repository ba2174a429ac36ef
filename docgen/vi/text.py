"""Text hygiene: Unicode NFC and the characters XML 1.0 forbids.

Vietnamese can be typed two ways: precomposed ("ò" is U+00F2) or decomposed
("o" followed by U+0300, as some input methods and macOS file names produce).
Both look the same but compare, search and sort as different words, so docgen
stores and emits NFC only.

A .docx is XML 1.0, which forbids most C0 control characters, the
non-characters U+FFFE and U+FFFF and lone surrogates; one of them pasted into a
form field would make Word refuse the whole file. :func:`find_illegal_xml_char`
finds them before rendering, so the error can name the field.
"""

from __future__ import annotations

import re
import unicodedata

from docgen.vi._coerce import describe

__all__ = ["find_illegal_xml_char", "normalize_text"]

# XML 1.0 §2.2: Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAK = re.compile(r"\r\n?")


def normalize_text(s: str) -> str:
    """Return ``s`` in NFC, with ``\\n`` line ends and no surrounding whitespace.

    ``\\r\\n`` (Windows) and a lone ``\\r`` (old Mac, some spreadsheets) both
    become ``\\n``.

    >>> normalize_text("  Hoa\\u0300\\r\\nBình ") == "Hoà\\nBình"
    True
    >>> len(normalize_text("Hoa\\u0300"))
    3
    """
    if not isinstance(s, str):
        raise TypeError(f"Cần một chuỗi, nhận được {describe(s)}")
    if "\r" in s:  # a scan instead of a regex call for the common case (no \r)
        s = _LINE_BREAK.sub("\n", s)
    return unicodedata.normalize("NFC", s).strip()


def find_illegal_xml_char(s: str) -> str | None:
    """Return the first character of ``s`` that XML 1.0 forbids, or ``None``.

    Tab, line feed and carriage return are allowed; other C0 controls,
    U+FFFE, U+FFFF and lone surrogates are not.

    >>> find_illegal_xml_char("Sóc Trăng\\tKế hoạch\\n") is None
    True
    >>> find_illegal_xml_char("Báo cáo\\x0b2017")
    '\\x0b'
    """
    if not isinstance(s, str):
        raise TypeError(f"Cần một chuỗi, nhận được {describe(s)}")
    match = _ILLEGAL_XML.search(s)
    return match.group() if match else None
