"""Stored rounds: the report's figures equal the minutes' records (issue 6), on SQLite and
PostgreSQL, and the migration from 0001 to 0002."""

from __future__ import annotations

import re

import pytest
from alembic import command
from sqlalchemy import inspect

from docgen.errors import ValidationError
from docgen.register.db import alembic_config, current_revision, make_engine, upgrade
from docgen.rounds import store, summary
from docgen.rounds.errors import (
    MinutesRegisteredError,
    RoundIncompleteError,
    RoundNotFoundError,
    RoundUnitNotFoundError,
    UnitHasMinutesError,
    UnitNotOnSiteError,
)
from docgen.schemas.common import ASPECTS

from ..docx_text import docx_text
from .roundsdata import minutes_for, new_round, report_fields, soc_trang_units

NOT_INSPECTED_STT = 117  # UBND xã Viên Bình in the CSV
REASON = "chưa chuẩn bị hồ sơ, tài liệu phục vụ kiểm tra"
HEAD = re.compile(r"^Kiểm tra tại trụ sở (\d+) đơn vị có biên bản; (?:cả )?(\d+|không) "
                  r"biên bản")


def aspect_paragraphs(text: str) -> dict[str, str]:
    """Each aspect's paragraph of the report, by aspect (the lines under its heading)."""
    titles = list(ASPECTS.items())
    found = {}
    for index, (aspect, title) in enumerate(titles):
        start = text.index(f"{index + 1}. {title}\n") + len(f"{index + 1}. {title}\n")
        end = (text.index(f"{index + 2}. {titles[index + 1][1]}\n") if index + 1 < len(titles)
               else text.index("II. TỒN TẠI, HẠN CHẾ"))
        found[aspect] = text[start:end].strip()
    return found


def _round_with_minutes(register, renderer):
    """The Sóc Trăng round with minutes for 45 on-site units and 1 not inspected."""
    round_ = store.create_round(register.session_factory, new_round(soc_trang_units(marks=False)))
    recorded = {}
    for unit in round_.units:
        if unit.mode != "on_site" or unit.stt == NOT_INSPECTED_STT:
            continue
        payload = minutes_for(unit.name, unit.stt)
        store.record_minutes(renderer, register.session_factory, round_.id, unit.stt, payload)
        recorded[unit.stt] = payload
    store.mark_not_inspected(register.session_factory, round_.id, NOT_INSPECTED_STT,
                             {"reason": REASON})
    return round_, recorded


def test_soc_trang_report_figures_equal_the_minutes(any_register, renderer):
    round_, recorded = _round_with_minutes(any_register, renderer)
    assert len(recorded) == 45
    rendered, entry = store.render_report(renderer, any_register.session_factory, round_.id,
                                          store.ReportRequest(report_fields()))
    assert entry is None
    text = docx_text(rendered.content)
    assert ("có 120 cơ quan, đơn vị được kiểm tra, trong đó kiểm tra tại trụ sở 46 đơn vị "
            "(chiếm 38,33%) và kiểm tra qua báo cáo 74 đơn vị") in text
    assert "có 09 đơn vị được kiểm tra lồng ghép" in text
    assert f"01 đơn vị chưa kiểm tra được do {REASON} (UBND xã Viên Bình)." in text
    # the period defaults to the first and last minutes
    first = min(p["date"] for p in recorded.values())
    assert f"từ ngày {int(first[8:])}/{int(first[5:7])}/2017" in text

    expected = {a: sum(1 for p in recorded.values() if any(f["aspect"] == a
                                                            for f in p["findings"]))
                for a in ASPECTS}
    assert expected["improvement"] < 45 and expected["internal_audit"] < 45  # they do vary
    with any_register.session_factory() as session:
        assert store.aspect_counts(session, round_.id) == expected
        shown = store.round_dict(session, round_.id)
    assert shown["counts"] == {"planned": 120, "on_site": 46, "integrated": 9,
                               "not_inspected": 1, "by_report": 74}
    assert shown["progress"] == {"minutes": 45, "pending": 0, "reported": 0}

    for aspect, paragraph in aspect_paragraphs(text).items():
        minutes, k = HEAD.match(paragraph).groups()  # type: ignore[union-attr]
        assert int(minutes) == 45
        assert int(k) == expected[aspect], aspect
        # every unit with the aspect is named once in the grouped lines, none other
        named = [stt for stt, p in recorded.items()
                 if re.search(rf"(?:- |, ){re.escape(p['unit']['name'])}[,:( ]",
                              paragraph.split(":\n", 1)[1])]
        assert len(named) == expected[aspect], aspect
    scope = aspect_paragraphs(text)["scope"]
    assert "(23 đơn vị): Áp dụng cho toàn bộ thủ tục hành chính" in scope  # grouped
    audit = aspect_paragraphs(text)["internal_audit"]
    silent = [p["unit"]["name"] for stt, p in recorded.items() if stt % 7 == 0]
    assert f"({len(silent):02d} biên bản không ghi: {', '.join(silent)})" in audit


