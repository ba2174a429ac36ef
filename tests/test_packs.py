"""Packs: a declaration (type.toml) + Word template + example, read into a document type.

The declaration's refusals (each naming its place), the generated schema (paths, codes,
Vietnamese messages), the rule vocabulary with its warning variant, derived values, the
agency folder overriding a shipped type, hooks refused outside docgen, the JSON Schema of
type.toml and the generated copies under schemas/.
"""

from __future__ import annotations

import copy
import json
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest

from docgen.catalog import (
    DOCUMENT_TYPES,
    PACK_SCHEMA,
    Catalog,
    example_payload,
    get_type,
    load_catalog,
    load_pack,
    parse_declaration,
)
from docgen.catalog._pack_schema import pack_schema_text
from docgen.errors import PackError, ValidationError
from docgen.rendering import Renderer
from docgen.schemas.jsonschema import document_json_schema
from docgen.schemas.walk import describe_schema

from .conftest import NEW_PACKS, PACK_TYPES, ROOT
from .docx_text import docx_text

TEMPLATES = ROOT / "templates"

MINIMAL = """
id = "memo"
name = "Thông báo nội bộ"
type_name = "THÔNG BÁO"
type_code = "TB"
parts = ["agency", "number", "date", "summary", "signer", "recipients", "archive"]

[fields.deadline]
kind = "date"
label = "Hạn"
"""


def refused(text: str) -> PackError:
    with pytest.raises(PackError) as info:
        parse_declaration(text)
    return info.value


# --- the declaration's refusals ---------------------------------------------------------


def test_minimal_declaration_reads() -> None:
    decl = parse_declaration(MINIMAL)
    assert (decl.id, decl.type_code, decl.fields[0].kind) == ("memo", "TB", "date")


@pytest.mark.parametrize(("text", "place", "words"), [
    # a misspelt key names the key it probably meant
    (MINIMAL.replace('label = "Hạn"', 'label = "Hạn"\nmax_lenght = 3'),
     "type.toml: fields.deadline", "'max_lenght'"),
    (MINIMAL + '\n[fields.x]\nkind = "txt"\nlabel = "X"\n', "type.toml: fields.x.kind",
     "có phải 'text'"),
    (MINIMAL.replace('"summary", ', '"sumary", '), "type.toml: parts", "có phải 'summary'"),
    (MINIMAL.replace('"number", ', ''), "type.toml: parts", "'number'"),
    (MINIMAL.replace('kind = "date"', 'kind = 3'), "type.toml: fields.deadline.kind",
     "phải là chuỗi"),
    (MINIMAL + '\n[fields."Hạn"]\nkind = "text"\nlabel = "X"\n', "type.toml: fields.Hạn",
     "viết thường không dấu"),
    (MINIMAL + '\n[fields.signer]\nkind = "text"\nlabel = "X"\n', "type.toml: fields.signer",
     "phần chung"),
    (MINIMAL + '\n[[rules]]\nrule = "at_most"\nfield = "deadlin"\nvalue = 3\nmessage = "m"\n',
     "type.toml: rules[0].field", "có phải 'deadline'"),
    (MINIMAL + '\n[[rules]]\nrule = "sum_equal"\nmessage = "m"\n', "type.toml: rules[0].rule",
     "có phải 'sum_equals'"),
    (MINIMAL + '\n[[rules]]\nrule = "at_most"\nfield = "deadline"\nmessage = "m"\n',
     "type.toml: rules[0]", "'limit'"),
    (MINIMAL + '\n[hooks]\nschema = "plan"\n', "type.toml: hooks", "không khai báo parts"),
    (MINIMAL.replace('[fields', 'colour = "red"\n[fields'), "type.toml", "'colour'"),
    ("id = [", "type.toml", "không đọc được TOML"),
])
def test_bad_declarations_are_refused_by_place(text: str, place: str, words: str) -> None:
    error = refused(text)
    assert error.place == place
    assert words in error.message
    assert error.code == "invalid_pack"
    assert error.to_dict()["place"] == place


