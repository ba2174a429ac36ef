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
from typing import TYPE_CHECKING, Any

from docgen import vi
from docgen.schemas.common import ASPECTS
from docgen.vi import parts

if TYPE_CHECKING:
    from docgen.catalog import DocumentType


def timestamp_line(moment: dt.datetime) -> str:
    """'08 giờ 00 phút, ngày 12 tháng 10 năm 2017'."""
    return f"{vi.time_of_day(moment)}, {vi.date_line(moment.date())}"


def common_context(doc_type: DocumentType, data: dict[str, Any]) -> dict[str, Any]:
    agency = data["agency"]
    return {
        **data,
        **shared_parts(data),
        "type_name": doc_type.type_name,
        "type_code": doc_type.type_code,
        "number_symbol": doc_type.number_symbol(data["number"], data),
        "date_line": vi.date_line(data["date"], agency["place"]),
    }


def letterhead_names(agency: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The agency as every tag prints it (each name on one line) and, for the letterhead
    pass (:mod:`docgen.layout`), the names as the clerk broke them.

    >>> letterhead_names({"name": "Ủy ban nhân dân\\ntỉnh Sóc Trăng", "parent_name": ""})
    ... # doctest: +NORMALIZE_WHITESPACE
    ({'name': 'Ủy ban nhân dân tỉnh Sóc Trăng', 'parent_name': ''},
     {'lines': [['Ủy ban nhân dân', 'tỉnh Sóc Trăng']]})
    """
    flat = dict(agency)
    typed = []
    for key in ("parent_name", "name"):
        value = agency.get(key)
        if isinstance(value, str) and "\n" in value:
            typed.append([line for line in (parts.one_line(v) for v in value.split("\n")) if line])
            flat[key] = parts.one_line(value)
    return flat, {"lines": typed}


def shared_parts(data: dict[str, Any]) -> dict[str, Any]:
    """The shared Decree 30 parts as the templates print them, for every type alike.

    What a clerk typed around the words — "Căn cứ" and ";" in a căn cứ, "- " and ";" in
    Nơi nhận, "Lưu:" in the archive line, a line break in an agency name — is taken off
    here once, and the parts add their own marks (:mod:`docgen.vi.parts`): ``basis_lines``
    ("Căn cứ …;" … "."), ``proposal_line``, ``recipients`` (a recipient that is one of the
    addressees becomes "Như trên"), ``archive``, ``addressees`` and ``addressee_list``
    (several addressees as "- …;" lines under "Kính gửi:").
    """
    agency, letterhead = letterhead_names(data["agency"])
    out: dict[str, Any] = {"agency": agency, "letterhead": letterhead}
    addressees = [a for a in (parts.list_item(a) for a in data.get("addressees") or []) if a]
    if "addressees" in data:
        out["addressees"] = addressees
        out["addressee_list"] = parts.addressee_list(addressees)
    if "legal_bases" in data:
        out["legal_bases"] = legal_bases(data)
        out["basis_lines"] = parts.basis_lines(data["legal_bases"],
                                               more_follows=bool(data.get("proposal")))
    if isinstance(data.get("proposal"), str):
        out["proposal_line"] = parts.proposal_line(data["proposal"])
    if "recipients" in data:
        out["recipients"] = parts.recipient_items(data["recipients"] or [], addressees)
    if isinstance(data.get("archive"), str):
        out["archive"] = parts.archive_item(data["archive"])
    return out


def legal_bases(data: dict[str, Any]) -> list[str]:
    """Each basis without a leading "Căn cứ" or trailing ";"/"." — the template adds them.

    >>> legal_bases({"legal_bases": ["Căn cứ Luật A;", "Nghị định B."]})
    ['Luật A', 'Nghị định B']
    """
    return [item for item in (parts.basis_item(b) for b in data["legal_bases"]) if item]


def report_context(data: dict[str, Any]) -> dict[str, Any]:
    counts = data["counts"]
    planned = counts["planned"]
    return {
        "findings": [{**f, "title": ASPECTS[f["aspect"]]} for f in data["findings"]],
        "on_site_percent": vi.format_percent(counts["on_site"] / planned) if planned else "0%",
    }
