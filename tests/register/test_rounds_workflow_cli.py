"""``docgen round list | edit | delete | dashboard | log | from-plan | plan | decision |
submission | letters | notices | corrections``."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from docgen.cli import main

from ..docx_text import docx_text
from .roundsdata import DECISION, PLAN, letter_text, minutes_for, notice_text
from .test_rounds_workflow import PDF


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"DOCGEN_INSTANCE_PATH": str(tmp_path / "instance"), "DOCGEN_USER": "Lan"}


def write_json(path: Path, data: object) -> str:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_the_round_from_the_command_line(runner, env, tmp_path):
    def run(*args: str):
        result = runner.invoke(main, ["round", *args], env=env)
        assert result.exit_code == 0, result.output
        return result

    rid = run("from-plan", write_json(tmp_path / "kh.json", PLAN), "--due-date", "2017-10-16",
              "--integrated", "UBND huyện Mỹ Tú").stdout.strip()
    assert "6 đơn vị" in run("list").stdout
    plan = json.loads(run("plan", rid).stdout)
    assert [u["mode"] for u in plan["units"]] == [u["mode"] for u in PLAN["units"]]
    run("decision", rid, write_json(tmp_path / "qd.json", DECISION), "-o",
        str(tmp_path / "qd.docx"), "--register")
    run("letters", rid, write_json(tmp_path / "cv.json", letter_text()), "--each", "-o",
        str(tmp_path / "cv.zip"))
    assert len(zipfile.ZipFile(tmp_path / "cv.zip").namelist()) == 2
    (tmp_path / "bc.pdf").write_bytes(PDF)
    shown = run("submission", rid, "5", write_json(tmp_path / "nhan.json", {
        "received_on": "2017-10-09",
        "assessments": [{"aspect": "scope", "content": "Áp dụng toàn bộ."}]}),
        "--attach", str(tmp_path / "bc.pdf")).stdout
    assert "1 nội dung\t1 tệp" in shown
    minutes = minutes_for("Sở Nội vụ", 2)
    minutes.pop("basis")
    run("minutes", rid, "2", write_json(tmp_path / "bb.json", minutes), "-o",
        str(tmp_path / "bb.docx"))
    assert "Quyết định số 01/QĐ-SKHCN" in " ".join(docx_text(
        (tmp_path / "bb.docx").read_bytes()).split())
    run("notices", rid, write_json(tmp_path / "tb.json", notice_text()), "-o",
        str(tmp_path / "tb.docx"))
    assert "Sở Nội vụ" in docx_text((tmp_path / "tb.docx").read_bytes())
    run("corrections", rid, "2", "--date", "2017-11-15")
    board = json.loads(run("dashboard", rid, "--json").stdout)
    assert board["progress"]["reports_received"] == 1 and board["progress"]["notices"] == 1
    late = run("dashboard", rid, "--overdue", "--mode", "by_report").stdout
    assert "UBND xã Đại Ân 2\tquá hạn: report" in late
    run("dashboard", rid, "-o", str(tmp_path / "theo-doi.csv"))
    assert (tmp_path / "theo-doi.csv").read_text("utf-8-sig").count("\n") == 7
    log = run("log", rid).stdout
    assert "cli:Lan" in log and "Báo cáo khắc phục" in log
    refused = runner.invoke(main, ["round", "delete", rid], env=env)
    assert refused.exit_code == 2 and "round_numbered" in refused.output
