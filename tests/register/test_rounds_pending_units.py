"""A round's report made before every unit has a result names those units, once, after the
counts (issue 16: "produce the report when the round is complete, or with the incomplete
units named"): the on-site units with neither minutes nor a not-inspected mark, the
by-report units whose report has not come. A complete round's report has no such line."""

from __future__ import annotations

import io

import docx
import pytest

from docgen.errors import ValidationError
from docgen.rounds import store, summary, workflow

from ..docx_text import docx_text
from .roundsdata import minutes_for, new_round, report_fields, soc_trang_units, submission_for

HEAD = "Đến ngày 14/12/2017, còn "


def small_round(register, units):
    return store.create_round(register.session_factory, new_round(
        [{"stt": i, "name": name, "mode": mode} for i, (name, mode) in enumerate(units, 1)]))


def report(register, renderer, rid, **fields):
    rendered, _ = store.render_report(renderer, register.session_factory, rid,
                                      store.ReportRequest({**report_fields(), **fields},
                                                          allow_incomplete=True))
    return rendered.content


def body_paragraphs(content: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(content)).paragraphs]


def test_the_soc_trang_round_at_one_minutes_names_44_and_74_units(register, renderer):
    round_ = store.create_round(register.session_factory, new_round(soc_trang_units()))
    store.record_minutes(renderer, register.session_factory, round_.id, 1,
                         minutes_for("Văn phòng UBND tỉnh", 1))
    units = soc_trang_units()
    pending = [u["name"] for u in units if u["mode"] == "on_site" and u["stt"] != 1
               and not u["not_inspected"]]
    awaited = [u["name"] for u in units if u["mode"] == "by_report"]
    assert (len(pending), len(awaited)) == (44, 74)
    text = " ".join(docx_text(report(register, renderer, round_.id)).split())
    expected = (f"{HEAD}44 đơn vị kiểm tra tại trụ sở chưa có kết quả kiểm tra "
                f"({', '.join(pending[:20])} và 24 đơn vị khác); 74 đơn vị kiểm tra qua báo "
                f"cáo chưa gửi báo cáo ({', '.join(awaited[:20])} và 54 đơn vị khác).")
    assert expected in text
    assert text.count(HEAD) == 1  # once, not per aspect
    # after the counts table, before the first aspect's heading
    assert text.index("Kiểm tra qua báo cáo 74") < text.index(HEAD) < text.index(
        "1. Phạm vi áp dụng Hệ thống quản lý chất lượng")


def test_a_complete_round_has_no_pending_line_and_no_empty_paragraph(register, renderer):
    round_ = small_round(register, [("Sở Nội vụ", "on_site"), ("Sở Tư pháp", "on_site"),
                                    ("UBND xã Đại Tâm", "by_report")])
    factory = register.session_factory
    for stt, name in ((1, "Sở Nội vụ"), (2, "Sở Tư pháp")):
        store.record_minutes(renderer, factory, round_.id, stt, minutes_for(name, stt))
    workflow.record_submission(factory, round_.id, 3, submission_for("UBND xã Đại Tâm", 3), [])
    content = report(register, renderer, round_.id)
    text = docx_text(content)
    assert "chưa có kết quả kiểm tra" not in text and "chưa gửi báo cáo (" not in text
    assert "Đến ngày" not in text
    paragraphs = body_paragraphs(content)
    heading = paragraphs.index("1. Phạm vi áp dụng Hệ thống quản lý chất lượng")
    assert paragraphs[heading - 1].strip(), "an empty paragraph where the line would be"


def test_only_the_awaited_reports_when_every_on_site_unit_has_minutes(register, renderer):
    round_ = small_round(register, [("Sở Nội vụ", "on_site"), ("UBND xã Đại Tâm", "by_report"),
                                    ("UBND xã Long Hưng", "by_report")])
    factory = register.session_factory
    store.record_minutes(renderer, factory, round_.id, 1, minutes_for("Sở Nội vụ", 1))
    workflow.record_submission(factory, round_.id, 2, submission_for("UBND xã Đại Tâm", 2), [])
    text = " ".join(docx_text(report(register, renderer, round_.id)).split())
    assert (f"{HEAD}01 đơn vị kiểm tra qua báo cáo chưa gửi báo cáo (UBND xã Long Hưng)."
            in text)
    assert "tại trụ sở chưa có kết quả kiểm tra" not in text


def test_only_the_on_site_units_without_a_result(register, renderer):
    round_ = small_round(register, [("Sở Nội vụ", "on_site"), ("Sở Y tế", "on_site"),
                                    ("UBND huyện Kế Sách", "on_site")])
    factory = register.session_factory
    store.record_minutes(renderer, factory, round_.id, 1, minutes_for("Sở Nội vụ", 1))
    text = " ".join(docx_text(report(register, renderer, round_.id)).split())
    assert (f"{HEAD}02 đơn vị kiểm tra tại trụ sở chưa có kết quả kiểm tra (Sở Y tế, UBND "
            "huyện Kế Sách).") in text


def test_the_line_is_computed_and_refused_if_sent(register, renderer):
    round_ = small_round(register, [("Sở Nội vụ", "on_site")])
    with pytest.raises(ValidationError) as info:
        report(register, renderer, round_.id, pending_units="Còn 01 đơn vị …")
    assert [(e.path, e.code) for e in info.value.errors] == [("pending_units",
                                                              "computed_field")]


def test_long_names_give_fewer_names_within_the_fields_length():
    names = [f"Ủy ban nhân dân xã {i:03d} " + "rất dài " * 30 for i in range(40)]
    line = summary.pending_line("14/12/2017", names, names)
    assert len(line) <= 3000
    assert line.startswith(f"{HEAD}40 đơn vị kiểm tra tại trụ sở chưa có kết quả kiểm tra")
    assert "và 35 đơn vị khác" in line or "(" not in line  # 5 names, or only the counts
    assert summary.pending_line("", ["Sở A"], []) == (
        "Còn 01 đơn vị kiểm tra tại trụ sở chưa có kết quả kiểm tra (Sở A).")
    assert summary.pending_line("1/1/2018", [], []) == ""


def test_the_pending_line_prints_its_date_as_the_report_does(register, renderer):
    round_ = small_round(register, [("Sở Nội vụ", "on_site"), ("Sở Y tế", "on_site")])
    store.record_minutes(renderer, register.session_factory, round_.id, 1,
                         minutes_for("Sở Nội vụ", 1))
    text = " ".join(docx_text(report(register, renderer, round_.id, date="2018-03-05"))
                    .split())
    assert "Đến ngày 05/3/2018, còn 01 đơn vị kiểm tra tại trụ sở" in text
