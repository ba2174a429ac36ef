"""Reading a spreadsheet as rows: CSV in the encodings Vietnamese offices save, or XLSX.

CSV: UTF-8 (with or without BOM, as Excel's "CSV UTF-8" saves it), UTF-16
(Excel's "Unicode Text", tab-separated) and Windows-1258 (``cp1258``: Excel's
plain "CSV" on a Vietnamese Windows), with ``,``, ``;`` or tab between cells.
The encoding is read from the BOM, else the file is tried as UTF-8 and, if it
is not, read as cp1258; the caller may name it instead. The delimiter is the one
whose header row names the most fields.

XLSX: openpyxl in read-only mode, so rows stream from the zip and memory stays
flat. Dates come as dates, numbers as numbers. Before openpyxl sees the file,
its zip members are checked (:mod:`docgen.safezip`: sizes and ratios, so a
sharedStrings bomb is refused unread). The sheet's declared dimension
(``A1:XFD1048576`` in a 7 KB file) is ignored: rows are those present, cut to
:data:`MAX_COLUMNS` cells, and reading stops past the row limit. The data is the first sheet not
named "chung" (or "defaults", "mặc định"); a sheet of that name holds shared
values, one field per row: column A the header, column B the value.

Row numbers are those Excel shows (the header is row 1); blank rows are
skipped but still counted, so an error points at the row the clerk sees.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import io
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from docgen.batch._fields import fold
from docgen.batch._values import EXCEL_EPOCH_1900, is_blank
from docgen.errors import PayloadTooLargeError, UnreadableInputError
from docgen.safezip import ZipBombError, check_zip

#: Sheet names (folded) that hold shared values rather than rows.
SHARED_SHEET_NAMES = frozenset({"chung", "defaults", "mặc định", "giá trị chung"})
#: Column-A headings of a shared-values sheet, skipped.
SHARED_HEADINGS = frozenset({"trường", "tên trường", "field", "cột", "tiêu đề cột", "tên cột"})

DELIMITERS = (",", ";", "\t")
ENCODING_NAMES = {"utf-8-sig": "UTF-8 (BOM)", "utf-8": "UTF-8", "utf-16": "UTF-16",
                  "utf-16-le": "UTF-16", "utf-16-be": "UTF-16", "cp1258": "Windows-1258"}
_SNIFF_BYTES = 64 * 1024
#: Cells read per row: far more than any type's columns (a sheet may declare 16,384).
MAX_COLUMNS = 1024

Row = tuple[int, list[Any]]
#: How many of these headers name a field (the delimiter that names most wins).
HeaderScore = Callable[[Sequence[str]], int]


@dataclass
class Sheet:
    """One table of rows: its header, where it came from, and how to read it again."""

    kind: Literal["csv", "xlsx"]
    path: Path
    headers: list[Any]
    header_row: int
    #: (header, value) pairs from a sheet named "chung", if the file has one.
    shared_pairs: list[tuple[Any, Any]] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None
    sheet_name: str | None = None
    epoch: dt.datetime = EXCEL_EPOCH_1900
    #: Stop (PayloadTooLargeError) after this many data rows; None: no limit.
    max_rows: int | None = None
    #: The file as the user named it (an upload is stored as input.xlsx).
    display_name: str = ""

    def rows(self) -> Iterator[Row]:
        """(Excel row number, cells) for every non-blank row after the header."""
        source = self._csv_rows() if self.kind == "csv" else self._xlsx_rows()
        seen = 0
        for number, cells in source:
            if number > self.header_row and not all(is_blank(c) for c in cells):
                seen += 1
                if self.max_rows is not None and seen > self.max_rows:
                    raise PayloadTooLargeError(
                        f"'{self.display_name or self.path.name}' có hơn {self.max_rows} dòng dữ liệu, vượt giới hạn "
                        f"{self.max_rows} dòng mỗi lần."
                    )
                # NFC here, not only in the schema: messages quote cells, and
                # Windows-1258 (and macOS) give decomposed tone marks.
                yield number, [_nfc(c) if isinstance(c, str) else c
                               for c in cells[:MAX_COLUMNS]]

    def count(self) -> int:
        """Rows of data, read once through (also proves the whole file decodes)."""
        return sum(1 for _ in self.rows())

    def describe(self) -> str:
        if self.kind == "csv":
            sep = {"\t": "tab", ",": "dấu phẩy", ";": "dấu chấm phẩy"}[self.delimiter or ","]
            return f"CSV, {ENCODING_NAMES.get(self.encoding or '', self.encoding)}, {sep}"
        return f"Excel, trang '{self.sheet_name}'"

    def _csv_rows(self) -> Iterator[Row]:
        assert self.encoding and self.delimiter
        try:
            with self.path.open(encoding=self.encoding, newline="") as handle:
                reader = csv.reader(handle, delimiter=self.delimiter)
                for number, cells in enumerate(reader, start=1):
                    yield number, list(cells)
        except UnicodeDecodeError as exc:
            raise _undecodable(self.path, self.encoding, exc) from exc
        except csv.Error as exc:
            raise UnreadableInputError(f"Tệp CSV '{self.path.name}' hỏng: {exc}.") from exc

    def _xlsx_rows(self) -> Iterator[Row]:
        with _open_workbook(self.path) as workbook:
            for number, cells in _present_rows(workbook[self.sheet_name]):
                yield number, list(cells)


def open_sheet(path: Path | str, *, encoding: str | None = None, delimiter: str | None = None,
               sheet_name: str | None = None, score: HeaderScore | None = None,
               display_name: str | None = None) -> Sheet:
    """Open ``path`` (CSV or XLSX, told by its content) and read its header row.

    Raises :class:`UnreadableInputError` naming the file for an empty,
    undecodable or unsupported file.
    """
    path = Path(path)
    name = display_name or path.name
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except OSError as exc:
        raise UnreadableInputError(f"Không đọc được tệp '{name}': {exc.strerror}.") from exc
    if not head.strip():
        raise UnreadableInputError(f"Tệp '{name}' rỗng.")
    if head.startswith(b"PK\x03\x04"):
        sheet = _open_xlsx(path, name, sheet_name)
        sheet.display_name = name
        return sheet
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableInputError(
            f"Tệp '{name}' là Excel 97-2003 (.xls), không được hỗ trợ; hãy lưu lại dạng .xlsx "
            "hoặc CSV UTF-8."
        )
    sheet = _open_csv(path, name, head, encoding, delimiter, score)
    sheet.display_name = name
    return sheet


def _nfc(text: str) -> str:
    return text if text.isascii() else unicodedata.normalize("NFC", text)


# -- CSV -----------------------------------------------------------------------


def detect_encoding(path: Path, head: bytes) -> str:
    """BOM, then the UTF-16 pattern of NUL bytes, then UTF-8 if the whole file decodes,
    else Windows-1258 (cp1258).

    >>> detect_encoding(Path("x"), codecs.BOM_UTF8 + "Sóc".encode())
    'utf-8-sig'
    """
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head[:512]
    if len(sample) >= 4 and sample.count(0) >= len(sample) // 4:
        return "utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1024 * 1024):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1258"
    return "utf-8"


def _undecodable(path: Path, encoding: str, exc: UnicodeDecodeError) -> UnreadableInputError:
    label = ENCODING_NAMES.get(encoding, encoding)
    return UnreadableInputError(
        f"Tệp '{path.name}' không đọc được bằng bảng mã {label} (byte 0x{exc.object[exc.start]:02X} "
        f"ở vị trí {exc.start}); hãy chỉ rõ bảng mã (--encoding utf-8, cp1258, utf-16) "
        "hoặc lưu lại dạng CSV UTF-8."
    )


def _open_csv(path: Path, name: str, head: bytes, encoding: str | None,
              delimiter: str | None, score: HeaderScore | None) -> Sheet:
    if encoding:
        try:
            info = codecs.lookup(encoding)
        except LookupError:
            info = None
        if info is None or not getattr(info, "_is_text_encoding", True):
            raise UnreadableInputError(
                f"Không có bảng mã '{encoding}'; dùng utf-8, cp1258 hoặc utf-16."
            ) from None
        encoding = info.name
        if encoding == "utf-8" and head.startswith(codecs.BOM_UTF8):
            encoding = "utf-8-sig"
    else:
        encoding = detect_encoding(path, head)
    try:
        # The sample may end inside a character: final only when it is the whole file.
        text = codecs.getincrementaldecoder(encoding)().decode(head, final=len(head) < _SNIFF_BYTES)
    except UnicodeDecodeError as exc:
        raise _undecodable(path, encoding, exc) from exc
    text = text.lstrip("\ufeff")
    if delimiter is not None and delimiter not in DELIMITERS:
        named = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";"}
        if delimiter.lower() not in named:
            raise UnreadableInputError(
                f"Dấu phân cách '{delimiter}' không được hỗ trợ; dùng ',', ';' hoặc tab."
            )
        delimiter = named[delimiter.lower()]
    candidates = [delimiter] if delimiter else list(DELIMITERS)
    best: tuple[tuple[int, int], str, list[str], int] | None = None
    for candidate in candidates:
        found = _first_row(text, candidate)
        if found is None:
            continue
        number, headers = found
        rank = (score(headers) if score else 0, len([h for h in headers if h.strip()]))
        if best is None or rank > best[0]:
            best = (rank, candidate, headers, number)
    if best is None:
        raise UnreadableInputError(f"Tệp '{name}' không có dòng tiêu đề nào.")
    _, chosen, headers, number = best
    return Sheet("csv", path, [_nfc(h) for h in headers], number, encoding=encoding,
                 delimiter=chosen)


def _first_row(text: str, delimiter: str) -> tuple[int, list[str]] | None:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for number, cells in enumerate(reader, start=1):
            if any(c.strip() for c in cells):
                return number, cells
    except csv.Error:
        return None
    return None


# -- XLSX ----------------------------------------------------------------------


@contextlib.contextmanager
def _open_workbook(path: Path, name: str | None = None) -> Iterator[Any]:
    """A read-only workbook, closed (with its file) on exit.

    Opened from a file object, so openpyxl judges the content, not the name
    (an upload is stored as input.csv even when it is an .xlsx).
    """
    from openpyxl import load_workbook

    try:
        check_zip(path, name=name or path.name)  # sizes and ratios, before any member is parsed
    except ZipBombError:
        raise
    except UnreadableInputError as exc:
        raise _not_xlsx(name or path.name) from exc
    handle = path.open("rb")
    try:
        try:
            with warnings.catch_warnings():
                # Excel extensions openpyxl does not model (data validation lists,
                # slicers) warn on load; they do not change the cell values we read.
                warnings.simplefilter("ignore", UserWarning)
                workbook = load_workbook(handle, read_only=True, data_only=True)
        except Exception as exc:  # a damaged workbook fails in many ways inside openpyxl
            raise _not_xlsx(name or path.name) from exc
        try:
            yield workbook
        except UnreadableInputError:
            raise
        except (zipfile.BadZipFile, KeyError, ValueError, TypeError, AttributeError,
                SyntaxError, OSError) as exc:  # found while streaming the rows
            raise _not_xlsx(name or path.name) from exc
        finally:
            workbook.close()
    finally:
        handle.close()


def _not_xlsx(name: str) -> UnreadableInputError:
    return UnreadableInputError(f"Tệp '{name}' không phải tệp Excel .xlsx đọc được (tệp hỏng?).")


def _open_xlsx(path: Path, name: str, sheet_name: str | None) -> Sheet:
    with _open_workbook(path, name) as workbook:
        titles = list(workbook.sheetnames)
        shared_title = next((t for t in titles if fold(t) in SHARED_SHEET_NAMES), None)
        if sheet_name is not None:
            if sheet_name not in titles:
                raise UnreadableInputError(
                    f"Tệp '{name}' không có trang '{sheet_name}'; các trang có: "
                    f"{', '.join(titles)}."
                )
            data_title = sheet_name
        else:
            found = next((t for t in titles if t != shared_title), None)
            if found is None:
                raise UnreadableInputError(f"Tệp '{name}' không có trang dữ liệu.")
            data_title = found
        epoch = getattr(workbook, "epoch", EXCEL_EPOCH_1900)
        headers: list[Any] | None = None
        header_row = 0
        for number, cells in _present_rows(workbook[data_title]):
            if not all(is_blank(c) for c in cells):
                headers, header_row = list(cells), number
                break
        if headers is None:
            raise UnreadableInputError(f"Trang '{data_title}' của tệp '{name}' rỗng.")
        shared: list[tuple[Any, Any]] = []
        if shared_title is not None and shared_title != data_title:
            shared = _shared_pairs(workbook[shared_title])
    headers = headers[:MAX_COLUMNS]
    while headers and is_blank(headers[-1]):
        headers.pop()
    return Sheet("xlsx", path, headers, header_row, shared_pairs=shared, sheet_name=data_title,
                 epoch=epoch)


def _present_rows(worksheet: Any) -> Iterator[tuple[int, Sequence[Any]]]:
    """(row number, values) of the rows a read-only sheet really has.

    openpyxl's ``iter_rows`` pads every row, and every missing row, to the
    declared width and height: ``A1:XFD1048576`` made a million rows of 16,384
    cells out of a 7 KB file, for minutes. Here the sheet's XML is parsed as
    openpyxl's read-only sheet does it (its ``WorkSheetParser``), but only rows
    present are yielded, each as wide as its last cell up to :data:`MAX_COLUMNS`.
    """
    from openpyxl.worksheet._reader import WorkSheetParser

    workbook = worksheet.parent
    with worksheet._get_source() as source:
        parser = WorkSheetParser(source, worksheet._shared_strings, data_only=workbook.data_only,
                                 epoch=workbook.epoch, date_formats=workbook._date_formats,
                                 timedelta_formats=workbook._timedelta_formats)
        for number, cells in parser.parse():
            present = [c for c in cells if c["column"] <= MAX_COLUMNS]
            if not present:
                continue
            values: list[Any] = [None] * max(c["column"] for c in present)
            for cell in present:
                values[cell["column"] - 1] = cell["value"]
            yield number, values


def _shared_pairs(worksheet: Any) -> list[tuple[Any, Any]]:
    pairs: list[tuple[Any, Any]] = []
    for _, row in _present_rows(worksheet):
        cells = row[:2]
        key = cells[0] if cells else None
        value = cells[1] if len(cells) > 1 else None
        if is_blank(key):
            continue
        if not pairs and fold(str(key)) in SHARED_HEADINGS:
            continue
        if len(pairs) >= MAX_COLUMNS:  # one field a row: no type has this many
            raise PayloadTooLargeError(
                f"Trang giá trị chung có hơn {MAX_COLUMNS} dòng, vượt giới hạn."
            )
        pairs.append((key, value))
    return pairs


__all__ = ["DELIMITERS", "MAX_COLUMNS", "SHARED_SHEET_NAMES", "Sheet", "detect_encoding",
           "open_sheet"]
