"""The rendered example: it fills in, passes the same layout checks, leaves no tag behind.

``render`` is the real engine (compile the template bytes, render the context): the
findings are about the bytes it produced, with the location prefixed so a reader knows
the problem shows only once the data is in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from docgen import vi
from docgen.check import check_template
from docgen.engine import Engine
from docgen.errors import ValidationError

from .builders import make_docx, slot
from .test_tags import EXAMPLE, FIELDS, build

ENGINE = Engine(filters=vi.FILTERS)


def render(template: bytes, payload: Mapping[str, Any]) -> bytes:
    return ENGINE.compile(template).render(build(payload))


def check(docx: bytes, example: Mapping[str, Any] = EXAMPLE) -> list[Any]:
    return check_template(docx, fields=FIELDS, example=example, context=build, render=render)


def test_the_base_fixture_renders_clean() -> None:
    assert check(make_docx()) == []


def test_a_tag_printing_braces_leaves_a_tag_in_the_output() -> None:
    findings = check(make_docx(slots=slot("body2", text="Xem {{ '{{' }} summary }}")))
    assert [(f.code, f.location) for f in findings] == [
        ("tag_left_in_output", "bản điền thử dữ liệu mẫu: phần thân, đoạn «Xem {{ summary }}»")]


def test_the_rendered_motto_is_checked_too() -> None:
    # the motto comes from a value: the template has none (a warning), the output a wrong one
    findings = check(make_docx(slots=slot("quoc_hieu", text="{{ motto }}")),
                     {**EXAMPLE, "motto": "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"})
    assert [(f.code, f.severity) for f in findings] == [("part_not_found", "warning"),
                                                        ("motto_text", "error")]
    assert findings[1].location.startswith("bản điền thử dữ liệu mẫu: phần thân, bảng 1 hàng 1 ô 2")


def test_an_example_that_does_not_fill_in_is_an_error() -> None:
    def failing(template: bytes, payload: Mapping[str, Any]) -> bytes:
        raise ValidationError([], "Dữ liệu mẫu không hợp lệ: thiếu signer.")

    findings = check_template(make_docx(), example=EXAMPLE, render=failing)
    assert [(f.code, f.message) for f in findings] == [
        ("example_render_failed", ("Không điền được dữ liệu mẫu vào mẫu: Dữ liệu mẫu không hợp lệ: "
         "thiếu signer."))]


def test_a_missing_value_is_reported_with_the_engines_message() -> None:
    payload = {k: v for k, v in EXAMPLE.items() if k != "archive"}
    findings = check_template(make_docx(), example=payload, render=render)
    assert [f.code for f in findings] == ["example_render_failed"]
    assert "archive" in findings[0].message


def test_no_render_when_the_template_does_not_compile() -> None:
    calls = []

    def counting(template: bytes, payload: Mapping[str, Any]) -> bytes:
        calls.append(1)
        return render(template, payload)

    findings = check_template(make_docx(slots=slot("body2", text="{{ summary | }}")),
                              example=EXAMPLE, render=counting)
    assert [f.code for f in findings] == ["template_syntax"] and calls == []


def test_a_template_problem_is_not_repeated_for_the_rendered_example() -> None:
    # Arial in a looped paragraph: the output has more Arial paragraphs, still one problem
    loop = ('<w:p><w:r><w:t>{%p for m in members %}</w:t></w:r></w:p>'
            '<w:p><w:r><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial"/></w:rPr>'
            '<w:t>{{ m.full_name }}</w:t></w:r></w:p>'
            '<w:p><w:r><w:t>{%p endfor %}</w:t></w:r></w:p>')
    example = {**EXAMPLE, "members": [{"full_name": "Lê Thị B"}, {"full_name": "Trần C"}]}
    findings = check(make_docx(body_extra=loop, slots=slot("body2", run_fonts='w:ascii="Arial" '
                                                             'w:hAnsi="Arial"')), example)
    assert [(f.code, f.message) for f in findings] == [
        ("font", "Phông chữ «Arial» đang được dùng (và 1 đoạn khác); Phụ lục I: Times New Roman.")]
