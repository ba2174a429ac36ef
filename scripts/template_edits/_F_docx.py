"""Small lxml helpers the F_*.py template edits share (helper F, issue 15 points 4-5).

Each edit opens ``templates/<id>/template.docx``, changes ``word/document.xml`` only,
and writes the package back as ``scripts/build_templates.py`` does: the same member
order, fixed timestamps, so running an edit twice gives the same bytes. Paragraphs
are found by their text (tags included) and tables by the tags they hold, never by
position, so an edit applies on a template other edits have already changed.
"""

from __future__ import annotations

import copy
import io
import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from build_templates import rewrite_package

DOCUMENT = "word/document.xml"

Element = etree._Element


def template_path(doc_type: str) -> Path:
    return ROOT / "templates" / doc_type / "template.docx"


def edit_document(doc_type: str, edit: Callable[[Element], None]) -> bool:
    """Apply ``edit`` to the body of ``doc_type``'s template; True when the file changed."""
    path = template_path(doc_type)
    original = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(original)) as src:
        members = [(info.filename, src.read(info.filename)) for info in src.infolist()]
    parts = dict(members)
    root = etree.fromstring(parts[DOCUMENT])
    edit(root.find(f"{W}body"))
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    result = rewrite_package(original, {DOCUMENT: xml})
    if result == original:
        return False
    path.write_bytes(result)
    return True


def text_of(element: Element) -> str:
    """The text of a paragraph (or any element): its w:t nodes joined."""
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


def paragraphs(body: Element) -> Iterator[Element]:
    """Every paragraph of the body, tables' cells included, in document order."""
    yield from body.iter(f"{W}p")


def find_paragraph(body: Element, predicate: Callable[[str], bool]) -> Element | None:
    return next((p for p in paragraphs(body) if predicate(text_of(p))), None)


def top_paragraph(body: Element, text: str, after: Element | None = None) -> Element | None:
    """The first body-level paragraph whose text is exactly ``text`` (after ``after``)."""
    started = after is None
    for child in body:
        if child is after:
            started = True
            continue
        if started and child.tag == f"{W}p" and text_of(child).strip() == text:
            return child
    return None


def set_text(paragraph: Element, text: str) -> None:
    """Make ``text`` the paragraph's only run, keeping the first run's formatting."""
    runs = paragraph.findall(f"{W}r")
    first = runs[0] if runs else etree.SubElement(paragraph, f"{W}r")
    for run in runs[1:]:
        paragraph.remove(run)
    for child in list(first):
        if child.tag != f"{W}rPr":
            first.remove(child)
    if not text:
        return
    node = etree.SubElement(first, f"{W}t")
    node.text = text
    if text != text.strip():
        node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def replace_in_text(paragraph: Element, old: str, new: str) -> bool:
    """Replace ``old`` by ``new`` in the paragraph's text (runs joined when needed)."""
    text = text_of(paragraph)
    if old not in text:
        return False
    for node in paragraph.iter(f"{W}t"):  # within one run: keep the runs as they are
        if node.text and old in node.text:
            node.text = node.text.replace(old, new)
            return True
    set_text(paragraph, text.replace(old, new))
    return True


def control_paragraph(tag: str) -> Element:
    """A bare paragraph holding one ``{%p … %}`` tag (removed when rendered)."""
    p = etree.Element(f"{W}p")
    etree.SubElement(p, f"{W}pPr")
    run = etree.SubElement(p, f"{W}r")
    etree.SubElement(run, f"{W}t").text = tag
    return p


def styled_paragraph(model: Element, text: str) -> Element:
    """A copy of ``model`` (its paragraph and run formatting) holding ``text``."""
    p = copy.deepcopy(model)
    set_text(p, text)
    return p


def style_of(paragraph: Element) -> str:
    style = paragraph.find(f"{W}pPr/{W}pStyle")
    return style.get(f"{W}val", "") if style is not None else ""


def tables_holding(body: Element, text: str) -> list[Element]:
    """Body-level tables whose text contains ``text``."""
    return [t for t in body.findall(f"{W}tbl") if text in text_of(t)]
