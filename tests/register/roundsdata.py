"""The Sóc Trăng 2017 round as test data: its units and one varied minutes per unit."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

from docgen import rounds

ROOT = Path(__file__).resolve().parents[2]
UNITS_CSV = Path(__file__).parent / "data" / "soc-trang-2017-units.csv"
MINUTES_EXAMPLE = json.loads((ROOT / "schemas" / "examples" / "minutes.json")
                             .read_text(encoding="utf-8"))
REPORT_EXAMPLE = json.loads((ROOT / "schemas" / "examples" / "report.json")
                            .read_text(encoding="utf-8"))
ISSUER = dict(REPORT_EXAMPLE["agency"])
LETTER = json.loads((ROOT / "templates" / "letter" / "example.json").read_text("utf-8"))
NOTICE = json.loads((ROOT / "templates" / "notice" / "example.json").read_text("utf-8"))
DECISION = json.loads((ROOT / "schemas" / "examples" / "decision.json").read_text("utf-8"))
PLAN = json.loads((ROOT / "schemas" / "examples" / "plan.json").read_text("utf-8"))

#: A small round: two units on-site (one integrated), two by report (one with its own date).
UNITS = [{"name": "Sở Nội vụ", "mode": "on_site"},
         {"name": "UBND huyện Mỹ Tú", "mode": "on_site", "integrated": True},
         {"name": "UBND xã Long Hưng", "mode": "by_report"},
         {"name": "UBND xã Mỹ Hương", "mode": "by_report", "due_date": "2017-10-10"}]

#: Findings that recur from unit to unit (grouped in the report) and some of their own.
SCOPE_VARIANTS = (
    "Áp dụng cho toàn bộ thủ tục hành chính thuộc thẩm quyền; cập nhật khi thủ tục thay đổi.",
    "Chưa cập nhật các thủ tục hành chính mới công bố năm 2017.",
)


def soc_trang_units(*, marks: bool = True) -> list[dict[str, Any]]:
    """The 120 units; ``marks=False`` drops the not-inspected column (to mark it later)."""
    units = rounds.read_units_csv(UNITS_CSV.read_bytes())
    if not marks:
        for unit in units:
            unit.pop("not_inspected", None)
    return units


def new_round(units: list[dict[str, Any]]) -> dict[str, Any]:
    return {"issuer": ISSUER, "year": 2017,
            "title": "Kiểm tra việc áp dụng HTQLCL theo TCVN ISO 9001:2008 năm 2017",
            "units": units}


def minutes_for(name: str, stt: int) -> dict[str, Any]:
    """The example minutes at unit ``name``, with findings that vary with ``stt``.

    Every 4th unit's minutes say nothing on ``improvement``, every 7th nothing on
    ``internal_audit``; scope findings alternate between two shared texts, and the
    execution finding names the unit (so each is its own group).
    """
    data = copy.deepcopy(MINUTES_EXAMPLE)
    day = dt.date(2017, 9, 18) + dt.timedelta(days=stt % 60)
    data["date"] = day.isoformat()
    data["started_at"] = f"{day.isoformat()}T08:00:00"
    data["ended_at"] = f"{day.isoformat()}T11:30:00"
    data["unit"] = {"name": name}
    data["summary"] = ("Kiểm tra việc áp dụng, duy trì và cải tiến Hệ thống quản lý chất "
                       f"lượng theo TCVN ISO 9001:2008 tại {name}")
    data["location"] = f"Trụ sở {name}"
    data["number"] = None
    findings = []
    for finding in data["findings"]:
        aspect = finding["aspect"]
        if aspect == "improvement" and stt % 4 == 0:
            continue
        if aspect == "internal_audit" and stt % 7 == 0:
            continue
        if aspect == "scope":
            finding = {"aspect": aspect, "content": SCOPE_VARIANTS[stt % 2]}
        if aspect == "execution":
            finding = {"aspect": aspect,
                       "content": f"Có phiếu theo dõi xử lý công việc; {stt} hồ sơ đã kiểm tra."}
        findings.append(finding)
    data["findings"] = findings
    data["recipients"] = [name, "Ban Chỉ đạo ISO tỉnh"]
    return data


def report_fields() -> dict[str, Any]:
    """The report's own text: the example without what a round computes or defaults."""
    data = copy.deepcopy(REPORT_EXAMPLE)
    for key in ("counts", "findings", "number", "agency", "year", "period_start", "period_end",
                "not_inspected_reason"):
        data.pop(key)
    return data


#: The by-report units' self-assessments: every 5th report says nothing on
#: ``internal_audit``, every 3rd nothing on ``improvement``; scope alternates between two
#: shared texts (grouped in the report), execution names the unit's own figure.
REPORT_SCOPE = (
    "Áp dụng cho toàn bộ thủ tục hành chính cấp xã; niêm yết công khai tại bộ phận một cửa.",
    "Chưa áp dụng cho thủ tục hành chính lĩnh vực đất đai.",
)


def submission_for(name: str, stt: int) -> dict[str, Any]:
    """What by-report unit ``name`` (stt) sent: received in October 2017, per aspect."""
    assessments = [
        {"aspect": "scope", "content": REPORT_SCOPE[stt % 2]},
        {"aspect": "dissemination", "content": "Đã phổ biến tài liệu đến cán bộ, công chức."},
        {"aspect": "conformity", "content": "Chính sách, mục tiêu chất lượng năm 2017 đã ban hành."},
        {"aspect": "execution", "content": f"Giải quyết đúng hạn {80 + stt % 20}% hồ sơ."},
    ]
    if stt % 5:
        assessments.append({"aspect": "internal_audit",
                            "content": "Đã đánh giá nội bộ và xem xét của lãnh đạo."})
    if stt % 3:
        assessments.append({"aspect": "improvement",
                            "content": "Đã thực hiện hành động khắc phục sau đánh giá."})
    day = dt.date(2017, 10, 1) + dt.timedelta(days=stt % 15)
    return {"received_on": day.isoformat(), "assessments": assessments,
            "remarks": f"Báo cáo của {name} đủ nội dung."}


def letter_text() -> dict[str, Any]:
    """The letters' text: the letter example without what the round fills in."""
    data = copy.deepcopy(LETTER)
    for key in ("units", "addressees", "deadline", "number", "agency"):
        data.pop(key)
    return data


def notice_text() -> dict[str, Any]:
    """The notices' common text: the notice example without the unit's own parts."""
    data = copy.deepcopy(NOTICE)
    for key in ("unit_name", "decision_ref", "minutes_ref", "inspected_on", "findings",
                "general", "nonconformities", "number", "summary", "agency", "on_time_rate"):
        data.pop(key)
    data["recipients"] = ["Ban Chỉ đạo ISO tỉnh (báo cáo)", "Đoàn kiểm tra"]
    data["date"] = "2017-10-25"
    return data
