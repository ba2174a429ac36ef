"""Issue 15, point 2: the signature levels Decree 30 allows, in every type and entry point."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import docgen
from docgen.batch import DirectorySink, prepare_sheet, run_batch
from docgen.cli import main
from docgen.errors import ValidationError
from docgen.rendering import default_renderer
from docgen.schemas.common import SIGNATURE_LEVELS

from .batch.sheets import write_csv
from .conftest import PACK_TYPES, load_example
from .docx_text import docx_text
from .test_web_form import error_at, form_values, page

NAME = "Lê Văn Hiểu"

#: Each combination of Decree 30, art. 13: the signer, and the lines printed above the name.
LEVELS: dict[str, tuple[dict[str, str], list[str]]] = {
    "": ({"position": "Giám đốc"}, ["GIÁM ĐỐC"]),
    "TM.": ({"authority": "TM.", "on_behalf_of": "Ủy ban nhân dân", "position": "Chủ tịch"},
            ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]),
    "KT.": ({"authority": "KT.", "on_behalf_of": "Giám đốc", "position": "Phó Giám đốc"},
            ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]),
    "TM. + KT.": ({"authority": "TM.", "on_behalf_of": "Ủy ban nhân dân",
                   "deputy_for": "Chủ tịch", "position": "Phó Chủ tịch"},
                  ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]),
    "Q.": ({"authority": "Q.", "on_behalf_of": "Giám đốc"}, ["Q. GIÁM ĐỐC"]),
    "TM. + Q.": ({"authority": "TM.", "on_behalf_of": "Ủy ban nhân dân",
                  "deputy_authority": "Q.", "deputy_for": "Chủ tịch"},
                 ["TM. ỦY BAN NHÂN DÂN", "Q. CHỦ TỊCH"]),
    "TL.": ({"authority": "TL.", "on_behalf_of": "Giám đốc", "position": "Chánh Văn phòng"},
            ["TL. GIÁM ĐỐC", "CHÁNH VĂN PHÒNG"]),
    "TUQ.": ({"authority": "TUQ.", "on_behalf_of": "Chủ tịch",
              "position": "Giám đốc Sở Khoa học và Công nghệ"},
             ["TUQ. CHỦ TỊCH", "GIÁM ĐỐC SỞ KHOA HỌC VÀ CÔNG NGHỆ"]),
}

#: Combinations the decree does not have, or fields that contradict each other.
INVALID: list[tuple[dict[str, str], str, str]] = [
    ({"authority": "TM.", "on_behalf_of": "Ủy ban nhân dân", "deputy_authority": "TL.",
      "deputy_for": "Chủ tịch", "position": "Chánh Văn phòng"},
     "signer.deputy_authority", "signature_level_not_allowed"),
    ({"authority": "TM.", "on_behalf_of": "Ủy ban nhân dân", "deputy_authority": "TUQ.",
      "deputy_for": "Chủ tịch", "position": "Giám đốc Sở"},
     "signer.deputy_authority", "signature_level_not_allowed"),
    ({"authority": "KT.", "on_behalf_of": "Giám đốc", "deputy_for": "Chủ tịch",
      "position": "Phó Giám đốc"}, "signer.deputy_for", "needs_collective_authority"),
    ({"authority": "TM.", "on_behalf_of": "Ủy ban nhân dân", "deputy_authority": "Q.",
      "position": "Chủ tịch"}, "signer.deputy_for", "required"),
    ({"authority": "", "on_behalf_of": "Giám đốc", "position": "Giám đốc"},
     "signer.on_behalf_of", "needs_authority"),
    ({"authority": "KT.", "on_behalf_of": "Giám đốc"}, "signer.position", "required"),
    ({"authority": "TM.", "on_behalf_of": "Ủy ban nhân dân\nKT. Chủ tịch",
      "deputy_for": "Chủ tịch", "position": "Phó Chủ tịch"},
     "signer.on_behalf_of", "conflicting_signature_lines"),
    ({"authority": "TM.", "on_behalf_of": "Ủy ban nhân dân", "deputy_authority": "X.",
      "deputy_for": "Chủ tịch", "position": "Phó Chủ tịch"},
     "signer.deputy_authority", "invalid_choice"),
]


def with_signer(doc_type: str, signer: dict[str, str]) -> dict[str, Any]:
    data = load_example(doc_type)
    data["signer"] = {**signer, "full_name": NAME}
    return data


def lines_above_the_name(docx: bytes, expected_first: str) -> list[str]:
    """The non-blank lines from ``expected_first`` down to the signer's name (excluded);
    the minutes' other signer (its own cell, printed in between) is skipped."""
    text = [line for line in docx_text(docx).splitlines() if line.strip()]
    start = max(i for i, line in enumerate(text) if line == expected_first)
    out = []
    for line in text[start:]:
        if line == NAME:
            return out
        out.append(line)
    raise AssertionError(f"no {NAME} after {expected_first}")


