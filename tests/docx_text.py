"""Read what a person sees in a .docx: the text of body, tables, headers."""

from __future__ import annotations

import io
import unicodedata
import zipfile

from docx import Document
from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def part_text(xml: bytes) -> str:
    """Paragraph texts of one XML part, one line per paragraph; w:br -> newline."""
    root = etree.fromstring(xml)
    lines = []
    for p in root.iter(f"{{{W}}}p"):
        chunks = []
        for node in p.iter(f"{{{W}}}t", f"{{{W}}}br", f"{{{W}}}tab"):
            if node.tag == f"{{{W}}}t":
                chunks.append(node.text or "")
            elif node.tag == f"{{{W}}}br":
                chunks.append("\n")
            else:
                chunks.append("\t")
        lines.append("".join(chunks))
    return "\n".join(lines)


def docx_text(content: bytes) -> str:
    """All visible text (document, headers, footers), NFC-normalised."""
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        names = [n for n in zf.namelist() if n.startswith("word/") and n.endswith(".xml")
                 and (n == "word/document.xml" or "/header" in n or "/footer" in n)]
        text = "\n".join(part_text(zf.read(n)) for n in sorted(names))
    return unicodedata.normalize("NFC", text)


def open_docx(content: bytes):
    """python-docx Document (proves Word-compatible structure)."""
    return Document(io.BytesIO(content))
