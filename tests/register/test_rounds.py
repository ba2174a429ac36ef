"""The round's report from unit results: counts computed, never typed (issue 6, part 4)."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote

import pytest

from docgen import rounds
from docgen.cli import main
from docgen.errors import UnreadableInputError, ValidationError

from ..docx_text import docx_text

UNITS_CSV = Path(__file__).parent / "data" / "soc-trang-2017-units.csv"


@pytest.fixture
def report_text(example):
    """The report example without its counts (and number)."""
    data = example("report")
    del data["counts"], data["number"]
    return data


def test_soc_trang_csv_gives_the_published_counts():
    units = rounds.read_units_csv(UNITS_CSV.read_bytes())
    assert len(units) == 120
    clean = rounds.load_payload(rounds.RoundSchema(), {"report": {}, "units": units})
    assert rounds.unit_counts(clean["units"]) == {
        "planned": 120, "on_site": 46, "integrated": 9, "not_inspected": 1, "by_report": 74}


def test_report_renders_with_computed_counts(renderer, report_text):
    units = rounds.read_units_csv(UNITS_CSV.read_bytes())
    validated = rounds.validate_round(renderer, {"report": report_text, "units": units})
    assert validated.data["counts"]["on_site"] == 46
    text = docx_text(renderer.render_validated(validated).content)
    assert "120" in text and "46" in text and "74" in text


def test_by_report_unit_cannot_be_integrated(renderer, report_text):
    units = [{"name": "A", "mode": "on_site"},
             {"name": "B", "mode": "by_report", "integrated": True}]
    with pytest.raises(ValidationError) as info:
        rounds.validate_round(renderer, {"report": report_text, "units": units})
    assert [(e.path, e.code) for e in info.value.errors] == [("units[1].integrated",
                                                              "only_on_site")]


def test_counts_are_not_typed(renderer, report_text):
    report_text["counts"] = {"planned": 1}
    with pytest.raises(ValidationError) as info:
        rounds.validate_round(renderer, {"report": report_text,
                                         "units": [{"name": "A", "mode": "on_site"}]})
    assert info.value.errors[0].path == "report.counts"


def test_report_errors_carry_the_report_path(renderer, report_text):
    del report_text["summary"]
    with pytest.raises(ValidationError) as info:
        rounds.validate_round(renderer, {"report": report_text,
                                         "units": [{"name": "A", "mode": "on_site"}]})
    assert [e.path for e in info.value.errors] == ["report.summary"]


def test_csv_without_mode_column_is_refused():
    with pytest.raises(UnreadableInputError, match="mode"):
        rounds.read_units_csv(b"unit_name\nA\n")


def test_csv_semicolons_and_vietnamese_modes():
    units = rounds.read_units_csv(
        "\ufeffunit_name;mode;not_inspected\nA;Tại trụ sở;x\nB;qua báo cáo;\n".encode())
    assert units == [{"name": "A", "mode": "on_site", "not_inspected": True},
                     {"name": "B", "mode": "by_report", "not_inspected": False}]


def test_api_round_report(client, report_text):
    """Stateless: moved from POST /api/v1/rounds (now the stored rounds) to /rounds/report."""
    units = rounds.read_units_csv(UNITS_CSV.read_bytes())
    response = client.post("/api/v1/rounds/report", json={"report": report_text, "units": units})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "X-Docgen-Register-Number" not in response.headers
    numbered = client.post("/api/v1/rounds/report?register=true",
                           json={"report": report_text, "units": units})
    assert unquote(numbered.headers["X-Docgen-Register-Symbol"]) == "01/BC-SKHCN"
    assert "Số: 01/BC-SKHCN" in docx_text(numbered.data)
    bad = client.post("/api/v1/rounds/report", json={"report": report_text, "units": []})
    assert bad.status_code == 422 and bad.get_json()["errors"][0]["path"] == "units"


def test_cli_round(runner, tmp_path, report_text):
    report = tmp_path / "report.json"
    report.write_text(json.dumps(report_text, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "bc.docx"
    env = {"DOCGEN_INSTANCE_PATH": str(tmp_path / "instance")}
    # the form of earlier versions (no subcommand) still runs `round from-units`
    result = runner.invoke(main, ["round", str(report), str(UNITS_CSV), "-o", str(out),
                                  "--register"], env=env)
    assert result.exit_code == 0, result.output
    assert '"on_site": 46' in result.stderr and "số 01/BC-SKHCN" in result.stderr
    assert "Số: 01/BC-SKHCN" in docx_text(out.read_bytes())
    result = runner.invoke(main, ["round", "from-units", str(report), str(UNITS_CSV), "-o",
                                  str(out)], env=env)
    assert result.exit_code == 0, result.output


def test_doctests():
    import doctest

    assert doctest.testmod(rounds, report=True).failed == 0
