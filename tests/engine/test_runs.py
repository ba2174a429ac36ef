"""Joining Jinja tags that Word split across runs (docgen.engine._runs)."""

from __future__ import annotations

import pytest

from docgen.engine._runs import find_split_tag, merge_split_tags, paragraph_text_nodes

from .builders import W_NS, body_of, parse_body, texts_of


@pytest.mark.parametrize(
    ("pieces", "expected"),
    [
        (["{{ name }}"], None),
        (["Ông ", "{{ name }}", " bà"], None),  # whole tag in its own run
        (["{{ na", "me }}"], (0, 0, 1, 5)),
        (["Ông {{ na", "me }} và"], (0, 4, 1, 5)),
        (["{", "{ name }", "}"], (0, 0, 2, 1)),  # Word split the braces themselves
        (["{%", " if a %}"], (0, 0, 1, 8)),
        (["{#", " ghi chú #}"], (0, 0, 1, 11)),
        (["{{ a }}", "{{ b", " }}"], (1, 0, 2, 3)),  # the first whole tag is skipped
        (["{{ a", "", " }}"], (0, 0, 2, 3)),  # an empty w:t in between
        (["{ not a tag }", "}"], None),
        (["{{ never closed"], None),
    ],
)
def test_find_split_tag(pieces: list[str], expected: tuple[int, int, int, int] | None) -> None:
    assert find_split_tag(pieces) == expected


def test_tag_split_inside_a_name_ends_up_in_the_first_run() -> None:
    root = parse_body(
        "<w:p><w:r><w:t>Ông {{ na</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>me }}</w:t></w:r></w:p>"
    )
    merge_split_tags(root)
    assert body_of(root) == "<w:p><w:r><w:t>Ông {{ name }}</w:t></w:r></w:p>"


def test_split_braces_and_proofing_marks_are_joined() -> None:
    root = parse_body(
        '<w:p><w:r><w:t>{</w:t></w:r><w:proofErr w:type="spellStart"/>'
        '<w:r><w:t>{ name }</w:t></w:r><w:proofErr w:type="spellEnd"/>'
        "<w:r><w:t>}</w:t></w:r></w:p>"
    )
    merge_split_tags(root)
    assert body_of(root) == "<w:p><w:r><w:t>{{ name }}</w:t></w:r></w:p>"


def test_text_after_the_tag_keeps_its_own_run_and_formatting() -> None:
    root = parse_body(
        "<w:p><w:r><w:t>{{ a</w:t></w:r><w:r><w:rPr><w:i/></w:rPr><w:t> }}, sau</w:t></w:r></w:p>"
    )
    merge_split_tags(root)
    assert body_of(root) == (
        "<w:p><w:r><w:t>{{ a }}</w:t></w:r><w:r><w:rPr><w:i/></w:rPr><w:t>, sau</w:t></w:r></w:p>"
    )


def test_tag_in_three_pieces() -> None:
    root = parse_body(
        "<w:p><w:r><w:t>{{ m</w:t></w:r><w:r><w:t>.full</w:t></w:r>"
        "<w:r><w:t>_name }}</w:t></w:r></w:p>"
    )
    merge_split_tags(root)
    assert texts_of(root) == ["{{ m.full_name }}"]


def test_bookmark_inside_a_tag_is_removed_with_its_other_end() -> None:
    # Word's "_GoBack" bookmark often lands in the middle of a tag being edited;
    # its end may sit in a later paragraph.
    root = parse_body(
        '<w:p><w:r><w:t>{{ na</w:t></w:r><w:bookmarkStart w:id="0" w:name="_GoBack"/>'
        "<w:r><w:t>me }}</w:t></w:r></w:p>"
        '<w:p><w:bookmarkEnd w:id="0"/><w:r><w:t>x</w:t></w:r></w:p>'
    )
    merge_split_tags(root)
    assert body_of(root) == (
        "<w:p><w:r><w:t>{{ name }}</w:t></w:r></w:p><w:p><w:r><w:t>x</w:t></w:r></w:p>"
    )


def test_bookmark_outside_tags_is_kept() -> None:
    body = (
        '<w:p><w:bookmarkStart w:id="3" w:name="dieu_1"/><w:r><w:t>{{ a }}</w:t></w:r>'
        '<w:bookmarkEnd w:id="3"/></w:p>'
    )
    root = parse_body(body)
    merge_split_tags(root)
    assert body_of(root) == body


def test_pieces_at_different_depths_are_joined_without_breaking_the_tree() -> None:
    # The second half sits in a tracked insertion: cutting the markup between
    # the pieces out of the text would leave an unclosed <w:ins>.
    root = parse_body(
        '<w:p><w:r><w:t>{{ na</w:t></w:r><w:ins w:id="1" w:author="A">'
        "<w:r><w:t>me }} mới</w:t></w:r></w:ins></w:p>"
    )
    merge_split_tags(root)
    assert body_of(root) == (
        '<w:p><w:r><w:t>{{ name }}</w:t></w:r><w:ins w:id="1" w:author="A">'
        "<w:r><w:t> mới</w:t></w:r></w:ins></w:p>"
    )


def test_two_split_tags_in_one_paragraph() -> None:
    root = parse_body(
        "<w:p><w:r><w:t>{{ a</w:t></w:r><w:r><w:t> }} và {</w:t></w:r>"
        "<w:r><w:t>{ b }}</w:t></w:r></w:p>"
    )
    merge_split_tags(root)
    assert texts_of(root) == ["{{ a }}", " và {{ b }}"]


def test_a_run_with_a_tab_between_pieces_is_kept() -> None:
    root = parse_body(
        "<w:p><w:r><w:t>{{ a</w:t></w:r><w:r><w:tab/></w:r><w:r><w:t> }}</w:t></w:r></w:p>"
    )
    merge_split_tags(root)
    assert body_of(root) == "<w:p><w:r><w:t>{{ a }}</w:t></w:r><w:r><w:tab/></w:r></w:p>"


def test_tags_are_not_joined_across_paragraphs() -> None:
    body = "<w:p><w:r><w:t>{</w:t></w:r></w:p><w:p><w:r><w:t>{ x }}</w:t></w:r></w:p>"
    root = parse_body(body)
    merge_split_tags(root)
    assert body_of(root) == body


def test_text_box_paragraphs_are_read_on_their_own() -> None:
    # A text box nests whole paragraphs inside a run of the anchoring paragraph.
    root = parse_body(
        "<w:p><w:r><w:t>{{ a</w:t></w:r>"
        "<w:r><w:pict><w:txbxContent><w:p><w:r><w:t>{{ b</w:t></w:r>"
        "<w:r><w:t> }}</w:t></w:r></w:p></w:txbxContent></w:pict></w:r>"
        "<w:r><w:t> }}</w:t></w:r></w:p>"
    )
    outer = root[0][0]  # w:body/w:p
    assert outer.tag == f"{{{W_NS}}}p"
    assert [node.text for node in paragraph_text_nodes(outer)] == ["{{ a", " }}"]
    merge_split_tags(root)
    assert texts_of(root) == ["{{ a }}", "{{ b }}"]


def test_whole_tags_are_left_exactly_as_they_are() -> None:
    body = (
        '<w:p><w:r><w:t xml:space="preserve">Ông </w:t></w:r><w:proofErr w:type="spellStart"/>'
        "<w:r><w:rPr><w:b/></w:rPr><w:t>{{ name }}</w:t></w:r></w:p>"
    )
    root = parse_body(body)
    merge_split_tags(root)
    assert body_of(root) == body
