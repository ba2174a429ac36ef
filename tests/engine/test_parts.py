"""Finding the parts that can hold Jinja (docgen.engine._parts)."""

from __future__ import annotations

import pytest

from docgen.engine._parts import has_jinja, story_part_names

WML = "application/vnd.openxmlformats-officedocument.wordprocessingml"


def content_types(overrides: dict[str, str]) -> bytes:
    entries = "".join(
        f'<Override PartName="{name}" ContentType="{kind}"/>' for name, kind in overrides.items()
    )
    return (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Default Extension="xml" ContentType="application/xml"/>{entries}</Types>'
    ).encode()


def test_story_parts_are_found_by_content_type_in_member_order() -> None:
    types = content_types(
        {
            "/word/document2.xml": f"{WML}.document.main+xml",  # not always document.xml
            "/word/header1.xml": f"{WML}.header+xml",
            "/word/footer1.xml": f"{WML}.footer+xml",
            "/word/footnotes.xml": f"{WML}.footnotes+xml",
            "/word/endnotes.xml": f"{WML}.endnotes+xml",
            "/word/styles.xml": f"{WML}.styles+xml",
            "/word/settings.xml": f"{WML}.settings+xml",
        }
    )
    members = [
        "[Content_Types].xml",
        "word/styles.xml",
        "word/endnotes.xml",
        "word/document2.xml",
        "word/footnotes.xml",
        "word/Header1.xml",
        "word/footer1.xml",
        "word/settings.xml",
    ]
    assert story_part_names(types, members) == [
        "word/endnotes.xml",
        "word/document2.xml",
        "word/footnotes.xml",
        "word/Header1.xml",  # part names are case-insensitive
        "word/footer1.xml",
    ]


def test_dotx_and_docm_main_parts_are_stories() -> None:
    types = content_types(
        {
            "/word/a.xml": f"{WML}.template.main+xml",
            "/word/b.xml": "application/vnd.ms-word.document.macroEnabled.main+xml",
        }
    )
    assert story_part_names(types, ["word/a.xml", "word/b.xml"]) == ["word/a.xml", "word/b.xml"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{{ a }}", True),
        ("{% if a %}", True),
        ("{# note #}", True),
        ("{ a } %} }}", False),
        ("", False),
    ],
)
def test_has_jinja(text: str, expected: bool) -> None:
    assert has_jinja(text) is expected
