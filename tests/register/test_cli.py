"""``docgen register …`` and ``docgen db …``."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from docgen.cli import main

from ..docx_text import docx_text


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"DOCGEN_INSTANCE_PATH": str(tmp_path / "instance")}


@pytest.fixture
def payload(tmp_path: Path, minutes) -> str:
    path = tmp_path / "minutes.json"
    path.write_text(json.dumps(minutes(), ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_db_upgrade_and_current(runner, env):
    result = runner.invoke(main, ["db", "upgrade"], env=env)
    assert result.exit_code == 0, result.output
    assert "0004_round_workflow" in result.output  # the head: 0004 added the round workflow
    current = runner.invoke(main, ["db", "current"], env=env)
    assert current.output.startswith("0004_round_workflow")


def test_register_render_numbers_and_writes(runner, env, payload, tmp_path):
    out = tmp_path / "bb.docx"
    result = runner.invoke(main, ["register", "render", "minutes", payload, "-o", str(out)],
                           env=env)
    assert result.exit_code == 0, result.output
    assert "số 01/BB-ĐKT" in result.stderr
    assert "Số: 01/BB-ĐKT" in docx_text(out.read_bytes())
    runner.invoke(main, ["register", "render", "minutes", payload, "-o", str(out)], env=env)
    assert "Số: 02/BB-ĐKT" in docx_text(out.read_bytes())


def test_register_render_idempotency_key(runner, env, payload, tmp_path):
    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    for target in (a, b):
        result = runner.invoke(main, ["register", "render", "minutes", payload, "-o", str(target),
                                      "--idempotency-key", "lan-1"], env=env)
        assert result.exit_code == 0, result.output
    assert a.read_bytes() == b.read_bytes()


def test_register_render_bad_input_exits_2(runner, env, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    result = runner.invoke(main, ["register", "render", "minutes", str(bad)], env=env)
    assert result.exit_code == 2
    assert "validation_failed" in result.stderr and "Traceback" not in result.output


def test_list_and_export(runner, env, payload, tmp_path):
    for _ in range(3):
        runner.invoke(main, ["register", "render", "minutes", payload, "-o",
                             str(tmp_path / "x.docx")], env=env)
    listing = runner.invoke(main, ["register", "list", "--issuer", "ĐKT", "--year", "2017"],
                            env=env)
    assert listing.exit_code == 0, listing.output
    assert [line.split("\t")[0] for line in listing.stdout.splitlines()] == [
        "01/BB-ĐKT", "02/BB-ĐKT", "03/BB-ĐKT"]
    assert "tổng 3" in listing.stderr

    xlsx = tmp_path / "so.xlsx"
    assert runner.invoke(main, ["register", "export", "-o", str(xlsx)], env=env).exit_code == 0
    sheet = load_workbook(xlsx).active
    assert sheet["A1"].value == "Số, ký hiệu văn bản" and sheet["A4"].value == "03/BB-ĐKT"
    assert sheet["D2"].value == "Trần Văn Lâu"

    result = runner.invoke(main, ["register", "export", "-f", "csv", "-o", "-", "--year", "2018"],
                           env=env)
    rows = list(csv.reader(io.StringIO(result.stdout_bytes.decode("utf-8-sig"))))
    assert len(rows) == 1  # headings only: nothing in 2018


def test_issuer_per_type(runner, env, example, tmp_path):
    result = runner.invoke(main, ["register", "issuer", "SKHCN", "--mode", "per_type"], env=env)
    assert result.exit_code == 0 and "per_type" in result.output
    for doc_type in ("decision", "report"):
        path = tmp_path / f"{doc_type}.json"
        path.write_text(json.dumps(example(doc_type), ensure_ascii=False), encoding="utf-8")
        result = runner.invoke(main, ["register", "render", doc_type, str(path), "-o",
                                      str(tmp_path / "out.docx")], env=env)
        assert result.exit_code == 0, result.output
    listing = runner.invoke(main, ["register", "list"], env=env).stdout
    assert [line.split("\t")[0] for line in listing.splitlines()] == ["01/BC-SKHCN",
                                                                       "01/QĐ-SKHCN"]
