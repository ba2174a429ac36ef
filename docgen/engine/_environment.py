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

This runs once per value of every render (a 10,000-row table: 50,000 times), so
three things stock Jinja does here are cut, with output byte for byte the same
(tests/engine/test_output_paths.py renders against stock Jinja):

* Jinja wraps each output in ``escape(finalize(value))``; ``finalize`` has
  escaped already and ``escape`` of Markup only copies it. ``_WordCodeGenerator``
  emits ``finalize(value)`` alone, and the hook returns a plain ``str``.
* the sandbox's ``getattr`` on a dict (every ``{{ unit.name }}``) first tries the
  attribute, raising and catching AttributeError, then the key. ``WordEnvironment``
  looks the key up first when the name is not one of dict's own attributes —
  the only case in which stock Jinja ends up at the key too.
* Jinja yields each piece of an output node (XML, value, XML…) separately;
  ``_WordCodeGenerator`` yields one joined string per node.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from jinja2 import StrictUndefined, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.nodes import Expr
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

_fast_escape: Callable[[str], str] | None
try:  # markupsafe's C escaper, without the Markup object escape() wraps it in
    from markupsafe._speedups import _escape_inner as _fast_escape
except ImportError:  # pragma: no cover - markupsafe without its C extension
    _fast_escape = None

from docgen.errors import IllegalCharacterError

__all__ = [
    "LINE_BREAK",
    "TAB",
    "WordEnvironment",
    "find_illegal_character",
    "make_environment",
    "to_word_text",
    "word_text",
    "xml_escape",
]

#: Closes the value's ``w:t``, breaks the line, opens a new ``w:t`` in the same run.
LINE_BREAK = '</w:t><w:br/><w:t xml:space="preserve">'
#: The same for a tab stop.
TAB = '</w:t><w:tab/><w:t xml:space="preserve">'

# XML 1.0 (section 2.2) allows \t \n \r and everything from U+0020 up, except
# the surrogate block and U+FFFE/U+FFFF. Python strings can hold lone surrogates.
_ILLEGAL_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


#: Names a plain dict answers as attributes (``items``, ``keys``…): for these
#: ``{{ d.items }}`` is the method, as in stock Jinja, never the key.
_DICT_ATTRIBUTES = frozenset(dir(dict))


class _WordCodeGenerator(CodeGenerator):
    """Jinja's code generator, writing ``finalize(value)`` where it wrote ``escape(finalize(value))``.

    ``to_word_text`` escapes every value (Markup passes as it is), whether
    autoescape is on, off or decided at run time, so the wrapper Jinja adds —
    ``escape(``, ``str(`` or the run-time choice of both — cannot change the
    text, only cost a copy per value.
    """

    def _output_child_pre(self, node: Expr, frame: Frame, finalize: Any) -> None:
        self.write(finalize.src)

    def _output_child_post(self, node: Expr, frame: Frame, finalize: Any) -> None:
        self.write(")")

    def visit_Output(self, node: nodes.Output, frame: Frame) -> None:
        """One ``yield`` per output node, joining its pieces, where Jinja yields each piece.

        A table row is one output node of a dozen pieces (XML, value, XML…);
        resuming the generator per piece was a third of a 10,000-row render.
        Inside blocks and macros (``frame.buffer``) and under ``{% extends %}``
        Jinja's own code is kept.
        """
        if frame.buffer is not None or frame.require_output_check:
            super().visit_Output(node, frame)
            return
        finalize = self._make_finalize()
        body: list[list[Any] | nodes.Expr] = []
        for child in node.nodes:  # constants folded at compile time, as Jinja does
            try:
                if not (finalize.const or isinstance(child, nodes.TemplateData)):
                    raise nodes.Impossible()
                const = self._output_child_to_const(child, frame, finalize)
            except Exception:  # noqa: BLE001 - as Jinja: not constant, or fails at run time
                body.append(child)
                continue
            if body and isinstance(body[-1], list):
                body[-1].append(const)
            else:
                body.append([const])
        if len(body) == 1 and isinstance(body[0], list):
            self.writeline("yield " + self._output_const_repr(body[0]))
            return
        self.writeline("yield str_join((")
        self.indent()
        for item in body:
            if isinstance(item, list):
                self.writeline(self._output_const_repr(item) + ",")
            else:
                self.newline(item)
                self._output_child_pre(item, frame, finalize)
                self.visit(item, frame)
                self._output_child_post(item, frame, finalize)
                self.write(",")
        self.outdent()
        self.writeline("))")


class WordEnvironment(SandboxedEnvironment):
    """The sandbox with output through ``to_word_text`` alone and a fast dict lookup."""

    code_generator_class = _WordCodeGenerator

    def getattr(self, obj: Any, attribute: str) -> Any:
        """``obj.attribute`` as the sandbox answers it, a plain dict's key found first.

        For a ``dict`` and a name that is not one of dict's attributes, stock
        Jinja's ``getattr`` fails and falls back to ``obj[attribute]``; asking
        the key directly gives the same value without raising.
        """
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


def make_environment(
    filters: Mapping[str, Callable[..., Any]] | None = None,
    globals: Mapping[str, Any] | None = None,
) -> SandboxedEnvironment:
    """A sandboxed, always-escaping, strict environment with ``filters`` and ``globals``.

    StrictUndefined makes a missing variable an error instead of an empty
    space in an official document.
    """
    environment = WordEnvironment(
        autoescape=True,
        undefined=StrictUndefined,
        finalize=word_text,
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
    return Markup(word_text(value))


def word_text(value: Any) -> str:
    """``to_word_text`` as a plain ``str``: the environment's ``finalize`` hook.

    The output of a template is joined into one ``str`` anyway, so wrapping each
    value in Markup only to unwrap it is skipped.

    >>> word_text("R&D\\tx"), word_text(None)
    ('R&amp;D</w:t><w:tab/><w:t xml:space="preserve">x', '')
    """
    if type(value) is str:  # nearly every value: no isinstance chain, no str() copy
        text = value
    elif value is None:
        return ""
    elif isinstance(value, Markup):
        _refuse_illegal_characters(value)
        return value
    else:
        text = str(value)
    if text.isprintable():  # the common case: no control character, nothing to break
        return _escape(text)
    _refuse_illegal_characters(text)
    xml = _escape(text)
    if "\r" in xml:
        xml = xml.replace("\r\n", "\n").replace("\r", "\n")
    if "\n" in xml:
        xml = xml.replace("\n", LINE_BREAK)
    if "\t" in xml:
        xml = xml.replace("\t", TAB)
    return xml


def xml_escape(text: str) -> str:
    """``text`` with the five XML specials escaped, exactly as markupsafe.escape spells them.

    markupsafe's C escaper without the Markup object ``escape()`` builds around
    it (a third of the time per value); chained ``str.replace`` where the C
    extension is missing.

    >>> xml_escape('R&D <b> "a"'), xml_escape("A's")
    ('R&amp;D &lt;b&gt; &#34;a&#34;', 'A&#39;s')
    """
    if _fast_escape is not None:
        return _fast_escape(text)
    return _replace_escape(text)


def _replace_escape(text: str) -> str:
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&#34;")
        .replace("'", "&#39;")
    )


#: The escaper ``word_text`` calls directly (one Python call less per value).
_escape: Callable[[str], str] = _fast_escape if _fast_escape is not None else _replace_escape


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
