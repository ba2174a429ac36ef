"""Reading a PDF as a reviewer would: fonts (embedded? which?), text, PDF/A claims."""

from __future__ import annotations

import io
import shutil
import subprocess
import unicodedata
from typing import Any

from lxml import etree
from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def resolve(obj: Any) -> Any:
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def iter_fonts(reader: PdfReader) -> list[DictionaryObject]:
    """Every font dictionary used by the pages and their form XObjects,
    with the descendant fonts of Type0 (composite) fonts."""
    fonts: dict[int, DictionaryObject] = {}
    seen: set[int] = set()

    def walk(resources: Any) -> None:
        resources = resolve(resources)
        if not resources or id(resources) in seen:
            return
        seen.add(id(resources))
        for font in (resolve(resources.get("/Font")) or {}).values():
            font = resolve(font)
            fonts[id(font)] = font
            for descendant in resolve(font.get("/DescendantFonts")) or []:
                descendant = resolve(descendant)
                fonts[id(descendant)] = descendant
        for xobject in (resolve(resources.get("/XObject")) or {}).values():
            xobject = resolve(xobject)
            if xobject.get("/Subtype") == "/Form":
                walk(xobject.get("/Resources"))

    for page in reader.pages:
        walk(page.get("/Resources"))
    return list(fonts.values())


def is_embedded(font: DictionaryObject) -> bool:
    subtype = font.get("/Subtype")
    if subtype == "/Type3":  # glyphs are content streams inside the PDF
        return True
    if subtype == "/Type0":  # the descendant carries the descriptor (checked on its own)
        return bool(font.get("/DescendantFonts"))
    descriptor = resolve(font.get("/FontDescriptor")) or {}
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def pdf_text(pdf: bytes) -> str:
    """Extracted text, NFC: poppler's pdftotext when installed, else pypdf."""
    if shutil.which("pdftotext"):
        result = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
        )
        return nfc(result.stdout.decode("utf-8"))
    return nfc("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


def xmp_pdfa(pdf: bytes) -> tuple[str | None, str | None]:
    """(pdfaid:part, pdfaid:conformance) from the XMP packet, element or attribute form."""
    reader = PdfReader(io.BytesIO(pdf))
    metadata = resolve(reader.trailer["/Root"].get("/Metadata"))
    if metadata is None:
        return None, None
    root = etree.fromstring(metadata.get_data())
    ns = "http://www.aiim.org/pdfa/ns/id/"
    values = {}
    for name in ("part", "conformance"):
        node = root.find(f".//{{{ns}}}{name}")
        if node is not None:
            values[name] = (node.text or "").strip()
        else:
            for element in root.iter():
                if f"{{{ns}}}{name}" in element.attrib:
                    values[name] = element.attrib[f"{{{ns}}}{name}"]
    return values.get("part"), values.get("conformance")