def write_pack(folder: Path, declaration: str, template: Path | None = None,
               example: dict[str, Any] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "type.toml").write_text(declaration, encoding="utf-8")
    shutil.copy(template or TEMPLATES / "notice" / "template.docx", folder / "template.docx")
    if example is not None:
        (folder / "example.json").write_text(json.dumps(example, ensure_ascii=False),
                                             encoding="utf-8")
    return folder


def test_a_bad_default_is_refused_when_the_pack_loads(tmp_path: Path) -> None:
    text = MINIMAL.replace('label = "Hạn"', 'label = "Hạn"\nrequired = false\ndefault = "mai"')
    with pytest.raises(PackError) as info:
        load_pack(write_pack(tmp_path / "memo", text))
    assert info.value.place == "type.toml: fields.deadline.default"
    assert "Ngày không hợp lệ" in info.value.message


def test_a_folder_pack_may_not_name_a_hook(tmp_path: Path) -> None:
    shipped = (TEMPLATES / "report" / "type.toml").read_text(encoding="utf-8")
    with pytest.raises(PackError) as info:
        load_pack(write_pack(tmp_path / "report", shipped), source="folder")
    assert info.value.place == "type.toml: hooks"
    assert "không có mã chương trình" in info.value.message


def test_a_template_outside_the_pack_is_refused(tmp_path: Path) -> None:
    text = MINIMAL.replace('type_code = "TB"', 'type_code = "TB"\ntemplate = "../x.docx"')
    with pytest.raises(PackError) as info:
        load_pack(write_pack(tmp_path / "memo", text))
    assert info.value.place == "type.toml: template"


# --- the shipped packs ----------------------------------------------------------------


def test_catalog_holds_every_shipped_pack_in_order() -> None:
    assert list(DOCUMENT_TYPES) == PACK_TYPES
    for kind in DOCUMENT_TYPES.values():
        assert kind.source == "shipped"
        assert len(kind.version) == 64  # sha256 of template.docx
        assert kind.template == f"{kind.id}/template.docx"
        assert kind.example is not None


def test_packs_are_compiled_once_per_version() -> None:
    first = load_pack(TEMPLATES / "notice", source="shipped", root=TEMPLATES)
    again = load_pack(TEMPLATES / "notice", source="shipped", root=TEMPLATES)
    assert first[0] is again[0]  # same version: the same compiled type, schema class and all


@pytest.mark.parametrize("doc_type", PACK_TYPES)
def test_every_declaration_conforms_to_pack_schema(doc_type: str) -> None:
    jsonschema_rs = pytest.importorskip("jsonschema_rs")
    schema = json.loads(PACK_SCHEMA.read_text(encoding="utf-8"))
    declaration = tomllib.loads((TEMPLATES / doc_type / "type.toml").read_text("utf-8"))
    assert list(jsonschema_rs.validator_for(schema).iter_errors(declaration)) == []


def test_pack_schema_refuses_what_the_reader_refuses() -> None:
    jsonschema_rs = pytest.importorskip("jsonschema_rs")
    validator = jsonschema_rs.validator_for(json.loads(PACK_SCHEMA.read_text("utf-8")))
    good = tomllib.loads(MINIMAL)
    assert validator.is_valid(good)
    misspelt = copy.deepcopy(good)
    misspelt["fields"]["deadline"]["lable"] = "x"
    assert not validator.is_valid(misspelt)
    unknown_kind = copy.deepcopy(good)
    unknown_kind["fields"]["deadline"]["kind"] = "colour"
    assert not validator.is_valid(unknown_kind)


def test_pack_schema_has_not_drifted() -> None:
    assert PACK_SCHEMA.read_text(encoding="utf-8") == pack_schema_text(), (
        "docgen/catalog/pack.schema.json is stale: run `make schemas` and commit it")


