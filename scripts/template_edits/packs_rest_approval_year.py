"""The approval decision shows its ``year`` field: "Kế hoạch kiểm tra năm {{ year }} gồm …".

A real "Quyết định phê duyệt Kế hoạch kiểm tra … năm …" names the plan's year in its
Article 1; the shipped template printed it only inside ``plan_title`` (a free text), so
``docgen check`` warned ``required_field_not_shown`` for ``year``. This script adds the
year to Article 1's second paragraph (style ``ND30Body``, the one reading
``{{ units_total }}``)::

    Kế hoạch kiểm tra năm {{ year }} gồm {{ units_total }} cơ quan, đơn vị, trong đó …

It edits ``templates/approval/template.docx`` in place, touching only ``word/document.xml``;
every other member keeps its bytes, the order of members is kept and the timestamps are
fixed, so equal content gives equal bytes. Idempotent: a template that already shows
``{{ year }}`` is left as it is. The paragraph is found by its style and its tag, not by
position, so the script runs on a template that carries other edits too.

    python scripts/template_edits/packs_rest_approval_year.py [path/to/template.docx]
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from build_templates import rewrite_package

TEMPLATE = ROOT / "templates" / "approval" / "template.docx"
PART = "word/document.xml"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}

STYLE = "ND30Body"
OPENING = "Kế hoạch kiểm tra"
#: ``{{ units_total }}``, with or without a filter (``{{ units_total|count }}``)
TAG = re.compile(r"\{\{\s*units_total\b[^}]*\}\}")
YEAR = "{{ year }}"
INSERTED = "năm {{ year }} gồm "


def _text(paragraph: etree._Element) -> str:
    return "".join(t.text or "" for t in paragraph.iterfind(".//w:t", NS))


def edit_document(xml: bytes) -> bytes | None:
    """``document.xml`` with the year added, or None when there is nothing to change."""
    root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    if any(YEAR in _text(p) for p in root.iterfind(".//w:body//w:p", NS)):
        return None  # already shown (this script ran, or someone wrote it in Word)
    targets = [p for p in root.iterfind(".//w:body//w:p", NS)
               if p.find(f"w:pPr/w:pStyle[@w:val='{STYLE}']", NS) is not None
               and _text(p).strip().startswith(OPENING) and TAG.search(_text(p))]
    if len(targets) != 1:
        raise SystemExit(f"{PART}: expected one {STYLE} paragraph opening «{OPENING}» and "
                         f"reading units_total, found {len(targets)}; edit it in Word instead")
    holder = next((t for t in targets[0].iterfind(".//w:t", NS) if TAG.search(t.text or "")),
                  None)
    if holder is None:
        raise SystemExit(f"{PART}: the units_total tag is split across runs; rejoin it in Word")
    assert holder.text is not None
    found = TAG.search(holder.text)
    assert found is not None
    holder.text = holder.text[:found.start()] + INSERTED + holder.text[found.start():]
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def rewrite(docx: bytes, replace: dict[str, bytes]) -> bytes:
    """``docx`` with the members in ``replace`` swapped; order kept, timestamps fixed."""
    return rewrite_package(docx, replace)


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else TEMPLATE
    docx = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        edited = edit_document(archive.read(PART))
    if edited is None:
        print(f"{path}: already shows {YEAR}; unchanged")
        return 0
    path.write_bytes(rewrite(docx, {PART: edited}))
    print(f"{path}: Article 1 now reads «{OPENING} {INSERTED}{{{{ units_total… }}}} …»")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
