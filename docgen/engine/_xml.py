"""WordprocessingML names and the few tree operations the preprocessing shares."""

from __future__ import annotations

from lxml import etree

__all__ = [
    "W_NS",
    "XML_SPACE",
    "nearest",
    "parse_part",
    "remove_keeping_tail",
    "replace_with_text",
    "serialize_part",
    "w",
]

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

# Templates come from administrators, not strangers, but a part still has no
# business resolving entities or reaching the network while it is parsed.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def w(local_name: str) -> str:
    """The Clark name of a WordprocessingML element: ``w("p")`` -> ``{...main}p``."""
    return f"{{{W_NS}}}{local_name}"


def parse_part(xml: bytes) -> etree._Element:
    """The root element of one XML part."""
    return etree.fromstring(xml, _PARSER)


def serialize_part(root: etree._Element) -> str:
    """``root``'s document as text, with an XML declaration like Word writes.

    The declaration is written here because lxml only writes one when it also
    encodes to bytes, and the Jinja source is text.
    """
    tree = root.getroottree()
    standalone = tree.docinfo.standalone
    attribute = "" if standalone is None else f" standalone='{'yes' if standalone else 'no'}'"
    declaration = f"<?xml version='1.0' encoding='UTF-8'{attribute}?>\n"
    return declaration + etree.tostring(tree, encoding="unicode")


def nearest(element: etree._Element, tag: str) -> etree._Element | None:
    """``element``'s closest ancestor named ``tag``, or None."""
    return next(element.iterancestors(tag), None)


def remove_keeping_tail(element: etree._Element) -> None:
    """Take ``element`` out of its parent; text that followed it stays in place.

    lxml moves an element's tail along with it, which would silently drop any
    Jinja text that an earlier step left behind the element.
    """
    parent = element.getparent()
    if parent is None:
        return
    _append_text_before(element, element.tail or "")
    parent.remove(element)


def replace_with_text(element: etree._Element, text: str) -> None:
    """Put ``text`` where ``element`` stood, and remove ``element``."""
    _append_text_before(element, text)
    remove_keeping_tail(element)


def _append_text_before(element: etree._Element, text: str) -> None:
    """Append ``text`` to whatever text precedes ``element`` in its parent."""
    parent = element.getparent()
    if not text or parent is None:
        return
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + text
    else:
        parent.text = (parent.text or "") + text
