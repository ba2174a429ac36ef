"""A batch: rows in, one document per good row out, errors.csv for the rest.

Every row goes through the same :class:`~docgen.rendering.Renderer` as a single
document (``validate`` then ``render_validated``); a bad row is reported and
skipped, never fatal. What *is* fatal is found before the first row renders
(:func:`prepare_sheet`, :func:`prepare_payloads`): an unreadable or empty file,
headers that name no field, too many rows. A broken template (our fault, and
every row would fail alike) stops the batch.

Rows are read, rendered and written one at a time, so memory does not grow with
the row count (the merged document, when asked for, streams to a temporary file).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from docgen.batch._fields import Node, schema_tree
from docgen.batch._mapping import ColumnMap, RowOrigin, check_shared, merge, shared_from_pairs
from docgen.batch._names import (
    DEFAULT_PATTERNS,
    FALLBACK_PATTERN,
    FilenamePattern,
    UniqueNames,
    pattern_names,
    pattern_values,
)
from docgen.batch._output import (
    ERRORS_NAME,
    SUMMARY_NAME,
    ErrorReport,
    Merger,
    Sink,
)
from docgen.batch._readers import open_sheet
from docgen.catalog import DocumentType, get_type
from docgen.errors import (
    ConversionError,
    ConverterUnavailableError,
    FieldError,
    InputError,
    PayloadTooLargeError,
    UnreadableInputError,
    ValidationError,
)
from docgen.rendering import Renderer

WARNINGS_NAME = "warnings.csv"
MERGED_NAME = "merged.docx"
#: How many errors a job keeps in its state for "errors so far" (all are in errors.csv).
ERRORS_KEPT = 100


@functools.cache
def type_tree(doc_type: str) -> Node:
    """The field tree of a document type (built once per type)."""
    return schema_tree(get_type(doc_type).schema())


@dataclass
class SourceRow:
    """One row to render: its number as the user sees it, and its payload."""

    number: int
    payload: Any
    stt: int | None = None
    cell_errors: list[FieldError] = field(default_factory=list)
    origin: RowOrigin | None = None


@dataclass
class BatchInput:
    """A batch checked and ready: the type, how many rows, and the rows themselves."""

    doc_type: DocumentType
    total: int
    source: str
    rows: Callable[[], Iterator[SourceRow]]
    #: Set for spreadsheets: "Excel, trang 'Sheet1'", "CSV, Windows-1258, dấu phẩy".
    description: str = ""


@dataclass(kw_only=True)
class RowCounts:
    """A batch's counters: the one definition that the runner's progress, its result and
    a job's record (:class:`docgen.jobs.Job`) share."""

    total: int = 0
    #: Rows handled so far (ok + failed).
    done: int = 0
    ok: int = 0
    failed: int = 0
    warnings: int = 0
    #: The first errors (up to ERRORS_KEPT), as dicts {row, column, header, path, message, code}.
    errors: list[dict[str, Any]] = field(default_factory=list)
    error_count: int = 0

    def take_counts(self, other: RowCounts) -> None:
        """Copy ``other``'s counters (the errors list as a new list)."""
        for name in ROW_COUNTS:
            value = getattr(other, name)
            setattr(self, name, list(value) if isinstance(value, list) else value)


#: The names of :class:`RowCounts`' fields.
ROW_COUNTS = tuple(f.name for f in fields(RowCounts))


