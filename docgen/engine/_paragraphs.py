"""Values of several lines become real paragraphs in running text.

A clerk types the decision's Article 2 or the minutes' conclusion as several lines.
Printed as line breaks (``<w:br/>``) inside one paragraph, the second sentence
loses its first-line indent and the spacing between paragraphs. So, when a template
is loaded, every ``{{ value }}`` that stands in running text is rewritten to
``{{ (value)|_docgen_paragraphs(N) }}``; at render time a value without a newline
passes through untouched (byte for byte today's output), and a value with newlines
is printed as one paragraph per non-blank line: the text closes its run and
paragraph and opens the next with the *same* paragraph properties (style, indent,
spacing, alignment) and the same run properties as the paragraph holding the tag —
but for what belongs to the first paragraph alone: the space before it, a page break
before it, the section it ends, tracked changes.
Whatever followed the tag in that paragraph ("./." after a value) ends up in the last
one. A line typed as a list item ("-", "–", "•") starts with "- ", as Decree 30
documents write list lines.

Running text is a paragraph that is

* not inside a table cell (the letterhead, the signature block, Nơi nhận and every
  grid table are cells: their lines stay line breaks, as a clerk breaks a name),
* not centred or right-aligned (titles, trích yếu, "QUYẾT ĐỊNH:"), the alignment
  read from the paragraph, its style chain and the document defaults,
* not inside a text box, not the last paragraph of a section (its ``w:sectPr``),
* with the tag in a run that is a direct child of the paragraph (not inside a
  hyperlink, a tracked change, a field result).

Everything here runs once per template version; a render pays one call per such
value.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Mapping
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context
from lxml import etree
from markupsafe import Markup

from ._environment import word_text
from ._xml import nearest, parse_part, w

__all__ = [
    "PARAGRAPHS_GLOBAL",
    "ParagraphBreaks",
    "StyleAlignments",
    "paragraphs_filter",
    "split_values_into_paragraphs",
]

#: The filter the rewritten tags call, and the per-part template global holding the
#: breaks it uses (one name for both).
PARAGRAPHS_GLOBAL = "_docgen_paragraphs"

_W_P, _W_R, _W_T, _W_PPR, _W_RPR = w("p"), w("r"), w("t"), w("pPr"), w("rPr")
_W_TC, _W_TXBX, _W_SECTPR = w("tc"), w("txbxContent"), w("sectPr")
_W_JC, _W_PSTYLE, _W_VAL = w("jc"), w("pStyle"), w("val")
#: Change-tracking records (a copy would record the change twice), and what belongs to
#: the first paragraph only: the section it ends, a page break before it.
_NOT_COPIED = frozenset({_W_SECTPR, w("pPrChange"), w("rPrChange"), w("pageBreakBefore")})
_W_SPACING = w("spacing")
#: Space *before* the first paragraph separates the value from what precedes it; the
#: next ones are spaced as two paragraphs of the style are.
_SPACE_BEFORE = (w("before"), w("beforeLines"), w("beforeAutospacing"))
#: Alignments that are not running text: lines of a title keep their line breaks.
_KEPT_TOGETHER = frozenset({"center", "right", "end"})

_OUTPUT_TAG = re.compile(r"\{\{(?P<left>[-+]?)(?P<expr>.*?)(?P<right>[-+]?)\}\}", re.DOTALL)
_NEWLINES = re.compile(r"\r\n|\r|\n")
#: A list line as typed: "- a", "-a", "– a", "• a" (not "-5", a negative number).
_LIST_MARK = re.compile(r"^(?:[-–—•]\s+|[-–—•](?=[^\s\d.,-]))")
_XMLNS = re.compile(r' xmlns:(?P<prefix>\w+)="(?P<uri>[^"]*)"')


class StyleAlignments:
    """The alignment (``w:jc``) a paragraph gets from its styles.xml, resolved once."""

    def __init__(self, styles_xml: bytes | None) -> None:
        self._own: dict[str, str | None] = {}
        self._based_on: dict[str, str] = {}
        self._default_style: str | None = None
        self._document_default: str | None = None
        self._resolved: dict[str, str | None] = {}
        if styles_xml:
            self._read(parse_part(styles_xml))

    def _read(self, root: etree._Element) -> None:
        default_jc = root.find(f"{w('docDefaults')}/{w('pPrDefault')}/{_W_PPR}/{_W_JC}")
        self._document_default = default_jc.get(_W_VAL) if default_jc is not None else None
        for style in root.iter(w("style")):
            if style.get(w("type")) != "paragraph":
                continue
            style_id = style.get(w("styleId")) or ""
            jc = style.find(f"{_W_PPR}/{_W_JC}")
            self._own[style_id] = jc.get(_W_VAL) if jc is not None else None
            based = style.find(w("basedOn"))
            if based is not None and based.get(_W_VAL):
                self._based_on[style_id] = based.get(_W_VAL) or ""
            if style.get(w("default")) in ("1", "true", "on"):
                self._default_style = style_id

    def of_style(self, style_id: str | None) -> str | None:
        """The alignment of a paragraph of ``style_id`` (None: the default style)."""
        style_id = style_id or self._default_style or ""
        if style_id not in self._resolved:
            seen: set[str] = set()
            current: str | None = style_id
            found: str | None = None
            while current and current not in seen:
                seen.add(current)
                if self._own.get(current):
                    found = self._own[current]
                    break
                current = self._based_on.get(current)
            self._resolved[style_id] = found or self._document_default
        return self._resolved[style_id]

    def of_paragraph(self, paragraph: etree._Element) -> str | None:
        ppr = paragraph.find(_W_PPR)
        if ppr is not None:
            jc = ppr.find(_W_JC)
            if jc is not None and jc.get(_W_VAL):
                return jc.get(_W_VAL)
            style = ppr.find(_W_PSTYLE)
            if style is not None:
                return self.of_style(style.get(_W_VAL))
        return self.of_style(None)


class ParagraphBreaks:
    """A part's breaks, the template global its rewritten tags read:
    ``breaks[n]`` is the XML between two paragraphs of the n-th rewritten tag — close the
    text, run and paragraph, open a paragraph and run with the tag's properties."""

    __slots__ = ("breaks",)

    def __init__(self, breaks: tuple[str, ...]) -> None:
        self.breaks = breaks

    def __repr__(self) -> str:
        return f"<ParagraphBreaks {len(self.breaks)}>"


