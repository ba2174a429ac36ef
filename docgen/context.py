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
from docgen.vi.levels import is_collective_body, level_word

if TYPE_CHECKING:
    from docgen.catalog import DocumentType


def _timestamp_line(moment: dt.datetime) -> str:
    """'08 giờ 00 phút, ngày 12 tháng 10 năm 2017'."""
    return f"{vi.time_of_day(moment)}, {vi.date_line(moment.date())}"


def _with_titles(items: list[dict[str, Any]], key: str, titles: dict[str, str], name: str) -> list[dict[str, Any]]:
    return [{**item, name: titles[item[key]]} for item in items]


def common_context(doc_type: DocumentType, data: dict[str, Any]) -> dict[str, Any]:
    agency = data["agency"]
    derived: dict[str, Any] = {
        "type_name": doc_type.type_name,
        "type_code": doc_type.type_code,
        "number_symbol": doc_type.number_symbol(data["number"], data),
        "date_line": vi.date_line(data["date"], agency["place"]),
        # "tỉnh", "thành phố", "huyện", "xã" …: the wording "của tỉnh" follows it.
        "issuer_level": level_word(agency),
    }
    if data.get("period_start") and data.get("period_end"):
        derived["period_text"] = vi.period_text(
            data["period_start"], data["period_end"], data.get("period_display") or "days"
        )
    return {**data, **derived}


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


_SUBJECT = "kiểm tra việc áp dụng, duy trì và cải tiến Hệ thống quản lý chất lượng"


def closing_sentence(text: str) -> str:
    """A closing as Decree 30 ends it: one "./." (never "../." or ".;./.").

    >>> closing_sentence("Trên đây là Kế hoạch."), closing_sentence("Xong./.")
    ('Trên đây là Kế hoạch./.', 'Xong./.')
    """
    body = text.strip()
    while body and (body.endswith("./.") or body[-1] in ".;,"):
        body = body[:-3] if body.endswith("./.") else body[:-1]
        body = body.rstrip()
    return f"{body}./."


def plan_methods(units: list[dict[str, Any]]) -> str:
    """How the units are inspected, from the schedule's modes."""
    modes = {u["mode"] for u in units}
    if modes == {"on_site"}:
        return "kiểm tra tại trụ sở"
    if modes == {"by_report"}:
        return "kiểm tra qua báo cáo"
    return "kiểm tra tại trụ sở hoặc kiểm tra qua báo cáo"


def approval_line(data: dict[str, Any]) -> str:
    """'(Ban hành kèm theo Quyết định số 1234/QĐ-UBND ngày 20/8/2017 của Chủ tịch UBND
    tỉnh Sóc Trăng)', or "" when the plan is not issued with a separate decision."""
    if not (data.get("approval_number") and data.get("approval_date")):
        return ""
    return (f"(Ban hành kèm theo Quyết định số {data['approval_number'].strip()} ngày "
            f"{vi.date_short(data['approval_date'])} của {data['approval_by'].strip()})")


def plan_context(data: dict[str, Any]) -> dict[str, Any]:
    units = [
        {**unit, "stt": index, "mode_title": MODES[unit["mode"]]}
        for index, unit in enumerate(data["units"], start=1)
    ]
    on_site = sum(1 for u in units if u["mode"] == "on_site")
    agency_name = data["agency"]["name"].replace("\n", " ")
    # A department drafts ("xây dựng") its plan; a People's Committee or a steering
    # committee issues ("ban hành") it.
    verb = "ban hành" if is_collective_body(agency_name) else "xây dựng"
    subject = f"{_SUBJECT} năm {data['year']}"
    return {
        "legal_bases": legal_bases(data),
        "units": units,
        "units_count": len(units),
        "on_site_count": on_site,
        "by_report_count": len(units) - on_site,
        "approval_line": approval_line(data),
        "plan_opening": (data.get("opening") or "").strip()
        or f"{agency_name} {verb} Kế hoạch {subject} như sau:",
        "plan_methods": (data.get("methods") or "").strip().rstrip(".,;:") or plan_methods(units),
        "plan_closing": closing_sentence(
            (data.get("closing") or "").strip()
            or f"Trên đây là Kế hoạch {subject} của {agency_name}"
        ),
    }


def minutes_context(data: dict[str, Any]) -> dict[str, Any]:
    return {
        **team_context(data),
        **findings_context(data),
        "started_line": _timestamp_line(data["started_at"]),
        "ended_line": _timestamp_line(data["ended_at"]),
        "copies_2d": vi.two_digits(data["copies"]),
        # The secretary signs beside the leader when the model has a secretary's signature.
        "secretary": next(
            (m for m in data["members"] if m["role"] == "thu_ky"), None
        ) if data.get("team_signatures") == "leader_and_secretary" else None,
    }


_ABOUT = re.compile(r"^\s*(về việc|v/v)\s+", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)")


def article_1(data: dict[str, Any]) -> str:
    """Article 1's lead, from the trích yếu unless given: the two must agree.

    >>> article_1({"summary": "Về việc thành lập Đoàn kiểm tra ISO năm 2017"})
    'Thành lập Đoàn kiểm tra ISO năm 2017, gồm các ông (bà) có tên sau:'
    >>> article_1({"summary": "V/v thành lập Đoàn kiểm tra", "year": 2023})
    'Thành lập Đoàn kiểm tra năm 2023, gồm các ông (bà) có tên sau:'
    >>> article_1({"summary": "x", "article_1": "Kiện toàn Đoàn kiểm tra, gồm:"})
    'Kiện toàn Đoàn kiểm tra, gồm:'
    """
    given = (data.get("article_1") or "").strip()
    if given:
        return given
    core = _ABOUT.sub("", data["summary"].replace("\n", " ")).strip().rstrip(".,;:")
    if data.get("year") and not _YEAR.search(core):
        core = f"{core} năm {data['year']}"
    return f"{core[:1].upper()}{core[1:]}, gồm các ông (bà) có tên sau:"


def decision_context(data: dict[str, Any]) -> dict[str, Any]:
    bases = legal_bases(data)
    if data.get("authority_basis"):
        # The issuer's own authority comes first, as decisions cite it.
        bases = legal_bases({"legal_bases": [data["authority_basis"]]}) + bases
    return {**team_context(data), "legal_bases": bases, "article_1": article_1(data)}


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
        **findings_context(data),
        "on_site_percent": vi.format_percent(counts["on_site"] / planned) if planned else "0%",
        "integrated_with_text": data.get("integrated_with")
        or f"Đoàn kiểm tra cải cách hành chính của {level}",
        "recommendation_groups": recommendation_groups(data, level),
    }
