"""Tags: syntax, structural tags, names the type does not have, required fields never shown.

The fixture's type is a small field tree written here (``FIELDS``) with a context
builder that adds derived names the way docgen/context.py does; the checker is given
both as arguments, as it is given a real type's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from docgen.check import check_template
from docgen.schemas.walk import FieldSpec

from .builders import P, make_docx, slot

FIELDS = FieldSpec(name="", kind="object", required=True, children=(
    FieldSpec(name="number", kind="integer", title="Số văn bản", required=True),
    FieldSpec(name="summary", kind="text", title="Trích yếu", required=True),
    FieldSpec(name="archive", kind="text", title="Lưu", required=True),
    FieldSpec(name="note", kind="text", title="Ghi chú"),
    FieldSpec(name="signer", kind="object", title="Người ký", required=True, children=(
        FieldSpec(name="position", kind="text", title="Chức vụ", required=True),
        FieldSpec(name="full_name", kind="text", title="Họ và tên", required=True),
    )),
    FieldSpec(name="members", kind="list", title="Thành viên", item=FieldSpec(
        name="members", kind="object", children=(
            FieldSpec(name="full_name", kind="text", title="Họ và tên", required=True),
        ))),
))
EXAMPLE: dict[str, Any] = {"number": 5, "summary": "Về việc kiểm tra", "archive": "VT, TĐC",
                           "signer": {"position": "Giám đốc", "full_name": "Trần Văn A"},
                           "members": [{"full_name": "Lê Thị B"}]}


def build(payload: Mapping[str, Any]) -> dict[str, Any]:
    """Validated data plus derived names, as a type's context builder gives them."""
    return {**payload, "type_name": "QUYẾT ĐỊNH", "number_symbol": f"{payload['number']:02d}/QĐ-SKHCN",
            "date_line": "Sóc Trăng, ngày 05 tháng 3 năm 2020"}


def check(docx: bytes) -> list[Any]:
    return check_template(docx, fields=FIELDS, example=EXAMPLE, context=build)


def test_the_base_fixture_reads_only_known_names() -> None:
    assert check(make_docx()) == []


def body(text: str) -> dict[str, P | None]:
    return slot("body2", text=text)


# (id, slots, code, location piece, message piece)
CASES: list[tuple[str, dict[str, P | None], str, str, str]] = [
    ("expression-syntax", body("Kết thúc {{ summary | }}"), "template_syntax",
     "phần thân, đoạn «Kết thúc {{ summary | }}»", "trong thẻ «{{ summary | }}»"),
    ("unclosed-output-tag", body("Kết thúc {{ summary"), "unclosed_tag",
     "đoạn «Kết thúc {{ summary»", "không đóng"),
    ("unknown-filter", body("{{ summary|uper }}"), "unknown_filter",
     "đoạn «{{ summary|uper }}»", "Không có bộ lọc «uper». Có phải «upper»"),
    ("unknown-name", body("{{ sumary }}"), "unknown_name",
     "đoạn «{{ sumary }}»", "«sumary» mà loại văn bản này không có. Có phải «summary»?"),
    ("unknown-field", slot("position", text="{{ signer.position|upper }} {{ signer.full_nam }}"),
     "unknown_field",
     "bảng 2 hàng 1 ô 2, đoạn «{{ signer.position|upper }} {{ signer.full_nam }}»",
     ("«signer» không có trường «full_nam». "
     "Có phải «full_name»?")),
    ("misplaced-row-tag", body("{%tr for m in members %}"), "misplaced_structural_tag",
     "đoạn «{%tr for m in members %}»", "phải nằm trong một hàng bảng"),
    ("structural-tag-with-text", body("Thành viên: {%p if note %}{%p endif %}"),
     "structural_tag_with_text", "đoạn «Thành viên: {%p if note %}{%p endif %}»",
     "phần còn lại mất"),
]


