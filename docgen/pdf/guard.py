"""Is this upload a .docx LibreOffice may be handed? Checked from the zip, before converting.

A .docx is a zip archive, and a zip can be a bomb: a few kilobytes that unpack to
gigabytes (one member with a huge ratio, or thousands of members), sizes in the
headers that lie, encrypted members. LibreOffice would unpack it in the pool's
instance, and a bomb would stall or kill it for every other request. So before
:meth:`ConverterPool.convert`, :func:`check_docx` reads the central directory and
then inflates every member, counting, and stops at the first limit passed:

- at most ``MAX_MEMBERS`` parts; none encrypted; no absolute or ``..`` names;
- ``[Content_Types].xml`` and ``word/document.xml`` present (else: not a Word file);
- each member, once past ``RATIO_FLOOR`` bytes unpacked, no more than ``MAX_RATIO``
  times its packed size (Word's XML packs 5-20 times; images do not pack);
- all members together at most ``MAX_UNPACKED`` bytes, counted while inflating (the
  declared sizes are not trusted; zipfile also refuses a member longer than declared).

Pure: bytes in, an error or nothing out; no Flask, no LibreOffice.
"""

from __future__ import annotations

import io
import zipfile

from docgen.errors import NotADocxError, UnsafeDocxError
from docgen.safezip import MEMBER_READ_ERRORS

MAX_MEMBERS = 2000
MAX_UNPACKED = 200 * 1024 * 1024
MAX_RATIO = 200
RATIO_FLOOR = 1024 * 1024
REQUIRED = ("[Content_Types].xml", "word/document.xml")
_CHUNK = 1024 * 1024

MSG_NOT_DOCX = ("Tệp gửi lên không phải văn bản Word (.docx): {why}. "
                "Chỉ chuyển được tệp .docx (Word 2007 trở lên).")


def check_docx(data: bytes) -> None:
    """Raise :class:`NotADocxError` or :class:`UnsafeDocxError`, or return: safe to convert."""
    if data[:4] != b"PK\x03\x04":
        raise NotADocxError(MSG_NOT_DOCX.format(why="không phải tệp nén zip"))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise NotADocxError(MSG_NOT_DOCX.format(why="tệp zip bị hỏng")) from exc
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise UnsafeDocxError(f"Tệp .docx có {len(members)} thành phần, vượt giới hạn "
                                  f"{MAX_MEMBERS}.")
        names = {m.filename for m in members}
        missing = [name for name in REQUIRED if name not in names]
        if missing:
            raise NotADocxError(MSG_NOT_DOCX.format(why=f"thiếu {', '.join(missing)}"))
        total = 0
        for member in members:
            _check_name(member)
            total = _inflate(archive, member, total)


def _check_name(member: zipfile.ZipInfo) -> None:
    name = member.filename
    if member.flag_bits & 0x1:
        raise UnsafeDocxError(f"Thành phần '{name[:100]}' bị mã hóa.", member=name)
    if name.startswith(("/", "\\")) or ".." in name.replace("\\", "/").split("/"):
        raise UnsafeDocxError(f"Tên thành phần '{name[:100]}' không hợp lệ.", member=name)


def _inflate(archive: zipfile.ZipFile, member: zipfile.ZipInfo, total: int) -> int:
    """Unpack ``member`` chunk by chunk, checking the ratio and the running total."""
    unpacked = 0
    packed = max(1, member.compress_size)
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(_CHUNK):
                unpacked += len(chunk)
                total += len(chunk)
                if unpacked > RATIO_FLOOR and unpacked / packed > MAX_RATIO:
                    raise UnsafeDocxError(
                        f"Thành phần '{member.filename[:100]}' giải nén lớn gấp hơn {MAX_RATIO} "
                        "lần kích thước nén (nghi là zip bomb).", member=member.filename)
                if total > MAX_UNPACKED:
                    raise UnsafeDocxError(
                        f"Tệp .docx giải nén vượt {MAX_UNPACKED // (1024 * 1024)} MiB.",
                        member=member.filename)
    except MEMBER_READ_ERRORS as exc:
        raise UnsafeDocxError(f"Không đọc được thành phần '{member.filename[:100]}' của tệp "
                              ".docx.", member=member.filename) from exc
    return total


__all__ = ["MAX_MEMBERS", "MAX_RATIO", "MAX_UNPACKED", "check_docx"]
