"""Zip members copied byte for byte, rendered ones deflated (docgen.engine._zip)."""

from __future__ import annotations

import io
import zipfile

import pytest

from docgen.engine._zip import ZipMember, copy_member, deflate_member, write_zip


def make_archive(members: dict[str, tuple[bytes, int]]) -> bytes:
    """A zip written by zipfile: name -> (content, compression method)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, (content, method) in members.items():
            archive.writestr(name, content, compress_type=method, compresslevel=9)
    return buffer.getvalue()


def raw_data(archive: bytes, info: zipfile.ZipInfo) -> bytes:
    """The compressed bytes of a member, read independently of the code under test."""
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        zf.fp.seek(info.header_offset + 26)  # type: ignore[union-attr]
        name_length = int.from_bytes(zf.fp.read(2), "little")  # type: ignore[union-attr]
        extra_length = int.from_bytes(zf.fp.read(2), "little")  # type: ignore[union-attr]
        zf.fp.seek(name_length + extra_length, 1)  # type: ignore[union-attr]
        return zf.fp.read(info.compress_size)  # type: ignore[union-attr]


SOURCE = make_archive(
    {
        "[Content_Types].xml": (b"<Types/>" * 50, zipfile.ZIP_DEFLATED),
        "word/media/image1.png": (bytes(range(256)) * 4, zipfile.ZIP_STORED),
        "word/tài liệu.xml": ("<w:document>Việt</w:document>".encode(), zipfile.ZIP_DEFLATED),
    }
)


def test_copied_members_keep_their_compressed_bytes() -> None:
    infos = zipfile.ZipFile(io.BytesIO(SOURCE)).infolist()
    output = write_zip(copy_member(SOURCE, info) for info in infos)
    with zipfile.ZipFile(io.BytesIO(output)) as result:
        assert result.testzip() is None
        assert [i.filename for i in result.infolist()] == [i.filename for i in infos]
        for before, after in zip(infos, result.infolist(), strict=True):
            assert (after.compress_type, after.CRC, after.compress_size, after.date_time) == (
                before.compress_type,
                before.CRC,
                before.compress_size,
                before.date_time,
            )
            assert raw_data(output, after) == raw_data(SOURCE, before)


def test_deflated_member_reads_back_with_the_template_members_name_and_date() -> None:
    info = zipfile.ZipFile(io.BytesIO(SOURCE)).getinfo("word/tài liệu.xml")
    template = copy_member(SOURCE, info)
    content = "<w:document>Đã điền</w:document>".encode() * 100
    member = deflate_member(template, content, compresslevel=1)
    output = write_zip([member])
    with zipfile.ZipFile(io.BytesIO(output)) as result:
        assert result.testzip() is None
        (read_back,) = result.infolist()
        assert read_back.filename == "word/tài liệu.xml"
        assert read_back.date_time == info.date_time
        assert read_back.compress_type == zipfile.ZIP_DEFLATED
        assert result.read(read_back) == content
        assert read_back.compress_size < len(content)


def test_empty_archive_is_valid() -> None:
    with zipfile.ZipFile(io.BytesIO(write_zip([]))) as result:
        assert result.infolist() == []


def test_dates_before_the_zip_epoch_are_clamped() -> None:
    member = ZipMember("a.xml", zipfile.ZIP_STORED, (1970, 6, 1, 0, 0, 0), 0, 0, b"")
    with zipfile.ZipFile(io.BytesIO(write_zip([member]))) as result:
        assert result.getinfo("a.xml").date_time == (1980, 1, 1, 0, 0, 0)


def test_encrypted_members_are_refused() -> None:
    info = zipfile.ZipFile(io.BytesIO(SOURCE)).infolist()[0]
    info.flag_bits |= 0x1
    with pytest.raises(ValueError, match="encrypted"):
        copy_member(SOURCE, info)


def test_a_member_whose_header_is_missing_is_refused() -> None:
    info = zipfile.ZipFile(io.BytesIO(SOURCE)).infolist()[1]
    info.header_offset += 1
    with pytest.raises(ValueError, match="local header"):
        copy_member(SOURCE, info)
