"""Packs and templates to upload in the template store's tests, made from the shipped packs.

A "new" type is a shipped pack under another id; an edited template is a shipped one with
a paragraph of marker text added before the section properties, so a test can tell by the
text of the rendered document which version produced it.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def shipped(type_id: str, name: str) -> bytes:
    return (TEMPLATES / type_id / name).read_bytes()


def example(type_id: str) -> dict[str, Any]:
    return json.loads(shipped(type_id, "example.json"))  # type: ignore[no-any-return]


def rezip(docx: bytes, replace: dict[str, bytes]) -> bytes:
    """``docx`` with the parts in ``replace`` swapped (or added)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as src, zipfile.ZipFile(out, "w",
                                                                   zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename not in replace:
                dst.writestr(item, src.read(item))
        for name, data in replace.items():
            dst.writestr(name, data)
    return out.getvalue()


def document_xml(docx: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return archive.read("word/document.xml")


def with_paragraph(docx: bytes, text: str) -> bytes:
    """``docx`` with one more body paragraph reading ``text`` (may hold Jinja tags)."""
    xml = document_xml(docx)
    paragraph = f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>".encode()
    at = xml.rindex(b"<w:sectPr")
    return rezip(docx, {"word/document.xml": xml[:at] + paragraph + xml[at:]})


def edited(type_id: str, marker: str) -> bytes:
    """The shipped template of ``type_id`` with a paragraph ``marker``."""
    return with_paragraph(shipped(type_id, "template.docx"), marker)


def pack(type_id: str, *, new_id: str | None = None, template: bytes | None = None,
         declaration: str | None = None, example_text: str | None = None,
         folder: str = "", extra: dict[str, bytes] | None = None,
         leave_out: tuple[str, ...] = ()) -> bytes:
    """A pack zip made from shipped ``type_id``: renamed, with another template, etc."""
    text = declaration if declaration is not None else shipped(type_id, "type.toml").decode()
    if new_id:
        text = text.replace(f'id = "{type_id}"', f'id = "{new_id}"', 1)
    files = {
        "type.toml": text.encode(),
        "template.docx": template if template is not None else shipped(type_id,
                                                                        "template.docx"),
        "example.json": (example_text.encode() if example_text is not None
                         else shipped(type_id, "example.json")),
        **(extra or {}),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            if name not in leave_out:
                archive.writestr(folder + name, data)
    return out.getvalue()
