"""Zip archives from outside, checked before anything parses them.

An .xlsx (and, later, a template pack) is a zip. A 2 MB upload whose
``xl/sharedStrings.xml`` expands to 1 GB cost 14 s and 1.4 GB inside a request
before openpyxl gave up. :func:`check_zip` reads only the central directory
(no member is decompressed) and refuses an archive whose members declare more
than the limits allow — in all, one by one, or by compression ratio. Declared
sizes cannot be exceeded afterwards: Python's zipfile stops reading a member at
its declared size (and a CRC mismatch is an error), so the check binds.

No Flask here: the batch readers and the template store call it alike.
"""

from __future__ import annotations

import lzma
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from docgen.errors import UnreadableInputError

__all__ = ["MEMBER_READ_ERRORS", "ZipBombError", "ZipLimits", "check_zip"]

#: What reading one member of an untrusted archive can raise: a CRC or size that does not
#: match (BadZipFile), damaged deflate / bzip2 / LZMA data (zlib.error, OSError,
#: LZMAError), an unknown compression (NotImplementedError), a truncated stream (EOFError),
#: an encrypted member (RuntimeError), a bad compression header (ValueError). The .docx
#: guard before LibreOffice and ``docgen check`` both refuse a file on any of them.
MEMBER_READ_ERRORS: tuple[type[Exception], ...] = (
    zipfile.BadZipFile, zlib.error, lzma.LZMAError, OSError, NotImplementedError, EOFError,
    RuntimeError, ValueError)


@dataclass(frozen=True)
class ZipLimits:
    """What an uploaded archive may expand to."""

    #: Sum of the uncompressed sizes of all members.
    total_bytes: int = 200 * 1024 * 1024
    #: Uncompressed size of any one member.
    member_bytes: int = 100 * 1024 * 1024
    #: Uncompressed over compressed size of a member bigger than ``ratio_floor``.
    ratio: float = 100.0
    #: Members smaller than this are not judged by ratio (a 10 KB XML part may be 1:200).
    ratio_floor: int = 1024 * 1024
    #: Number of members.
    members: int = 10_000


class ZipBombError(UnreadableInputError):
    """An archive that would expand past the limits: refused before parsing."""

    code = "archive_too_large"
    title = "Tệp nén giải nén ra quá lớn"
    status = 413

    def __init__(self, message: str, *, member: str | None = None) -> None:
        self.member = member
        super().__init__(message)


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f} MiB".replace(",", ".")


def check_zip(source: Path | str | IO[bytes], *, name: str | None = None,
              limits: ZipLimits | None = None) -> list[zipfile.ZipInfo]:
    """The members of the archive at ``source``, or :class:`ZipBombError`.

    ``name`` is the file as the user knows it, for the message. A file that is
    not a zip at all is an :class:`UnreadableInputError`.
    """
    limits = limits or ZipLimits()
    shown = name or (Path(source).name if isinstance(source, Path | str) else "tệp nén")
    try:
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableInputError(f"Tệp '{shown}' không phải tệp nén (zip) đọc được.") from exc
    if len(members) > limits.members:
        raise ZipBombError(f"Tệp '{shown}' có {len(members)} thành phần, vượt giới hạn "
                           f"{limits.members}.")
    total = 0
    for member in members:
        size = member.file_size
        total += size
        if size > limits.member_bytes:
            raise ZipBombError(
                f"Thành phần '{member.filename}' của tệp '{shown}' giải nén ra {_mib(size)}, "
                f"vượt giới hạn {_mib(limits.member_bytes)}.", member=member.filename)
        packed = max(member.compress_size, 1)
        if size > limits.ratio_floor and size / packed > limits.ratio:
            raise ZipBombError(
                f"Thành phần '{member.filename}' của tệp '{shown}' nén với tỉ lệ "
                f"{size / packed:,.0f}:1 (giới hạn {limits.ratio:,.0f}:1) — có thể là tệp "
                "nén độc hại (zip bomb).".replace(",", "."), member=member.filename)
    if total > limits.total_bytes:
        raise ZipBombError(f"Tệp '{shown}' giải nén ra {_mib(total)}, vượt giới hạn "
                           f"{_mib(limits.total_bytes)}.")
    return members
