"""A round's unit list from a file: CSV or XLSX, one reader for the API, the CLI and the pages.

The layout is ``shared/data/soc-trang-2017-units.csv``'s: a header row, then one unit a
row — ``stt``, ``unit_name``, ``mode`` (``on_site``/``by_report``, or "Tại trụ sở"/"Qua
báo cáo"), ``integrated_with_reform_inspection`` and ``not_inspected`` (0/1, x,
có/không), optionally ``reason``, ``due_date`` and ``scheduled_on`` (dd/mm/yyyy or
YYYY-MM-DD; in an .xlsx a date cell). Other columns (``level``, ``district``) are ignored.

Reading is the batch's (:func:`docgen.batch.open_sheet`): the CSV encodings Vietnamese
offices save (UTF-8 with or without BOM, UTF-16, Windows-1258; ``,``/``;``/tab), and
XLSX read in bounded, streaming form after its zip members are checked (a zip bomb is
refused unread, a sparse sheet reads only the rows present). The kind is told by the
content; a file *named* .xlsx that is not one is refused as such, not read as text.
At most :data:`MAX_UNITS` rows are read: one more is refused.

Values are checked afterwards by the round's schema; :meth:`UnitsFile.explain` turns its
errors (``units[11].mode``) into the row and column the clerk sees in the file ("Dòng
13, cột mode: …"), keeping path and code.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.errors import FieldError, PayloadTooLargeError, UnreadableInputError, ValidationError

__all__ = ["COLUMNS", "TooManyUnitsError", "UnitsFile", "UnitsFileError", "read_units_file",
           "rows_named"]

#: Unit key -> the headers that name it (compared folded: NFC, case and spacing ignored).
COLUMNS: dict[str, tuple[str, ...]] = {
    "stt": ("stt", "số thứ tự"),
    "name": ("unit_name", "name", "tên đơn vị", "tên cơ quan, đơn vị"),
    "mode": ("mode", "hình thức", "hình thức kiểm tra"),
    "integrated": ("integrated_with_reform_inspection", "integrated", "lồng ghép"),
    "not_inspected": ("not_inspected", "chưa kiểm tra được"),
    "reason": ("reason", "not_inspected_reason", "lý do"),
    "due_date": ("due_date", "hạn", "hạn gửi báo cáo", "hạn của đơn vị"),
    "scheduled_on": ("scheduled_on", "ngày dự kiến kiểm tra", "ngày kiểm tra"),
}
REQUIRED = ("name", "mode")
DATES = ("due_date", "scheduled_on")
_MODE_WORDS = {"tại trụ sở": "on_site", "qua báo cáo": "by_report"}
_TRUE = {"1", "x", "true", "có", "yes"}
_FALSE = {"", "0", "false", "không", "no"}
#: The most units a round has (a file with more rows is refused as it is read).
MAX_UNITS = 5000
_UNIT_PATH = re.compile(r"^units\[(\d+)\](?:\.([A-Za-z_]+))?")


class UnitsFileError(UnreadableInputError):
    """A unit list that cannot be read as one (400), with a code naming why:
    ``empty_file``, ``not_xlsx``, ``missing_columns``."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


class TooManyUnitsError(PayloadTooLargeError):
    """More rows than a round may have units (413 ``too_many_units``), found reading."""

    code = "too_many_units"


@dataclass
class UnitsFile:
    """The units read from a file, and where each came from."""

    units: list[dict[str, Any]]
    #: The row number (as the spreadsheet shows it) of each unit, by index.
    rows: list[int]
    #: Unit key -> the header as written in the file.
    columns: dict[str, str]
    name: str = ""
    #: Cells the reader could not read (a date that does not exist), by path.
    problems: list[FieldError] = field(default_factory=list)

    def place(self, path: str) -> str:
        """'Dòng 13, cột mode' for ``units[11].mode``; '' for a path outside the rows."""
        found = _UNIT_PATH.match(path)
        if found is None or int(found.group(1)) >= len(self.rows):
            return ""
        where = f"Dòng {self.rows[int(found.group(1))]}"
        key = found.group(2)
        if key:
            where += f", cột {self.columns.get(key, key)}"
        return where

    def explain(self, exc: ValidationError) -> ValidationError:
        """``exc`` with each unit's error saying its row and column; the reader's own
        cell errors (in the sheet's date format) replace the schema's at the same path."""
        own = {p.path: p for p in self.problems}
        said = {e.path for e in exc.errors}
        errors: list[FieldError] = []
        for error in [*exc.errors, *[p for p in self.problems if p.path not in said]]:
            error = own.get(error.path, error)
            where = self.place(error.path)
            message = f"{where}: {error.message}" if where else error.message
            if error.path == "units" and not self.units:
                message = f"Tệp '{self.name}' không có đơn vị nào (chỉ có dòng tiêu đề)."
            fixed = FieldError(error.path, message, error.code)
            if fixed not in errors:
                errors.append(fixed)
        return ValidationError(errors, total=exc.total + len(errors) - len(exc.errors))


def _fold(text: Any) -> str:
    from docgen.schemas.text import fold

    return fold(text) if isinstance(text, str) else ""


