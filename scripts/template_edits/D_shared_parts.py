#!/usr/bin/env python3
"""The shared parts print their own punctuation: no ``{{ ";" if not loop.last … }}`` left.

    .venv/bin/python scripts/template_edits/D_shared_parts.py [TEMPLATE.docx …]

Edits every shipped ``templates/*/template.docx`` (or the files given) in place, so a
Word user reads one simple loop per part (issue 14: "punctuation … of the shared parts
live in the parts"; issue 15, point 6):

- căn cứ: ``{%p for b in legal_bases %}`` / ``Căn cứ {{ b }}{{ ";" if not loop.last … }}``
  becomes ``{%p for line in basis_lines %}`` / ``{{ line }}`` (docgen.context writes
  "Căn cứ …;" and the last mark, ";" when a "Xét đề nghị …" line follows);
  ``{{ proposal }}.`` becomes ``{{ proposal_line }}``; the minutes' ``Căn cứ {{ basis }};``
  becomes ``{{ basis|basis_line }}``;
- the end of the content: the minutes' closing "… thống nhất ký tên." ends "./." as every
  other type's does (Phụ lục I), and ``{{ executors }}./.`` becomes
  ``{{ executors|closing }}`` (one "./." whatever the clerk typed);
- lists: ``- {{ x }}{{ ";" if not loop.last else "." }}`` in ``{%p for x in LIST %}``
  becomes ``{{ line }}`` in ``{%p for line in LIST|dash_list %}``, and the numbered
  ``{{ loop.index }}. {{ c }}{{ … }}`` the same with ``numbered_list``;
- Kính gửi with several addressees: the "Kính gửi:" paragraph and its ``- {{ a }}…`` loop
  become ``{%p for line in addressee_lines %}`` / ``{{ line }}`` in a new style "ND30
  Addressees" (a hanging indent with a tab stop at it): the context's lines are
  "Kính gửi:⇥- A;", "⇥- B;" …, so the first addressee sits on the "Kính gửi:" line and
  the others under it, one paragraph each.

Paragraphs are found by their tag text, never by position, so the script runs on a
template that carries other edits (or a Word user's); what it does not find it leaves.
Running it twice changes nothing. The zip is written back with the same member order
and fixed timestamps.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from collections.abc import Iterable
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from build_templates import rewrite_package

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

ADDRESSEES_STYLE = "ND30Addressees"
#: "Kính gửi:" starts 3 cm from the margin; the addressees line up 2 cm further (14 pt
#: "Kính gửi:" is 1.8 cm wide), at the tab stop the hanging indent makes.
ADDRESSEES_LEFT, ADDRESSEES_HANGING = 2835, 1134
ADDRESSEES_STYLE_XML = (
    f'<w:style xmlns:w="{W}" w:type="paragraph" w:customStyle="1" '
    f'w:styleId="{ADDRESSEES_STYLE}"><w:name w:val="ND30 Addressees"/>'
    '<w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:widowControl/>'
    f'<w:tabs><w:tab w:val="left" w:pos="{ADDRESSEES_LEFT}"/></w:tabs>'
    '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
    f'<w:ind w:left="{ADDRESSEES_LEFT}" w:hanging="{ADDRESSEES_HANGING}"/>'
    '<w:jc w:val="left"/></w:pPr><w:rPr/></w:style>'
)

FOR_TAG = re.compile(r"^\{%p\s+for\s+(\w+)\s+in\s+(.+?)\s*%\}$")
LAST_MARK = r"\{\{\s*\"[;.]\"\s+if\s+not\s+loop\.last\s+else\s+.+\}\}"


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def text(paragraph: etree._Element) -> str:
    return "".join(t.text or "" for t in paragraph.iter(w("t")))


def set_text(paragraph: etree._Element, value: str) -> None:
    """One run holding ``value``, with the formatting of the paragraph's first run."""
    first = paragraph.find(w("r"))
    r_pr = first.find(w("rPr")) if first is not None else None
    for child in list(paragraph):
        if child.tag != w("pPr"):
            paragraph.remove(child)
    run = etree.SubElement(paragraph, w("r"))
    if r_pr is not None:
        run.append(r_pr)
    t = etree.SubElement(run, w("t"))
    t.set(XML_SPACE, "preserve")
    t.text = value


def _loop_item(name: str) -> str:
    return re.escape("{{") + r"\s*" + re.escape(name) + r"\s*" + re.escape("}}")


def _list(expr: str, filter_name: str) -> str:
    return f"{expr}|{filter_name}" if re.fullmatch(r"[\w.]+", expr) else f"({expr})|{filter_name}"


