"""docxtpl's structural tags: ``{%tr …%}``, ``{%tc …%}``, ``{%p …%}``, ``{%r …%}``.

A loop over table rows cannot be written as plain ``{% for %}`` inside a cell:
the tag would sit inside ``<w:tr>…</w:tr>`` and repeat half a row. docxtpl's
answer, kept here so its users feel at home, is a prefix naming the element
the statement stands for. ``{%tr for m in members %}`` anywhere in a row
replaces that whole row with ``{% for m in members %}``; the row holding it
disappears from the output. ``tc`` does the same for a table cell, ``p`` for a
paragraph, ``r`` for a run; ``{#tr …#}`` (``tc``, ``p``, ``r``) comments the
element out the same way.
"""

from __future__ import annotations

import re

from lxml import etree

from ._xml import nearest, replace_with_text, w

__all__ = ["STRUCTURAL_LEVELS", "StructuralTagError", "replace_structural_tags"]

#: Outermost first: a row's tag wins over a paragraph tag inside the same row.
STRUCTURAL_LEVELS = ("tr", "tc", "p", "r")

_STRUCTURAL_TAG = re.compile(
    r"\{(?P<mark>[%#])(?P<level>tr|tc|p|r)\s(?P<body>.*?)(?P=mark)\}", re.DOTALL
)
_W_T = w("t")
_ELEMENT_LABELS = {
    "tr": "một hàng bảng (w:tr)",
    "tc": "một ô bảng (w:tc)",
    "p": "một đoạn văn (w:p)",
    "r": "một run văn bản (w:r)",
}


class StructuralTagError(ValueError):
    """A structural tag stands outside the element it names (``{%tr`` not in a row)."""

    def __init__(self, tag: str, level: str) -> None:
        self.tag = tag
        self.level = level
        super().__init__(f"Thẻ '{tag}' phải nằm trong {_ELEMENT_LABELS[level]}")


def replace_structural_tags(root: etree._Element) -> None:
    """Replace each element holding a structural tag with the bare Jinja tag(s).

    Expects tags to be whole already (see ``merge_split_tags``). When one
    element holds several tags of its level they are all kept, in order.

    Raises StructuralTagError when a tag has no enclosing element of its level.
    """
    for level in STRUCTURAL_LEVELS:
        for text_node in list(root.iter(_W_T)):
            match = _first_tag(text_node.text, level)
            if match is None:
                continue
            element = nearest(text_node, w(level))
            if element is None:
                raise StructuralTagError(match.group(0), level)
            if element.getparent() is None:  # already replaced through a sibling tag
                continue
            replace_with_text(element, "".join(structural_statements(element, level)))


def structural_statements(element: etree._Element, level: str) -> list[str]:
    """The plain Jinja tags for the ``level`` tags that ``element`` itself holds.

    Tags of a nested element of the same level (a row of a table inside this
    row) belong to that element and are left out.

    >>> from lxml import etree
    >>> p = etree.fromstring('<w:p xmlns:w="http://schemas.openxmlformats.org/'
    ...     'wordprocessingml/2006/main"><w:r><w:t>{%p if a %}</w:t></w:r></w:p>')
    >>> structural_statements(p, "p")
    ['{% if a %}']
    """
    tag = w(level)
    return [
        f"{{{match['mark']} {match['body']}{match['mark']}}}"
        for text_node in element.iter(_W_T)
        if nearest(text_node, tag) is element
        for match in _STRUCTURAL_TAG.finditer(text_node.text or "")
        if match["level"] == level
    ]


def _first_tag(text: str | None, level: str) -> re.Match[str] | None:
    """The first structural tag of ``level`` in ``text``."""
    for match in _STRUCTURAL_TAG.finditer(text or ""):
        if match["level"] == level:
            return match
    return None
