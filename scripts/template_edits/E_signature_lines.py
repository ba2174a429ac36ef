#!/usr/bin/env python3
"""Issue 15, point 2: every shipped signature block prints the signer's lines from one
shared part, ``signer.lines`` (docgen/context.py, ``signer_context``).

    .venv/bin/python scripts/template_edits/E_signature_lines.py [templates/*/template.docx …]

In the table cell that prints ``{{ signer.position|upper }}``, the paragraphs

    {%p if signer.authority %} / {{ signer.authority }} {{ signer.on_behalf_of|upper }} /
    {%p endif %} / {%p if signer.deputy_for %} / KT. {{ signer.deputy_for|upper }} /
    {%p endif %} / {{ signer.position|upper }}

become ``{%p for line in signer.lines %}`` / ``{{ line }}`` / ``{%p endfor %}``: the
authority levels ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH" or "Q. CHỦ TỊCH") and the
position, or "Q. GIÁM ĐỐC" alone. The ``{{ line }}`` paragraph is the position's own
(its style, keep-with-next, run formatting); nothing outside that cell is touched.
Paragraphs are found by their text, not their position, so the script works on a
template other edits have changed; a cell already printing ``signer.lines`` is left
alone, so running it twice changes nothing. The zip is written back with the same
member order and fixed timestamps (scripts/build_templates.py ``_reproducible_zip``).
"""

from __future__ import annotations

import copy
import io
import sys
import zipfile
from collections.abc import Iterable
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from build_templates import rewrite_package

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCUMENT = "word/document.xml"

POSITION = "{{ signer.position|upper }}"
LOOP, LINE, END = "{%p for line in signer.lines %}", "{{ line }}", "{%p endfor %}"
#: The paragraphs of the old block above the position, by their text.
OLD_LINES = (
    "{%p if signer.authority %}",
    "{{ signer.authority }} {{ signer.on_behalf_of|upper }}",
    "{%p endif %}",
    "{%p if signer.deputy_for %}",
    "KT. {{ signer.deputy_for|upper }}",
    "{%p endif %}",
)


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def _text(paragraph: etree._Element) -> str:
    return "".join(t.text or "" for t in paragraph.iter(_w("t"))).strip()


def _set_text(paragraph: etree._Element, text: str) -> None:
    """One run (the first one's formatting) holding ``text``."""
    runs = paragraph.findall(_w("r"))
    keep = runs[0] if runs else etree.SubElement(paragraph, _w("r"))
    for run in runs[1:]:
        paragraph.remove(run)
    for child in list(keep):
        if child.tag != _w("rPr"):
            keep.remove(child)
    t = etree.SubElement(keep, _w("t"))
    t.text = text


def edit_document(xml: bytes) -> bytes | None:
    """The edited ``word/document.xml``, or None when there is nothing to change."""
    root = etree.fromstring(xml)
    changed = False
    for cell in root.iter(_w("tc")):
        paragraphs = [p for p in cell.iter(_w("p"))]
        texts = [_text(p) for p in paragraphs]
        if POSITION not in texts or LOOP in texts:
            continue
        at = texts.index(POSITION)
        position = paragraphs[at]
        # The old lines directly above the position, in order (all or none of them).
        start = at - len(OLD_LINES)
        if start >= 0 and tuple(texts[start:at]) == OLD_LINES:
            for paragraph in paragraphs[start:at]:
                paragraph.getparent().remove(paragraph)
        elif any("signer." in text for text in texts[:at]):
            # Someone changed the old lines: printing signer.lines too would repeat them.
            raise SystemExit("the signature cell's lines above the position are not the "
                             f"shipped ones, edit by hand: {texts[:at]}")
        loop, end = copy.deepcopy(position), copy.deepcopy(position)
        _set_text(loop, LOOP)
        _set_text(end, END)
        _set_text(position, LINE)
        position.addprevious(loop)
        position.addnext(end)
        changed = True
    if not changed:
        return None
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def edit(path: Path) -> bool:
    """Edit one template in place; whether it changed."""
    data = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        new_document = edit_document(archive.read(DOCUMENT))
    if new_document is None:
        return False
    path.write_bytes(rewrite_package(data, {DOCUMENT: new_document}))
    return True


def main(argv: Iterable[str] | None = None) -> int:
    paths = [Path(p) for p in (argv if argv is not None else sys.argv[1:])]
    for path in paths or sorted((ROOT / "templates").glob("*/template.docx")):
        print(f"{'edited' if edit(path) else 'unchanged'} {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
