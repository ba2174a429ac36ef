"""Writing a .docx zip whose unchanged members are copied byte for byte.

``zipfile`` can only write a member by compressing it again. A template's
styles, theme, fonts and images never change between renders, so recompressing
them on every render (as docxtpl does, through python-docx) wastes most of a
small render's time. Here each unchanged member is lifted out of the template
once, as its compressed bytes plus the central-directory fields, and a render
only deflates the parts Jinja produced, then lays everything out in the
template's own member order ([Content_Types].xml stays first).

Only what a .docx needs is supported: stored or deflated members, no
encryption, no ZIP64 (a template or a rendered document over 4 GiB is refused).
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["ZipMember", "copy_member", "deflate_member", "write_zip"]

# Layouts from the ZIP application note (APPNOTE.TXT, sections 4.3.7, 4.3.12, 4.3.16).
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_CENTRAL_HEADER = struct.Struct("<4s4B4HL2L5H2L")
_END_OF_CENTRAL_DIR = struct.Struct("<4s4H2LH")
_LOCAL_SIGNATURE = b"PK\x03\x04"
_CENTRAL_SIGNATURE = b"PK\x01\x02"
_END_SIGNATURE = b"PK\x05\x06"

_FLAG_ENCRYPTED = 0x01
_FLAG_UTF8_NAME = 0x800
_MAX_32 = 0xFFFFFFFF
_MAX_16 = 0xFFFF


@dataclass(frozen=True, slots=True)
class ZipMember:
    """One member ready to be laid out: its compressed bytes and directory fields."""

    name: str
    method: int
    date_time: tuple[int, int, int, int, int, int]
    crc: int
    size: int
    data: bytes
    create_system: int = 0
    external_attr: int = 0


def copy_member(archive: bytes, info: zipfile.ZipInfo) -> ZipMember:
    """Lift ``info``'s member out of ``archive`` without decompressing it.

    The compressed bytes are read from behind the member's local header; CRC and
    sizes come from the central directory, so a data descriptor in the source
    (general-purpose flag bit 3) needs no special handling.
    """
    if info.flag_bits & _FLAG_ENCRYPTED:
        raise ValueError(f"{info.filename}: encrypted zip members are not supported")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise ValueError(f"{info.filename}: compression method {info.compress_type}")
    header = _LOCAL_HEADER.unpack_from(archive, info.header_offset)
    if header[0] != _LOCAL_SIGNATURE:
        raise ValueError(f"{info.filename}: no local header at offset {info.header_offset}")
    name_length, extra_length = header[-2], header[-1]
    start = info.header_offset + _LOCAL_HEADER.size + name_length + extra_length
    data = archive[start : start + info.compress_size]
    if len(data) != info.compress_size:
        raise ValueError(f"{info.filename}: truncated member")
    return ZipMember(
        name=info.filename,
        method=info.compress_type,
        date_time=info.date_time,
        crc=info.CRC,
        size=info.file_size,
        data=data,
        create_system=info.create_system,
        external_attr=info.external_attr,
    )


def deflate_member(template: ZipMember, content: bytes, compresslevel: int) -> ZipMember:
    """A member named and dated like ``template`` holding ``content``, deflated.

    Keeping the template member's timestamp makes the output a pure function of
    the template and the context: the same data gives the same bytes.
    """
    compressor = zlib.compressobj(compresslevel, zlib.DEFLATED, -zlib.MAX_WBITS)
    data = compressor.compress(content) + compressor.flush()
    return ZipMember(
        name=template.name,
        method=zipfile.ZIP_DEFLATED,
        date_time=template.date_time,
        crc=zlib.crc32(content),
        size=len(content),
        data=data,
        create_system=template.create_system,
        external_attr=template.external_attr,
    )


def write_zip(members: Iterable[ZipMember]) -> bytes:
    """A complete zip archive holding ``members`` in the order given."""
    chunks: list[bytes] = []
    directory: list[bytes] = []
    offset = 0
    for member in members:
        name, flags = _encode_name(member.name)
        if max(offset, member.size, len(member.data)) > _MAX_32:
            raise ValueError("zip members over 4 GiB are not supported")
        version = 20 if member.method == zipfile.ZIP_DEFLATED else 10
        shared = _shared_header_fields(member, len(name), flags)
        chunks += (_LOCAL_HEADER.pack(_LOCAL_SIGNATURE, version, 0, *shared), name, member.data)
        # Comment length, disk number, internal and external attributes, header offset.
        tail = (0, 0, 0, member.external_attr, offset)
        central = _CENTRAL_HEADER.pack(
            _CENTRAL_SIGNATURE, version, member.create_system, version, 0, *shared, *tail
        )
        directory.append(central + name)
        offset += _LOCAL_HEADER.size + len(name) + len(member.data)
    directory_size = sum(len(entry) for entry in directory)
    if len(directory) > _MAX_16 or offset + directory_size > _MAX_32:
        raise ValueError("zip archives over 65,535 members or 4 GiB are not supported")
    end = _END_OF_CENTRAL_DIR.pack(
        _END_SIGNATURE, 0, 0, len(directory), len(directory), directory_size, offset, 0
    )
    return b"".join([*chunks, *directory, end])


def _shared_header_fields(member: ZipMember, name_length: int, flags: int) -> tuple[int, ...]:
    """The run of fields local and central headers both carry, in their order.

    Flags, method, time, date, CRC, compressed and uncompressed size, name
    length and extra-field length (always 0: no extra fields are written).
    """
    dos_time, dos_date = _dos_time_date(member.date_time)
    return (
        flags, member.method, dos_time, dos_date, member.crc,
        len(member.data), member.size, name_length, 0,
    )  # fmt: skip


def _encode_name(name: str) -> tuple[bytes, int]:
    """The name's bytes and the flag bits that say how they are encoded."""
    try:
        return name.encode("ascii"), 0
    except UnicodeEncodeError:
        return name.encode("utf-8"), _FLAG_UTF8_NAME


def _dos_time_date(date_time: tuple[int, int, int, int, int, int]) -> tuple[int, int]:
    """MS-DOS time and date words, as zip headers store timestamps."""
    year, month, day, hour, minute, second = date_time
    if year < 1980:  # the format's epoch; zipfile clamps the same way
        year, month, day, hour, minute, second = 1980, 1, 1, 0, 0, 0
    return (hour << 11) | (minute << 5) | (second // 2), ((year - 1980) << 9) | (month << 5) | day