def _score(headers: Sequence[str]) -> int:
    names = {n for names in COLUMNS.values() for n in names}
    return sum(1 for h in headers if _fold(h) in names)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _stt(value: Any) -> Any:
    if isinstance(value, bool):
        return value  # refused by the schema ("not an integer")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    text = _text(value)
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else text


def _flag(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = _text(value).lower()
    return True if text in _TRUE else False if text in _FALSE else _text(value)


def _date(value: Any, epoch: dt.datetime, path: str, problems: list[FieldError]) -> Any:
    from docgen.batch import from_excel_serial
    from docgen.vi.reading import InputError, read_date

    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return from_excel_serial(value, epoch).date().isoformat()
        except (OverflowError, ValueError):
            return _text(value)
    text = _text(value)
    try:
        return read_date(text).isoformat()
    except InputError as exc:
        problems.append(FieldError(path, exc.message, exc.code))
        return text


def _is_zip(head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04")


def read_units_file(content: bytes, filename: str = "", *, max_units: int | None = None
                    ) -> UnitsFile:
    """The units of a CSV or XLSX unit list (see the module's docstring).

    Raises :class:`UnitsFileError` (400) for a file that is empty, not readable in its
    kind, or lacks ``unit_name``/``mode`` (the batch reader's :class:`UnreadableInputError`
    for an encoding it cannot read or an .xls); :class:`TooManyUnitsError` (413) past
    ``max_units`` rows (default :data:`MAX_UNITS`) and
    :class:`docgen.safezip.ZipBombError` (413) for an archive that would expand too far.
    """
    from docgen.batch import open_sheet

    name = filename or "danh sách đơn vị"
    limit = MAX_UNITS if max_units is None else max_units
    if not content.strip():
        raise UnitsFileError(f"Tệp '{name}' rỗng: không có dòng tiêu đề, không có đơn vị.",
                             "empty_file")
    if filename.lower().endswith(".xlsx") and not _is_zip(content):
        raise UnitsFileError(f"Tệp '{name}' không phải tệp Excel .xlsx đọc được (tệp hỏng, "
                             "hoặc là tệp khác đổi tên thành .xlsx).", "not_xlsx")
    suffix = ".xlsx" if _is_zip(content) else ".csv"
    with tempfile.TemporaryDirectory(prefix="docgen-units-") as tmp:
        path = Path(tmp) / f"units{suffix}"
        path.write_bytes(content)
        sheet = open_sheet(path, score=_score, display_name=name)
        sheet.max_rows = limit
        headers = {_fold(h): _text(h) for h in sheet.headers if _fold(h)}
        index = {_fold(h): i for i, h in reversed(list(enumerate(sheet.headers))) if _fold(h)}
        found = {key: next((n for n in names if n in headers), None)
                 for key, names in COLUMNS.items()}
        missing = [COLUMNS[key][0] for key in REQUIRED if found[key] is None]
        if missing:
            raise UnitsFileError(
                f"Tệp '{name}' thiếu cột: {', '.join(missing)} (cần unit_name, mode; tùy chọn "
                "stt, integrated_with_reform_inspection, not_inspected, reason, due_date, "
                f"scheduled_on). Dòng tiêu đề có: {', '.join(headers.values()) or '(trống)'}.",
                "missing_columns")
        columns = {key: headers[n] for key, n in found.items() if n is not None}
        at = {key: index[n] for key, n in found.items() if n is not None}
        units: list[dict[str, Any]] = []
        rows: list[int] = []
        problems: list[FieldError] = []
        try:
            for number, cells in sheet.rows():
                unit = _unit(cells, at, sheet.epoch, f"units[{len(units)}]", problems)
                units.append(unit)
                rows.append(number)
        except PayloadTooLargeError as exc:
            raise TooManyUnitsError(
                f"Tệp '{name}' có hơn {limit} đơn vị, vượt giới hạn {limit} đơn vị "
                "mỗi đợt kiểm tra.") from exc
    return UnitsFile(units, rows, columns, name=name, problems=problems)


def _unit(cells: list[Any], at: dict[str, int], epoch: dt.datetime, path: str,
          problems: list[FieldError]) -> dict[str, Any]:
    unit: dict[str, Any] = {}
    for key, position in at.items():
        value = cells[position] if position < len(cells) else None
        blank = value is None or (isinstance(value, str) and not value.strip())
        if key == "stt":
            if not blank:
                unit[key] = _stt(value)
        elif key in ("integrated", "not_inspected"):
            unit[key] = _flag(value)
        elif key in DATES:
            if not blank:
                unit[key] = _date(value, epoch, f"{path}.{key}", problems)
        elif key == "reason":
            if not blank:
                unit[key] = _text(value)
        elif key == "mode":
            text = _text(value)
            unit[key] = _MODE_WORDS.get(_fold(text), text)
        else:
            unit[key] = _text(value)
    return unit


@contextlib.contextmanager
def rows_named(units_file: UnitsFile | None) -> Iterator[None]:
    """Within: a :class:`ValidationError` names the file's row and column (when the units
    came from ``units_file``)."""
    try:
        yield
    except ValidationError as exc:
        if units_file is None:
            raise
        raise units_file.explain(exc) from exc
