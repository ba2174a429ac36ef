"""Joining Jinja tags that Word split across runs.

Word cuts a paragraph into runs (``w:r``) wherever formatting, spell-checking
(``w:proofErr``), revision ids or a bookmark change, so ``{{ name }}`` typed in
one go is often stored as ``<w:t>{{ na</w:t>`` … ``<w:t>me }}</w:t>``, and even
``{`` … ``{``. Jinja must see each tag as one piece of text.

The method reads a paragraph the way a person does — the concatenated text of
its ``w:t`` elements — finds the tags there, and for each tag that spans
several ``w:t`` moves the whole tag into the first one. The runs emptied that
way, and the proofing marks and bookmarks inside the tag, are then removed.
Moving text (rather than cutting the markup out of the serialized XML) keeps
the tree well-formed whatever lies between the pieces: a hyperlink, a tracked
insertion, a field.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate

from lxml import etree

from ._xml import nearest, remove_keeping_tail, w

__all__ = ["JINJA_TAG", "find_split_tag", "merge_split_tags", "paragraph_text_nodes"]

#: A complete Jinja tag as it appears in a paragraph's text.
JINJA_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)

_W_P, _W_R, _W_T, _W_RPR = w("p"), w("r"), w("t"), w("rPr")
_W_PROOF_ERR = w("proofErr")
_W_BOOKMARKS = (w("bookmarkStart"), w("bookmarkEnd"))
#: Run children that carry nothing visible once the run's text is gone.
_INVISIBLE_RUN_CHILDREN = frozenset({_W_RPR, _W_T, w("lastRenderedPageBreak")})


def merge_split_tags(root: etree._Element) -> None:
    """Make every Jinja tag in ``root`` contiguous text inside one ``w:t``."""
    for paragraph in list(root.iter(_W_P)):
        while True:
            texts = paragraph_text_nodes(paragraph)
            split = find_split_tag([node.text or "" for node in texts])
            if split is None:
                break
            first, _start, last, end = split
            _move_tag_into_first(texts, first, last, end)
            _remove_markup_inside_tag(root, paragraph, texts[first], texts[last])


def paragraph_text_nodes(paragraph: etree._Element) -> list[etree._Element]:
    """The ``w:t`` elements whose closest paragraph is ``paragraph``, in order.

    Text boxes nest whole paragraphs inside a run; their text belongs to them,
    not to the paragraph that anchors the box.
    """
    return [node for node in paragraph.iter(_W_T) if nearest(node, _W_P) is paragraph]


def find_split_tag(texts: Sequence[str]) -> tuple[int, int, int, int] | None:
    """The first Jinja tag that starts in one text piece and ends in another.

    Returns ``(first, start, last, end)``: the tag begins at ``texts[first][start]``
    and ends just before ``texts[last][end]``. None when every tag is whole.

    >>> find_split_tag(["Ông {{ na", "me }} và {{ x }}"])
    (0, 4, 1, 5)
    >>> find_split_tag(["{", "{ a }", "}"])
    (0, 0, 2, 1)
    >>> find_split_tag(["{{ a }}", "{% if b %}"]) is None
    True
    """
    ends = list(accumulate(len(text) for text in texts))
    for match in JINJA_TAG.finditer("".join(texts)):
        # A piece holds position p when p < its end; empty pieces are skipped over.
        first = bisect_right(ends, match.start())
        last = bisect_right(ends, match.end() - 1)
        if first != last:
            first_offset = ends[first] - len(texts[first])
            last_offset = ends[last] - len(texts[last])
            return first, match.start() - first_offset, last, match.end() - last_offset
    return None


def _move_tag_into_first(texts: list[etree._Element], first: int, last: int, end: int) -> None:
    """Gather the tag's pieces into ``texts[first]``; ``texts[last]`` keeps its rest.

    The first piece already ends with the tag's beginning, so it only grows.
    """
    head = texts[first].text or ""
    tail = texts[last].text or ""
    middle = "".join(node.text or "" for node in texts[first + 1 : last])
    texts[first].text = head + middle + tail[:end]
    for node in texts[first + 1 : last]:
        node.text = None
    texts[last].text = tail[end:] or None


def _remove_markup_inside_tag(
    root: etree._Element,
    paragraph: etree._Element,
    first_text: etree._Element,
    last_text: etree._Element,
) -> None:
    """Remove the runs emptied by the move and the marks that sat inside the tag."""
    inside = _elements_between(paragraph, first_text, last_text)
    for element in inside:
        if element.tag == _W_PROOF_ERR:
            remove_keeping_tail(element)
        elif element.tag in _W_BOOKMARKS:
            _remove_bookmark(root, element.get(w("id")))
        elif element.tag == _W_R and _is_empty_run(element):
            remove_keeping_tail(element)


def _elements_between(
    paragraph: etree._Element, first: etree._Element, last: etree._Element
) -> list[etree._Element]:
    """Elements that open after ``first`` and no later than ``last``, in document order."""
    found: list[etree._Element] = []
    seen_first = False
    for element in paragraph.iter():
        if element is last:
            break
        if seen_first:
            found.append(element)
        elif element is first:
            seen_first = True
    return found


def _is_empty_run(run: etree._Element) -> bool:
    """Whether ``run`` shows nothing: only run properties and empty ``w:t``."""
    return all(
        child.tag in _INVISIBLE_RUN_CHILDREN and not (child.tag == _W_T and child.text)
        for child in run
    )


def _remove_bookmark(root: etree._Element, bookmark_id: str | None) -> None:
    """Remove both ends of a bookmark, so neither is left dangling."""
    for tag in _W_BOOKMARKS:
        for mark in list(root.iter(tag)):
            if mark.get(w("id")) == bookmark_id:
                remove_keeping_tail(mark)
