"""Reading an untrusted .docx safely: size, zip bomb, DTD and entities, before any parse.

A template may come from an upload, so nothing here trusts the archive: the file's
size, the number of members, each member's declared size and compression ratio are
checked first, each member is read with a bound (a declared size can lie), and an XML
part holding a DTD or an entity declaration is refused before lxml sees it. Each
refusal is one :class:`UnusableTemplate` carrying its finding.

This is the package's own check so that it can be swapped for ``docgen/safezip.py``
(issue 14's packs) when that exists, without touching the rules.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field

from lxml import etree

from docgen.engine import parse_part
from docgen.safezip import MEMBER_READ_ERRORS

from ._findings import ERROR, Finding

__all__ = [
    "DEFAULT_LIMITS",
    "Limits",
    "Package",
    "UnusableTemplate",
    "read_package",
]

CONTENT_TYPES = "[Content_Types].xml"
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, or a password-protected .docx
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Bounds on what a template may be. A real Decree 30 template is tens of KiB."""

    max_bytes: int = 20 * _MIB
    max_members: int = 1000
    max_member_bytes: int = 50 * _MIB
    max_total_bytes: int = 200 * _MIB
    #: A member above this size must not compress better than ``max_ratio``.
    ratio_floor_bytes: int = _MIB
    max_ratio: int = 200


DEFAULT_LIMITS = Limits()


class UnusableTemplate(Exception):
    """The file cannot be checked at all; ``finding`` says why (severity error)."""

    def __init__(self, finding: Finding) -> None:
        self.finding = finding
        super().__init__(finding.message)


def _refuse(code: str, message: str, location: str = "") -> UnusableTemplate:
    return UnusableTemplate(Finding(code, ERROR, message, location))


@dataclass
class Package:
    """The members of a .docx (bytes, read within the limits) and their parsed XML."""

    data: bytes
    members: dict[str, bytes]
    sha256: str
    _parsed: dict[str, etree._Element] = field(default_factory=dict, repr=False)

    def has(self, name: str) -> bool:
        return name in self.members

    def xml(self, name: str) -> etree._Element:
        """The root of XML member ``name``, parsed once; refuses DTDs and entities."""
        root = self._parsed.get(name)
        if root is None:
            root = self._parsed[name] = parse_safely(self.members[name], name)
        return root


def parse_safely(xml: bytes, name: str) -> etree._Element:
    """Parse one XML member with the engine's parser, after refusing a DTD or entity."""
    location = f"phần {name} trong tệp"
    if _DTD.search(xml):
        raise _refuse("xml_dtd", "Tệp có khai báo DTD hoặc thực thể (<!DOCTYPE>, <!ENTITY>); "
                      "Word không tạo ra những khai báo này — tệp bị từ chối.", location)
    try:
        root = parse_part(xml)
    except etree.XMLSyntaxError as exc:
        raise _refuse("xml_malformed", f"Phần XML hỏng, không đọc được: {exc.msg}.",
                      location) from exc
    if root.getroottree().docinfo.doctype:  # a DTD in an encoding the scan cannot read
        raise _refuse("xml_dtd", "Tệp có khai báo DTD (<!DOCTYPE>); tệp bị từ chối.", location)
    return root


def read_package(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Package:
    """The package of ``data``, or :class:`UnusableTemplate` naming the first reason not."""
    if len(data) > limits.max_bytes:
        raise _refuse("too_large", f"Tệp {_mib(len(data))} vượt giới hạn {_mib(limits.max_bytes)}.")
    if data.startswith(_OLE_SIGNATURE):
        raise _refuse("not_docx", "Đây là tệp .doc cũ hoặc .docx có mật khẩu; hãy lưu lại "
                      "thành .docx (Word 2007 trở lên) không đặt mật khẩu.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise _refuse("not_docx", "Tệp không phải .docx (không phải tệp zip đọc được).") from exc
    _check_directory(infos, limits)
    members = {info.filename: _read_member(archive, info, limits) for info in infos
               if not info.is_dir()}
    if CONTENT_TYPES not in members or "word/document.xml" not in members and not any(
        name.startswith("word/") and name.endswith(".xml") for name in members
    ):
        raise _refuse("not_docx", "Tệp zip này không phải .docx: thiếu [Content_Types].xml "
                      "hoặc phần văn bản chính (word/document.xml).")
    return Package(data=data, members=members, sha256=hashlib.sha256(data).hexdigest())


def _check_directory(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Refuse by the central directory alone: too many members, declared sizes, ratios."""
    if len(infos) > limits.max_members:
        raise _refuse("zip_bomb", f"Tệp có {len(infos)} thành phần (giới hạn "
                      f"{limits.max_members}).")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise _refuse("not_docx", "Tệp .docx có thành phần được mã hoá; không kiểm tra được.",
                          f"phần {info.filename} trong tệp")
        total += info.file_size
        if info.file_size > limits.max_member_bytes or total > limits.max_total_bytes:
            raise _refuse("zip_bomb", f"Giải nén ra quá lớn ({_mib(max(total, info.file_size))}).",
                          f"phần {info.filename} trong tệp")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_floor_bytes and ratio > limits.max_ratio:
            raise _refuse("zip_bomb", f"Tỉ lệ nén {ratio:.0f}:1 bất thường (giới hạn "
                          f"{limits.max_ratio}:1).", f"phần {info.filename} trong tệp")


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> bytes:
    """The member's bytes, reading at most its declared size (plus one byte to catch a lie)."""
    location = f"phần {info.filename} trong tệp"
    try:
        with archive.open(info) as stream:
            content = stream.read(min(info.file_size, limits.max_member_bytes) + 1)
    except MEMBER_READ_ERRORS as exc:
        raise _refuse("not_docx", f"Không giải nén được một phần của tệp: {exc}.",
                      location) from exc
    if len(content) > info.file_size:
        raise _refuse("zip_bomb", "Kích thước giải nén thật lớn hơn kích thước khai báo.",
                      location)
    return content


def _mib(size: int) -> str:
    return f"{size / _MIB:.1f} MiB"
