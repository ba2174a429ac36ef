"""The whole round (issue 16) at the store level, on SQLite and PostgreSQL: submissions and
their files, editing and deleting, plan and decision, letters, notices, corrections, the
dashboard and its export, the audit log."""

from __future__ import annotations

import copy
import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest

from docgen.errors import ValidationError
from docgen.rounds import store, workflow
from docgen.rounds.errors import (
    RoundNotFoundError,
    RoundNumberedError,
    UnitHasRecordsError,
    UnitNotByReportError,
    UnitWithoutMinutesError,
)

from ..docx_text import docx_text
from .roundsdata import (
    DECISION,
    ISSUER,
    PLAN,
    UNITS,
    letter_text,
    minutes_for,
    new_round,
    notice_text,
)

ROOT = Path(__file__).resolve().parents[2]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def small(any_register):
    round_ = store.create_round(any_register.session_factory,
                                {**new_round(UNITS), "due_date": "2017-10-16"}, actor="cli:tester")
    return any_register, round_.id


def test_a_submission_with_its_assessment_remarks_and_files(small):
    register, rid = small
    kept = workflow.record_submission(
        register.session_factory, rid, 3,
        {"received_on": "2017-10-09", "remarks": "Báo cáo đầy đủ.",
         "assessments": [{"aspect": "scope", "content": "Áp dụng cho 45/45 thủ tục."},
                         {"aspect": "internal_audit", "content": "Đã đánh giá nội bộ."}]},
        [workflow.Upload("../../bao cáo:xã.pdf", PDF)], actor="api:abc")
    assert kept["received_on"] == "2017-10-09" and kept["remarks"] == "Báo cáo đầy đủ."
    assert [a["aspect"] for a in kept["assessments"]] == ["scope", "internal_audit"]
    (file_,) = kept["attachments"]
    assert file_["filename"] == "bao cáo_xã.pdf" and file_["media_type"] == "application/pdf"
    with register.session_factory() as session:
        assert workflow.attachment(session, rid, file_["id"]).content == PDF
        shown = store.round_dict(session, rid)
    assert shown["units"][2]["status"] == "reported"
    assert shown["progress"]["reported"] == 1
    with register.session_factory() as session, pytest.raises(Exception) as info:
        workflow.attachment(session, rid + 1, file_["id"])
    assert getattr(info.value, "code", "") == "attachment_not_found"


@pytest.mark.parametrize(("name", "content", "code"), [
    ("virus.exe", b"MZ", "attachment_type"),
    ("gia.pdf", b"PK\x03\x04 not a pdf", "attachment_type"),
    ("lon.pdf", b"%PDF-" + b"0" * workflow.MAX_ATTACHMENT_BYTES, "attachment_too_large"),
])
def test_attachments_are_bounded_in_type_and_size(register, name, content, code):
    round_ = store.create_round(register.session_factory, new_round(UNITS))
    with pytest.raises(ValidationError) as info:
        workflow.record_submission(register.session_factory, round_.id, 3,
                                   {"received_on": "2017-10-09", "assessments": []},
                                   [workflow.Upload(name, content)])
    assert [(e.path, e.code) for e in info.value.errors] == [("attachments[0]", code)]
    with register.session_factory() as session:
        assert store.round_dict(session, round_.id)["units"][2]["submission"] is None


def test_a_submission_from_an_on_site_unit_is_refused(register):
    round_ = store.create_round(register.session_factory, new_round(UNITS))
    with pytest.raises(UnitNotByReportError):
        workflow.record_submission(register.session_factory, round_.id, 1,
                                   {"received_on": "2017-10-09"})


def test_edit_units_while_nothing_is_numbered_then_refused(small, renderer):
    register, rid = small
    units = [*UNITS[:3], {"name": "UBND xã Phú Mỹ", "mode": "by_report"}]
    workflow.update_round(register.session_factory, rid, {"units": units, "title": "Đợt mới"})
    with register.session_factory() as session:
        shown = store.round_dict(session, rid)
    assert [u["name"] for u in shown["units"]] == [u["name"] for u in units]
    assert shown["title"] == "Đợt mới"
    store.record_minutes(renderer, register.session_factory, rid, 1,
                         minutes_for("Sở Nội vụ", 1))
    with pytest.raises(UnitHasRecordsError):
        workflow.update_round(register.session_factory, rid, {"units": UNITS[1:]})
    store.record_minutes(renderer, register.session_factory, rid, 2,
                         minutes_for("UBND huyện Mỹ Tú", 2), register=True)
    with pytest.raises(RoundNumberedError) as info:
        workflow.update_round(register.session_factory, rid, {"units": units[:3]})
    assert info.value.code == "round_numbered" and "/BB-ĐKT" in str(info.value)
    with pytest.raises(RoundNumberedError):
        workflow.delete_round(register.session_factory, rid)
    # the due date still changes
    workflow.update_round(register.session_factory, rid, {"due_date": "2017-10-20"})


