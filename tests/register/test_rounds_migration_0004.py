"""Migration 0004 (the round workflow) upgrades a round made by the code of 0003 without
loss, on SQLite and PostgreSQL, and goes back down."""

from __future__ import annotations

import datetime as dt

from alembic import command
from sqlalchemy import inspect, text

from docgen.register.db import alembic_config, make_engine, make_session_factory, upgrade
from docgen.rounds import store

NOW = dt.datetime(2017, 10, 12, 8, 0, tzinfo=dt.UTC)


def _old_round(engine) -> int:
    """A round as 0002/0003 stored it, written with those revisions' columns only."""
    with engine.begin() as conn:
        round_id = conn.execute(text(
            "INSERT INTO rounds (issuer_code, issuer, year, title, created_at) VALUES "
            "('SKHCN', :issuer, 2017, 'Kiểm tra ISO năm 2017', :now) RETURNING id"),
            {"issuer": '{"parent_name": "UBND tỉnh Sóc Trăng", "name": "Sở Khoa học và '
                       'Công nghệ", "code": "SKHCN", "place": "Sóc Trăng"}', "now": NOW}
        ).scalar_one()
        units = {}
        for stt, name, mode, status, reason in (
                (1, "Sở Nội vụ", "on_site", "inspected", ""),
                (2, "UBND xã Viên Bình", "on_site", "not_inspected", "chưa chuẩn bị hồ sơ"),
                (3, "UBND xã Long Hưng", "by_report", "reported", ""),
                (4, "UBND xã Phú Mỹ", "by_report", "planned", "")):
            units[stt] = conn.execute(text(
                "INSERT INTO round_units (round_id, stt, name, mode, integrated, status, reason,"
                " updated_at) VALUES (:r, :stt, :name, :mode, false, :status, :reason, :now) "
                "RETURNING id"), {"r": round_id, "stt": stt, "name": name, "mode": mode,
                                  "status": status, "reason": reason, "now": NOW}).scalar_one()
        minutes_id = conn.execute(text(
            "INSERT INTO round_minutes (unit_id, payload, date, register_entry_id, created_at) "
            "VALUES (:u, :p, :d, NULL, :now) RETURNING id"),
            {"u": units[1], "p": '{"unit": {"name": "Sở Nội vụ"}}', "d": dt.date(2017, 10, 12),
             "now": NOW}).scalar_one()
        conn.execute(text(
            "INSERT INTO round_findings (minutes_id, unit_id, position, aspect, content) "
            "VALUES (:m, :u, 1, 'scope', 'Áp dụng cho toàn bộ thủ tục hành chính')"),
            {"m": minutes_id, "u": units[1]})
    return int(round_id)


def test_0004_keeps_a_round_made_before_it(database_url):
    engine = make_engine(database_url)
    try:
        upgrade(engine, "0003_store")
        round_id = _old_round(engine)
        assert upgrade(engine) == "0004_round_workflow"
        factory = make_session_factory(engine)
        with factory() as session:
            shown = store.round_dict(session, round_id)
        assert [(u["stt"], u["status"], u["reason"]) for u in shown["units"]] == [
            (1, "inspected", ""), (2, "not_inspected", "chưa chuẩn bị hồ sơ"),
            (3, "reported", ""), (4, "planned", "")]
        assert shown["counts"] == {"planned": 4, "on_site": 2, "integrated": 0,
                                   "not_inspected": 1, "by_report": 2}
        assert shown["progress"] == {"minutes": 1, "pending": 0, "reported": 1}
        assert shown["aspects"]["scope"] == 1
        assert shown["units"][0]["minutes"]["date"] == "2017-10-12"
        # The unit marked reported has its submission, undated (the date was never kept).
        assert shown["units"][2]["submission"] == {"received_on": None, "aspects": [],
                                                   "attachments": 0}
        assert shown["units"][3]["submission"] is None
        assert shown["due_date"] is None and shown["units"][0]["due_date"] is None
        with engine.connect() as conn:
            log = conn.execute(text("SELECT actor, action FROM round_events WHERE round_id = :r"),
                               {"r": round_id}).all()
        assert [tuple(row) for row in log] == [("docgen db upgrade", "upgrade")]
        command.downgrade(alembic_config(engine), "0003_store")
        assert not inspect(engine).has_table("round_submissions")
        assert "due_date" not in {c["name"] for c in inspect(engine).get_columns("round_units")}
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM round_findings")).scalar() == 1
    finally:
        engine.dispose()
