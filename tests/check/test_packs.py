"""``docgen check`` of a pack — a folder or a zip — and ``POST /api/v1/templates/check`` with
multipart ``pack``: the declaration, the template against it, the example rendered.

The packs are the shipped notice renamed (``permit``) and broken one way each; what is
asserted is what a user reads: the code, the Vietnamese message, the place.
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from docgen.check.packs import check_pack_folder, check_pack_zip
from docgen.cli import main

from ..register.storedata import document_xml, pack, rezip, shipped, with_paragraph

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
NOTICE = shipped("notice", "type.toml").decode()


def codes(findings: list[Any]) -> list[str]:
    return [f.code if hasattr(f, "code") else f["code"] for f in findings]


def zip_of(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- the CLI: folders -------------------------------------------------------------------


@pytest.mark.parametrize("doc_type", ["notice", "approval", "letter", "minutes", "report"])
def test_a_shipped_pack_folder_passes(runner: CliRunner, doc_type: str) -> None:
    """The shipped packs pass whole, the hooked ones (minutes, report) too: a folder of the
    shipped packs' directory may name docgen's hooks."""
    result = runner.invoke(main, ["check", str(TEMPLATES / doc_type)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"{doc_type}: 0 lỗi, 0 cảnh báo."


def test_an_agency_folder_may_not_name_a_hook(tmp_path: Path) -> None:
    folder = tmp_path / "report"
    shutil.copytree(TEMPLATES / "report", folder)
    findings = check_pack_folder(folder)
    assert codes(findings) == ["invalid_pack"]
    assert findings[0].location == "type.toml: hooks"
    assert "hooks chỉ dùng được trong gói đi kèm docgen" in findings[0].message
    assert str(tmp_path) not in findings[0].message  # the folder is not repeated in it


def test_a_folder_without_a_declaration_is_not_a_pack(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "rong").mkdir()
    result = runner.invoke(main, ["check", str(tmp_path / "rong")])
    assert result.exit_code == 2
    assert result.output.splitlines()[0] == (
        f"Lỗi [not_pack]: Thư mục '{tmp_path / 'rong'}' không có type.toml: không phải gói "
        "loại văn bản.")


# --- the CLI: zips ----------------------------------------------------------------------


def test_a_good_pack_zip_passes_in_json(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, "permit.zip", pack("notice", new_id="permit", folder="permit/"))
    result = runner.invoke(main, ["check", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == []


def test_a_declaration_error_names_its_key_and_the_template_is_still_checked(
        runner: CliRunner, tmp_path: Path) -> None:
    declaration = NOTICE.replace('kind = "percent"', 'kind = "percentage"')
    template = with_paragraph(shipped("notice", "template.docx"), "{% if %}")
    path = write(tmp_path, "permit.zip", pack("notice", new_id="permit",
                                              declaration=declaration, template=template))
    result = runner.invoke(main, ["check", str(path), "--json"])
    assert result.exit_code == 1
    found = json.loads(result.output)
    assert codes(found) == ["invalid_pack", "template_syntax"]
    assert found[0]["location"] == "type.toml: fields.on_time_rate.kind"
    assert "kind 'percentage' không có (có phải 'percent'?)" in found[0]["message"]
    assert found[1]["location"].startswith("template.docx: phần thân")


def test_an_unknown_key_is_refused_with_the_key_it_meant(tmp_path: Path) -> None:
    declaration = NOTICE.replace('label = "Ngày kiểm tra"', 'label = "Ngày kiểm tra"\n'
                                                            'hnit = "dd/mm/yyyy"', 1)
    findings = check_pack_zip(pack("notice", new_id="permit", declaration=declaration))
    assert codes(findings) == ["invalid_pack"]
    assert findings[0].location == "type.toml: fields.inspected_on"
    assert "'hnit'" in findings[0].message and "'hint'" in findings[0].message


def test_an_example_that_does_not_validate_is_listed_per_field() -> None:
    example = json.loads(shipped("notice", "example.json"))
    example["unit_name"] = ""
    del example["inspected_on"]
    findings = check_pack_zip(pack("notice", new_id="permit",
                                   example_text=json.dumps(example, ensure_ascii=False)))
    assert [(f.code, f.location) for f in findings] == [
        ("example_invalid", "example.json: unit_name"),
        ("example_invalid", "example.json: inspected_on")]
    assert findings[0].message == ("Dữ liệu mẫu không hợp lệ theo khai báo: unit_name: Không "
                                   "được để trống. [blank]")


def test_the_template_is_checked_against_the_packs_own_fields_and_example() -> None:
    template = with_paragraph(shipped("notice", "template.docx"), "{{ unit_nam }}")
    findings = check_pack_zip(pack("notice", new_id="permit", template=template))
    assert codes(findings) == ["unknown_name", "example_render_failed"]
    assert findings[0].message.endswith("Có phải «unit_name»?")
    assert findings[0].location == "template.docx: phần thân, đoạn «{{ unit_nam }}»"
    assert findings[1].location.startswith("template.docx: bản điền thử dữ liệu mẫu")
    # a required field of the declaration that the template never shows
    declaration = NOTICE + '\n[fields.inspector]\nkind = "text"\nlabel = "Người kiểm tra"\n'
    example = json.loads(shipped("notice", "example.json"))
    example["inspector"] = "Nguyễn Văn A"
    findings = check_pack_zip(pack("notice", new_id="permit", declaration=declaration,
                                   example_text=json.dumps(example, ensure_ascii=False)))
    assert codes(findings) == ["required_field_not_shown"]
    assert "«Người kiểm tra» (inspector)" in findings[0].message


def test_type_must_be_the_packs_id(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, "notice.zip", pack("notice"))
    assert runner.invoke(main, ["check", str(path), "--type", "notice"]).exit_code == 0
    result = runner.invoke(main, ["check", str(path), "--type", "letter"])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "Lỗi [pack_id_mismatch]: Gói khai báo id = 'notice', nhưng được kiểm tra như loại "
        "'letter'. — type.toml: id")


@pytest.mark.parametrize(("data", "code", "words"), [
    (b"PK\x03\x04 not really", "not_pack", "không phải tệp nén (zip) đọc được"),
    (zip_of({"README.md": b"x"}), "not_pack", "không có type.toml ở gốc"),
    # a 2 MiB member packed a thousandfold: refused from the central directory
    (zip_of({"type.toml": NOTICE.encode(), "template.docx": bytes(2 * 1024 * 1024)}),
     "zip_bomb", "có thể là tệp nén độc hại (zip bomb)"),
    (zip_of({"type.toml": NOTICE.encode(), "../template.docx": b"x"}), "not_pack",
     "nằm ngoài gói"),
])
def test_an_unusable_zip_exits_2(runner: CliRunner, tmp_path: Path, data: bytes, code: str,
                                 words: str) -> None:
    path = write(tmp_path, "goi.zip", data)
    result = runner.invoke(main, ["check", str(path)])
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"Lỗi [{code}]: ")
    assert words in result.output


def test_a_template_with_a_dtd_in_a_pack_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    docx = shipped("notice", "template.docx")
    xml = document_xml(docx).replace(b"?>", b'?><!DOCTYPE d [<!ENTITY a "b">]>', 1)
    path = write(tmp_path, "goi.zip", pack("notice", template=rezip(docx, {
        "word/document.xml": xml})))
    result = runner.invoke(main, ["check", str(path), "--json"])
    assert result.exit_code == 2
    [finding] = json.loads(result.output)
    assert finding["code"] == "xml_dtd" and finding["location"].startswith("template.docx: ")


def test_a_pack_without_template_or_example(tmp_path: Path) -> None:
    findings = check_pack_zip(pack("notice", leave_out=("template.docx",)))
    assert [(f.code, f.location) for f in findings] == [("invalid_pack", "template.docx")]
    findings = check_pack_zip(pack("notice", leave_out=("example.json",)))
    assert [(f.code, f.location) for f in findings] == [("invalid_pack", "example.json")]


# --- over HTTP --------------------------------------------------------------------------


def post_pack(client: FlaskClient, data: bytes, **form: str) -> Any:
    return client.post("/api/v1/templates/check", content_type="multipart/form-data",
                       data={"pack": (io.BytesIO(data), "permit.zip"), **form})


def test_api_checks_a_pack(client: FlaskClient) -> None:
    good = post_pack(client, pack("notice", new_id="permit"))
    assert good.status_code == 200, good.get_json()
    assert good.get_json() == {"findings": [], "errors": 0, "warnings": 0}
    bad = post_pack(client, pack("notice", new_id="permit", declaration=NOTICE.replace(
        'id = "notice"', 'id = "permit"').replace('kind = "percent"', 'kind = "percentage"')))
    body = bad.get_json()
    assert bad.status_code == 200 and body["errors"] == 1 and body["warnings"] == 0
    assert body["findings"][0]["code"] == "invalid_pack"
    assert body["findings"][0]["location"] == "type.toml: fields.on_time_rate.kind"
    mismatch = post_pack(client, pack("notice"), type="letter")
    assert codes(mismatch.get_json()["findings"]) == ["pack_id_mismatch"]


@pytest.mark.parametrize(("data", "code"), [
    (b"khong phai zip", "not_pack"),
    (zip_of({"type.toml": NOTICE.encode(), "template.docx": bytes(2 * 1024 * 1024)}),
     "zip_bomb"),
])
def test_api_refuses_an_unusable_pack_with_its_code(client: FlaskClient, data: bytes,
                                                    code: str) -> None:
    response = post_pack(client, data)
    assert response.status_code == 422
    problem = response.get_json()
    assert problem["code"] == "validation_failed"
    assert problem["detail"].startswith("Không kiểm tra được gói: ")
    assert [(e["path"], e["code"]) for e in problem["errors"]] == [("pack", code)]


def test_api_takes_a_template_or_a_pack_not_both(client: FlaskClient) -> None:
    response = client.post("/api/v1/templates/check", content_type="multipart/form-data", data={
        "pack": (io.BytesIO(pack("notice")), "p.zip"),
        "template": (io.BytesIO(shipped("notice", "template.docx")), "t.docx")})
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["path"] == "pack"


def test_openapi_documents_the_pack_field(client: FlaskClient) -> None:
    operation = client.get("/api/openapi.json").get_json()["paths"]["/api/v1/templates/check"]
    body = operation["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert set(body["properties"]) == {"template", "pack", "type"}
    assert "required" not in body  # one of the two files
    assert "not_pack" in operation["post"]["description"]