@pytest.mark.parametrize("doc_type", PACK_TYPES)
def test_schemas_examples_are_copies_of_the_packs(doc_type: str) -> None:
    copy_ = (ROOT / "schemas" / "examples" / f"{doc_type}.json").read_text(encoding="utf-8")
    assert copy_ == (TEMPLATES / doc_type / "example.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("doc_type", NEW_PACKS)
def test_new_packs_are_declaration_only(doc_type: str) -> None:
    declaration = tomllib.loads((TEMPLATES / doc_type / "type.toml").read_text("utf-8"))
    assert "hooks" not in declaration
    assert not list((TEMPLATES / doc_type).glob("*.py"))


# --- the generated schema: today's paths, codes and messages ----------------------------


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer()


def payload(doc_type: str, **changes: Any) -> dict[str, Any]:
    data = example_payload(get_type(doc_type))
    assert data is not None
    data.update(changes)
    return data


def errors_of(renderer: Renderer, doc_type: str, data: dict[str, Any]) -> dict[str, tuple]:
    with pytest.raises(ValidationError) as info:
        renderer.validate(doc_type, data)
    return {e.path: (e.code, e.message) for e in info.value.errors}


def test_shared_parts_keep_todays_paths_codes_and_messages(renderer: Renderer) -> None:
    data = payload("notice")
    data["agency"]["code"] = "S/KHCN"
    data["signer"]["on_behalf_of"] = ""
    data["colour"] = "red"
    del data["summary"]
    found = errors_of(renderer, "notice", data)
    assert found["agency.code"][0] == "invalid" and "Chữ viết tắt" in found["agency.code"][1]
    assert found["signer.on_behalf_of"] == (
        "required", "Có thẩm quyền ký 'KT.' thì phải ghi ký thay/thay mặt cho ai.")
    assert found["colour"] == ("unknown_field",
                               "Trường không được phép (không có trong mẫu dữ liệu).")
    assert found["summary"] == ("required", "Thiếu trường bắt buộc.")


def test_table_columns_are_typed(renderer: Renderer) -> None:
    data = payload("notice")
    data["findings"][2]["result"] = "tot"
    data["findings"][4]["content"] = ""
    data["on_time_rate"] = 120
    found = errors_of(renderer, "notice", data)
    assert found["findings[2].result"][0] == "invalid_choice"
    assert "'dat', 'chua_dat'" in found["findings[2].result"][1]
    assert found["findings[4].content"] == ("blank", "Không được để trống.")
    assert found["on_time_rate"] == ("out_of_range", "Phải nhỏ hơn hoặc bằng 100.")


def test_decimal_places_and_money_sign(renderer: Renderer) -> None:
    found = errors_of(renderer, "notice", payload("notice", on_time_rate=97.125))
    assert found["on_time_rate"] == ("too_precise", "Tối đa 2 chữ số sau dấu thập phân.")
    found = errors_of(renderer, "approval", payload("approval", budget=-5))
    assert found["budget"] == ("out_of_range", "Phải lớn hơn hoặc bằng 0.")
    found = errors_of(renderer, "approval", payload("approval", budget="45,5 triệu"))
    assert found["budget"][0] == "invalid"


@pytest.mark.parametrize(("doc_type", "changes", "path", "code", "message"), [
    ("approval", {"units_on_site": 130}, "units_on_site", "counts_exceed_total",
     "Số đơn vị kiểm tra tại trụ sở (130) không được lớn hơn số đơn vị trong Kế hoạch (120)."),
    ("approval", {"period_end": "2017-09-01"}, "period_end", "date_order",
     "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu kiểm tra."),
    ("notice", {"inspected_on": "2017-10-25"}, "date", "date_order",
     "Ngày thông báo (20/10/2017) phải sau hoặc bằng ngày kiểm tra (25/10/2017)."),
    # strict: the same day is not "after"
    ("notice", {"report_deadline": "2017-10-20"}, "report_deadline", "date_order",
     "Hạn báo cáo khắc phục (20/10/2017) phải sau ngày thông báo (20/10/2017)."),
    ("letter", {"deadline": "2017-09-01"}, "deadline", "deadline_order",
     "Hạn gửi báo cáo (01/9/2017) phải sau ngày ban hành công văn (20/9/2017)."),
])
def test_declared_rules_block_with_their_message(renderer: Renderer, doc_type: str,
                                                 changes: dict[str, Any], path: str, code: str,
                                                 message: str) -> None:
    assert errors_of(renderer, doc_type, payload(doc_type, **changes))[path] == (code, message)


def test_warning_rules_do_not_block(renderer: Renderer) -> None:
    assert renderer.validate("approval", payload("approval")).warnings == []
    late = renderer.validate("approval", payload("approval", date="2017-09-20"))
    assert [(w.path, w.code) for w in late.warnings] == [("period_start", "approved_after_start")]
    assert "20/9/2017" in late.warnings[0].message
    data = payload("notice")
    data["findings"][1]["aspect"] = "scope"
    twice = renderer.validate("notice", data)
    assert [(w.path, w.code, w.message) for w in twice.warnings] == [
        ("findings", "scope_finding_count",
         "Kết quả về phạm vi áp dụng Hệ thống nên có đúng một dòng (hiện có 2).")]


def test_sum_equals_rule(tmp_path: Path, renderer: Renderer) -> None:
    text = MINIMAL + """
[fields.planned]
kind = "integer"
label = "Kế hoạch"
[fields.on_site]
kind = "integer"
label = "Tại trụ sở"
[fields.by_report]
kind = "integer"
label = "Qua báo cáo"

[[rules]]
rule = "sum_equals"
fields = ["on_site", "by_report"]
total = "planned"
message = "Tại trụ sở cộng qua báo cáo ({sum}) phải bằng kế hoạch ({planned})."
"""
    kind, _order = load_pack(write_pack(tmp_path / "memo", text))
    data = {"agency": {"name": "Sở", "code": "SKHCN", "place": "Sóc Trăng"}, "date": "2017-10-20",
            "summary": "x", "signer": {"position": "Giám đốc", "full_name": "A"},
            "deadline": "2017-11-01", "planned": 120, "on_site": 46, "by_report": 70}
    schema = kind.schema()
    with pytest.raises(Exception) as info:
        schema.load(data)
    assert info.value.messages == {"by_report": [  # type: ignore[attr-defined]
        "Tại trụ sở cộng qua báo cáo (116) phải bằng kế hoạch (120)."]}
    assert info.value.messages["by_report"][0].code == "sum_mismatch"  # type: ignore[attr-defined]
    data["by_report"] = 74
    assert schema.load(data)["by_report"] == 74


def test_derived_values_reach_the_template(renderer: Renderer) -> None:
    text = docx_text(renderer.render("approval", payload("approval")).content)
    assert "(chiếm 38,33%)" in text  # share of 46 in 120
    assert "Kế hoạch kiểm tra năm 2017 gồm 120 cơ quan, đơn vị" in text  # the year field
    assert "45.500.000 đồng (bằng chữ: Bốn mươi lăm triệu năm trăm nghìn đồng)" in text
    text = docx_text(renderer.render("notice", payload("notice")).content)
    assert "Đoàn kiểm tra ghi nhận 02 điểm không phù hợp" in text  # counts: one rule
    assert "Tỷ lệ hồ sơ giải quyết đúng hạn được kiểm tra: 97,5%." in text
    assert "Chưa đạt" in text  # a choice column's label, not its value


def test_walker_sees_the_new_kinds() -> None:
    root = describe_schema(get_type("notice").schema)
    kinds = {child.name: child.kind for child in root.children}
    assert kinds["findings"] == "table" and kinds["general"] == "paragraphs"
    assert kinds["on_time_rate"] == "percent"
    assert root.child("on_time_rate").maximum == 100  # type: ignore[union-attr]
    assert describe_schema(get_type("approval").schema).child("budget").kind == "money"  # type: ignore[union-attr]
    schema = document_json_schema("notice", "x", get_type("notice").schema())
    assert schema["properties"]["findings"]["items"]["properties"]["result"]["x-enum-labels"] == {
        "dat": "Đạt", "chua_dat": "Chưa đạt"}
    assert schema["properties"]["on_time_rate"]["x-docgen-kind"] == "percent"


def test_signer_second_line_needs_a_collective_authority(renderer: Renderer) -> None:
    data = payload("approval")
    text = docx_text(renderer.render("approval", data).content)
    assert "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH" in text
    data["signer"]["authority"] = "KT."
    assert errors_of(renderer, "approval", data)["signer.deputy_for"][0] == \
        "needs_collective_authority"


# --- the agency's folder ----------------------------------------------------------------


def test_agency_folder_overrides_a_shipped_type_by_id(tmp_path: Path) -> None:
    text = (TEMPLATES / "notice" / "type.toml").read_text(encoding="utf-8")
    text = text.replace('name = "Thông báo kết quả kiểm tra"',
                        'name = "Thông báo kết quả kiểm tra (mẫu của Sở)"')
    write_pack(tmp_path / "packs" / "notice", text,
               example=json.loads((TEMPLATES / "notice" / "example.json").read_text("utf-8")))
    types = load_catalog(TEMPLATES, tmp_path / "packs")
    assert list(types) == PACK_TYPES
    assert types["notice"].name == "Thông báo kết quả kiểm tra (mẫu của Sở)"
    assert types["notice"].source == "folder"
    assert types["notice"].template == tmp_path / "packs" / "notice" / "template.docx"
    assert types["report"].source == "shipped"


def memo_template(path: Path) -> Path:
    """A one-paragraph Word file reading the memo's names (python-docx, as Word would)."""
    import docx

    document = docx.Document()
    document.add_paragraph("Số: {{ number_symbol }} — {{ summary }} — hạn "
                           "{{ deadline|date_short }} — {{ signer.full_name }}")
    document.save(str(path))
    return path


def test_agency_folder_adds_a_type_through_the_api(tmp_path: Path, example) -> None:
    from docgen.app import create_app

    write_pack(tmp_path / "packs" / "memo", MINIMAL, memo_template(tmp_path / "memo.docx"))
    catalog = Catalog()
    catalog.configure(packs_dir=tmp_path / "packs")
    assert "memo" in catalog and catalog["memo"].source == "folder"
    app = create_app({"instance_path": tmp_path / "i", "packs_dir": tmp_path / "packs"})
    try:
        client = app.test_client()
        body = dict(example("notice"))
        body = {k: body[k] for k in ("agency", "number", "date", "summary", "signer",
                                     "recipients", "archive")}
        body["deadline"] = "2017-11-01"
        response = client.post("/api/v1/documents/memo", json=body)
        assert response.status_code == 200, response.get_data(as_text=True)
        assert docx_text(response.data).strip() == (
            f"Số: 142/TB-SKHCN — {body['summary']} — hạn 01/11/2017 — Trần Văn Chuyện")
    finally:
        DOCUMENT_TYPES.configure()  # back to the environment's folders


def _memo_body(example) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    body = dict(example("notice"))
    body = {k: body[k] for k in ("agency", "number", "date", "summary", "signer",
                                 "recipients", "archive")}
    return {**body, "deadline": "2017-11-01"}


def _per_type_routes(app: Any) -> set[str]:
    return {f"{rule.rule} {rule.endpoint}" for rule in app.url_map.iter_rules()
            if "memo" in rule.rule or "memo" in rule.endpoint}


def test_packs_dir_given_to_create_app_makes_the_routes_the_environment_does(
        tmp_path: Path, example, monkeypatch: pytest.MonkeyPatch) -> None:
    """Before: create_app's config set the catalog's folder after api/register.py had made
    its per-type paths at import, so a config pack had no POST /register/documents/<id>
    (and a ``DOCGEN_PACKS_DIR`` key in the mapping was a TypeError)."""
    from docgen.app import create_app

    packs = tmp_path / "packs"
    write_pack(packs / "memo", MINIMAL, memo_template(tmp_path / "memo.docx"))
    try:
        by_config = create_app({"instance_path": tmp_path / "a", "DOCGEN_PACKS_DIR": str(packs)})
        routes = _per_type_routes(by_config)
        assert routes == {
            "/api/v1/documents/memo documents.render_memo",
            "/api/v1/documents/memo/validate documents.validate_memo",
            "/api/v1/register/documents/memo register.register_memo",
        }
        client = by_config.test_client()
        numbered = client.post("/api/v1/register/documents/memo", json=_memo_body(example))
        assert numbered.status_code == 200, numbered.get_data(as_text=True)
        assert docx_text(numbered.data).startswith("Số: 01/TB-SKHCN — ")
        assert numbered.headers["X-Docgen-Register-Number"] == "1"
        paths = client.get("/api/openapi.json").get_json()["paths"]
        assert paths["/api/v1/register/documents/memo"]["post"]["operationId"] == "register_memo"
        assert paths["/api/v1/documents/memo"]["post"]["operationId"] == "render_memo"

        DOCUMENT_TYPES.configure()
        monkeypatch.setenv("DOCGEN_PACKS_DIR", str(packs))
        by_env = create_app({"instance_path": tmp_path / "b"})
        assert _per_type_routes(by_env) == routes
        # an app built after without the setting: the environment's folders again
        monkeypatch.delenv("DOCGEN_PACKS_DIR")
        plain = create_app({"instance_path": tmp_path / "c"})
        assert _per_type_routes(plain) == set() and "memo" not in DOCUMENT_TYPES
    finally:
        DOCUMENT_TYPES.configure()  # back to the environment's folders


def test_an_unknown_setting_given_to_create_app_is_named() -> None:
    from docgen.app import create_app
    from docgen.config import SettingsError

    with pytest.raises(SettingsError) as info:
        create_app({"DOCGEN_PACK_DIR": "/srv/packs"})
    assert info.value.message == "DOCGEN_PACK_DIR: không có thiết lập này."
    with pytest.raises(SettingsError) as info:
        create_app({"store_refresh": "hai"})
    assert info.value.message.startswith("DOCGEN_STORE_REFRESH='hai': ")


def test_missing_agency_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(PackError) as info:
        load_catalog(TEMPLATES, tmp_path / "nowhere")
    assert info.value.place == "DOCGEN_PACKS_DIR"


def test_scaffolder_writes_a_new_template_once(tmp_path: Path, renderer: Renderer) -> None:
    import subprocess
    import sys

    script = ROOT / "scripts" / "scaffold_pack.py"
    out = tmp_path / "notice" / "template.docx"
    first = subprocess.run([sys.executable, str(script), "notice", "--out", str(out)],
                           capture_output=True, text=True, check=False)
    assert first.returncode == 0, first.stderr
    again = subprocess.run([sys.executable, str(script), "notice", "--out", str(out)],
                           capture_output=True, text=True, check=False)
    assert again.returncode == 1 and "sửa bằng Word" in again.stderr
    # the scaffold, under the shipped declaration, renders the example with no tag left
    shutil.copy(TEMPLATES / "notice" / "type.toml", tmp_path / "notice" / "type.toml")
    kind, _order = load_pack(tmp_path / "notice")
    compiled = renderer.engine.load(out)
    validated = renderer.validate("notice", payload("notice"))
    text = docx_text(compiled.render(kind.build_context(validated.data)))
    assert "Số: 142/TB-SKHCN" in text and "{{" not in text


def test_cli_names_a_broken_agency_pack(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    text = (TEMPLATES / "notice" / "type.toml").read_text(encoding="utf-8")
    write_pack(tmp_path / "packs" / "notice", text.replace('kind = "percent"',
                                                           'kind = "percentage"'))
    result = subprocess.run(
        [sys.executable, "-c", "from docgen.cli import main; main()", "templates"],
        env={**os.environ, "DOCGEN_PACKS_DIR": str(tmp_path / "packs")},
        capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"Lỗi [invalid_pack]: Gói {tmp_path / 'packs' / 'notice'}: type.toml: "
        "fields.on_time_rate.kind có kind 'percentage' không có (có phải 'percent'?); các kind "
        "có: text, paragraphs, integer, decimal, money, percent, date, datetime, choice, "
        "text_list, table, group.")
    assert "Traceback" not in result.stderr
