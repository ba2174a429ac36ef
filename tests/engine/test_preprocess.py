"""Text-level preprocessing steps and the whole pipeline (docgen.engine._preprocess)."""

from __future__ import annotations

import pytest
from lxml import etree

from docgen.engine._preprocess import (
    clean_tag_text,
    preprocess_part,
    preserve_space_in_tags,
    start_paragraphs_on_new_lines,
)

from .builders import body_of, parse_body, part_xml


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # Word's AutoFormat turns typed quotes into typographic ones.
        ("<w:t>{{ “Ông” if a else ‘Bà’ }}</w:t>", "<w:t>{{ \"Ông\" if a else 'Bà' }}</w:t>"),
        ("<w:t>{% if a &lt; b and c &gt; d %}</w:t>", "<w:t>{% if a < b and c > d %}</w:t>"),
        ("<w:t>{{ 'R&amp;D' }}</w:t>", "<w:t>{{ 'R&D' }}</w:t>"),
        ("<w:t>{{ &quot;x&quot; ~ &apos;y&apos; }}</w:t>", "<w:t>{{ \"x\" ~ 'y' }}</w:t>"),
        ("<w:t>{# a &lt; b #}</w:t>", "<w:t>{# a < b #}</w:t>"),
        # One pass: an escaped entity becomes entity text, not the character.
        ("<w:t>{{ '&amp;lt;' }}</w:t>", "<w:t>{{ '&lt;' }}</w:t>"),
        # Outside tags, text stays XML: escaped and typographic as the author wrote it.
        ("<w:t>a &lt; b “trích”</w:t>", "<w:t>a &lt; b “trích”</w:t>"),
        ("<w:t>“x” {{ y }} “z”</w:t>", "<w:t>“x” {{ y }} “z”</w:t>"),
    ],
)
def test_clean_tag_text(source: str, expected: str) -> None:
    assert clean_tag_text(source) == expected


def test_preserve_space_marks_text_holding_tags_only() -> None:
    root = parse_body(
        "<w:p><w:r><w:t>Ông {{ name }}</w:t></w:r><w:r><w:t>{% if a %}</w:t></w:r>"
        "<w:r><w:t>không có thẻ</w:t></w:r><w:r><w:t>{# chú thích #}</w:t></w:r></w:p>"
    )
    preserve_space_in_tags(root)
    assert body_of(root) == (
        '<w:p><w:r><w:t xml:space="preserve">Ông {{ name }}</w:t></w:r>'
        '<w:r><w:t xml:space="preserve">{% if a %}</w:t></w:r>'
        "<w:r><w:t>không có thẻ</w:t></w:r><w:r><w:t>{# chú thích #}</w:t></w:r></w:p>"
    )


def test_paragraphs_start_on_new_lines_and_nothing_else_moves() -> None:
    source = '<w:body><w:p><w:pPr/><w:r/></w:p><w:p w:rsidR="1"><w:r/></w:p><w:sectPr/></w:body>'
    assert start_paragraphs_on_new_lines(source) == (
        '<w:body>\n<w:p><w:pPr/><w:r/></w:p>\n<w:p w:rsidR="1"><w:r/></w:p><w:sectPr/></w:body>'
    )


def test_preprocess_part_runs_every_step() -> None:
    xml = part_xml(
        "<w:p><w:r><w:t>{%p if a &lt; </w:t></w:r><w:r><w:t>b %}</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>Ông {{ “</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>x” }}</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>{%p endif %}</w:t></w:r></w:p>"
    )
    source = preprocess_part(xml)
    assert source.startswith("<?xml version='1.0' encoding='UTF-8'?>\n")
    assert source.endswith(
        "<w:body>{% if a < b %}\n"
        '<w:p><w:r><w:t xml:space="preserve">Ông {{ "x" }}</w:t></w:r></w:p>'
        "{% endif %}</w:body></w:document>"
    )


def test_preprocess_part_keeps_the_standalone_declaration() -> None:
    xml = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + part_xml("<w:p/>")
    assert preprocess_part(xml).startswith(
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    )


def test_preprocess_part_refuses_a_part_that_is_not_xml() -> None:
    with pytest.raises(etree.XMLSyntaxError):
        preprocess_part(b"<w:document><w:body>")
