"""The declaration vocabulary the four inspection documents needed, used by an agency's pack.

plan, decision and minutes are declarations now (templates/*/type.toml); what they needed
beyond the first vocabulary — a group of fields, ``nullable``, a choice's ``title_as``, a
table's ``row_number`` and ``schema_name``, ``[part_options]``, the rules ``date_within``,
``share_at_least`` and ``same_day``, the derived ``timestamp`` and ``two_digits`` — is
declaration, not code, so a pack from an agency's folder (``source="folder"``, never a
hook) uses it the same way. Each item is judged by what it does: the error's path, code
and message, the warning, and the text of the rendered .docx.
"""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

import pytest

from docgen.catalog import DocumentType, get_type, load_pack, parse_declaration
from docgen.catalog._pack_schema import pack_schema
from docgen.errors import PackError, ValidationError
from docgen.rendering import Renderer, Validated
from docgen.schemas import load_payload

from .conftest import ROOT
from .docx_text import docx_text
from .test_packs import refused, write_pack

VISIT = """
id = "visit"
name = "Biên bản làm việc"
type_name = "BIÊN BẢN"
type_code = "BB"
parts = ["agency", "number", "date", "summary", "basis", "signer", "recipients", "archive"]

[part_options.basis]
label = "Căn cứ làm việc"
hint = "Không bắt buộc."
min_items = 0
max_items = 3
after = "place"

[part_options.signer]
label = "Người ký biên bản"

[fields.place]
kind = "group"
label = "Nơi làm việc"
schema_name = "VisitPlace"

[fields.place.fields.name]
kind = "text"
label = "Tên nơi làm việc"

[fields.place.fields.room]
kind = "text"
label = "Phòng"
required = false
nullable = true

[fields.started_at]
kind = "datetime"
label = "Bắt đầu lúc"

[fields.period_start]
kind = "date"
label = "Từ ngày"

[fields.period_end]
kind = "date"
label = "Đến ngày"

[fields.status]
kind = "choice"
label = "Tình trạng"
title_as = "status_label"
choices = { xong = "Đã xong", dang = "Đang làm" }

[fields.visits]
kind = "table"
label = "Các lần làm việc"
min_rows = 1
max_rows = 50
row_number = "stt"
schema_name = "VisitRow"

[fields.visits.columns.unit]
kind = "text"
label = "Đơn vị"

[fields.visits.columns.mode]
kind = "choice"
label = "Hình thức"
choices = { on_site = "Tại trụ sở", by_report = "Qua báo cáo" }

[fields.visits.columns.on]
kind = "date"
label = "Ngày"
required = false

[fields.copies]
kind = "integer"
label = "Số bản"
required = false
nullable = false
default = 3
min = 1
max = 20

[[rules]]
rule = "date_within"
table = "visits"
column = "on"
start = "period_start"
end = "period_end"
message = "Ngày làm việc ngoài khoảng {period_start} – {period_end}."

[[rules]]
rule = "share_at_least"
table = "visits"
column = "mode"
value = "on_site"
share = "1/2"
severity = "warning"
message = "Chỉ {count}/{total} lần làm việc tại trụ sở."
code = "too_few_on_site"

[[rules]]
rule = "same_day"
fields = ["started_at", "date"]
severity = "warning"
message = "Ngày lập khác ngày làm việc."

[derived.started_line]
kind = "timestamp"
of = "started_at"

[derived.copies_2d]
kind = "two_digits"
of = "copies"
"""

TAGS = ("{{ number_symbol }}|{{ place.name }}|{{ place.room }}|{{ started_line }}|"
        "{{ status_label }}|{{ copies_2d }}|{% for b in legal_bases %}<{{ b }}>{% endfor %}|"
        "{% for v in visits %}{{ v.stt }}. {{ v.unit }} ({{ v.mode_title }}) {% endfor %}")


