"""A small Decree 30 conformant .docx written as raw XML, with one slot per part.

``make_docx()`` passes every check; each test changes one slot (a paragraph's text or
format, the page setup, a header) to break exactly one rule.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, replace
from typing import Any
from xml.sax.saxutils import escape

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
WML = "application/vnd.openxmlformats-officedocument.wordprocessingml"


@dataclass(frozen=True)
class P:
    """One paragraph: text, size in points (None: from the style), bold, italic, extras."""

    text: str
    size: float | None = 14
    bold: bool = False
    italic: bool = False
    style: str | None = None
    jc: str | None = None
    run_fonts: str = ""  # raw attributes of w:rFonts on the run

    def xml(self) -> str:
        ppr = ""
        if self.style or self.jc:
            ppr = "<w:pPr>" + (f'<w:pStyle w:val="{self.style}"/>' if self.style else "") + (
                f'<w:jc w:val="{self.jc}"/>' if self.jc else "") + "</w:pPr>"
        rpr = (f"<w:rFonts {self.run_fonts}/>" if self.run_fonts else "") + (
            "<w:b/>" if self.bold else "") + ("<w:i/>" if self.italic else "") + (
            f'<w:sz w:val="{int(self.size * 2)}"/>' if self.size else "")
        run = f'<w:r><w:rPr>{rpr}</w:rPr><w:t xml:space="preserve">{escape(self.text)}</w:t></w:r>'
        return f"<w:p>{ppr}{run if self.text else ''}</w:p>"


DEFAULT_SLOTS: dict[str, P | None] = {
    "parent": P("UBND TỈNH SÓC TRĂNG", 13),
    "issuer": P("SỞ KHOA HỌC VÀ CÔNG NGHỆ", 13, bold=True),
    "quoc_hieu": P("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, bold=True),
    "tieu_ngu": P("Độc lập - Tự do - Hạnh phúc", 14, bold=True),
    "number": P("Số: {{ number_symbol }}", 13),
    "date": P("{{ date_line }}", 14, italic=True),
    "title": P("{{ type_name }}", 14, bold=True, jc="center"),
    "summary": P("{{ summary }}", 14, bold=True, jc="center"),
    "body": P("Nội dung văn bản: {{ summary }}.", 14),
    "body2": P("Đoạn thứ hai của nội dung.", 14),
    "recipients_label": P("Nơi nhận:", 12, bold=True, italic=True),
    "recipient": P("- Lưu: {{ archive }}.", 11),
    "position": P("{{ signer.position|upper }}", 14, bold=True),
    "signer": P("{{ signer.full_name }}", 14, bold=True),
}

PAGE_HEADER = ('<w:p><w:pPr><w:jc w:val="center"/></w:pPr>'
               '<w:r><w:rPr><w:sz w:val="28"/></w:rPr><w:fldChar w:fldCharType="begin"/></w:r>'
               '<w:r><w:rPr><w:sz w:val="28"/></w:rPr><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
               '<w:r><w:rPr><w:sz w:val="28"/></w:rPr><w:fldChar w:fldCharType="end"/></w:r></w:p>')
PAGE_SIZE = '<w:pgSz w:w="11906" w:h="16838"/>'
MARGINS = '<w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701" w:header="567" w:footer="567" w:gutter="0"/>'
EXTRA_STYLES = (
    '<w:style w:type="paragraph" w:styleId="SmallBase"><w:name w:val="Small Base"/>'
    '<w:basedOn w:val="Normal"/><w:rPr><w:sz w:val="24"/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Small"><w:name w:val="Small"/>'
    '<w:basedOn w:val="SmallBase"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="ArialText"><w:name w:val="Arial Text"/>'
    '<w:basedOn w:val="Normal"/><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial"/></w:rPr></w:style>'
)


def cell(*paragraphs: P | None) -> str:
    inner = "".join(p.xml() for p in paragraphs if p is not None) or "<w:p/>"
    return f'<w:tc><w:tcPr><w:tcW w:w="4500" w:type="dxa"/></w:tcPr>{inner}</w:tc>'


def table(*rows: list[str]) -> str:
    return "<w:tbl><w:tblPr/>" + "".join(f"<w:tr>{''.join(r)}</w:tr>" for r in rows) + "</w:tbl>"


def make_docx(*, slots: dict[str, P | None] | None = None, body_extra: str = "",
              page_size: str = PAGE_SIZE, margins: str = MARGINS, title_pg: bool = True,
              default_header: str = PAGE_HEADER, first_header: str = "<w:p/>",
              document_prefix: str = "", extra_members: dict[str, bytes] | None = None) -> bytes:
    """The fixture .docx; ``slots`` replaces parts (None removes one)."""
    s = {**DEFAULT_SLOTS, **(slots or {})}
    body = (
        table([cell(s["parent"], s["issuer"]), cell(s["quoc_hieu"], s["tieu_ngu"])],
              [cell(s["number"]), cell(s["date"])])
        + "".join(s[k].xml() for k in ("title", "summary", "body", "body2") if s[k] is not None)
        + body_extra
        + table([cell(s["recipients_label"], s["recipient"]), cell(s["position"], s["signer"])])
    )
    section = (f'<w:sectPr><w:headerReference w:type="first" r:id="rId2"/>'
               f'<w:headerReference w:type="default" r:id="rId3"/>{page_size}{margins}'
               f'{"<w:titlePg/>" if title_pg else ""}</w:sectPr>')
    document = (f'{document_prefix}<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                if not document_prefix.startswith("<?xml") else document_prefix)
    document += (f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>{body}{section}'
                 "</w:body></w:document>")
    return package({"word/document.xml": document.encode(),
                    "word/header1.xml": _header(first_header), "word/header2.xml": _header(default_header)},
                   extra_members)


def _header(inner: str) -> bytes:
    return f'<w:hdr xmlns:w="{W_NS}" xmlns:r="{R_NS}">{inner}</w:hdr>'.encode()


def package(parts: dict[str, bytes], extra: dict[str, bytes] | None = None) -> bytes:
    content_types = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/word/document.xml" ContentType="{WML}.document.main+xml"/>'
        f'<Override PartName="/word/styles.xml" ContentType="{WML}.styles+xml"/>'
        f'<Override PartName="/word/header1.xml" ContentType="{WML}.header+xml"/>'
        f'<Override PartName="/word/header2.xml" ContentType="{WML}.header+xml"/>'
        '</Types>')
    rels = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{R_NS}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId2" Type="{R_NS}/header" Target="header1.xml"/>'
            f'<Relationship Id="rId3" Type="{R_NS}/header" Target="header2.xml"/>'
            f'<Relationship Id="rId4" Type="{R_NS}/theme" Target="theme/theme1.xml"/>'
            '</Relationships>')
    members: dict[str, bytes] = {
        "[Content_Types].xml": content_types.encode(),
        "_rels/.rels": ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                        f'<Relationship Id="rId1" Type="{R_NS}/officeDocument" Target="word/document.xml"/>'
                        '</Relationships>').encode(),
        "word/_rels/document.xml.rels": rels.encode(),
        "word/styles.xml": styles().encode(),
        "word/theme/theme1.xml": (f'<a:theme xmlns:a="{A_NS}"><a:themeElements><a:fontScheme>'
                                  '<a:majorFont><a:latin typeface="Cambria"/></a:majorFont>'
                                  '<a:minorFont><a:latin typeface="Calibri"/></a:minorFont>'
                                  '</a:fontScheme></a:themeElements></a:theme>').encode(),
        **parts,
        **(extra or {}),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def styles(default_fonts: str = 'w:ascii="Times New Roman" w:hAnsi="Times New Roman"') -> str:
    return (f'<w:styles xmlns:w="{W_NS}"><w:docDefaults><w:rPrDefault><w:rPr>'
            f'<w:rFonts {default_fonts}/><w:sz w:val="28"/></w:rPr></w:rPrDefault></w:docDefaults>'
            '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
            f'</w:style>{EXTRA_STYLES}</w:styles>')


def slot(name: str, **changes: Any) -> dict[str, P | None]:
    """``{name: the default paragraph with changes}``, for ``make_docx(slots=…)``."""
    base = DEFAULT_SLOTS[name]
    assert base is not None
    return {name: replace(base, **changes)}


def damaged(docx: bytes, method: int, member: str = "word/document.xml") -> bytes:
    """``docx`` with every member compressed by ``method`` (zipfile.ZIP_BZIP2, ZIP_LZMA…) and
    the middle of ``member``'s compressed bytes flipped: the directory reads, the member
    does not."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, zipfile.ZipFile(out, "w", method) as copy:
        for info in source.infolist():
            copy.writestr(info.filename, source.read(info))
    data = bytearray(out.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo(member)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    middle = start + info.compress_size // 2
    for index in range(middle, min(middle + 40, start + info.compress_size)):
        data[index] ^= 0x5A
    return bytes(data)
