"""One .docx from many documents rendered from one template, at a flat cost per document.

Every document of a batch comes from the same template, so its styles, numbering
definitions, theme and settings are the first document's: nothing needs the
per-element reconciliation a general composer does (docxcompose: 85 s and
335 MiB for 1,000 minutes). What differs is the body, and what the body points
at. Each document is appended as its own section:

* its last ``w:sectPr`` (page size, margins, header and footer references,
  ``w:titlePg``) ends its section, so it starts on a new page with its own
  first-page header — a ``continuous`` section start is turned into a new page;
* the header and footer parts it references are shared when their bytes are
  those of a part already in the merged file (a static header: one part for all),
  and added as new parts otherwise;
* its other relationships are matched by type and target, added when new;
* each list it uses gets a new ``w:num`` pointing at the same ``w:abstractNum``
  with a ``w:startOverride`` per level, so numbering restarts in each document —
  also for paragraphs numbered through their style;
* drawing ids (``wp:docPr``, ``pic:cNvPr``) are numbered through the whole file
  and bookmark ids offset per document, so both stay unique.

Bodies are written to a temporary file as they come; only the last document is
held (its section break goes into its last paragraph once the next one comes),
so memory does not grow with the number of documents.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import IO

from lxml import etree

__all__ = ["MergedDocument"]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
OFFICE_DOCUMENT = R + "/officeDocument"
HEADER, FOOTER, NUMBERING = R + "/header", R + "/footer", R + "/numbering"
CONTENT_TYPES = "[Content_Types].xml"

_R_ATTRIBUTE = "{" + R + "}"
#: pPr children that come after w:numPr (ECMA-376 CT_PPrBase order).
_AFTER_NUMPR = frozenset(
    f"{{{W}}}{name}"
    for name in [
        "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku",
        "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi",
        "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents",
        "suppressOverlap", "jc", "textDirection", "textAlignment", "textboxTightWrap",
        "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange",
    ]
)


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


class MergedDocument:
    """Documents from one template appended as sections of one .docx, in order."""

    def __init__(self) -> None:
        self.count = 0
        self._body: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed in save()
        self._parts: dict[str, bytes] = {}  # every member but the main part and the rebuilt ones
        self._main = "word/document.xml"
        self._head = b""  # the main part up to and including <w:body>
        self._pending: etree._Element | None = None  # the last document's root, not yet written
        self._rels: etree._Element | None = None
        self._rel_ids: dict[tuple[str, str, str], str] = {}
        self._story_ids: dict[bytes, str] = {}  # digest of a header/footer part -> its rel id
        self._types: etree._Element | None = None
        self._numbering: etree._Element | None = None
        self._numbering_name: str | None = None
        self._abstract_of: dict[str, str] = {}  # numId -> abstractNumId
        self._starts: dict[str, list[tuple[str, str]]] = {}  # abstractNumId -> [(ilvl, start)]
        self._style_numbering: dict[str, tuple[str, str]] = {}  # styleId -> (numId, ilvl)
        self._next_num = 1
        self._next_drawing = 1
        self._next_bookmark = 0
        self._next_rel = 1

    # -- adding ------------------------------------------------------------

    def add(self, content: bytes) -> None:
        """Append one rendered .docx (from the same template as the first)."""
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if self.count == 0:
                self._adopt(archive)
            root = etree.fromstring(archive.read(self._main))
            rel_map = self._map_relationships(archive)
        _rewrite_relationship_ids(root, rel_map)
        if self.count > 0:
            self._restart_numbering(root)
            first_section = next(root.iter(_w("sectPr")), None)
            if first_section is not None:
                _start_on_new_page(first_section)
        self._renumber_drawings(root)
        self._offset_bookmarks(root)
        self._flush(section_follows=True)
        self._pending = root
        self.count += 1

    def _adopt(self, archive: zipfile.ZipFile) -> None:
        """Take the first document's package as the merged file's skeleton."""
        package_rels = etree.fromstring(archive.read("_rels/.rels"))
        for rel in package_rels:
            if rel.get("Type") == OFFICE_DOCUMENT:
                self._main = rel.get("Target", self._main).lstrip("/")
        rels_name = _rels_name(self._main)
        for info in archive.infolist():
            if info.filename not in (self._main, rels_name, CONTENT_TYPES):
                self._parts[info.filename] = archive.read(info.filename)
        self._types = etree.fromstring(archive.read(CONTENT_TYPES))
        self._rels = etree.fromstring(archive.read(rels_name))
        for rel in self._rels:
            kind, target = rel.get("Type", ""), rel.get("Target", "")
            if kind in (HEADER, FOOTER):
                self._story_ids[self._story_digest(archive, target)] = rel.get("Id", "")
            else:
                self._rel_ids[(kind, target, rel.get("TargetMode", ""))] = rel.get("Id", "")
            if kind == NUMBERING:
                self._numbering_name = self._part_name(target)
        if self._numbering_name is not None:
            self._read_numbering(self._parts.pop(self._numbering_name))
            self._read_style_numbering(archive)
        main = archive.read(self._main)
        start = main.index(b"<w:body")
        self._head = main[: main.index(b">", start) + 1]

    def _part_name(self, target: str) -> str:
        return posixpath.normpath(posixpath.join(posixpath.dirname(self._main), target))

    def _story_digest(self, archive: zipfile.ZipFile, target: str) -> bytes:
        name = self._part_name(target)
        digest = hashlib.sha256(archive.read(name))
        if _rels_name(name) in archive.namelist():
            digest.update(archive.read(_rels_name(name)))
        return digest.digest()

    def _map_relationships(self, archive: zipfile.ZipFile) -> dict[str, str]:
        """This document's relationship ids -> the merged file's (adding what is new)."""
        assert self._rels is not None
        mapping: dict[str, str] = {}
        for rel in etree.fromstring(archive.read(_rels_name(self._main))):
            kind, target = rel.get("Type", ""), rel.get("Target", "")
            old = rel.get("Id", "")
            if kind in (HEADER, FOOTER):
                digest = self._story_digest(archive, target)
                if digest not in self._story_ids:
                    self._story_ids[digest] = self._add_story(archive, kind, target)
                mapping[old] = self._story_ids[digest]
                continue
            key = (kind, target, rel.get("TargetMode", ""))
            if key not in self._rel_ids:
                self._rel_ids[key] = self._add_relationship(kind, target, key[2])
            mapping[old] = self._rel_ids[key]
        return mapping

    def _add_relationship(self, kind: str, target: str, mode: str) -> str:
        assert self._rels is not None
        new_id = f"rIdMerged{self._next_rel}"
        self._next_rel += 1
        rel = etree.SubElement(self._rels, f"{{{PKG_REL}}}Relationship")
        rel.set("Id", new_id)
        rel.set("Type", kind)
        rel.set("Target", target)
        if mode:
            rel.set("TargetMode", mode)
        return new_id

    def _add_story(self, archive: zipfile.ZipFile, kind: str, target: str) -> str:
        """A header or footer whose content is new: a part of its own, with its rels."""
        assert self._types is not None
        source = self._part_name(target)
        stem, ext = posixpath.splitext(posixpath.basename(source))
        n = 1
        while (name := f"{posixpath.dirname(source)}/{stem}_{n}{ext}") in self._parts:
            n += 1
        self._parts[name] = archive.read(source)
        if _rels_name(source) in archive.namelist():
            self._parts[_rels_name(name)] = archive.read(_rels_name(source))
        for override in self._types.iter(f"{{{CT}}}Override"):
            if override.get("PartName") == "/" + source:
                copy = etree.SubElement(self._types, f"{{{CT}}}Override")
                copy.set("PartName", "/" + name)
                copy.set("ContentType", override.get("ContentType", ""))
                break
        relative = posixpath.relpath(name, posixpath.dirname(self._main))
        return self._add_relationship(kind, relative, "")

    # -- numbering ---------------------------------------------------------

    def _read_numbering(self, xml: bytes) -> None:
        self._numbering = etree.fromstring(xml)
        for abstract in self._numbering.iter(_w("abstractNum")):
            starts = []
            for level in abstract.iter(_w("lvl")):
                start = level.find(_w("start"))
                value = start.get(_w("val"), "1") if start is not None else "0"
                starts.append((level.get(_w("ilvl"), "0"), value))
            self._starts[abstract.get(_w("abstractNumId"), "")] = starts
        for num in self._numbering.iter(_w("num")):
            abstract_id = num.find(_w("abstractNumId"))
            if abstract_id is not None:
                self._abstract_of[num.get(_w("numId"), "")] = abstract_id.get(_w("val"), "")
        used = [int(n) for n in self._abstract_of if n.isdigit()]
        self._next_num = max(used, default=0) + 1

    def _read_style_numbering(self, archive: zipfile.ZipFile) -> None:
        """Paragraph styles that number their paragraphs (``List Number``…)."""
        styles_name = next((n for n in archive.namelist() if n.endswith("/styles.xml")), None)
        if styles_name is None:
            return
        for style in etree.fromstring(archive.read(styles_name)).iter(_w("style")):
            num_id = style.find(f"{_w('pPr')}/{_w('numPr')}/{_w('numId')}")
            if num_id is not None and num_id.get(_w("val"), "0") != "0":
                level = style.find(f"{_w('pPr')}/{_w('numPr')}/{_w('ilvl')}")
                ilvl = level.get(_w("val"), "0") if level is not None else "0"
                self._style_numbering[style.get(_w("styleId"), "")] = (num_id.get(_w("val"), ""), ilvl)

    def _restart_numbering(self, root: etree._Element) -> None:
        """Give each list of this document a new w:num, so it counts from its start again."""
        if self._numbering is None:
            return
        renumbered: dict[str, str] = {}

        def new_num(old: str) -> str:
            if old not in renumbered:
                renumbered[old] = self._add_num(old)
            return renumbered[old]

        if self._style_numbering:
            for paragraph_style in root.iter(_w("pStyle")):
                numbered = self._style_numbering.get(paragraph_style.get(_w("val"), ""))
                ppr = paragraph_style.getparent()
                if numbered is None or ppr is None or ppr.find(_w("numPr")) is not None:
                    continue
                num_pr = etree.Element(_w("numPr"))
                etree.SubElement(num_pr, _w("ilvl")).set(_w("val"), numbered[1])
                etree.SubElement(num_pr, _w("numId")).set(_w("val"), numbered[0])
                _insert_num_pr(ppr, num_pr)
        for num_id in root.iter(_w("numId")):
            old = num_id.get(_w("val"), "0")
            if old != "0" and old in self._abstract_of:
                num_id.set(_w("val"), new_num(old))

    def _add_num(self, old: str) -> str:
        assert self._numbering is not None
        abstract = self._abstract_of[old]
        new = str(self._next_num)
        self._next_num += 1
        num = etree.Element(_w("num"))
        num.set(_w("numId"), new)
        etree.SubElement(num, _w("abstractNumId")).set(_w("val"), abstract)
        for ilvl, start in self._starts.get(abstract, [("0", "1")]):
            override = etree.SubElement(num, _w("lvlOverride"))
            override.set(_w("ilvl"), ilvl)
            etree.SubElement(override, _w("startOverride")).set(_w("val"), start)
        cleanup = self._numbering.find(_w("numIdMacAtCleanup"))
        if cleanup is not None:
            cleanup.addprevious(num)
        else:
            self._numbering.append(num)
        self._abstract_of[new] = abstract
        return new

    # -- ids ---------------------------------------------------------------

    def _renumber_drawings(self, root: etree._Element) -> None:
        for element in root.iter(f"{{{WP}}}docPr", f"{{{PIC}}}cNvPr"):
            element.set("id", str(self._next_drawing))
            self._next_drawing += 1

    def _offset_bookmarks(self, root: etree._Element) -> None:
        highest = -1
        offset = self._next_bookmark
        for element in root.iter(_w("bookmarkStart"), _w("bookmarkEnd")):
            value = element.get(_w("id"), "")
            if value.lstrip("-").isdigit():
                highest = max(highest, int(value))
                element.set(_w("id"), str(int(value) + offset))
        self._next_bookmark = offset + highest + 1

    # -- writing -----------------------------------------------------------

    def _flush(self, *, section_follows: bool) -> None:
        """Write the held document's body; its last sectPr becomes a section break if one follows."""
        root = self._pending
        if root is None:
            return
        body = root.find(_w("body"))
        assert body is not None
        if section_follows and len(body) and body[-1].tag == _w("sectPr"):
            section = body[-1]
            last = body[-2] if len(body) > 1 else None
            if last is None or last.tag != _w("p"):
                last = etree.Element(_w("p"))
                section.addprevious(last)
            ppr = last.find(_w("pPr"))
            if ppr is None:
                ppr = etree.Element(_w("pPr"))
                last.insert(0, ppr)
            change = ppr.find(_w("pPrChange"))
            if change is not None:
                change.addprevious(section)
            else:
                ppr.append(section)
        xml = etree.tostring(root, encoding="UTF-8", xml_declaration=False)
        start = xml.index(b">", xml.index(b"<w:body")) + 1
        self._body.write(xml[start : xml.rindex(b"</w:body>")])
        self._pending = None

    def save(self, target: Path | str | IO[bytes]) -> bool:
        """Write the merged .docx to ``target``; False when nothing was added."""
        if self.count == 0:
            self._body.close()
            return False
        self._flush(section_follows=False)
        assert self._types is not None and self._rels is not None
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            archive.writestr(CONTENT_TYPES, _xml(self._types))
            for name, data in self._parts.items():
                archive.writestr(name, data)
            archive.writestr(_rels_name(self._main), _xml(self._rels))
            if self._numbering is not None and self._numbering_name is not None:
                archive.writestr(self._numbering_name, _xml(self._numbering))
            with archive.open(self._main, "w") as main:
                main.write(self._head)
                self._body.seek(0)
                shutil.copyfileobj(self._body, main, 1024 * 1024)
                main.write(b"</w:body></w:document>")
        self._body.close()
        return True


def _rels_name(part: str) -> str:
    directory, name = posixpath.split(part)
    return posixpath.join(directory, "_rels", name + ".rels")


def _rewrite_relationship_ids(root: etree._Element, mapping: dict[str, str]) -> None:
    """Every r:id, r:embed, r:link… in the body, to the merged file's ids."""
    if all(old == new for old, new in mapping.items()):
        return
    for element in root.iter():
        for name, value in element.attrib.items():
            if name.startswith(_R_ATTRIBUTE) and value in mapping:
                element.set(name, mapping[value])


def _start_on_new_page(section: etree._Element) -> None:
    """A section that would start on the same page (continuous) starts on a new one."""
    kind = section.find(_w("type"))
    if kind is not None and kind.get(_w("val")) in ("continuous", "nextColumn"):
        section.remove(kind)


def _insert_num_pr(ppr: etree._Element, num_pr: etree._Element) -> None:
    for child in ppr:
        if child.tag in _AFTER_NUMPR:
            child.addprevious(num_pr)
            return
    ppr.append(num_pr)


def _xml(root: etree._Element) -> bytes:
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True, standalone=True)