def test_the_levels_are_the_decrees() -> None:
    assert set(LEVELS) == set(SIGNATURE_LEVELS)


@pytest.mark.parametrize("doc_type", PACK_TYPES)
@pytest.mark.parametrize("level", list(LEVELS))
def test_every_level_prints_its_lines_in_every_type(doc_type: str, level: str) -> None:
    signer, expected = LEVELS[level]
    docx = docgen.render(doc_type, with_signer(doc_type, signer))
    lines = lines_above_the_name(docx, expected[0])
    if doc_type == "minutes":  # the unit's representative and its name sit between
        rep = load_example("minutes")["representative_signer"]
        lines = [line for line in lines if line not in (rep["full_name"],)]
    assert lines == expected, (doc_type, level)


@pytest.mark.parametrize(("signer", "path", "code"), INVALID)
def test_an_invalid_combination_names_the_field(signer: dict[str, str], path: str,
                                                code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        docgen.render("approval", with_signer("approval", signer))
    errors = [(e.path, e.code) for e in caught.value.errors]
    assert errors == [(path, code)]
    message = caught.value.errors[0].message
    assert message and not message.isascii()  # Vietnamese


def test_tm_tl_says_what_to_do() -> None:
    with pytest.raises(ValidationError) as caught:
        docgen.render("plan", with_signer("plan", INVALID[0][0]))
    message = caught.value.errors[0].message
    assert "“TM. … / TL. …”" in message and "“KT.”" in message and "“Q.”" in message
    assert "Điều 13" in message


def test_the_old_newline_prints_the_same_with_a_deprecation_warning() -> None:
    legacy = {"authority": "TM.", "on_behalf_of": "Ủy ban nhân dân\nKT. Chủ tịch",
              "position": "Phó Chủ tịch"}
    data = with_signer("plan", legacy)
    validated = default_renderer().validate("plan", data)
    assert [(w.path, w.code) for w in validated.warnings] == [
        ("signer.on_behalf_of", "deprecated_signer_line_break")]
    assert "“Chủ tịch” ở “Ký thay (dòng thứ hai)”" in validated.warnings[0].message
    assert validated.data["signer"]["on_behalf_of"] == "Ủy ban nhân dân\nKT. Chủ tịch"  # kept
    new = with_signer("plan", LEVELS["TM. + KT."][0])
    assert docx_text(docgen.render("plan", data)) == docx_text(docgen.render("plan", new))


def test_a_name_broken_over_two_lines_is_not_a_level() -> None:
    signer = {"authority": "TM.", "on_behalf_of": "Ủy ban nhân dân\ntỉnh Sóc Trăng",
              "position": "Chủ tịch"}
    validated = default_renderer().validate("plan", with_signer("plan", signer))
    assert validated.warnings == []
    docx = docgen.render("plan", with_signer("plan", signer))
    assert "TM. ỦY BAN NHÂN DÂN\nTỈNH SÓC TRĂNG\nCHỦ TỊCH" in docx_text(docx)


def test_the_json_schema_offers_kt_and_q_under_tm() -> None:
    root = Path(__file__).resolve().parents[1]
    schema = json.loads((root / "schemas" / "decision.schema.json").read_text("utf-8"))
    signer = schema["properties"]["signer"]
    assert signer["properties"]["deputy_authority"]["enum"] == ["KT.", "Q."]
    assert signer["properties"]["deputy_authority"]["default"] == "KT."
    assert "position" not in signer.get("required", [])  # "Q. GIÁM ĐỐC" has none
    assert "full_name" in signer["required"]


# --- the entry points ----------------------------------------------------------------


def test_api_answers_422_problem_for_tm_tl(client) -> None:
    data = with_signer("plan", INVALID[0][0])
    response = client.post("/api/v1/documents/plan", json=data)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["code"] == "validation_failed"
    assert [(e["path"], e["code"]) for e in problem["errors"]] == [
        ("signer.deputy_authority", "signature_level_not_allowed")]


def test_api_renders_tm_q_and_warns_on_the_old_newline(client) -> None:
    response = client.post("/api/v1/documents/approval",
                           json=with_signer("approval", LEVELS["TM. + Q."][0]))
    assert response.status_code == 200
    assert lines_above_the_name(response.data, "TM. ỦY BAN NHÂN DÂN") == [
        "TM. ỦY BAN NHÂN DÂN", "Q. CHỦ TỊCH"]
    legacy = {"authority": "TM.", "on_behalf_of": "Ủy ban nhân dân\nQ. Chủ tịch"}
    response = client.post("/api/v1/documents/approval", json=with_signer("approval", legacy))
    assert response.status_code == 200
    assert response.headers["X-Docgen-Warning-Codes"] == (
        "signer.on_behalf_of=deprecated_signer_line_break")


def test_cli_names_the_field_and_code(runner, tmp_path: Path) -> None:
    source = tmp_path / "kh.json"
    source.write_text(json.dumps(with_signer("plan", INVALID[0][0]), ensure_ascii=False,
                                 default=str), encoding="utf-8")
    result = runner.invoke(main, ["render", "plan", str(source), "-o", str(tmp_path / "x.docx")])
    assert result.exit_code == 2
    assert "signer.deputy_authority:" in result.output
    assert "[signature_level_not_allowed]" in result.output
    assert not (tmp_path / "x.docx").exists()


def test_batch_columns_carry_the_levels_and_report_the_bad_row(tmp_path: Path) -> None:
    defaults = load_example("decision")
    del defaults["signer"]
    headers = ["Thẩm quyền ký", "Ký thay / thay mặt cho", "Thẩm quyền dòng thứ hai",
               "Ký thay (dòng thứ hai)", "Chức vụ người ký", "Họ và tên người ký"]
    rows = [
        ["TM.", "Ủy ban nhân dân", "KT.", "Chủ tịch", "Phó Chủ tịch", NAME],
        ["TM.", "Ủy ban nhân dân", "Q.", "Chủ tịch", "", NAME],
        ["TM.", "Ủy ban nhân dân", "TL.", "Chủ tịch", "Chánh Văn phòng", NAME],
    ]
    sheet = write_csv(tmp_path / "ky.csv", headers, rows)
    out = tmp_path / "out"
    result = run_batch(default_renderer(), prepare_sheet("decision", sheet, defaults=defaults),
                       DirectorySink(out))
    assert (result.ok, result.failed) == (2, 1)
    [error] = result.errors
    assert (error["row"], error["path"], error["code"], error["header"]) == (
        4, "signer.deputy_authority", "signature_level_not_allowed", "Thẩm quyền dòng thứ hai")
    documents = sorted(out.glob("*.docx"))
    assert len(documents) == 2
    printed = [lines_above_the_name(p.read_bytes(), "TM. ỦY BAN NHÂN DÂN") for p in documents]
    assert printed == [["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
                       ["TM. ỦY BAN NHÂN DÂN", "Q. CHỦ TỊCH"]]


def test_the_form_has_a_select_for_the_second_line_and_shows_the_error(client) -> None:
    doc = page(client.get("/forms/approval?example=1"))
    select = doc.get_element_by_id("f-signer-deputy_authority")
    assert select.tag == "select"
    assert {o.get("value") for o in select.iter("option")} >= {"KT.", "Q."}
    values = form_values(doc)
    values["signer.authority"] = "TM."
    values["signer.on_behalf_of"] = "Ủy ban nhân dân"
    values["signer.deputy_authority"] = "Q."
    values["signer.deputy_for"] = ""
    response = client.post("/forms/approval", data=values)
    assert response.status_code == 422
    assert "“Q.”" in error_at(page(response), "signer.deputy_for")
    values["signer.deputy_for"] = "Chủ tịch"
    values["signer.position"] = ""
    response = client.post("/forms/approval", data=values)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert lines_above_the_name(response.data, "TM. ỦY BAN NHÂN DÂN")[:2] == [
        "TM. ỦY BAN NHÂN DÂN", "Q. CHỦ TỊCH"]


def test_every_template_prints_the_shared_lines() -> None:
    import zipfile

    for pack in sorted(Path(__file__).resolve().parents[1].glob("templates/*/template.docx")):
        xml = zipfile.ZipFile(pack).read("word/document.xml").decode()
        assert "{%p for line in signer.lines %}" in xml, pack
        assert "{{ signer.deputy_for" not in xml and "{{ signer.position" not in xml, pack


def test_the_shipped_examples_carry_no_signer_warning() -> None:
    for doc_type in PACK_TYPES:
        warnings = default_renderer().validate(doc_type, load_example(doc_type)).warnings
        assert not [w for w in warnings if w.path.startswith("signer")], doc_type