@dataclass
class Progress(RowCounts):
    doc_type: str
    started: float = field(default_factory=time.monotonic)

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    @property
    def rate(self) -> float:
        """Rows per second so far."""
        return self.done / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds left at the current rate."""
        return (self.total - self.done) / self.rate if self.rate > 0 else None


@dataclass
class BatchResult(RowCounts):
    doc_type: str
    elapsed: float = 0.0
    cancelled: bool = False
    merged: bool = False

    def summary_line(self) -> str:
        """'120 dòng: 117 ok, 3 lỗi (xem errors.csv)'."""
        line = f"{self.done} dòng: {self.ok} ok, {self.failed} lỗi"
        if self.failed:
            line += f" (xem {ERRORS_NAME})"
        if self.warnings:
            line += f", {self.warnings} cảnh báo ({WARNINGS_NAME})"
        if self.cancelled:
            line += f"; đã hủy sau {self.done}/{self.total} dòng"
        return line


class BatchCancelled(Exception):
    """Raised inside :func:`run_batch` when ``should_cancel`` says so."""


# -- preparing ---------------------------------------------------------------------


def load_defaults(path: Path | str | None) -> dict[str, Any]:
    """Shared values from a JSON file (a partial payload), or {}."""
    if path is None:
        return {}
    path = Path(path)
    try:
        return json.loads(path.read_bytes().decode("utf-8-sig"))  # type: ignore[no-any-return]
    except OSError as exc:
        raise UnreadableInputError(f"Không đọc được tệp '{path.name}': {exc.strerror}.") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UnreadableInputError(
            f"Tệp giá trị chung '{path.name}' không phải JSON UTF-8 hợp lệ ({exc})."
        ) from exc


def _check_count(total: int, max_rows: int | None, name: str) -> None:
    if total == 0:
        raise UnreadableInputError(f"'{name}' không có dòng dữ liệu nào (dưới dòng tiêu đề).")
    if max_rows is not None and total > max_rows:
        raise PayloadTooLargeError(
            f"'{name}' có {total} dòng dữ liệu, vượt giới hạn {max_rows} dòng mỗi lần."
        )


def prepare_sheet(doc_type: str, path: Path | str, *, defaults: Any = None,
                  encoding: str | None = None, delimiter: str | None = None,
                  sheet_name: str | None = None, max_rows: int | None = None,
                  display_name: str | None = None, count: bool = True) -> BatchInput:
    """Open a CSV/XLSX, resolve its headers and count its rows; fail fast on bad input.

    ``count=False`` is the web request's quick sniff: the file is opened (zip
    checked), its header and shared values resolved, but its rows are not read
    (``total`` is 0); the job counts them, stopping past ``max_rows``.
    """
    kind = get_type(doc_type)
    root = type_tree(kind.id)
    name = display_name or Path(path).name

    def score(headers: Sequence[str]) -> int:
        from docgen.batch._fields import HeaderError, resolve

        hits = 0
        for header in headers:
            try:
                resolve(root, header)
                hits += 1
            except HeaderError:
                pass
        return hits

    sheet = open_sheet(path, encoding=encoding, delimiter=delimiter, sheet_name=sheet_name,
                       score=score, display_name=name)
    shared = check_shared(root, defaults or {}, source="Tệp giá trị chung")
    if sheet.shared_pairs:
        shared = merge(shared, shared_from_pairs(root, sheet.shared_pairs, epoch=sheet.epoch))
    columns = ColumnMap(root, sheet.headers, type_name=kind.name, shared=shared)
    sheet.max_rows = max_rows
    total = 0
    if count:
        total = sheet.count()
        _check_count(total, max_rows, name)

    def rows() -> Iterator[SourceRow]:
        for number, cells in sheet.rows():
            row = columns.payload(cells, epoch=sheet.epoch)
            yield SourceRow(number, row.payload, row.stt, row.cell_errors, row.origin)

    return BatchInput(kind, total, name, rows, sheet.describe())


def prepare_payloads(doc_type: str, payloads: Any, *, defaults: Any = None,
                     max_rows: int | None = None, source: str = "JSON") -> BatchInput:
    """A batch from a JSON list of payloads (the API's JSON body); row n is item n (from 1)."""
    kind = get_type(doc_type)
    if not isinstance(payloads, list):
        raise UnreadableInputError("Dữ liệu hàng loạt phải là một danh sách JSON các văn bản.")
    _check_count(len(payloads), max_rows, source)
    shared = check_shared(type_tree(kind.id), defaults or {}, source="Giá trị chung")

    def rows() -> Iterator[SourceRow]:
        for number, payload in enumerate(payloads, start=1):
            data = merge(shared, payload) if isinstance(payload, dict) and shared else payload
            yield SourceRow(number, data)

    return BatchInput(kind, len(payloads), source, rows)


# -- running -----------------------------------------------------------------------


@dataclass(frozen=True)
class BatchOptions:
    #: File name pattern; the type's default (``{stt:03d}-{unit_name}``) when None.
    pattern: str | None = None
    format: str = "docx"
    #: Put one merged document into the output under this name.
    merge_name: str | None = None
    #: Or write the merged document to this path.
    merge_path: Path | None = None


def check_pattern(doc_type: str, pattern: str | None, extension: str = "docx") -> FilenamePattern:
    """The file name pattern for a type (its default when None); unknown variables refused."""
    kind = get_type(doc_type)
    return FilenamePattern(pattern or DEFAULT_PATTERNS.get(kind.id, FALLBACK_PATTERN),
                           pattern_names(type_tree(kind.id)), extension)


def _row_errors(row: SourceRow, exc: ValidationError | None) -> list[FieldError]:
    errors = list(row.cell_errors)
    if exc is not None:
        seen = {e.path for e in errors}
        errors += [e for e in exc.errors if e.path not in seen]
        if exc.omitted:  # the row's errors are capped as the API's are; say how many more
            errors.append(FieldError("$", exc.more_line(), "more_errors"))
    return errors


def run_batch(renderer: Renderer, batch: BatchInput, sink: Sink, *,
              options: BatchOptions | None = None,
              progress: Callable[[Progress], None] | None = None,
              should_cancel: Callable[[], bool] | None = None,
              errors_mirror: Path | None = None) -> BatchResult:
    """Render every row of ``batch`` into ``sink``; bad rows go to errors.csv.

    ``progress`` is called after every row (throttle it yourself);
    ``should_cancel`` before every row. A cancelled batch aborts the sink (no
    partial ZIP is left) and returns with ``cancelled=True``.
    """
    options = options or BatchOptions()
    kind = batch.doc_type
    root = type_tree(kind.id)
    pattern = check_pattern(kind.id, options.pattern, options.format)
    reserved = [ERRORS_NAME, SUMMARY_NAME, WARNINGS_NAME]
    if options.merge_name:
        reserved.append(options.merge_name)
    names = UniqueNames(reserved)
    report = ErrorReport(errors_mirror)
    warnings_report: ErrorReport | None = None
    merger = Merger() if (options.merge_name or options.merge_path) else None
    state = Progress(kind.id, total=batch.total)
    cancelled = False

    def record(target: ErrorReport, row: SourceRow, error: FieldError) -> tuple[str, str]:
        header, letter = row.origin.locate(error.path) if row.origin else ("", "")
        target.add(row.number, letter, header, error)
        return header, letter

    try:
        for ordinal, row in enumerate(batch.rows(), start=1):
            if should_cancel is not None and should_cancel():
                raise BatchCancelled
            failure: ValidationError | None = None
            validated = None
            try:
                validated = renderer.validate(kind.id, row.payload)
            except ValidationError as exc:
                failure = exc
            except InputError as exc:  # not an object, an illegal character
                failure = ValidationError([FieldError("$", exc.message, exc.code)])
            errors = _row_errors(row, failure)
            rendered = None
            if not errors and validated is not None:
                try:
                    rendered = renderer.render_validated(validated, options.format)
                except InputError as exc:
                    errors = [FieldError(getattr(exc, "path", None) or "$", exc.message, exc.code)]
                except ConverterUnavailableError:
                    raise  # no LibreOffice: every row would fail the same way, stop now
                except ConversionError as exc:  # this document timed out or LibreOffice refused it
                    errors = [FieldError("$", exc.message, exc.code)]
            state.done += 1
            if errors or rendered is None:
                state.failed += 1
                for error in errors:
                    header, letter = record(report, row, error)
                    state.error_count += 1
                    if len(state.errors) < ERRORS_KEPT:
                        state.errors.append({"row": row.number, "column": letter,
                                             "header": header, **error.to_dict()})
            else:
                stt = row.stt if row.stt is not None else ordinal
                values = pattern_values(validated.data, root, stt=stt, row=row.number,  # type: ignore[union-attr]
                                        type_code=kind.type_code,
                                        stem=rendered.filename.rsplit(".", 1)[0])
                sink.add(names.claim(pattern.format(values)), rendered.content)
                if merger is not None:
                    merger.add(rendered.content)
                state.ok += 1
                for warning in rendered.warnings:
                    warnings_report = warnings_report or ErrorReport()
                    record(warnings_report, row, warning)
                    state.warnings += 1
            if progress is not None:
                progress(state)
            if ordinal % 50 == 0:
                report.flush()
    except BatchCancelled:
        cancelled = True
    except BaseException:
        sink.abort()
        report.close()
        raise
    result = BatchResult(kind.id, elapsed=state.elapsed, cancelled=cancelled)
    result.take_counts(state)
    result.done, result.error_count = state.ok + state.failed, report.count
    if cancelled:
        sink.abort()
        report.close()
        return result
    try:
        sink.add(ERRORS_NAME, report.content())
        if warnings_report is not None:
            sink.add(WARNINGS_NAME, warnings_report.content())
            warnings_report.close()
        if merger is not None:
            result.merged = _save_merged(merger, sink, options)
        sink.add(SUMMARY_NAME, summary_text(batch, result).encode("utf-8-sig"))
        sink.close()
    except BaseException:
        sink.abort()
        raise
    finally:
        report.close()
    return result


def _save_merged(merger: Merger, sink: Sink, options: BatchOptions) -> bool:
    if options.merge_path is not None:
        if merger.count == 0:
            return False
        return merger.save(options.merge_path)
    import io

    buffer = io.BytesIO()
    if not merger.save(buffer):
        return False
    assert options.merge_name
    sink.add(options.merge_name, buffer.getvalue())
    return True


def summary_text(batch: BatchInput, result: BatchResult) -> str:
    """summary.txt: what was made from what, for the person who opens the ZIP."""
    lines = [
        f"{batch.doc_type.name} — tạo hàng loạt bằng docgen",
        f"Nguồn: {batch.source}" + (f" ({batch.description})" if batch.description else ""),
        f"Thời điểm: {dt.datetime.now().strftime('%d/%m/%Y %H:%M')}",
        f"Kết quả: {result.summary_line()}.",
    ]
    if result.merged:
        lines.append("Văn bản gộp: có (mỗi văn bản bắt đầu ở trang mới).")
    return "\r\n".join(lines) + "\r\n"


__all__ = [
    "MERGED_NAME",
    "WARNINGS_NAME",
    "BatchCancelled",
    "BatchInput",
    "BatchOptions",
    "BatchResult",
    "Progress",
    "SourceRow",
    "check_pattern",
    "load_defaults",
    "prepare_payloads",
    "prepare_sheet",
    "run_batch",
    "type_tree",
]
