"""examples/: every file the README uses, valid or invalid exactly as the README says.

The README's shown outputs (the two errors of ``bad.json``, the warning of
``report-30-on-site.json``, the 422 of ``minutes-with-mistakes.json``) are checked
here against what docgen really answers, and the batch example over the shipped
120-unit list runs whole and its ZIP is opened.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

from docgen.cli import main

from .docx_text import docx_text

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
README = (ROOT / "README.md").read_text(encoding="utf-8")


def load(name: str) -> Any:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def test_every_examples_path_in_the_readme_exists() -> None:
    named = set(re.findall(r"(?<![\w/])examples/[\w.-]+\.(?:json|csv|docx|zip)", README))
    assert len(named) >= 10, named
    for path in sorted(named):
        assert (ROOT / path).is_file(), f"README names {path}, which does not exist"


def test_no_readme_command_uses_a_bare_data_file() -> None:
    """The files of issue 12 that did not exist are only ever named under examples/."""
    for name in ("data.json", "bad.json", "report-30-on-site.json", "minutes-with-mistakes.json",
                 "bb-so-noi-vu.json", "bao-cao.json", "units.csv", "chung.json"):
        for match in re.finditer(r"[\w/.@-]*" + re.escape(name), README):
            word = match.group(0).lstrip("@")
            assert word.startswith(("examples/", "shared/")), word


@pytest.mark.parametrize(("doc_type", "name"), [
    ("minutes", "minutes.json"), ("report", "report.json"), ("minutes", "bb-so-noi-vu.json"),
    ("plan", "plan-ubnd-tm-kt.json"), ("decision", "qd-bcd-iso-ba-ria-vung-tau.json"),
])
def test_valid_examples_render(runner, tmp_path: Path, doc_type: str, name: str) -> None:
    out = tmp_path / "out.docx"
    result = runner.invoke(main, ["render", doc_type, str(EXAMPLES / name), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert load(name)["summary"] in docx_text(out.read_bytes())


def test_bad_json_prints_the_readme_lines(runner) -> None:
    result = runner.invoke(main, ["render", "report", str(EXAMPLES / "bad.json")])
    assert result.exit_code == 2
    shown = README.split("$ docgen render report examples/bad.json\n", 1)[1].split("\n\n", 1)[0]
    expected = [line.strip() for line in shown.splitlines()]
    assert [line.strip() for line in result.stderr.splitlines()] == expected


def test_signer_tm_tl_prints_the_readme_lines(runner) -> None:
    result = runner.invoke(main, ["render", "approval", str(EXAMPLES / "signer-tm-tl.json")])
    assert result.exit_code == 2
    shown = README.split("$ docgen render approval examples/signer-tm-tl.json\n", 1)[1]
    expected = [line.strip() for line in shown.split("\n\n", 1)[0].splitlines()]
    assert [line.strip() for line in result.stderr.splitlines()] == expected


def test_the_committees_plan_signs_tm_kt(runner, tmp_path: Path) -> None:
    out = tmp_path / "kh.docx"
    assert runner.invoke(main, ["render", "plan", str(EXAMPLES / "plan-ubnd-tm-kt.json"),
                                "-o", str(out)]).exit_code == 0
    assert "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH" in docx_text(out.read_bytes())


def test_report_30_on_site_validates_with_the_one_third_warning(client) -> None:
    response = client.post("/api/v1/documents/report/validate",
                           data=(EXAMPLES / "report-30-on-site.json").read_bytes(),
                           content_type="application/json")
    body = response.get_json()
    assert response.status_code == 200 and body["valid"] is True
    assert body["file_name"] == "BC-215-SKHCN-2017-12-14.docx"
    assert [(w["path"], w["code"]) for w in body["warnings"]] == [
        ("counts.on_site", "on_site_below_one_third")]
    assert "(30) ít hơn một phần ba" in body["warnings"][0]["message"]


def test_minutes_with_mistakes_is_the_readme_422(client) -> None:
    response = client.post("/api/v1/documents/minutes",
                           data=(EXAMPLES / "minutes-with-mistakes.json").read_bytes(),
                           content_type="application/json")
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert response.get_json()["errors"] == [
        {"path": "members[2].full_name", "message": "Không được để trống.", "code": "blank"},
        {"path": "copies", "message": "Phải là một số nguyên (ví dụ 1200 hoặc 1.200).",
         "code": "invalid"},
    ]


def test_round_from_units_counts_the_shipped_list(runner, tmp_path: Path) -> None:
    out = tmp_path / "bc.docx"
    result = runner.invoke(main, ["round", "from-units", str(EXAMPLES / "report-without-counts.json"),
                                  str(EXAMPLES / "soc-trang-2017-units.csv"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert '"planned": 120, "on_site": 46, "integrated": 9, "not_inspected": 1' in result.stderr
    assert out.read_bytes()[:2] == b"PK"


def test_round_report_body_leaves_the_computed_parts_out() -> None:
    body = load("bao-cao.json")
    assert not {"counts", "findings"} & set(body)
    assert load("bb-so-noi-vu.json")["unit"]["name"] == "Sở Nội vụ"


def read_csv(name: str) -> list[dict[str, str]]:
    with (EXAMPLES / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_on_site_list_is_the_shipped_lists_inspected_on_site_units() -> None:
    """soc-trang-2017-on-site.csv is derived from the shipped 120-unit list, not invented."""
    shipped = read_csv("soc-trang-2017-units.csv")
    assert len(shipped) == 120
    expected = [(u["stt"], u["unit_name"]) for u in shipped
                if u["mode"] == "on_site" and u["not_inspected"] == "0"]
    on_site = [(u["STT"], u["unit.name"]) for u in read_csv("soc-trang-2017-on-site.csv")]
    assert on_site == expected and len(on_site) == 45


def test_batch_over_the_shipped_list_gives_one_minutes_per_inspected_unit(
        runner, tmp_path: Path) -> None:
    out = tmp_path / "round.zip"
    result = runner.invoke(main, ["batch", "minutes", str(EXAMPLES / "soc-trang-2017-on-site.csv"),
                                  "--defaults", str(EXAMPLES / "chung.json"), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    rows = read_csv("soc-trang-2017-on-site.csv")
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        documents = sorted(n for n in names if n.endswith(".docx"))
        assert documents == sorted(f"{int(r['STT']):03d}-{r['unit.name']}.docx" for r in rows)
        assert "45 dòng: 45 ok, 0 lỗi" in archive.read("summary.txt").decode("utf-8-sig")
        errors = list(csv.reader(io.StringIO(archive.read("errors.csv").decode("utf-8-sig"))))
        assert len(errors) == 1  # the header only
        text = docx_text(archive.read("002-Sở Nội vụ.docx"))
    assert "Sở Nội vụ" in text and "Phòng họp Sở Nội vụ" in text
    assert "14 giờ 00 phút" in text  # the row's own time, not the shared values'
    assert "Trần Văn Lâu" in text  # the team from chung.json


def test_small_units_csv_with_label_headers(runner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["batch", "minutes", str(EXAMPLES / "units.csv"), "-o",
                                  f"{tmp_path}/out/", "--defaults", str(EXAMPLES / "chung.json"),
                                  "-q"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").glob("*.docx")) == [
        "001-Văn phòng UBND tỉnh.docx", "002-Sở Nội vụ.docx", "003-Sở Tư pháp.docx"]


def test_permit_bad_zip_prints_the_readme_lines(runner) -> None:
    result = runner.invoke(main, ["check", str(EXAMPLES / "permit-bad.zip")])
    assert result.exit_code == 1
    shown = README.split("$ docgen check examples/permit-bad.zip\n", 1)[1].split("\n\n", 1)[0]
    assert result.output.splitlines() == [line.strip() for line in shown.splitlines()]
