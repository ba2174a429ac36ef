"""The Jinja environment every template is compiled in, and how values are output.

Three rules hold for every ``{{ value }}``, whatever the template says:

* it runs in a sandbox: no ``__class__``, no ``__globals__``;
* it is XML-escaped: "Bộ KH&CN <Sở>" reads exactly so in Word, never as markup;
* a character XML 1.0 forbids is refused with IllegalCharacterError, naming it,
  instead of producing a file Word reports as corrupt.

``to_word_text`` is the ``finalize`` hook that applies the last two to each
value, and turns ``\\n`` into a Word line break and ``\\t`` into a tab. Doing
that per value, while Jinja renders, is what lets a render skip any pass over
the finished XML.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from docgen.errors import IllegalCharacterError

__all__ = [
    "LINE_BREAK",
    "TAB",
    "find_illegal_character",
    "make_environment",
    "to_word_text",
    "xml_escape",
]

#: Closes the value's ``w:t``, breaks the line, opens a new ``w:t`` in the same run.
LINE_BREAK = '</w:t><w:br/><w:t xml:space="preserve">'
#: The same for a tab stop.
TAB = '</w:t><w:tab/><w:t xml:space="preserve">'

# XML 1.0 (section 2.2) allows \t \n \r and everything from U+0020 up, except
# the surrogate block and U+FFFE/U+FFFF. Python strings can hold lone surrogates.
_ILLEGAL_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def make_environment(
    filters: Mapping[str, Callable[..., Any]] | None = None,
    globals: Mapping[str, Any] | None = None,
) -> SandboxedEnvironment:
    """A sandboxed, always-autoescaping, strict environment with ``filters`` and ``globals``.

    StrictUndefined makes a missing variable an error instead of an empty
    space in an official document.
    """
    environment = SandboxedEnvironment(
        autoescape=True,
        undefined=StrictUndefined,
        finalize=to_word_text,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    environment.filters.update(filters or {})
    environment.globals.update(globals or {})
    return environment


def to_word_text(value: Any) -> Markup:
    """One output value as text ready to stand inside a ``w:t``.

    None gives "" (an empty optional field, not the word "None"). Markup —
    what the ``|e`` and ``|safe`` filters return — is taken as XML already.

    >>> to_word_text('Bộ KH&CN <Sở> "x"')
    Markup('Bộ KH&amp;CN &lt;Sở&gt; &#34;x&#34;')
    >>> to_word_text("Hà Nội\\nngày 1") == 'Hà Nội' + LINE_BREAK + 'ngày 1'
    True
    >>> to_word_text(None), to_word_text(3)
    (Markup(''), Markup('3'))
    """
    if value is None:
        return Markup("")
    if isinstance(value, Markup):
        _refuse_illegal_characters(value)
        return value
    text = str(value)
    if text.isprintable():  # the common case: no control character, nothing to break
        return Markup(xml_escape(text))
    _refuse_illegal_characters(text)
    xml = xml_escape(text)
    if "\r" in xml:
        xml = xml.replace("\r\n", "\n").replace("\r", "\n")
    if "\n" in xml:
        xml = xml.replace("\n", LINE_BREAK)
    if "\t" in xml:
        xml = xml.replace("\t", TAB)
    return Markup(xml)


def xml_escape(text: str) -> str:
    """``text`` with the five XML specials escaped, as markupsafe.escape spells them.

    Chained ``str.replace`` is about twice as fast as markupsafe.escape here,
    and this runs once per value on the render path.

    >>> xml_escape('R&D <b> "a"'), xml_escape("A's")
    ('R&amp;D &lt;b&gt; &#34;a&#34;', 'A&#39;s')
    """
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&#34;")
        .replace("'", "&#39;")
    )


def find_illegal_character(text: str) -> str | None:
    """The first character of ``text`` that XML 1.0 forbids, or None.

    >>> find_illegal_character("chuông\\x07"), find_illegal_character("tab\\tok\\n")
    ('\\x07', None)
    """
    match = _ILLEGAL_IN_XML.search(text)
    return match.group(0) if match else None


def _refuse_illegal_characters(text: str) -> None:
    char = find_illegal_character(text)
    if char is not None:
        raise IllegalCharacterError(char)
