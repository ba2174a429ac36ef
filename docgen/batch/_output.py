"""Where a batch's documents go: a ZIP written as they come, or a folder; the error
report; the optional merged document.

The ZIP is written entry by entry to its file (or to a pipe: ``zipfile`` writes
data descriptors when it cannot seek), so only one document is ever in memory.
Documents are stored, not deflated again: a .docx is already a deflated zip. A
ZIP on disk is written as ``<name>.part`` and renamed when complete, so a
cancelled or failed batch never leaves a file that looks finished.

The merged document (:mod:`docgen.batch._merge`) streams its bodies to a
temporary file as they come, so it keeps memory flat as well.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import IO, Protocol

from docgen.batch._merge import MergedDocument
from docgen.cells import csv_row
from docgen.errors import FieldError

ERRORS_NAME = "errors.csv"
SUMMARY_NAME = "summary.txt"
#: Columns of errors.csv, Vietnamese for the clerk who opens it in Excel.
ERROR_COLUMNS = ("Dòng", "Cột", "Tên cột", "Trường", "Lỗi", "Mã lỗi")


class Sink(Protocol):
    """Receives the documents of one batch, in order."""

    def add(self, name: str, content: bytes) -> None: ...

    def add_file(self, name: str, path: Path) -> None: ...

    def close(self) -> None: ...

    def abort(self) -> None: ...


class ZipSink:
    """A ZIP archive written entry by entry to ``target`` (a path or a binary stream)."""

    def __init__(self, target: Path | str | IO[bytes]) -> None:
        self._final: Path | None = None
        self._part: Path | None = None
        if isinstance(target, str | Path):
            self._final = Path(target)
            self._part = self._final.with_name(self._final.name + ".part")
            self._zip = zipfile.ZipFile(self._part, "w", zipfile.ZIP_STORED)
        else:
            self._zip = zipfile.ZipFile(target, "w", zipfile.ZIP_STORED)  # type: ignore[arg-type]

    def add(self, name: str, content: bytes) -> None:
        compress = zipfile.ZIP_STORED if name.endswith((".docx", ".pdf")) else zipfile.ZIP_DEFLATED
        self._zip.writestr(name, content, compress_type=compress)

    def add_file(self, name: str, path: Path) -> None:
        compress = zipfile.ZIP_STORED if name.endswith((".docx", ".pdf")) else zipfile.ZIP_DEFLATED
        self._zip.write(path, name, compress_type=compress)

    def close(self) -> None:
        self._zip.close()
        if self._part is not None and self._final is not None:
            os.replace(self._part, self._final)

    def abort(self) -> None:
        try:
            self._zip.close()
        finally:
            if self._part is not None:
                self._part.unlink(missing_ok=True)


class DirectorySink:
    """Documents written as files into a folder (created if needed)."""

    def __init__(self, directory: Path | str) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.written: list[Path] = []

    def add(self, name: str, content: bytes) -> None:
        target = self.directory / name
        target.write_bytes(content)
        self.written.append(target)

    def add_file(self, name: str, path: Path) -> None:
        shutil.copyfile(path, self.directory / name)
        self.written.append(self.directory / name)

    def close(self) -> None:
        pass

    def abort(self) -> None:
        pass


class ErrorReport:
    """errors.csv as rows fail: UTF-8 with BOM, so Excel shows Vietnamese right.

    Kept in a temporary file (spilling to disk past 1 MiB), added to the output
    at the end, and optionally mirrored to ``mirror`` as it grows (the job's
    "error report" link works while the batch runs).
    """

    def __init__(self, mirror: Path | None = None) -> None:
        self._file = tempfile.SpooledTemporaryFile(  # noqa: SIM115 - closed in close()
            max_size=1024 * 1024, mode="w+b")
        self._text = io.TextIOWrapper(self._file, encoding="utf-8-sig", newline="")
        self._writer = csv.writer(self._text)
        self._writer.writerow(ERROR_COLUMNS)
        self._mirror = mirror.open("w", encoding="utf-8-sig", newline="") if mirror else None
        self._mirror_writer = csv.writer(self._mirror) if self._mirror else None
        if self._mirror_writer:
            self._mirror_writer.writerow(ERROR_COLUMNS)
        self.count = 0

    def add(self, row: int, column: str, header: str, error: FieldError) -> None:
        # Headers, paths and messages quote what the sheet held: never a live formula.
        line = csv_row((row, column, header, error.path, error.message, error.code))
        self._writer.writerow(line)
        if self._mirror_writer is not None:
            self._mirror_writer.writerow(line)
        self.count += 1

    def flush(self) -> None:
        if self._mirror is not None:
            self._mirror.flush()

    def content(self) -> bytes:
        self._text.flush()
        self._file.seek(0)
        return self._file.read()

    def close(self) -> None:
        if self._mirror is not None:
            self._mirror.close()
        self._text.close()


#: The merged document: every document of the batch as a section of one .docx
#: (docgen.batch._merge; memory stays flat there too).
Merger = MergedDocument


__all__ = [
    "ERRORS_NAME",
    "ERROR_COLUMNS",
    "SUMMARY_NAME",
    "DirectorySink",
    "ErrorReport",
    "Merger",
    "Sink",
    "ZipSink",
]