def test_incomplete_round_is_refused_unless_allowed(register, renderer):
    round_ = store.create_round(register.session_factory, new_round(soc_trang_units()))
    first = next(u for u in round_.units if u.mode == "on_site")
    store.record_minutes(renderer, register.session_factory, round_.id, first.stt,
                         minutes_for(first.name, first.stt))
    request = store.ReportRequest(report_fields())
    with pytest.raises(RoundIncompleteError) as info:
        store.render_report(renderer, register.session_factory, round_.id, request)
    assert len(info.value.pending) == 44 and info.value.code == "round_incomplete"
    assert "Còn 44 đơn vị kiểm tra tại trụ sở" in info.value.message
    rendered, _ = store.render_report(renderer, register.session_factory, round_.id,
                                      store.ReportRequest(report_fields(),
                                                          allow_incomplete=True))
    text = docx_text(rendered.content)
    assert ("Kiểm tra tại trụ sở 01 đơn vị có biên bản; cả 01 biên bản ghi kết quả về nội "
            "dung này; còn 44 đơn vị kiểm tra tại trụ sở chưa có biên bản tại thời điểm báo "
            "cáo:") in text
    # the CSV's not-inspected column was kept: the count is 1 without any mark
    assert "01 đơn vị chưa kiểm tra được." in text


def test_minutes_are_refused_for_the_wrong_unit(register, renderer):
    round_ = store.create_round(register.session_factory, new_round(soc_trang_units()))
    by_report = next(u for u in round_.units if u.mode == "by_report")
    with pytest.raises(UnitNotOnSiteError):
        store.record_minutes(renderer, register.session_factory, round_.id, by_report.stt,
                             minutes_for(by_report.name, by_report.stt))
    with pytest.raises(UnitNotOnSiteError):
        store.mark_not_inspected(register.session_factory, round_.id, by_report.stt,
                                 {"reason": REASON})
    with pytest.raises(ValidationError) as info:
        store.record_minutes(renderer, register.session_factory, round_.id, 1,
                             minutes_for("Sở Nội vụ", 1))  # stt 1 is Văn phòng UBND tỉnh
    assert [(e.path, e.code) for e in info.value.errors] == [("unit.name",
                                                              "unit_name_mismatch")]
    # case, spacing and Unicode form do not make a different unit
    store.record_minutes(renderer, register.session_factory, round_.id, 1,
                         minutes_for("  văn phòng  UBND tỉnh", 1))
    with pytest.raises(RoundUnitNotFoundError):
        store.record_minutes(renderer, register.session_factory, round_.id, 999,
                             minutes_for("X", 999))
    with pytest.raises(RoundNotFoundError):
        store.mark_not_inspected(register.session_factory, 999, 1, {"reason": REASON})
    with pytest.raises(UnitHasMinutesError):
        store.mark_not_inspected(register.session_factory, round_.id, 1, {"reason": REASON})
    with register.session_factory() as session:
        assert store.round_dict(session, round_.id)["progress"]["minutes"] == 1


