"""The Sóc Trăng 2017 round from shared/data, end to end (issue 16, "done means"): plan,
decision, letters to the 74 by-report units, 45 minutes and one not-inspected mark, 74
reports received with their self-assessments, 45 notices, the report — every count and
paragraph checked against the records, and the dashboard showing what was issued."""

from __future__ import annotations

import copy
import datetime as dt
import re

from docgen.rounds import store, workflow
from docgen.schemas.common import ASPECTS

from ..docx_text import docx_text
from .roundsdata import (
    DECISION,
    PLAN,
    letter_text,
    minutes_for,
    notice_text,
    report_fields,
    soc_trang_units,
    submission_for,
)
from .test_rounds_store import NOT_INSPECTED_STT, REASON, aspect_paragraphs

ON_SITE_HEAD = re.compile(r"^Kiểm tra tại trụ sở (\d+) đơn vị có biên bản; (?:cả )?(\d+|không) "
                          r"biên bản")
BY_REPORT_HEAD = re.compile(r"^Kiểm tra qua báo cáo (\d+) đơn vị đã gửi báo cáo; (?:cả )?"
                            r"(\d+|không) báo cáo", re.MULTILINE)


def named(section: str, names: list[str]) -> list[str]:
    """The names listed in the grouped lines of one part of a paragraph."""
    body = section.split(":\n", 1)[1] if ":\n" in section else ""
    return [n for n in names if re.search(rf"(?:- |, ){re.escape(n)}[,:( ]", body)]


def others(section: str) -> int:
    """The units counted, not named, in a last "- 12 đơn vị khác: …" line."""
    found = re.search(r"^- (\d+) đơn vị khác: kết quả chi tiết tại", section, re.MULTILINE)
    return int(found.group(1)) if found else 0


def check_listed(section: str, candidates: list[str], expected: list[str]) -> None:
    """Every unit with something on the aspect is named once or counted in the last line."""
    shown = named(section, candidates)
    assert set(shown) <= set(expected)
    assert len(shown) + others(section) == len(expected)


