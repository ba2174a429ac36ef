"""A .docx as a Word user sees it: stories (body, headers, footers) of located paragraphs.

Every finding points at a :class:`Paragraph`, whose :attr:`~Paragraph.location` reads
like "đầu trang (trang đầu), bảng 1 hàng 2 ô 1, đoạn «Số: {{ number_symbol }}»" — the
story, the table cell if any, the paragraph's opening words. Headers and footers are
found through the section's references (default, first page, even pages), so the
first-page header is named as such.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from ._findings import ERROR, Finding
from ._package import CONTENT_TYPES, Package, UnusableTemplate

__all__ = ["Document", "Paragraph", "Story", "W", "normalise", "w"]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_MAIN_TYPES = ("document.main+xml", "template.main+xml", "macroEnabled.main+xml",
               "macroEnabledTemplate.main+xml")
_OPENING_WORDS = 8
_OPENING_CHARS = 60

_KIND_LABELS = {"default": "", "first": " (trang đầu)", "even": " (trang chẵn)"}


def w(local: str) -> str:
    """Clark name of a WordprocessingML element or attribute."""
    return f"{{{W}}}{local}"


def normalise(text: str) -> str:
    """NFC, non-breaking spaces as spaces, runs of white space as one space, trimmed.

    >>> normalise("  Độc lập\\u00a0-  Tự do ")
    'Độc lập - Tự do'
    """
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip()


@dataclass(eq=False)
class Paragraph:
    """One ``w:p`` with where it is and its text (runs joined, so split tags are whole)."""

    element: etree._Element
    story: str
    text: str
    #: "bảng 1 hàng 2 ô 1" inside a table, "" outside
    cell: str
    #: position among the story's paragraphs, from 1
    index: int

    @property
    def location(self) -> str:
        words = self.text.split()
        opening = " ".join(words[:_OPENING_WORDS])
        if len(opening) > _OPENING_CHARS:
            opening = opening[: _OPENING_CHARS - 1] + "…"
        elif len(words) > _OPENING_WORDS:
            opening += " …"
        what = f"đoạn «{opening}»" if opening else f"đoạn trống thứ {self.index}"
        return ", ".join(part for part in (self.story, self.cell, what) if part)


@dataclass(eq=False)
class Story:
    """A part a reader sees: the body, or one header/footer, with its paragraphs."""

    part: str
    label: str
    root: etree._Element
    paragraphs: list[Paragraph]


class Document:
    """The stories of a package, in reading order, and its main part's sections."""

    def __init__(self, package: Package) -> None:
        self.package = package
        self.main_part = _main_part(package)
        if not package.has(self.main_part):
            raise UnusableTemplate(Finding("not_docx", ERROR, "Tệp không có phần văn bản chính "
                                           "(word/document.xml); không phải .docx."))
        self.root = package.xml(self.main_part)
        self.body = _story(self.root, self.main_part, "phần thân")
        self.stories: list[Story] = [self.body]
        self.sections = self.root.findall(f".//{w('sectPr')}")
        self._relations = _relations(package, self.main_part)
        for number, section in enumerate(self.sections, start=1):
            section_label = f" của mục {number}" if len(self.sections) > 1 else ""
            for kind_tag, noun in (("headerReference", "đầu trang"), ("footerReference", "chân trang")):
                for reference in section.findall(w(kind_tag)):
                    kind = reference.get(w("type"), "default")
                    part = self._relations.get(reference.get(f"{{{_R}}}id", ""))
                    if part is None or not package.has(part):
                        continue
                    label = f"{noun}{_KIND_LABELS.get(kind, f' ({kind})')}{section_label}"
                    self.stories.append(_story(package.xml(part), part, label))

    def header_parts(self, section: etree._Element) -> dict[str, str]:
        """``{"default": "word/header2.xml", "first": …}`` for one section."""
        found = {}
        for reference in section.findall(w("headerReference")):
            part = self._relations.get(reference.get(f"{{{_R}}}id", ""))
            if part is not None and self.package.has(part):
                found[reference.get(w("type"), "default")] = part
        return found

    def story(self, part: str) -> Story | None:
        return next((s for s in self.stories if s.part == part), None)

    def paragraphs(self) -> Iterator[Paragraph]:
        for story in self.stories:
            yield from story.paragraphs


def paragraph_text(paragraph: etree._Element) -> str:
    """The text of ``paragraph``'s own runs (not of a nested text box's paragraphs)."""
    pieces = []
    for node in paragraph.iter(w("t"), w("tab"), w("br")):
        if _owner(node) is not paragraph:
            continue
        pieces.append(node.text or "" if node.tag == w("t") else " ")
    return "".join(pieces)


def _owner(node: etree._Element) -> etree._Element | None:
    return next(node.iterancestors(w("p")), None)


def _story(root: etree._Element, part: str, label: str) -> Story:
    tables = {table: number for number, table in enumerate(root.iter(w("tbl")), start=1)}
    paragraphs = []
    for index, element in enumerate(root.iter(w("p")), start=1):
        paragraphs.append(Paragraph(element, label, paragraph_text(element),
                                    _cell_label(element, tables), index))
    return Story(part, label, root, paragraphs)


def _cell_label(paragraph: etree._Element, tables: dict[etree._Element, int]) -> str:
    cell = next(paragraph.iterancestors(w("tc")), None)
    if cell is None:
        return ""
    row = cell.getparent()
    table = row.getparent() if row is not None else None
    if row is None or table is None or table not in tables:
        return ""
    row_number = table.findall(w("tr")).index(row) + 1 if row.tag == w("tr") else 0
    cell_number = row.findall(w("tc")).index(cell) + 1
    return f"bảng {tables[table]} hàng {row_number} ô {cell_number}"


def _main_part(package: Package) -> str:
    """The main document part, found by content type (a producer may rename it)."""
    types = package.xml(CONTENT_TYPES)
    for override in types.iter(f"{{{_CT}}}Override"):
        content_type = override.get("ContentType", "")
        if content_type.endswith(_MAIN_TYPES):
            name = override.get("PartName", "").lstrip("/")
            if package.has(name):
                return name
    return "word/document.xml"


def _relations(package: Package, part: str) -> dict[str, str]:
    """Relationship id -> target part name, for ``part``'s relationships."""
    folder, name = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", f"{name}.rels")
    if not package.has(rels_name):
        return {}
    found = {}
    for rel in package.xml(rels_name).iter(f"{{{_PKG_REL}}}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join(folder, target))
        found[rel.get("Id", "")] = path
    return found
