"""Template context: validated data plus the values a template should not compute.

Derived values (the number and symbol, the date line, role and aspect titles,
counts and percentages) are built here once, so the four templates, the form
preview and any future template agree on them. Formatting goes through
:mod:`docgen.vi`; nothing here formats a date by hand.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from docgen import vi
from docgen.schemas.common import ASPECTS, MODES, ROLES

if TYPE_CHECKING:
    from docgen.catalog import DocumentType


def _timestamp_line(moment: dt.datetime) -> str:
    """'08 giờ 00 phút, ngày 12 tháng 10 năm 2017'."""
    return f"{vi.time_of_day(moment)}, {vi.date_line(moment.date())}"


def _with_titles(items: list[dict[str, Any]], key: str, titles: dict[str, str], name: str) -> list[dict[str, Any]]:
    return [{**item, name: titles[item[key]]} for item in items]


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


def team_context(data: dict[str, Any]) -> dict[str, Any]:
    return {"members": _with_titles(data["members"], "role", ROLES, "role_title")}


def findings_context(data: dict[str, Any]) -> dict[str, Any]:
    return {"findings": _with_titles(data["findings"], "aspect", ASPECTS, "title")}


def plan_context(data: dict[str, Any]) -> dict[str, Any]:
    units = [
        {**unit, "stt": index, "mode_title": MODES[unit["mode"]]}
        for index, unit in enumerate(data["units"], start=1)
    ]
    on_site = sum(1 for u in units if u["mode"] == "on_site")
    return {
        "legal_bases": legal_bases(data),
        "units": units,
        "units_count": len(units),
        "on_site_count": on_site,
        "by_report_count": len(units) - on_site,
    }


def minutes_context(data: dict[str, Any]) -> dict[str, Any]:
    return {
        **team_context(data),
        **findings_context(data),
        "started_line": _timestamp_line(data["started_at"]),
        "ended_line": _timestamp_line(data["ended_at"]),
        "copies_2d": vi.format_count(data["copies"]),  # "02 bản": every count this way
    }


def decision_context(data: dict[str, Any]) -> dict[str, Any]:
    return {**team_context(data), "legal_bases": legal_bases(data)}


def report_context(data: dict[str, Any]) -> dict[str, Any]:
    counts = data["counts"]
    planned = counts["planned"]
    return {
        **findings_context(data),
        "on_site_percent": vi.format_percent(counts["on_site"] / planned) if planned else "0%",
    }
