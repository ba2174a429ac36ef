"""Cells a spreadsheet will open: text that can never run as a formula.

Every export docgen hands to Excel or LibreOffice Calc (the register book as CSV
and XLSX, a batch's errors.csv and warnings.csv) carries text a client sent:
a signer's name, a Nơi nhận line, a cell of an uploaded sheet. A value starting
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by a
spreadsheet as a formula (``=HYPERLINK("http://…"&B2, …)``, DDE payloads).

OWASP's advice (CSV Injection) is to prefix such a cell with a single quote,
which makes the program take it as text. Done per format so the text still
reads the same to a person:

- **CSV**: the ``'`` goes into the cell (:func:`csv_cell`). Excel shows it, so
  "- Như trên;" reads "'- Như trên;" — the same words; without it Excel shows
  ``#NAME?`` for that line anyway, since it takes the leading "-" for a formula.
- **XLSX**: the cell is written as a string with the "quote prefix" style
  (:func:`xlsx_cell`), exactly what Excel stores when someone types ``'`` before
  a value: the cell shows "- Như trên;" unchanged, is text, and is never a
  formula (openpyxl would otherwise store any string starting with ``=`` as one).
"""

from __future__ import annotations

from typing import Any

#: The first characters that make a spreadsheet read a cell as a formula (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: Any) -> bool:
    """True for a string a spreadsheet would read as a formula.

    >>> is_formula_like("=1+1"), is_formula_like("- Như trên;"), is_formula_like("Sở Y tế")
    (True, True, False)
    """
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value: Any) -> Any:
    """``value`` for a CSV cell: a formula-like string gets a leading ``'``.

    >>> csv_cell('=HYPERLINK("http://x")'), csv_cell("Sở Y tế"), csv_cell(3)
    ('\\'=HYPERLINK("http://x")', 'Sở Y tế', 3)
    """
    return "'" + value if is_formula_like(value) else value


def csv_row(values: Any) -> list[Any]:
    """A row of :func:`csv_cell` values (None becomes "")."""
    return [csv_cell("" if v is None else v) for v in values]


def xlsx_cell(cell: Any, value: Any) -> None:
    """Put ``value`` into the openpyxl ``cell``; a formula-like string stays text.

    The data type is forced to string (never ``f``) and the cell gets Excel's
    quote-prefix flag, so the text shows unchanged and is not evaluated.
    """
    cell.value = value
    if is_formula_like(value):
        cell.data_type = "s"
        cell.quotePrefix = True


__all__ = ["FORMULA_STARTS", "csv_cell", "csv_row", "is_formula_like", "xlsx_cell"]
