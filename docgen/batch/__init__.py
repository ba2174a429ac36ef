"""Batch generation: one document per row of a CSV/XLSX (or a JSON list), into a ZIP.

    >>> from docgen.batch import prepare_sheet, run_batch, ZipSink     # doctest: +SKIP
    >>> batch = prepare_sheet("minutes", "units.xlsx", defaults=shared)  # doctest: +SKIP
    >>> result = run_batch(renderer, batch, ZipSink("round-2017.zip"))   # doctest: +SKIP
    >>> result.summary_line()                                           # doctest: +SKIP
    '120 dòng: 117 ok, 3 lỗi (xem errors.csv)'

Reading (``_readers``), header grammar (``_fields``), row to payload
(``_mapping``, ``_values``), file names (``_names``), output (``_output``) and
the loop (``_runner``) are separate modules; this package re-exports what the
CLI, the job runner and the HTTP layer use. Nothing here imports Flask but
``web/`` (the upload page, registered by :mod:`docgen.api.batches`).
"""

from docgen.batch._fields import fold, header_for, resolve, schema_tree
from docgen.batch._mapping import ColumnMap, merge
from docgen.batch._names import FilenamePattern, UniqueNames, safe_filename
from docgen.batch._output import ERRORS_NAME, SUMMARY_NAME, DirectorySink, ZipSink
from docgen.batch._progress import ProgressReporter
from docgen.batch._readers import Sheet, open_sheet
from docgen.batch._runner import (
    MERGED_NAME,
    WARNINGS_NAME,
    BatchInput,
    BatchOptions,
    BatchResult,
    Progress,
    RowCounts,
    check_pattern,
    load_defaults,
    prepare_payloads,
    prepare_sheet,
    run_batch,
    type_tree,
)
from docgen.batch._template import write_template
from docgen.batch._values import from_excel_serial

__all__ = [
    "ERRORS_NAME",
    "MERGED_NAME",
    "SUMMARY_NAME",
    "WARNINGS_NAME",
    "BatchInput",
    "BatchOptions",
    "BatchResult",
    "ColumnMap",
    "DirectorySink",
    "FilenamePattern",
    "Progress",
    "ProgressReporter",
    "RowCounts",
    "Sheet",
    "UniqueNames",
    "ZipSink",
    "check_pattern",
    "fold",
    "from_excel_serial",
    "header_for",
    "load_defaults",
    "merge",
    "open_sheet",
    "prepare_payloads",
    "prepare_sheet",
    "resolve",
    "run_batch",
    "safe_filename",
    "schema_tree",
    "type_tree",
    "write_template",
]