def test_delete_a_draft_round_keeps_its_log(small):
    register, rid = small
    workflow.delete_round(register.session_factory, rid, actor="trang:xyz")
    with register.session_factory() as session:
        with pytest.raises(RoundNotFoundError):
            store.round_dict(session, rid)
        from docgen.rounds import audit
        log = audit.events(session, rid)
    assert [(e["action"], e["actor"]) for e in log] == [("create", "cli:tester"),
                                                        ("delete", "trang:xyz")]


def test_plan_to_round_to_plan(register, renderer):
    round_ = workflow.round_from_plan(renderer, register.session_factory,
                                      {"plan": PLAN, "integrated": ["UBND huyện Mỹ Tú"],
                                       "due_date": "2017-10-16"})
    with register.session_factory() as session:
        shown = store.round_dict(session, round_.id)
        again = workflow.plan_payload(session, round_.id)
    assert [(u["name"], u["mode"], u["integrated"], u["scheduled_on"]) for u in shown["units"]] \
        == [(u["name"], u["mode"], u["name"] == "UBND huyện Mỹ Tú", u.get("scheduled_on"))
            for u in PLAN["units"]]
    assert shown["issuer"].items() >= PLAN["agency"].items()  # (+ the defaults the plan takes)
    assert shown["title"] == PLAN["summary"]
    assert again["units"] == [{"name": u["name"], "mode": u["mode"],
                               "scheduled_on": u.get("scheduled_on")} for u in PLAN["units"]]
    assert renderer.validate("plan", again).data["purpose"] == PLAN["purpose"]
    wrong = copy.deepcopy(PLAN)
    wrong["units"][0]["mode"] = "by_report"
    with pytest.raises(ValidationError) as info:
        workflow.set_plan(renderer, register.session_factory, round_.id, wrong)
    assert [(e.path, e.code) for e in info.value.errors] == [("units[0]", "plan_unit_mismatch")]
    rendered, entry = workflow.set_plan(renderer, register.session_factory, round_.id,
                                        {k: v for k, v in PLAN.items() if k != "units"},
                                        register=True)
    assert entry is not None and entry.symbol.endswith("/KH-SKHCN")
    assert "UBND xã Đại Ân 2" in docx_text(rendered.content)


def test_the_decision_is_cited_by_minutes_and_notices(small, renderer):
    register, rid = small
    _, entry = workflow.set_decision(renderer, register.session_factory, rid, DECISION,
                                     register=True)
    assert entry is not None
    with pytest.raises(RoundNumberedError):  # an issued decision is not replaced
        workflow.set_decision(renderer, register.session_factory, rid, DECISION)
    with register.session_factory() as session:
        cited = store.decision_citation(session, rid)
    assert cited.startswith(f"Quyết định số {entry.symbol} ngày 15/9/2017 của Giám đốc Sở Khoa "
                            "học và Công nghệ tỉnh Sóc Trăng về việc thành lập Đoàn kiểm tra")
    payload = minutes_for("Sở Nội vụ", 1)
    payload.pop("basis")
    rendered, _ = store.record_minutes(renderer, register.session_factory, rid, 1, payload)
    assert cited in " ".join(docx_text(rendered.content).split())
    with pytest.raises(UnitWithoutMinutesError):
        workflow.notices(renderer, register.session_factory, rid,
                         {"notice": notice_text(), "stt": [2]})
    produced = workflow.notices(renderer, register.session_factory, rid,
                                {"notice": notice_text(),
                                 "units": [{"stt": 1, "not_met": ["internal_audit"]}]},
                                register=True)
    ((notice, notice_entry),) = produced
    text = " ".join(docx_text(notice.content).split())
    assert notice_entry is not None and notice_entry.symbol.endswith("/TB-SKHCN")
    assert cited in text
    day = dt.date.fromisoformat(payload["date"])
    assert f"Biên bản kiểm tra ngày {day:%d/%m/%Y} của Đoàn kiểm tra tại Sở Nội vụ" in text
    assert payload["requests"][0].rstrip(".") in text
    # none left: every unit with minutes has its notice
    with pytest.raises(ValidationError) as info:
        workflow.notices(renderer, register.session_factory, rid, {"notice": notice_text()})
    assert info.value.errors[0].code == "no_units"
    workflow.record_corrections(register.session_factory, rid, 1,
                                {"reported_on": "2017-11-15", "note": "Đã khắc phục."})
    with register.session_factory() as session:
        board = workflow.dashboard(session, rid, today=dt.date(2017, 12, 1))
    row = board["units"][0]
    assert row["notice_symbol"] == notice_entry.symbol
    assert row["corrections_reported_on"] == "2017-11-15" and row["overdue"] == ""
    assert board["progress"]["corrections_reported"] == 1


