"""``docgen round create | show | minutes | not-inspected | report``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from docgen.cli import main

from ..docx_text import docx_text
from .roundsdata import ISSUER, minutes_for, report_fields


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"DOCGEN_INSTANCE_PATH": str(tmp_path / "instance")}


def write_json(path: Path, data: object) -> str:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_round_commands(runner, env, tmp_path):
    units = tmp_path / "units.csv"
    units.write_text("stt,unit_name,mode,integrated_with_reform_inspection,not_inspected\n"
                     "1,Sở Nội vụ,on_site,1,0\n2,UBND huyện Mỹ Tú,on_site,0,0\n"
                     "3,UBND xã Long Hưng,by_report,0,0\n", encoding="utf-8")
    created = runner.invoke(main, [
        "round", "create", str(units), "--issuer", ISSUER["code"], "--issuer-name",
        ISSUER["name"], "--parent-name", ISSUER["parent_name"], "--place", ISSUER["place"],
        "--year", "2017", "--title", "Kiểm tra ISO 2017"], env=env)
    assert created.exit_code == 0, created.output
    round_id = created.stdout.strip()
    assert '"planned": 3' in created.stderr

    refused = runner.invoke(main, ["round", "report", round_id,
                                   write_json(tmp_path / "bc.json", report_fields()),
                                   "-o", str(tmp_path / "bc.docx")], env=env)
    assert refused.exit_code == 2 and "[round_incomplete]" in refused.stderr

    out = tmp_path / "bb.docx"
    minutes = runner.invoke(main, ["round", "minutes", round_id, "1",
                                   write_json(tmp_path / "bb.json", minutes_for("Sở Nội vụ", 1)),
                                   "-o", str(out), "--register"], env=env)
    assert minutes.exit_code == 0, minutes.output
    assert "số 01/BB-ĐKT" in minutes.stderr and "Số: 01/BB-ĐKT" in docx_text(out.read_bytes())
    wrong = runner.invoke(main, ["round", "minutes", round_id, "3",
                                 write_json(tmp_path / "x.json",
                                            minutes_for("UBND xã Long Hưng", 3))], env=env)
    assert wrong.exit_code == 2 and "[unit_not_on_site]" in wrong.stderr

    marked = runner.invoke(main, ["round", "not-inspected", round_id, "2", "--reason",
                                  "chưa chuẩn bị hồ sơ"], env=env)
    assert marked.exit_code == 0 and "not_inspected" in marked.stdout

    reported = runner.invoke(main, ["round", "reported", round_id, "3"], env=env)
    assert reported.exit_code == 0 and "3\treported\tUBND xã Long Hưng" in reported.stdout

    shown = runner.invoke(main, ["round", "show", round_id], env=env)
    assert shown.exit_code == 0, shown.output
    assert "1\ton_site (lồng ghép)\tinspected\tSở Nội vụ\t01/BB-ĐKT" in shown.stdout
    assert ('số lượng: {"planned": 3, "on_site": 2, "integrated": 1, "not_inspected": 1, '
            '"by_report": 1}') in shown.stdout
    as_json = json.loads(runner.invoke(main, ["round", "show", round_id, "--json"],
                                       env=env).stdout)
    assert as_json["aspects"]["scope"] == 1

    report = tmp_path / "bc.docx"
    done = runner.invoke(main, ["round", "report", round_id, str(tmp_path / "bc.json"),
                                "-o", str(report)], env=env)
    assert done.exit_code == 0, done.output
    text = docx_text(report.read_bytes())
    assert "có 03 cơ quan, đơn vị" in text
    assert "01 đơn vị chưa kiểm tra được do chưa chuẩn bị hồ sơ (UBND huyện Mỹ Tú)." in text
    assert "Kiểm tra tại trụ sở 01 đơn vị có biên bản; cả 01 biên bản" in text

    missing = runner.invoke(main, ["round", "show", "99"], env=env)
    assert missing.exit_code == 2 and "[round_not_found]" in missing.stderr