@pass_context
def paragraphs_filter(context: Context, value: Any, index: int) -> Any:
    """``{{ (value)|_docgen_paragraphs(n) }}``: the value's lines as paragraphs.

    A filter, not a global function: Jinja calls it directly, where the sandbox would
    inspect every call of a function — this runs once per value of running text. A
    value without a newline (nearly all) is returned at once, for the finalize hook to
    print exactly as before; the part's breaks are looked up only for one with lines.
    """
    if type(value) is not str or ("\n" not in value and "\r" not in value):
        return value
    paragraph_break = context.parent[PARAGRAPHS_GLOBAL].breaks[index]
    lines = [_list_line(line.strip()) for line in _NEWLINES.split(value)]
    return Markup(paragraph_break.join(word_text(line) for line in lines if line))


def _list_line(line: str) -> str:
    """ "-a", "– a", "• a" -> "- a"; any other line as it is.

    >>> _list_line("-Kiểm tra hồ sơ;"), _list_line("• Báo cáo"), _list_line("-5 độ")
    ('- Kiểm tra hồ sơ;', '- Báo cáo', '-5 độ')
    """
    match = _LIST_MARK.match(line)
    return f"- {line[match.end():].lstrip()}" if match else line


def split_values_into_paragraphs(
    root: etree._Element, alignments: StyleAlignments
) -> tuple[str, ...]:
    """Rewrite the ``{{ }}`` tags of running text in ``root``; the breaks they use.

    Expects whole tags with structural tags already replaced.
    """
    breaks: list[str] = []
    namespaces = root.nsmap
    for text_node in list(root.iter(_W_T)):
        text = text_node.text
        if not text or "{{" not in text:
            continue
        run = text_node.getparent()
        paragraph = run.getparent() if run is not None and run.tag == _W_R else None
        if paragraph is None or paragraph.tag != _W_P or not _is_running_text(paragraph, alignments):
            continue
        paragraph_break = _break_xml(paragraph, run, namespaces)
        index = len(breaks)
        breaks.append(paragraph_break)
        text_node.text = _OUTPUT_TAG.sub(functools.partial(_rewritten_tag, index), text)
    return tuple(breaks)


def _rewritten_tag(index: int, match: re.Match[str]) -> str:
    """``{{ expr }}`` -> ``{{ (expr)|_docgen_paragraphs(index) }}`` (whitespace marks kept)."""
    call = f"({match['expr'].strip()})|{PARAGRAPHS_GLOBAL}({index})"
    return f"{{{{{match['left']} {call} {match['right']}}}}}"


def _is_running_text(paragraph: etree._Element, alignments: StyleAlignments) -> bool:
    if nearest(paragraph, _W_TC) is not None or nearest(paragraph, _W_TXBX) is not None:
        return False
    ppr = paragraph.find(_W_PPR)
    if ppr is not None and ppr.find(_W_SECTPR) is not None:
        return False
    return alignments.of_paragraph(paragraph) not in _KEPT_TOGETHER


def _break_xml(paragraph: etree._Element, run: etree._Element, namespaces: Mapping[str | None, str]) -> str:
    """``</w:t></w:r></w:p><w:p>pPr<w:r>rPr<w:t xml:space="preserve">`` for this tag."""
    return (
        "</w:t></w:r></w:p><w:p>"
        + _copy_xml(paragraph.find(_W_PPR), namespaces)
        + "<w:r>"
        + _copy_xml(run.find(_W_RPR), namespaces)
        + '<w:t xml:space="preserve">'
    )


def _copy_xml(element: etree._Element | None, namespaces: Mapping[str | None, str]) -> str:
    """``element`` serialized without what must not repeat, and without the namespace
    declarations the part's root already makes."""
    if element is None:
        return ""
    clone = copy.deepcopy(element)
    for child in list(clone):
        if child.tag in _NOT_COPIED:
            clone.remove(child)
        elif child.tag == _W_SPACING:
            for name in _SPACE_BEFORE:
                child.attrib.pop(name, None)
            if not child.attrib:
                clone.remove(child)
    xml = etree.tostring(clone, encoding="unicode")
    return _XMLNS.sub(
        lambda m: "" if namespaces.get(m["prefix"]) == m["uri"] else m.group(0), xml
    )