def test_letters_with_a_list_or_one_per_unit(small, renderer):
    register, rid = small
    ((one, entry),) = workflow.letters(renderer, register.session_factory, rid,
                                       {"letter": letter_text()}, register=True)
    text = docx_text(one.content)
    assert entry is not None and "UBND xã Long Hưng" in text and "UBND xã Mỹ Hương" in text
    assert "16/10/2017" in text  # the round's due date
    each = workflow.letters(renderer, register.session_factory, rid,
                            {"letter": letter_text(), "grouping": "each"}, register=True)
    assert [e.number for _, e in each if e] == [entry.number + 1, entry.number + 2]
    texts = [docx_text(r.content) for r, _ in each]
    assert "16/10/2017" in texts[0] and "10/10/2017" in texts[1]  # the unit's own due date
    assert "UBND xã Mỹ Hương" in texts[1] and "UBND xã Mỹ Hương" not in texts[0]
    archive = zipfile.ZipFile(io.BytesIO(workflow.zip_documents(each)))
    assert len(archive.namelist()) == 2
    with pytest.raises(ValidationError) as info:
        workflow.letters(renderer, register.session_factory, rid,
                         {"letter": letter_text(), "stt": [1]})
    assert [(e.path, e.code) for e in info.value.errors] == [("stt[0]", "unit_not_by_report")]


def test_dashboard_counts_filters_overdue_and_export(small, renderer):
    register, rid = small
    store.record_minutes(renderer, register.session_factory, rid, 1,
                         minutes_for("Sở Nội vụ", 1), register=True)
    workflow.record_submission(register.session_factory, rid, 3, {"received_on": "2017-10-09"})
    with register.session_factory() as session:
        board = workflow.dashboard(session, rid, today=dt.date(2017, 10, 12))
        late = workflow.dashboard(session, rid, workflow.DashboardFilters(overdue=True),
                                  today=dt.date(2017, 10, 12))
        by_report = workflow.dashboard(session, rid, workflow.DashboardFilters(mode="by_report"),
                                       today=dt.date(2017, 10, 12))
        listed = workflow.list_rounds(session)
    assert board["by_mode_status"]["on_site"] == {"planned": 1, "inspected": 1,
                                                  "not_inspected": 0, "reported": 0}
    assert board["by_mode_status"]["by_report"]["reported"] == 1
    assert board["progress"]["minutes"] == 1 and board["progress"]["reports_received"] == 1
    # Mỹ Hương's own due date (10/10) has passed; the round's (16/10) not yet
    assert [(u["stt"], u["overdue"]) for u in late["units"]] == [(4, "report")]
    assert [u["stt"] for u in by_report["units"]] == [3, 4]
    (minutes_doc,) = board["documents"]
    assert minutes_doc["kind"] == "minutes" and minutes_doc["symbol"].endswith("/BB-ĐKT")
    assert not board["draft"]
    assert [e["action"] for e in board["events"]] == ["create", "minutes", "submission"]
    assert listed[0]["id"] == rid and listed[0]["minutes"] == 1 and not listed[0]["draft"]
    content, media = workflow.export_units(late, "csv")
    lines = content.decode("utf-8-sig").splitlines()
    assert media == "text/csv" and lines[0].startswith('STT,"Tên cơ quan, đơn vị",Hình thức')
    assert lines[1].startswith("4,UBND xã Mỹ Hương,Qua báo cáo,,Chưa có kết quả,10/10/2017,"
                               "Chưa gửi báo cáo")
    xlsx, _ = workflow.export_units(board, "xlsx")
    from openpyxl import load_workbook
    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert sheet.cell(row=2, column=2).value == "Sở Nội vụ"
    assert sheet.max_row == 5


def test_the_issuer_of_a_round_from_the_plan_is_the_plans(register, renderer):
    round_ = workflow.round_from_plan(renderer, register.session_factory, {"plan": PLAN})
    assert round_.issuer == ISSUER or round_.issuer["code"] == PLAN["agency"]["code"]
