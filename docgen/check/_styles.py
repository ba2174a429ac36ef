"""The formatting in effect for a run: direct, character style, paragraph style, defaults.

Word decides a run's size, weight, slant and font by looking, in order, at the run's
own properties, its character style and that style's ``basedOn`` chain, the
paragraph's style chain (or the default paragraph style), and ``w:docDefaults``. A
theme font (``w:asciiTheme="minorHAnsi"``) names a font of ``word/theme/theme1.xml``.
A checker that reads only the run's own ``w:sz`` is wrong about most templates, which
put everything in styles — hence this module.

Simplifications, said once: a toggle property (bold, italic) set in two levels of the
chain is taken from the nearest level (Word flips it; a template doing that is rare and
the check then errs towards the nearest setting), and table styles are not consulted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from lxml import etree

from ._document import Document, w

__all__ = ["RunFormat", "Styles"]

_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_FONT_SLOTS = ("ascii", "hAnsi")  # the slots Vietnamese Latin text is drawn with
_DEFAULT_SIZE_HALF_POINTS = 20  # Word's size when nothing says otherwise: 10 pt
_OFF = {"0", "false", "off", "none"}
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class RunFormat:
    """What a reader sees of one run: size in points, bold, italic, fonts by slot."""

    size: float
    bold: bool
    italic: bool
    fonts: tuple[str, ...]


class Styles:
    """The styles and theme fonts of a document, resolving runs' effective format."""

    def __init__(self, document: Document) -> None:
        package = document.package
        self._styles: dict[str, etree._Element] = {}
        self._default_paragraph_style: str | None = None
        self._defaults: etree._Element | None = None
        if package.has("word/styles.xml"):
            root = package.xml("word/styles.xml")
            for style in root.findall(w("style")):
                style_id = style.get(w("styleId"), "")
                self._styles[style_id] = style
                if style.get(w("type")) == "paragraph" and style.get(w("default")) in ("1", "true"):
                    self._default_paragraph_style = style_id
            self._defaults = root.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}")
        self._theme_fonts = _theme_fonts(document)

    def style_name(self, style_id: str) -> str:
        style = self._styles.get(style_id)
        name = style.find(w("name")) if style is not None else None
        return name.get(w("val"), style_id) if name is not None else style_id

    def run_format(self, paragraph: etree._Element, run: etree._Element) -> RunFormat:
        """The effective format of ``run`` inside ``paragraph``."""
        chain = self._chain(paragraph, run)
        size = self._first(chain, "sz", lambda e: float(e.get(w("val"), "0")) / 2)
        bold = self._first(chain, "b", _toggle)
        italic = self._first(chain, "i", _toggle)
        fonts = tuple(self._font(chain, slot) for slot in _FONT_SLOTS)
        return RunFormat(size if size is not None else _DEFAULT_SIZE_HALF_POINTS / 2,
                         bool(bold), bool(italic), fonts)

    def _chain(self, paragraph: etree._Element, run: etree._Element) -> list[etree._Element]:
        """The ``w:rPr`` elements that apply to ``run``, nearest first."""
        chain = []
        own = run.find(w("rPr"))
        if own is not None:
            chain.append(own)
        style = own.find(w("rStyle")) if own is not None else None
        if style is not None:
            chain += self._style_rprs(style.get(w("val"), ""))
        p_pr = paragraph.find(w("pPr"))
        p_style = p_pr.find(w("pStyle")) if p_pr is not None else None
        style_id = p_style.get(w("val"), "") if p_style is not None else None
        chain += self._style_rprs(style_id or self._default_paragraph_style or "")
        if self._defaults is not None:
            chain.append(self._defaults)
        return chain

    def _style_rprs(self, style_id: str) -> list[etree._Element]:
        found, seen = [], set()
        while style_id and style_id not in seen:  # a basedOn loop must not hang the check
            seen.add(style_id)
            style = self._styles.get(style_id)
            if style is None:
                break
            r_pr = style.find(w("rPr"))
            if r_pr is not None:
                found.append(r_pr)
            based_on = style.find(w("basedOn"))
            style_id = based_on.get(w("val"), "") if based_on is not None else ""
        return found

    @staticmethod
    def _first(chain: list[etree._Element], tag: str,
               read: Callable[[etree._Element], T]) -> T | None:
        for r_pr in chain:
            element = r_pr.find(w(tag))
            if element is not None:
                try:
                    return read(element)
                except ValueError:
                    continue
        return None

    def _font(self, chain: list[etree._Element], slot: str) -> str:
        for r_pr in chain:
            fonts = r_pr.find(w("rFonts"))
            if fonts is None:
                continue
            theme = fonts.get(w(f"{slot}Theme"))
            if theme is not None:  # a theme attribute wins over the explicit name
                return self._theme_fonts.get(theme, f"(phông chủ đề {theme})")
            name = fonts.get(w(slot))
            if name:
                return name
        return "(mặc định của Word)"


def _toggle(element: etree._Element) -> bool:
    return element.get(w("val"), "1").lower() not in _OFF


def _theme_fonts(document: Document) -> dict[str, str]:
    """``minorHAnsi``/``majorAscii``… -> the Latin typeface the theme names."""
    package = document.package
    name = next((n for n in package.members if n.startswith("word/theme/") and n.endswith(".xml")),
                None)
    if name is None:
        return {}
    theme = package.xml(name)
    found = {}
    for level in ("major", "minor"):
        latin = theme.find(f".//{{{_A}}}{level}Font/{{{_A}}}latin")
        if latin is not None:
            for slot in ("Ascii", "HAnsi", "Bidi", "EastAsia"):
                found[f"{level}{slot}"] = latin.get("typeface", "")
    return found
