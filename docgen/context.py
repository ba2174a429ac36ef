"""Template context: validated data plus the values a template should not compute.

What every document reads (the number and symbol, the date line, the căn cứ without
"Căn cứ") is built here; a declared type's own derived values (choice titles, row
numbers, counts, shares, time stamps) come from its ``type.toml`` through
:mod:`docgen.catalog._build`, which calls :func:`timestamp_line` and
:func:`legal_bases`. Only the report, whose schema is still Python (a round computes
it), has its context here. Formatting goes through :mod:`docgen.vi`; nothing here
formats a date by hand.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from docgen import vi
from docgen.schemas.common import ASPECTS

if TYPE_CHECKING:
    from docgen.catalog import DocumentType


def timestamp_line(moment: dt.datetime) -> str:
    """'08 giờ 00 phút, ngày 12 tháng 10 năm 2017'."""
    return f"{vi.time_of_day(moment)}, {vi.date_line(moment.date())}"


def common_context(doc_type: DocumentType, data: dict[str, Any]) -> dict[str, Any]:
    agency = data["agency"]
    return {
        **data,
        "type_name": doc_type.type_name,
        "type_code": doc_type.type_code,
        "number_symbol": doc_type.number_symbol(data["number"], data),
        "date_line": vi.date_line(data["date"], agency["place"]),
    }


_BASIS_PREFIX = re.compile(r"^căn cứ\s+", re.IGNORECASE)


def legal_bases(data: dict[str, Any]) -> list[str]:
    """Each basis without a leading "Căn cứ" or trailing ";"/"." — the template adds them.

    >>> legal_bases({"legal_bases": ["Căn cứ Luật A;", "Nghị định B."]})
    ['Luật A', 'Nghị định B']
    """
    return [_BASIS_PREFIX.sub("", b).rstrip(";.").rstrip() for b in data["legal_bases"]]


def report_context(data: dict[str, Any]) -> dict[str, Any]:
    counts = data["counts"]
    planned = counts["planned"]
    return {
        "findings": [{**f, "title": ASPECTS[f["aspect"]]} for f in data["findings"]],
        "on_site_percent": vi.format_percent(counts["on_site"] / planned) if planned else "0%",
    }
