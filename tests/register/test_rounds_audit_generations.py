"""Every document a round generates, numbered or not, writes one line of the round's audit
log with who (issue 16: "every action a clerk takes on a round is recorded"): plan,
decision, minutes, letters, notices, report — the unnumbered ones say "(chưa cấp số)"."""

from __future__ import annotations

import datetime as dt

from docgen.rounds import audit, store, workflow

from .roundsdata import DECISION, PLAN, UNITS, letter_text, minutes_for, new_round, report_fields
from .roundsdata import notice_text as notice_body


def _day(stt: int) -> str:
    return f"{dt.date.fromisoformat(minutes_for('', stt)['date']):%d/%m/%Y}"


def test_each_generation_numbered_or_not_is_one_audit_line(register, renderer):
    factory = register.session_factory
    round_ = store.create_round(factory, {**new_round(UNITS), "due_date": "2017-10-16"})
    rid = round_.id
    workflow.set_plan(renderer, factory, rid, {k: v for k, v in PLAN.items() if k != "units"},
                      actor="cli:an")
    workflow.set_decision(renderer, factory, rid, DECISION, actor="cli:an")
    workflow.letters(renderer, factory, rid, {"letter": letter_text()}, actor="cli:an")
    for stt, name in ((1, "Sở Nội vụ"), (2, "UBND huyện Mỹ Tú")):
        store.record_minutes(renderer, factory, rid, stt, minutes_for(name, stt), actor="cli:an")
    workflow.notices(renderer, factory, rid, {"notice": notice_body(), "stt": [1]},
                     actor="cli:an")
    (_, notice_entry), = workflow.notices(renderer, factory, rid,
                                          {"notice": notice_body(), "stt": [2]},
                                          register=True, actor="cli:binh")
    store.render_report(renderer, factory, rid, store.ReportRequest(
        report_fields(), allow_incomplete=True), actor="cli:an")
    _, report_entry = store.render_report(renderer, factory, rid, store.ReportRequest(
        report_fields(), allow_incomplete=True), register=True, actor="cli:binh")
    assert notice_entry is not None and report_entry is not None
    with factory() as session:
        log = [(e["action"], e["actor"], e["detail"]) for e in audit.events(session, rid)]
    assert log[1:] == [
        ("plan", "cli:an", "Kế hoạch kiểm tra (chưa cấp số)."),
        ("decision", "cli:an", "Quyết định thành lập Đoàn kiểm tra (chưa cấp số)."),
        ("letter", "cli:an", ("Công văn đề nghị gửi báo cáo (một công văn kèm danh sách, 2 đơn "
                             "vị): 1 văn bản (chưa cấp số).")),
        ("minutes", "cli:an", f"Biên bản ngày {_day(1)} tại Sở Nội vụ (chưa cấp số)."),
        ("minutes", "cli:an", f"Biên bản ngày {_day(2)} tại UBND huyện Mỹ Tú (chưa cấp số)."),
        ("notice", "cli:an", "Thông báo kết quả kiểm tra: 1 văn bản (chưa cấp số)."),
        ("notice", "cli:binh", f"Thông báo kết quả kiểm tra: 1 văn bản, số {notice_entry.symbol}."),
        ("report", "cli:an", "Báo cáo (chưa cấp số)."),
        ("report", "cli:binh", f"Báo cáo số {report_entry.symbol}."),
    ]