def test_the_soc_trang_2017_round_end_to_end(any_register, renderer):
    factory = any_register.session_factory
    units = soc_trang_units(marks=False)
    plan = copy.deepcopy(PLAN)
    plan["units"] = [{"name": u["name"], "mode": u["mode"]} for u in units]
    integrated = [u["name"] for u in units if u["integrated"]]
    round_ = workflow.round_from_plan(renderer, factory, {"plan": plan, "integrated": integrated,
                                                          "due_date": "2017-10-16"},
                                      actor="cli:thu-ky")
    rid = round_.id
    with factory() as session:
        assert workflow.plan_payload(session, rid)["units"] == [
            {**u, "scheduled_on": None} for u in plan["units"]]
    _, decision = workflow.set_decision(renderer, factory, rid, DECISION, register=True)
    assert decision is not None

    # Letters: one per by-report unit, numbered in one go.
    letters = workflow.letters(renderer, factory, rid, {"letter": letter_text(),
                                                        "grouping": "each"}, register=True)
    by_report = [u for u in round_.units if u.mode == "by_report"]
    assert len(letters) == len(by_report) == 74
    numbers = [e.number for _, e in letters if e is not None]
    assert numbers == list(range(numbers[0], numbers[0] + 74))
    first = docx_text(letters[0][0].content)
    assert by_report[0].name in first and "16/10/2017" in first

    # 45 minutes (decision cited), one not inspected.
    on_site = [u for u in round_.units if u.mode == "on_site"]
    recorded = {}
    for unit in on_site:
        if unit.stt == NOT_INSPECTED_STT:
            continue
        payload = minutes_for(unit.name, unit.stt)
        payload.pop("basis")
        store.record_minutes(renderer, factory, rid, unit.stt, payload)
        recorded[unit.stt] = payload
    store.mark_not_inspected(factory, rid, NOT_INSPECTED_STT, {"reason": REASON})
    assert len(recorded) == 45

    # 74 reports received with their self-assessments.
    sent = {u.stt: submission_for(u.name, u.stt) for u in by_report}
    for stt, data in sent.items():
        workflow.record_submission(factory, rid, stt, data)

    # 45 notices, numbered, citing the decision and each unit's minutes.
    common = {**notice_text(), "date": "2017-11-20", "report_deadline": "2017-12-15"}
    notices = workflow.notices(renderer, factory, rid, {"notice": common}, register=True)
    assert len(notices) == 45
    with factory() as session:
        cited = store.decision_citation(session, rid)
    text = " ".join(docx_text(notices[0][0].content).split())
    first_on_site = on_site[0]
    assert cited in text and f"tại {first_on_site.name}" in text
    assert f"Biên bản kiểm tra ngày {dt.date.fromisoformat(recorded[first_on_site.stt]['date']):%d/%m/%Y}" in text

    # The report.
    rendered, report_entry = store.render_report(
        renderer, factory, rid, store.ReportRequest(report_fields()), register=True)
    assert report_entry is not None
    report = docx_text(rendered.content)
    flat = " ".join(report.split())
    assert REASON in flat and "UBND xã Viên Bình" in flat  # the not-inspected unit, named
    paragraphs = aspect_paragraphs(report)
    names = {u.stt: u.name for u in round_.units}
    for aspect, paragraph in paragraphs.items():
        assert len(paragraph) <= 5000
        on_site_part, _, by_report_part = paragraph.partition("\nKiểm tra qua báo cáo ")
        by_report_part = "Kiểm tra qua báo cáo " + by_report_part
        with_finding = [s for s, p in recorded.items()
                        if any(f["aspect"] == aspect for f in p["findings"])]
        minutes, k = ON_SITE_HEAD.match(on_site_part).groups()  # type: ignore[union-attr]
        assert int(minutes) == 45
        assert (0 if k == "không" else int(k)) == len(with_finding), aspect
        check_listed(on_site_part, [names[s] for s in recorded],
                     [names[s] for s in with_finding])
        assessed = [s for s, d in sent.items()
                    if any(a["aspect"] == aspect for a in d["assessments"])]
        received, k2 = BY_REPORT_HEAD.match(by_report_part).groups()  # type: ignore[union-attr]
        assert int(received) == 74
        assert (0 if k2 == "không" else int(k2)) == len(assessed), aspect
        check_listed(by_report_part, [names[s] for s in sent], [names[s] for s in assessed])
        silent = [names[s] for s in sent if s not in assessed]
        if silent:
            assert f"({len(silent):02d} báo cáo không nêu: {', '.join(silent)})" in by_report_part
    scope = paragraphs["scope"]
    shared = [s for s in sent if s % 2 == 0]
    assert f"({len(shared):02d} đơn vị): Áp dụng cho toàn bộ thủ tục hành chính cấp xã" in scope

    # The dashboard: everything received, every document issued with its number.
    with factory() as session:
        board = workflow.dashboard(session, rid, today=dt.date(2017, 12, 20))
        listed = workflow.list_rounds(session)
    assert board["counts"] == {"planned": 120, "on_site": 46, "integrated": 9,
                               "not_inspected": 1, "by_report": 74}
    assert board["progress"] == {"minutes": 45, "pending_on_site": 0, "reports_received": 74,
                                 "reports_pending": 0, "overdue": 45, "notices": 45,
                                 "corrections_reported": 0,
                                 "report_issued": report_entry.symbol}
    # (the 45 are late with their corrections: the notices' deadline, 15/12/2017, passed)
    assert {u["overdue"] for u in board["units"] if u["overdue"]} == {"corrections"}
    kinds: dict[str, int] = {}
    for document in board["documents"]:
        if document["symbol"]:
            kinds[document["kind"]] = kinds.get(document["kind"], 0) + 1
    assert kinds == {"decision": 1, "letter": 74, "notice": 45, "report": 1}
    assert listed[0]["reports_received"] == 74 and not listed[0]["draft"]
    actions: dict[str, int] = {}
    for event in board["events"]:
        actions[event["action"]] = actions.get(event["action"], 0) + 1
    assert actions == {"create": 1, "decision": 1, "letter": 1, "minutes": 45,
                       "not_inspected": 1, "submission": 74, "notice": 1, "report": 1}
    assert set(ASPECTS) == set(paragraphs)
