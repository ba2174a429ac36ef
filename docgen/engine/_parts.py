"""Which members of a .docx can hold Jinja: the "stories" a reader sees.

Word keeps the visible text in a handful of parts — the main document, its
headers and footers, footnotes and endnotes. They are found by content type in
``[Content_Types].xml`` rather than by file name, since a producer may call the
main part ``word/document2.xml``.
"""

from __future__ import annotations

from lxml import etree

__all__ = [
    "CONTENT_TYPES_PART",
    "STORY_CONTENT_TYPES",
    "STYLES_CONTENT_TYPE",
    "has_jinja",
    "story_part_names",
    "styles_part_name",
]

CONTENT_TYPES_PART = "[Content_Types].xml"

_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml"
STORY_CONTENT_TYPES = frozenset(
    {
        f"{_WML}.document.main+xml",
        f"{_WML}.template.main+xml",  # .dotx
        "application/vnd.ms-word.document.macroEnabled.main+xml",  # .docm
        "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",  # .dotm
        f"{_WML}.header+xml",
        f"{_WML}.footer+xml",
        f"{_WML}.footnotes+xml",
        f"{_WML}.endnotes+xml",
    }
)

#: The paragraph styles (their alignment decides where a value's lines become paragraphs).
STYLES_CONTENT_TYPE = f"{_WML}.styles+xml"

_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_JINJA_OPENERS = ("{{", "{%", "{#")


def story_part_names(content_types_xml: bytes, member_names: list[str]) -> list[str]:
    """Names of the zip members whose content type is a story, in member order.

    OPC part names are case-insensitive and written with a leading slash in
    ``[Content_Types].xml``; ``member_names`` supplies the spelling in the zip.

    >>> ct = (b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    ...       b'<Override PartName="/word/document.xml" ContentType="application/'
    ...       b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    ...       b'</Types>')
    >>> story_part_names(ct, ["[Content_Types].xml", "word/document.xml"])
    ['word/document.xml']
    """
    return _names_of(content_types_xml, member_names, STORY_CONTENT_TYPES)


def styles_part_name(content_types_xml: bytes, member_names: list[str]) -> str | None:
    """The zip member holding the paragraph styles (``word/styles.xml``), if any."""
    names = _names_of(content_types_xml, member_names, frozenset({STYLES_CONTENT_TYPE}))
    return names[0] if names else None


def _names_of(content_types_xml: bytes, member_names: list[str], types: frozenset[str]) -> list[str]:
    root = etree.fromstring(content_types_xml, etree.XMLParser(resolve_entities=False))
    wanted = {
        override.get("PartName", "").lstrip("/").lower()
        for override in root.iter(f"{_CT_NS}Override")
        if override.get("ContentType") in types
    }
    return [name for name in member_names if name.lower() in wanted]


def has_jinja(text: str) -> bool:
    """Whether ``text`` holds a Jinja opener: ``{{``, ``{%`` or ``{#``.

    >>> has_jinja("Kính gửi: {{ recipient }}"), has_jinja("{ không phải thẻ }")
    (True, False)
    """
    return any(opener in text for opener in _JINJA_OPENERS)
