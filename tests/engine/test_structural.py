"""docxtpl's structural tags (docgen.engine._structural)."""

from __future__ import annotations

import pytest

from docgen.engine._structural import StructuralTagError, replace_structural_tags

from .builders import body_of, parse_body


def cell(text: str) -> str:
    return f"<w:tc><w:tcPr/><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"


def row(*texts: str) -> str:
    return "<w:tr>" + "".join(cell(text) for text in texts) + "</w:tr>"


def test_tr_tag_replaces_its_whole_row() -> None:
    root = parse_body(
        "<w:tbl>"
        + row("STT", "Họ tên")
        + row("{%tr for m in members %}", "bỏ đi")
        + row("{{ loop.index }}", "{{ m.name }}")
        + row("{%tr endfor %}", "")
        + "</w:tbl>"
    )
    replace_structural_tags(root)
    assert body_of(root) == (
        "<w:tbl>"
        + row("STT", "Họ tên")
        + "{% for m in members %}"
        + row("{{ loop.index }}", "{{ m.name }}")
        + "{% endfor %}"
        + "</w:tbl>"
    )


def test_tc_tag_replaces_its_cell() -> None:
    root = parse_body(
        "<w:tbl>" + row("Tên", "{%tc for c in columns %}", "{{ c }}", "{%tc endfor %}") + "</w:tbl>"
    )
    replace_structural_tags(root)
    assert body_of(root) == (
        "<w:tbl><w:tr>"
        + cell("Tên")
        + "{% for c in columns %}"
        + cell("{{ c }}")
        + "{% endfor %}</w:tr></w:tbl>"
    )


def test_p_tag_replaces_its_paragraph() -> None:
    root = parse_body(
        "<w:p><w:r><w:t>{%p if note %}</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>Ghi chú: {{ note }}</w:t></w:r></w:p>"
        '<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:t>{%p endif %}</w:t></w:r></w:p>'
    )
    replace_structural_tags(root)
    assert body_of(root) == (
        "{% if note %}<w:p><w:r><w:t>Ghi chú: {{ note }}</w:t></w:r></w:p>{% endif %}"
    )


def test_r_tag_replaces_its_run_only() -> None:
    root = parse_body(
        "<w:p><w:r><w:t>Kính gửi: </w:t></w:r><w:r><w:t>{%r if vip %}</w:t></w:r>"
        "<w:r><w:rPr><w:b/></w:rPr><w:t>Ông</w:t></w:r><w:r><w:t>{%r endif %}</w:t></w:r></w:p>"
    )
    replace_structural_tags(root)
    assert body_of(root) == (
        "<w:p><w:r><w:t>Kính gửi: </w:t></w:r>{% if vip %}"
        "<w:r><w:rPr><w:b/></w:rPr><w:t>Ông</w:t></w:r>{% endif %}</w:p>"
    )


def test_comment_form_comments_the_element_out() -> None:
    root = parse_body(
        "<w:p><w:r><w:t>{#p ghi chú cho người soạn #}</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>giữ</w:t></w:r></w:p>"
    )
    replace_structural_tags(root)
    assert body_of(root) == "{# ghi chú cho người soạn #}<w:p><w:r><w:t>giữ</w:t></w:r></w:p>"


def test_row_tag_wins_over_a_paragraph_tag_in_the_same_row() -> None:
    root = parse_body("<w:tbl>" + row("{%tr if a %}", "{%p if b %}") + "</w:tbl>")
    replace_structural_tags(root)
    assert body_of(root) == "<w:tbl>{% if a %}</w:tbl>"


def test_two_tags_in_one_row_are_both_kept_in_order() -> None:
    root = parse_body("<w:tbl>" + row("{%tr if a %}", "{%tr endif %}") + "</w:tbl>")
    replace_structural_tags(root)
    assert body_of(root) == "<w:tbl>{% if a %}{% endif %}</w:tbl>"


def test_a_nested_table_keeps_its_own_row_tags() -> None:
    inner = (
        "<w:tbl>" + row("{%tr for x in xs %}") + row("{{ x }}") + row("{%tr endfor %}") + "</w:tbl>"
    )
    root = parse_body(
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>{%tr for y in ys %}</w:t></w:r></w:p></w:tc></w:tr>"
        f"<w:tr><w:tc>{inner}<w:p/></w:tc></w:tr>" + row("{%tr endfor %}") + "</w:tbl>"
    )
    replace_structural_tags(root)
    assert body_of(root) == (
        "<w:tbl>{% for y in ys %}<w:tr><w:tc><w:tbl>{% for x in xs %}"
        + row("{{ x }}")
        + "{% endfor %}</w:tbl><w:p/></w:tc></w:tr>{% endfor %}</w:tbl>"
    )


def test_whitespace_control_and_text_after_the_element_survive() -> None:
    root = parse_body("<w:p><w:r><w:t>{%p for x in xs -%}</w:t></w:r></w:p>")
    root[0][0].tail = "\n"  # text an earlier step left behind the paragraph
    replace_structural_tags(root)
    assert body_of(root) == "{% for x in xs -%}\n"


def test_plain_jinja_tags_are_not_structural() -> None:
    body = "<w:p><w:r><w:t>{% if a %}{{ tr }}{% endif %}</w:t></w:r></w:p>"
    root = parse_body(body)
    replace_structural_tags(root)
    assert body_of(root) == body


@pytest.mark.parametrize(
    ("body", "level"),
    [
        ("<w:p><w:r><w:t>{%tr for m in members %}</w:t></w:r></w:p>", "tr"),
        ("<w:p><w:r><w:t>{%tc if a %}</w:t></w:r></w:p>", "tc"),
    ],
)
def test_tag_outside_its_element_is_refused(body: str, level: str) -> None:
    with pytest.raises(StructuralTagError) as caught:
        replace_structural_tags(parse_body(body))
    assert caught.value.level == level
    assert caught.value.tag.startswith(f"{{%{level} ")