def test_numbered_minutes_are_linked_and_kept(any_register, renderer):
    round_ = store.create_round(any_register.session_factory, new_round(soc_trang_units()[:3]))
    payload = minutes_for("Sở Nội vụ", 2)
    rendered, entry = store.record_minutes(renderer, any_register.session_factory, round_.id,
                                           2, payload, register=True)
    assert entry is not None and entry.symbol == "01/BB-ĐKT"
    assert "Số: 01/BB-ĐKT" in docx_text(rendered.content)
    with any_register.session_factory() as session:
        unit = store.round_dict(session, round_.id)["units"][1]
    assert unit["status"] == "inspected"
    assert unit["minutes"]["register_entry"] == {"id": entry.id, "symbol": "01/BB-ĐKT"}
    with pytest.raises(MinutesRegisteredError, match="01/BB-ĐKT"):
        store.record_minutes(renderer, any_register.session_factory, round_.id, 2, payload)


def test_counts_and_findings_are_not_typed(register):
    round_ = store.create_round(register.session_factory, new_round(soc_trang_units()[:2]))
    fields = {**report_fields(), "counts": {"planned": 2}, "findings": []}
    with pytest.raises(ValidationError) as info:
        store.report_payload(register.session_factory, round_.id, store.ReportRequest(fields))
    assert [(e.path, e.code) for e in info.value.errors] == [("counts", "computed_field"),
                                                             ("findings", "computed_field")]


def test_duplicate_stt_is_refused(register):
    units = soc_trang_units()[:2]
    units[1]["stt"] = units[0]["stt"]
    with pytest.raises(ValidationError) as info:
        store.create_round(register.session_factory, new_round(units))
    assert [(e.path, e.code) for e in info.value.errors] == [("units[1].stt", "duplicate_stt")]


def test_migration_from_0001_to_0002(database_url):
    """A register made before rounds existed keeps its entries and gains the round tables."""
    from .olddata import old_entry

    engine = make_engine(database_url)
    try:
        assert upgrade(engine, "0001_register") == "0001_register"
        assert not inspect(engine).has_table("rounds")
        # Written with 0001's columns: today's model has more (0003's template_version).
        old_entry(engine, symbol="01/BB-ĐKT")
        assert upgrade(engine, "0002_rounds") == "0002_rounds" == current_revision(engine)
        tables = set(inspect(engine).get_table_names())
        assert {"rounds", "round_units", "round_minutes", "round_findings",
                "register_entries"} <= tables
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT symbol FROM register_entries").scalar() == \
                "01/BB-ĐKT"
        command.downgrade(alembic_config(engine), "0001_register")
        assert not inspect(engine).has_table("round_units")
        assert inspect(engine).has_table("register_entries")
    finally:
        engine.dispose()


def test_a_long_paragraph_stays_within_the_report_limit():
    rows = [summary.AspectRow(i, f"UBND xã số {i}", f"Phát hiện riêng số {i}: " + "x" * 200)
            for i in range(1, 61)]
    text = summary.aspect_paragraph(rows, minutes=60)
    assert len(text) <= summary.MAX_PARAGRAPH
    shown = text.count("\n- UBND xã số ")
    assert shown < 60
    assert text.endswith(f"- {60 - shown} đơn vị khác: kết quả chi tiết tại biên bản kiểm "
                         "tra của từng đơn vị.")


def test_summary_doctests():
    import doctest

    assert doctest.testmod(summary, report=True).failed == 0


def test_minutes_recorded_again_replace_their_findings(any_register, renderer):
    round_ = store.create_round(any_register.session_factory, new_round(soc_trang_units()[:2]))
    first = minutes_for("Văn phòng UBND tỉnh", 1)
    store.record_minutes(renderer, any_register.session_factory, round_.id, 1, first)
    second = minutes_for("Văn phòng UBND tỉnh", 1)
    second["findings"] = [f for f in second["findings"] if f["aspect"] == "scope"] * 2
    store.record_minutes(renderer, any_register.session_factory, round_.id, 1, second)
    with any_register.session_factory() as session:
        counts = store.aspect_counts(session, round_.id)
        shown = store.round_dict(session, round_.id)
    assert counts == {**dict.fromkeys(ASPECTS, 0), "scope": 1}  # one unit, twice the aspect
    assert shown["units"][0]["minutes"]["aspects"] == ["scope"]
    assert shown["progress"] == {"minutes": 1, "pending": 1, "reported": 0}