def loops(body: etree._Element) -> int:
    """Căn cứ and list loops: the item paragraph after each ``{%p for %}`` they match."""
    changed = 0
    for opening in list(body.iter(w("p"))):
        match = FOR_TAG.match(text(opening).strip())
        item = opening.getnext()
        if match is None or item is None or item.tag != w("p"):
            continue
        var, expr = match.groups()
        content = text(item).strip()
        kinds: list[tuple[str, str]] = [
            ("^Căn cứ " + _loop_item(var) + LAST_MARK + "$",
             "{%p for line in basis_lines %}" if expr == "legal_bases" else ""),
            ("^- " + _loop_item(var) + LAST_MARK + "$",
             f"{{%p for line in {_list(expr, 'dash_list')} %}}"),
            (r"^\{\{\s*loop\.index\s*\}\}\. " + _loop_item(var) + LAST_MARK + "$",
             f"{{%p for line in {_list(expr, 'numbered_list')} %}}"),
        ]
        for pattern, new_for in kinds:
            if new_for and re.match(pattern, content):
                set_text(opening, new_for)
                set_text(item, "{{ line }}")
                changed += 1
                break
    return changed


def _end_closing(paragraph: etree._Element) -> None:
    """The text ends "./." (Phụ lục I: the end of the content), not ".": in its last run."""
    last = [t for t in paragraph.iter(w("t")) if (t.text or "").strip()][-1]
    stripped = (last.text or "").rstrip()
    last.text = stripped + "/." if stripped.endswith(".") else stripped + "./."


def single_lines(body: etree._Element) -> int:
    """The proposal line, the minutes' one căn cứ and the end of its content."""
    changed = 0
    for t in body.iter(w("t")):
        # "{{ executors }}./.": a value ending the content gets the closing filter, so a
        # "." the clerk typed is not doubled ("… thi hành Quyết định này../.").
        value = t.text or ""
        ended = re.sub(r"\{\{\s*(\w+)\s*\}\}\./\.$", r"{{ \1|closing }}", value)
        if ended != value:
            t.text = ended
            changed += 1
    for paragraph in body.iter(w("p")):
        content = text(paragraph).strip()
        if content.startswith("Biên bản kết thúc") and not content.endswith("./."):
            _end_closing(paragraph)
            changed += 1
        if re.fullmatch(r"\{\{\s*proposal\s*\}\}\.", content):
            set_text(paragraph, "{{ proposal_line }}")
            changed += 1
        elif re.fullmatch(r"Căn cứ \{\{\s*basis\s*\}\};", content):
            set_text(paragraph, "{{ basis|basis_line }}")
            changed += 1
    return changed


def addressees(body: etree._Element) -> int:
    """Several addressees: a loop of hanging paragraphs over ``addressee_lines``."""
    changed = 0
    paragraphs = list(body.iter(w("p")))
    for index, paragraph in enumerate(paragraphs):
        if text(paragraph).strip() != "Kính gửi:":
            continue
        following = paragraphs[index + 1:index + 4]
        if len(following) < 3:
            continue
        opening, item, closing = following
        match = FOR_TAG.match(text(opening).strip())
        if match is None or match.group(2) != "addressees" or \
                not re.match("^- " + _loop_item(match.group(1)) + LAST_MARK + "$",
                             text(item).strip()) or \
                text(closing).strip() != "{%p endfor %}":
            continue
        # "Kính gửi:" and its loop become one loop of ND30 Addressees paragraphs; the
        # lines ("Kính gửi:⇥- A;", "⇥- B;" …) come from the context (addressee_lines).
        set_text(opening, "{%p for line in addressee_lines %}")
        set_text(item, "{{ line }}")
        p_pr = item.find(w("pPr"))
        if p_pr is None:
            p_pr = etree.Element(w("pPr"))
            item.insert(0, p_pr)
        style = p_pr.find(w("pStyle"))
        if style is None:
            style = etree.Element(w("pStyle"))
            p_pr.insert(0, style)
        style.set(w("val"), ADDRESSEES_STYLE)
        paragraph.getparent().remove(paragraph)
        changed += 1
    return changed


def add_style(styles: etree._Element) -> bool:
    if any(s.get(w("styleId")) == ADDRESSEES_STYLE for s in styles.iter(w("style"))):
        return False
    style = etree.fromstring(ADDRESSEES_STYLE_XML)
    centered = next((s for s in styles.iter(w("style"))
                     if s.get(w("styleId")) == "ND30Centered"), None)
    if centered is not None:
        centered.addnext(style)
    else:
        styles.append(style)
    return True


def _xml(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def edit(data: bytes) -> bytes:
    """The template's bytes with the edits made (the same bytes when there is none)."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        infos = src.infolist()
        members = {info.filename: src.read(info.filename) for info in infos}
    document = etree.fromstring(members["word/document.xml"])
    body = document.find(w("body"))
    kinds = addressees(body)  # before loops(), which would take its "- {{ a }}" loop
    changed = loops(body) + single_lines(body)
    if not changed and not kinds:
        return data
    members["word/document.xml"] = _xml(document)
    if kinds and "word/styles.xml" in members:
        styles = etree.fromstring(members["word/styles.xml"])
        if add_style(styles):
            members["word/styles.xml"] = _xml(styles)
    return rewrite_package(data, members)


def main(argv: Iterable[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    paths = [Path(a) for a in args] or sorted((ROOT / "templates").glob("*/template.docx"))
    for path in paths:
        before = path.read_bytes()
        after = edit(before)
        if after != before:
            path.write_bytes(after)
            print(f"edited {path}")
        else:
            print(f"unchanged {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