@pytest.mark.parametrize(("slots", "code", "where", "what"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_one_broken_tag_gives_exactly_its_finding(slots: dict[str, P | None], code: str,
                                                  where: str, what: str) -> None:
    findings = check(make_docx(slots=slots))
    assert [f.code for f in findings] == [code], [str(f) for f in findings]
    assert where in findings[0].location
    assert what in findings[0].message


def test_a_loop_variable_reads_the_lists_items() -> None:
    loop = ('<w:p><w:r><w:t>{%p for m in members %}</w:t></w:r></w:p>'
            '<w:p><w:r><w:rPr><w:sz w:val="28"/></w:rPr><w:t>{{ m.full_nme }}</w:t></w:r></w:p>'
            '<w:p><w:r><w:t>{%p endfor %}</w:t></w:r></w:p>')
    findings = check(make_docx(body_extra=loop))
    assert [(f.code, f.message, f.location) for f in findings] == [
        ("unknown_field", "«members[]» không có trường «full_nme». Có phải «full_name»?",
         "phần thân, đoạn «{{ m.full_nme }}»")]


def test_an_unclosed_block_is_located_and_other_tags_still_checked() -> None:
    findings = check(make_docx(body_extra='<w:p><w:r><w:t>{%p if note %}</w:t></w:r></w:p>',
                               slots=body("{{ summary|uper }}")))
    codes = sorted(f.code for f in findings)
    assert codes == ["template_syntax", "unknown_filter"]
    block = next(f for f in findings if f.code == "template_syntax")
    # placed at the opening tag, not at the end of the story where Jinja notices it
    assert (block.message, block.location) == (
        "Thẻ «{% if … %}» mở mà không có «{% endif %}» đóng lại.",
        "phần thân, đoạn «{%p if note %}»")


def test_a_closing_tag_without_its_opening_is_named() -> None:
    findings = check(make_docx(body_extra='<w:p><w:r><w:t>{%p endfor %}</w:t></w:r></w:p>'))
    assert [(f.code, f.message, f.location) for f in findings] == [
        ("template_syntax", ("Thẻ «{% endfor %}» không có thẻ mở tương ứng (hoặc thẻ mở đã đóng "
         "trước đó)."), "phần thân, đoạn «{%p endfor %}»")]


def test_several_syntax_errors_are_all_reported() -> None:
    findings = check(make_docx(slots={**body("{{ summary | }}"),
                                      **slot("body", text="{{ archive + }}")}))
    assert [f.code for f in findings] == ["template_syntax", "template_syntax"]
    assert {f.location.split("«")[1][:8] for f in findings} == {"{{ summa", "{{ archi"}


def test_a_syntax_error_in_the_first_page_header_names_it() -> None:
    header = '<w:p><w:r><w:t>{{ summary ) }}</w:t></w:r></w:p>'
    findings = check(make_docx(first_header=header))
    assert [(f.code, f.location) for f in findings] == [
        ("template_syntax", "đầu trang (trang đầu), đoạn «{{ summary ) }}»")]


def test_a_required_field_never_shown_is_a_warning() -> None:
    findings = check(make_docx(slots=slot("recipient", text="- Lưu: VT.")))
    assert [(f.code, f.severity, f.message) for f in findings] == [
        ("required_field_not_shown", "warning",
         "Trường bắt buộc «Lưu» (archive) không được thẻ nào trong mẫu hiển thị.")]


def test_a_field_shown_through_a_derived_name_counts_as_shown() -> None:
    # ``number`` is never read, but number_symbol (shown) changes with it
    assert check(make_docx()) == []
    findings = check(make_docx(slots=slot("number", text="Số: 05/QĐ-SKHCN")))
    assert [f.message for f in findings] == [
        "Trường bắt buộc «Số văn bản» (number) không được thẻ nào trong mẫu hiển thị."]


def test_list_item_fields_count_only_when_the_loop_shows_them() -> None:
    loop = ('<w:p><w:r><w:t>{%p for m in members %}</w:t></w:r></w:p>'
            '<w:p><w:r><w:rPr><w:sz w:val="28"/></w:rPr><w:t>- {{ loop.index }}</w:t></w:r></w:p>'
            '<w:p><w:r><w:t>{%p endfor %}</w:t></w:r></w:p>')
    findings = check(make_docx(body_extra=loop))
    # members is optional: its items' required fields are not required of the template
    assert findings == []


def test_without_a_type_names_are_not_checked() -> None:
    assert check_template(make_docx(slots=body("{{ anything.at_all }}"))) == []


def test_a_method_call_is_not_a_field() -> None:
    text = "{{ signer.get('position') }} {{ summary.split()|join(' ') }} {{ signer.ful() }}"
    findings = check(make_docx(slots=body(text)))
    assert findings == []


def test_engine_globals_and_filters_are_not_unknown_names() -> None:
    text = "{% for i in range(2) %}{{ i }}{% endfor %} {{ summary|upper }} {{ number|int }}"
    assert check(make_docx(slots=body(text))) == []
