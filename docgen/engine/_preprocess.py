"""Turning one Word XML part into Jinja source, step by step.

Each step is a small function with its own tests; ``preprocess_part`` runs them
in order. Tree steps work on lxml elements, text steps on the serialized XML,
and all of it happens once, when a template is loaded — never per render.

1. ``merge_split_tags``         tags Word split over runs become whole (``_runs``)
2. ``replace_structural_tags``  ``{%tr``/``{%tc``/``{%p``/``{%r`` stand for their element
3. ``preserve_space_in_tags``   a ``w:t`` holding a tag keeps its spaces
4. ``split_values_into_paragraphs``  (when asked) a value in running text may become
                                several paragraphs (``_paragraphs``)
5. ``start_paragraphs_on_new_lines``  Jinja's line numbers then count paragraphs
6. ``clean_tag_text``           smart quotes and XML entities inside tags become Jinja
"""

from __future__ import annotations

import re

from lxml import etree

from ._paragraphs import StyleAlignments, split_values_into_paragraphs
from ._runs import JINJA_TAG, merge_split_tags
from ._structural import replace_structural_tags
from ._xml import XML_SPACE, parse_part, serialize_part, w

__all__ = [
    "clean_tag_text",
    "preprocess_part",
    "preprocess_story",
    "preserve_space_in_tags",
    "start_paragraphs_on_new_lines",
]

_W_T = w("t")
_OUTPUT_OPENERS = ("{{", "{%")
# Word's AutoFormat turns typed quotes into typographic ones; Jinja wants ASCII.
_SMART_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
_XML_ENTITY = re.compile(r"&(lt|gt|amp|quot|apos);")
_ENTITY_TEXT = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


def preprocess_part(xml: bytes) -> str:
    """The Jinja source for one templated XML part.

    Raises lxml.etree.XMLSyntaxError for a part that is not XML, and
    StructuralTagError for a ``{%tr`` outside a row (and the like).
    """
    return preprocess_story(xml)[0]


def preprocess_story(
    xml: bytes, alignments: StyleAlignments | None = None
) -> tuple[str, tuple[str, ...]]:
    """``preprocess_part``, and with ``alignments`` (the template's styles) values of
    running text rewritten to become paragraphs; returns the source and the paragraph
    breaks its rewritten tags use (see ``_paragraphs``)."""
    root = parse_part(xml)
    merge_split_tags(root)
    replace_structural_tags(root)
    preserve_space_in_tags(root)
    breaks = split_values_into_paragraphs(root, alignments) if alignments is not None else ()
    source = serialize_part(root)
    source = start_paragraphs_on_new_lines(source)
    return clean_tag_text(source), breaks


def preserve_space_in_tags(root: etree._Element) -> None:
    """Mark every ``w:t`` holding a ``{{``/``{%`` tag ``xml:space="preserve"``.

    Without it Word trims the spaces around the value (``Ông {{ name }}``
    would read "ÔngNguyễn"), and the line breaks that values insert would
    open a ``w:t`` the reader may trim as well.
    """
    for text_node in root.iter(_W_T):
        text = text_node.text or ""
        if any(opener in text for opener in _OUTPUT_OPENERS):
            text_node.set(XML_SPACE, "preserve")


def start_paragraphs_on_new_lines(source: str) -> str:
    """Put each ``<w:p>`` on its own line, so Jinja's line numbers mean something.

    Word writes a whole document on one line; with this a syntax error "on line
    12" points at about the eleventh paragraph. The newline lands between
    elements, where XML ignores it.

    >>> start_paragraphs_on_new_lines('<w:body><w:p><w:r/></w:p><w:p w:rsidR="1"/></w:body>')
    '<w:body>\\n<w:p><w:r/></w:p>\\n<w:p w:rsidR="1"/></w:body>'
    """
    return source.replace("<w:p>", "\n<w:p>").replace("<w:p ", "\n<w:p ")


def clean_tag_text(source: str) -> str:
    """Inside every Jinja tag, undo what Word and XML did to the author's typing.

    Typographic quotes become ASCII quotes and the five XML entities become
    the characters they stand for, so ``{% if a &lt; b %}`` compares and
    ``{{ “x” }}`` is a string. Text outside tags is left alone.

    >>> clean_tag_text("<w:t>a &lt; b {% if a &lt; b and s == “x” %}</w:t>")
    '<w:t>a &lt; b {% if a < b and s == "x" %}</w:t>'
    """
    return JINJA_TAG.sub(_clean_one_tag, source)


def _clean_one_tag(match: re.Match[str]) -> str:
    tag = match.group(0).translate(_SMART_QUOTES)
    # One pass, so "&amp;lt;" becomes the text "&lt;" and not "<".
    return _XML_ENTITY.sub(lambda entity: _ENTITY_TEXT[entity.group(1)], tag)
