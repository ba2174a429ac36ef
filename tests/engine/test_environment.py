"""How values are output (docgen.engine._environment)."""

from __future__ import annotations

import pytest
from markupsafe import Markup

from docgen.engine._environment import (
    LINE_BREAK,
    TAB,
    find_illegal_character,
    make_environment,
    to_word_text,
    xml_escape,
)
from docgen.errors import IllegalCharacterError


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('Bộ KH&CN <Sở> "x"', "Bộ KH&amp;CN &lt;Sở&gt; &#34;x&#34;"),
        ("Nguyễn Văn A's", "Nguyễn Văn A&#39;s"),
        (None, ""),  # an empty optional field, not the word "None"
        ("", ""),
        (0, "0"),
        (12.5, "12.5"),
        ("Hà Nội\nngày 1", "Hà Nội" + LINE_BREAK + "ngày 1"),
        ("a\r\nb", "a" + LINE_BREAK + "b"),  # Windows line ends from a textarea
        ("a\rb", "a" + LINE_BREAK + "b"),
        ("STT\tTên", "STT" + TAB + "Tên"),
        ("a &\nb", "a &amp;" + LINE_BREAK + "b"),  # escaped first, then broken
        ("\u00a0không\u00a0ngắt", "\u00a0không\u00a0ngắt"),  # not printable, still legal
        ("\x7f\x85", "\x7f\x85"),  # discouraged by XML 1.0 but allowed
        ("😀 𝔸", "😀 𝔸"),  # astral characters are fine in XML
    ],
)
def test_to_word_text(value: object, expected: str) -> None:
    result = to_word_text(value)
    assert isinstance(result, Markup)
    assert str(result) == expected


def test_markup_is_taken_as_xml_already() -> None:
    assert to_word_text(Markup("<w:br/>")) == Markup("<w:br/>")


@pytest.mark.parametrize(
    "char",
    [
        "\x00",
        "\x07",
        "\x08",
        "\x0b",
        "\x0c",
        "\x0e",
        "\x1b",
        "\x1f",
        "\ud800",
        chr(0xDFFF),  # written as a call: tools fold lone surrogates into one character
        "\ufffe",
        "\uffff",
    ],
)
def test_characters_xml_forbids_are_refused(char: str) -> None:
    assert find_illegal_character(f"chuông{char}báo") == char
    with pytest.raises(IllegalCharacterError) as caught:
        to_word_text(f"chuông{char}báo")
    assert caught.value.char == char
    assert caught.value.code == "illegal_character"


def test_illegal_characters_are_refused_in_markup_too() -> None:
    with pytest.raises(IllegalCharacterError):
        to_word_text(Markup("a\x07"))


@pytest.mark.parametrize("text", ["", "plain", "tab\tline\nreturn\r", "\x20\ud7ff\ue000\ufffd"])
def test_allowed_characters(text: str) -> None:
    assert find_illegal_character(text) is None


def test_xml_escape_matches_markupsafe() -> None:
    from markupsafe import escape

    from docgen.engine._environment import _replace_escape

    text = '<a href="x">R&D\'s</a> Bộ KH&CN'
    assert xml_escape(text) == str(escape(text))
    assert _replace_escape(text) == str(escape(text))  # the fallback without markupsafe's C part


def test_environment_escapes_every_value_and_passes_literal_xml_through() -> None:
    environment = make_environment()
    template = environment.from_string("<w:t>{{ a }}{{ b|upper }}{{ empty }}</w:t>")
    assert template.render(a="<b>", b="x&y", empty=None) == "<w:t>&lt;b&gt;X&amp;Y</w:t>"


def test_environment_takes_filters_and_globals() -> None:
    environment = make_environment(filters={"shout": lambda s: s + "!"}, globals={"agency": "Sở"})
    assert environment.from_string("{{ agency|shout }}").render() == "Sở!"
