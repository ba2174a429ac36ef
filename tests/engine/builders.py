"""Builders for engine tests: small XML parts and .docx files made on the spot.

Every template is made here, with python-docx or by writing XML, so each test
says exactly what Word structure it exercises and needs no binary fixture.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
from docx.document import Document
from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_DOCUMENT_OPEN = f'<w:document xmlns:w="{W_NS}"><w:body>'
_DOCUMENT_CLOSE = "</w:body></w:document>"


def part_xml(body: str) -> bytes:
    """A minimal ``word/document.xml`` whose body is ``body``."""
    return f"{_DOCUMENT_OPEN}{body}{_DOCUMENT_CLOSE}".encode()


def parse_body(body: str) -> etree._Element:
    """The root element of ``part_xml(body)``."""
    return etree.fromstring(part_xml(body))


def body_of(root: etree._Element) -> str:
    """The serialized inside of ``<w:body>``, to compare with a fixture string."""
    text = etree.tostring(root, encoding="unicode")
    start = text.index("<w:body>") + len("<w:body>")
    return text[start : text.rindex("</w:body>")]


def texts_of(root: etree._Element) -> list[str | None]:
    """The text of every ``w:t``, in document order."""
    return [node.text for node in root.iter(f"{{{W_NS}}}t")]


def open_docx(data: bytes) -> Document:
    """The rendered bytes read back by python-docx, as a user's Word would."""
    return docx.Document(io.BytesIO(data))


def rezip(path: Path, *, compresslevel: int, stored: tuple[str, ...] = ()) -> None:
    """Rewrite ``path`` with another zlib level, some members stored uncompressed.

    The engine deflates at its own level, so a member it recompressed could not
    come out byte-identical to one written here.
    """
    with zipfile.ZipFile(path) as source:
        members = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w") as target:
        for info, data in members:
            method = zipfile.ZIP_STORED if info.filename in stored else zipfile.ZIP_DEFLATED
            target.writestr(info, data, compress_type=method, compresslevel=compresslevel)


def add_footnotes(path: Path, footnote_text: str) -> None:
    """Give the .docx at ``path`` a footnotes part holding ``footnote_text``.

    python-docx cannot write footnotes; the part, its content type and its
    relationship are added by hand, as Word would store them.
    """
    footnotes = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes xmlns:w="{W_NS}">'
        f'<w:footnote w:id="1"><w:p><w:r><w:t>{footnote_text}</w:t></w:r></w:p></w:footnote>'
        "</w:footnotes>"
    )
    content_type = (
        '<Override PartName="/word/footnotes.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>'
    )
    relationship = (
        '<Relationship Id="rIdFootnotes" Target="footnotes.xml" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/footnotes"/>'
    )
    with zipfile.ZipFile(path) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"</Types>", content_type.encode() + b"</Types>"
    )
    rels = "word/_rels/document.xml.rels"
    members[rels] = members[rels].replace(
        b"</Relationships>", relationship.encode() + b"</Relationships>"
    )
    members["word/footnotes.xml"] = footnotes.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members.items():
            target.writestr(name, data)
