"""Template context: validated data plus the values a template should not compute.

What every document reads (the number and symbol, the date line, the căn cứ without
"Căn cứ") is built here; a declared type's own derived values (choice titles, row
numbers, counts, shares, time stamps) come from its ``type.toml`` through
:mod:`docgen.catalog._build`, which calls :func:`timestamp_line`. Only the report, whose schema is still Python (a round computes
it), has its context here. Formatting goes through :mod:`docgen.vi`; nothing here
formats a date by hand.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from docgen import vi
from docgen.schemas.common import ASPECTS, signature_lines
from docgen.vi import parts
from docgen.vi.levels import is_collective_body, level_word

if TYPE_CHECKING:
    from docgen.catalog import DocumentType


def timestamp_line(moment: dt.datetime) -> str:
    """'08 giờ 00 phút, ngày 12 tháng 10 năm 2017'."""
    return f"{vi.time_of_day(moment)}, {vi.date_line(moment.date())}"


_ABOUT = re.compile(r"^\s*(về việc|v/v)\s+", re.IGNORECASE)


def summary_action(summary: str) -> str:
    """The trích yếu as the sentence of an article: without "Về việc", capitalised, so a
    decision's Article 1 agrees with its own trích yếu.

    >>> summary_action("Về việc thành lập Đoàn kiểm tra ISO năm 2017")
    'Thành lập Đoàn kiểm tra ISO năm 2017'
    >>> summary_action("V/v kiện toàn Đoàn kiểm tra.")
    'Kiện toàn Đoàn kiểm tra'
    """
    core = _ABOUT.sub("", summary.replace("\n", " ")).strip().rstrip(".,;:").strip()
    return f"{core[:1].upper()}{core[1:]}"


def common_context(doc_type: DocumentType, data: dict[str, Any]) -> dict[str, Any]:
    shared = shared_parts(data)
    agency = shared["agency"]  # its names on one line, whatever the clerk broke
    derived: dict[str, Any] = {
        **shared,
        "type_name": doc_type.type_name,
        "type_code": doc_type.type_code,
        "number_symbol": doc_type.number_symbol(data["number"], data),
        "date_line": vi.date_line(data["date"], agency["place"]),
        # "tỉnh", "thành phố", "huyện", "xã" …: the wording "của tỉnh" follows it.
        "issuer_level": level_word(agency),
        # A department drafts ("xây dựng") a plan; a People's Committee or a steering
        # committee issues ("ban hành") it.
        "issuer_verb": "ban hành" if is_collective_body(agency["name"]) else "xây dựng",
        "summary_action": summary_action(data["summary"]),
    }
    if data.get("period_start") and data.get("period_end"):
        derived["period_text"] = vi.period_text(
            data["period_start"], data["period_end"], data.get("period_display") or "days"
        )
    if isinstance(data.get("signer"), dict):
        derived["signer"] = signer_context(data["signer"])
    return {**data, **derived}


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
    addressees becomes "Như trên"), ``archive``, ``addressees`` and ``addressee_lines``
    (several addressees: "Kính gửi:⇥- …;", "⇥- …;" … one paragraph each).
    """
    agency, letterhead = letterhead_names(data["agency"])
    out: dict[str, Any] = {"agency": agency, "letterhead": letterhead}
    addressees = [a for a in (parts.list_item(a) for a in data.get("addressees") or []) if a]
    if "addressees" in data:
        out["addressees"] = addressees
        out["addressee_lines"] = parts.addressee_lines(addressees)
    if "legal_bases" in data:
        out["legal_bases"] = legal_bases(data)
        out["basis_lines"] = parts.basis_lines(out["legal_bases"],
                                               more_follows=bool(data.get("proposal")))
    if "proposal" in data:  # "" or None when the type has the field but none was typed
        out["proposal_line"] = parts.proposal_line(data["proposal"] or "")
    if "recipients" in data:
        out["recipients"] = parts.recipient_items(data["recipients"] or [], addressees)
    if isinstance(data.get("archive"), str):
        out["archive"] = parts.archive_item(data["archive"])
    return out


def signer_context(signer: dict[str, Any]) -> dict[str, Any]:
    """The signer with ``lines``: what every template prints above the signature space.

    ``{%p for line in signer.lines %}`` / ``{{ line }}`` / ``{%p endfor %}`` prints
    "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH" — the one place the levels
    of Decree 30, art. 13 are composed (:func:`docgen.schemas.common.signature_lines`).
    """
    return {**signer, "lines": signature_lines(signer)}


def legal_bases(data: dict[str, Any]) -> list[str]:
    """Each basis without a leading "Căn cứ" or trailing ";"/"." — the template adds them.

    >>> legal_bases({"legal_bases": ["Căn cứ Luật A;", "Nghị định B."]})
    ['Luật A', 'Nghị định B']
    """
    # A decision's căn cứ on the issuer's own authority (authority_basis) comes first.
    bases = [data["authority_basis"]] if data.get("authority_basis") else []
    return [item for item in (parts.basis_item(b) for b in bases + data["legal_bases"]) if item]


def recommendation_groups(data: dict[str, Any], level: str) -> list[dict[str, Any]]:
    """The report's recommendations as numbered sections, one per addressee.

    ``recommendations`` (addressee, content rows) is grouped by addressee in the
    order each first appears; the older ``recommendations_province`` and
    ``recommendations_ministry`` lists become "UBND <level>" and "Bộ Khoa học và
    Công nghệ", as the template printed them before.
    """
    groups: dict[str, list[str]] = {}
    for row in data.get("recommendations") or []:
        groups.setdefault(row["addressee"].strip(), []).append(row["content"])
    if data.get("recommendations_province"):
        groups.setdefault(f"UBND {level}", []).extend(data["recommendations_province"])
    if data.get("recommendations_ministry"):
        groups.setdefault("Bộ Khoa học và Công nghệ", []).extend(data["recommendations_ministry"])
    return [{"addressee": addressee, "entries": items} for addressee, items in groups.items()]


def report_context(data: dict[str, Any]) -> dict[str, Any]:
    counts = data["counts"]
    planned = counts["planned"]
    level = level_word(data["agency"])
    return {
        "findings": [{**f, "title": ASPECTS[f["aspect"]]} for f in data["findings"]],
        "on_site_percent": vi.format_percent(counts["on_site"] / planned) if planned else "0%",
        "integrated_with_text": data.get("integrated_with")
        or f"Đoàn kiểm tra cải cách hành chính của {level}",
        "recommendation_groups": recommendation_groups(data, level),
    }