def visit_template(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph(TAGS)
    document.save(str(path))
    return path


def body(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "agency": {"name": "Sở Khoa học và Công nghệ", "code": "SKHCN", "place": "Sóc Trăng"},
        "number": 7, "date": "2017-10-12", "summary": "Làm việc với các huyện",
        "place": {"name": "UBND huyện Mỹ Tú"}, "legal_bases": ["Căn cứ Kế hoạch số 105;"],
        "started_at": "2017-10-12T08:05:00", "period_start": "2017-10-01",
        "period_end": "2017-10-31", "status": "dang",
        "visits": [{"unit": "Huyện Mỹ Tú", "mode": "on_site", "on": "2017-10-12"},
                   {"unit": "Huyện Kế Sách", "mode": "by_report"}],
        "signer": {"position": "Trưởng đoàn", "full_name": "Trần Văn Lâu"},
    }
    data.update(changes)
    return data


class Visit:
    """The agency's pack, validated and rendered as the renderer does any type."""

    def __init__(self, kind: DocumentType) -> None:
        self.kind, self.renderer = kind, Renderer()

    def validate(self, data: dict[str, Any]) -> Validated:
        clean = load_payload(self.kind.schema(), data)
        return Validated(self.kind, clean, self.kind.warnings(clean))

    def render(self, data: dict[str, Any]) -> bytes:
        return self.renderer.render_validated(self.validate(data)).content


@pytest.fixture(scope="module")
def visit(tmp_path_factory: pytest.TempPathFactory) -> Visit:
    folder = tmp_path_factory.mktemp("packs") / "visit"
    write_pack(folder, VISIT, visit_template(folder.parent / "visit.docx"))
    kind, _order = load_pack(folder, source="folder")  # an agency's pack: no hooks allowed
    assert kind.source == "folder"
    return Visit(kind)


def errors(visit: Visit, data: dict[str, Any]) -> list[tuple[str, str, str]]:
    with pytest.raises(ValidationError) as info:
        visit.validate(data)
    return [(e.path, e.code, e.message) for e in info.value.errors]


def test_every_new_item_reaches_the_document(visit: Visit) -> None:
    validated = visit.validate(body())
    assert validated.warnings == []
    text = docx_text(visit.render(body())).strip()
    assert text == ("07/BB-SKHCN|UBND huyện Mỹ Tú||08 giờ 05 phút, ngày 12 tháng 10 năm 2017|"
                    "Đang làm|03|<Kế hoạch số 105>|"
                    "1. Huyện Mỹ Tú (Tại trụ sở) 2. Huyện Kế Sách (Qua báo cáo)")


def test_group_fields_have_their_own_paths(visit: Visit) -> None:
    assert errors(visit, body(place={"room": 5})) == [
        ("place.name", "required", "Thiếu trường bắt buộc."),
        ("place.room", "invalid", "Phải là một chuỗi ký tự.")]
    assert errors(visit, body(place=None)) == [
        ("place", "required", "Trường này không được để trống (null).")]


def test_nullable(visit: Visit) -> None:
    loaded = visit.validate(body(place={"name": "X", "room": None})).data
    assert loaded["place"]["room"] is None  # nullable = true: null accepted, and the default
    assert visit.validate(body(place={"name": "X"})).data["place"]["room"] is None
    assert visit.validate(body()).data["copies"] == 3  # the default
    assert errors(visit, body(copies=None)) == [  # nullable = false: null refused
        ("copies", "required", "Trường này không được để trống (null).")]


def test_date_within_names_each_row(visit: Visit) -> None:
    rows = [{"unit": "A", "mode": "on_site", "on": "2017-09-30"},
            {"unit": "B", "mode": "on_site", "on": "2017-10-31"},
            {"unit": "C", "mode": "on_site", "on": "2017-11-01"}]
    message = "Ngày làm việc ngoài khoảng 01/10/2017 – 31/10/2017."
    assert errors(visit, body(visits=rows)) == [
        ("visits[0].on", "date_out_of_period", message),
        ("visits[2].on", "date_out_of_period", message)]


def test_share_at_least_is_exact(visit: Visit) -> None:
    third = [{"unit": "A", "mode": "on_site"}] + [{"unit": "B", "mode": "by_report"}] * 2
    warnings = visit.validate(body(visits=third)).warnings
    assert [(w.path, w.code, w.message) for w in warnings] == [
        ("visits", "too_few_on_site", "Chỉ 1/3 lần làm việc tại trụ sở.")]
    half = [{"unit": "A", "mode": "on_site"}, {"unit": "B", "mode": "by_report"}]
    assert visit.validate(body(visits=half)).warnings == []


def test_same_day_compares_the_day_of_a_date_time(visit: Visit) -> None:
    later = visit.validate(body(started_at="2017-10-11T23:59:00")).warnings
    assert [(w.path, w.code, w.message) for w in later] == [
        ("date", "date_differs", "Ngày lập khác ngày làm việc.")]


def test_part_options_change_label_items_and_place(visit: Visit) -> None:
    kind = visit.kind
    fields = kind.schema._declared_fields
    assert list(fields)[:7] == ["agency", "number", "date", "summary", "place", "legal_bases",
                                "started_at"]  # after = "place"
    assert fields["legal_bases"].metadata == {"title": "Căn cứ làm việc",
                                              "description": "Không bắt buộc."}
    assert fields["signer"].metadata["title"] == "Người ký biên bản"
    assert visit.validate(body(legal_bases=[])).data["legal_bases"] == []
    assert errors(visit, body(legal_bases=["a", "b", "c", "d"])) == [
        ("legal_bases", "too_many_items", "Danh sách có 4 mục, vượt giới hạn 3 mục.")]


def test_schema_name_is_shared_by_identical_declarations(tmp_path: Path) -> None:
    one, _ = load_pack(write_pack(tmp_path / "a", VISIT), source="folder")
    two, _ = load_pack(write_pack(tmp_path / "b", VISIT.replace('id = "visit"', 'id = "trip"')),
                       source="folder")
    rows = [k.schema._declared_fields["visits"].inner.nested for k in (one, two)]
    assert rows[0] is rows[1] and rows[0].__name__ == "VisitRowSchema"
    # the shipped decision and minutes declare the same team: one OpenAPI component
    members = [get_type(t).schema._declared_fields["members"].inner.nested
               for t in ("decision", "minutes")]
    assert members[0] is members[1] and members[0].__name__ == "TeamMemberSchema"


@pytest.mark.parametrize(("change", "place", "words"), [
    (('share = "1/2"', 'share = "3/2"'), "type.toml: rules[1].share", "từ 0 đến 1"),
    (('share = "1/2"', 'share = "một nửa"'), "type.toml: rules[1].share", "1/3"),
    (('after = "place"', 'after = "plaec"'), "type.toml: part_options.basis.after",
     "có phải 'place'"),
    (('max_items = 3\n', 'max_items = 3\n[part_options.addressees]\n'),
     "type.toml: part_options.addressees", "'parts' không có"),
    (('label = "Người ký biên bản"', 'min_items = 1'), "type.toml: part_options.signer",
     "'min_items'"),
    (('row_number = "stt"', 'row_number = "unit"'), "type.toml: fields.visits.row_number",
     "trùng tên một cột"),
    (('schema_name = "VisitRow"', 'schema_name = "visit row"'),
     "type.toml: fields.visits.schema_name", "chữ hoa"),
    (('required = false\nnullable = true', 'nullable = true'),
     "type.toml: fields.place.fields.room.nullable", "không bắt buộc"),
    (('start = "period_start"', 'start = "period_strat"'), "type.toml: rules[0].start",
     "có phải 'period_start'"),
])
def test_bad_uses_are_refused_by_place(change: tuple[str, str], place: str, words: str) -> None:
    assert change[0] in VISIT
    error = refused(VISIT.replace(*change))
    assert error.place == place, error.message
    assert words in error.message


def test_the_pack_schema_knows_the_new_items() -> None:
    jsonschema_rs = pytest.importorskip("jsonschema_rs")  # as tests/test_packs.py
    validator = jsonschema_rs.validator_for(pack_schema())
    assert list(validator.iter_errors(tomllib.loads(VISIT))) == []
    bad = tomllib.loads(VISIT)
    bad["fields"]["visits"]["row_numbr"] = "stt"
    assert not validator.is_valid(bad)
    bad = tomllib.loads(VISIT)
    bad["part_options"]["basis"]["before"] = "place"
    assert not validator.is_valid(bad)


def test_the_shipped_inspection_documents_need_no_hook_but_the_report() -> None:
    hooked = {}
    for folder in sorted((ROOT / "templates").iterdir()):
        declaration = tomllib.loads((folder / "type.toml").read_text(encoding="utf-8"))
        hooked[folder.name] = sorted(declaration.get("hooks", {}))
        parse_declaration((folder / "type.toml").read_text(encoding="utf-8"))
    assert {k for k, v in hooked.items() if v} == {"report"}


def test_the_plan_renders_numbered_rows_and_counts() -> None:
    from docgen.catalog import example_payload

    kind = get_type("plan")
    data = example_payload(kind)
    assert data is not None
    context = kind.build_context(Renderer().validate("plan", copy.deepcopy(data)).data)
    units = context["units"]
    assert [u["stt"] for u in units] == list(range(1, len(units) + 1))
    assert {u["mode_title"] for u in units} <= {"Tại trụ sở", "Qua báo cáo"}
    on_site = sum(u["mode"] == "on_site" for u in units)
    assert (context["units_count"], context["on_site_count"], context["by_report_count"]) == (
        len(units), on_site, len(units) - on_site)


def test_a_folder_pack_using_the_vocabulary_is_still_refused_a_hook(tmp_path: Path) -> None:
    with pytest.raises(PackError) as info:
        load_pack(write_pack(tmp_path / "visit", VISIT + '\n[hooks]\ncontext = "report"\n'),
                  source="folder")
    assert info.value.place == "type.toml: hooks"
