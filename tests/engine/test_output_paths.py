"""Every way a value reaches the XML, held byte-identical to stock Jinja.

The engine's environment skips work stock Jinja does twice (escaping the Markup
``finalize`` already returns, raising AttributeError on a dict before trying its
key). These tests pin what must not change while doing so: each escaping path,
line breaks and tabs, Markup, blocks, macros, ``{% autoescape false %}``, the
sandbox's refusals. The reference is a stock ``SandboxedEnvironment`` with the
original finalize hook (``escape(finalize(value))``), written out below, so a
difference in one byte fails here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jinja2
import pytest
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from docgen import vi
from docgen.catalog import get_type
from docgen.engine import Engine
from docgen.engine._environment import LINE_BREAK, TAB, make_environment
from docgen.errors import IllegalCharacterError
from docgen.rendering import default_renderer

ROOT = Path(__file__).resolve().parents[2]
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def reference_finalize(value: Any) -> Markup:
    """The finalize hook as it stood before the fast path, kept as the oracle."""
    if value is None:
        return Markup("")
    if isinstance(value, Markup):
        if _ILLEGAL.search(value):
            raise IllegalCharacterError(_ILLEGAL.search(value).group(0))  # type: ignore[union-attr]
        return value
    text = str(value)
    match = _ILLEGAL.search(text)
    if match:
        raise IllegalCharacterError(match.group(0))
    xml = str(escape(text))
    xml = xml.replace("\r\n", "\n").replace("\r", "\n")
    return Markup(xml.replace("\n", LINE_BREAK).replace("\t", TAB))


def reference_environment(filters: dict[str, Any] | None = None) -> SandboxedEnvironment:
    environment = SandboxedEnvironment(
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=reference_finalize,
        keep_trailing_newline=True,
    )
    environment.filters.update(filters or {})
    return environment


class Unit:
    """An object with attributes, to exercise getattr on something not a dict."""

    def __init__(self) -> None:
        self.name = "UBND xã <A> & B"
        self._secret = "x"


CONTEXT: dict[str, Any] = {
    "plain": "UBND xã Mỹ Tú",
    "specials": 'Bộ KH&CN <Sở> "x" A\'s',
    "lines": "dòng 1\ndòng 2\r\ndòng 3\rdòng 4",
    "tabs": "STT\tTên\t",
    "mixed": "a &\tb\n<c>",
    "empty": None,
    "zero": 0,
    "number": 12.5,
    "flag": True,
    "nbsp": "\u00a0không\u00a0ngắt",
    "astral": "😀 𝔸",
    "markup": Markup("<w:br/>&amp;"),
    "items_list": [{"name": "A&B", "n": 1}, {"name": "C\nD", "n": 2}, {"name": None, "n": 3}],
    "mapping": {"name": "Sở <KH>", "items": "a key named like a method", "keys": 3},
    "unit": Unit(),
}

TEMPLATES = [
    "{{ plain }}|{{ specials }}|{{ empty }}|{{ zero }}|{{ number }}|{{ flag }}",
    "{{ lines }}|{{ tabs }}|{{ mixed }}|{{ nbsp }}|{{ astral }}",
    "{{ markup }}|{{ specials|safe }}|{{ specials|e }}|{{ specials|e|e }}|{{ lines|safe }}",
    "{{ specials|upper }}|{{ specials ~ '<&>' }}|{{ '<lit>&' }}|{{ 'a\\nb' }}|{{ 3 + 4 }}",
    "{% for it in items_list %}<r>{{ loop.index }}.{{ it.name }}={{ it['n'] }}</r>{% endfor %}",
    "{{ mapping.name }}|{{ mapping['items'] }}|{{ mapping.keys }}|{{ mapping.get('name') }}",
    "{{ mapping.items is callable }}|{{ mapping['keys'] }}|{{ unit.name }}",
    "{% set s %}<b>{{ specials }}</b>{% endset %}{{ s }}|{{ s|length }}",
    "{% macro m(x) %}<m>{{ x }}</m>{% endmacro %}{{ m(specials) }}{{ m(lines) }}",
    "{% filter upper %}{{ specials }}&{% endfilter %}",
    "{% autoescape false %}{{ specials }}|{{ lines }}{% endautoescape %}",
    "{% autoescape plain == 'x' %}{{ specials }}{% endautoescape %}",
    "{% if empty %}x{% else %}{{ empty }}y{% endif %}{{ (empty or 'mặc định') }}|{{ none }}",
    "{{ items_list|map(attribute='name')|join(', ') }}|{{ items_list|length }}",
    "{{ vi_upper(specials) }}|{{ specials|vn_upper }}",
]


def both(source: str, context: dict[str, Any]) -> tuple[str, str]:
    filters = {"vn_upper": str.upper}
    ours = make_environment(filters=filters, globals={"vi_upper": str.upper})
    reference = reference_environment(filters)
    reference.globals["vi_upper"] = str.upper
    return (
        ours.from_string(source).render(context),
        reference.from_string(source).render(context),
    )


@pytest.mark.parametrize("source", TEMPLATES)
def test_output_is_identical_to_stock_jinja(source: str) -> None:
    ours, reference = both(source, CONTEXT)
    assert ours == reference


def test_the_paths_produce_what_word_needs() -> None:
    """Not only equal to the reference: the reference itself says the right thing."""
    ours, _ = both(TEMPLATES[1], CONTEXT)
    assert ours.startswith("dòng 1" + LINE_BREAK + "dòng 2" + LINE_BREAK + "dòng 3")
    assert "STT" + TAB + "Tên" + TAB in ours
    assert "a &amp;" + TAB + "b" + LINE_BREAK + "&lt;c&gt;" in ours
    ours, _ = both(TEMPLATES[0], CONTEXT)
    assert ours == "UBND xã Mỹ Tú|Bộ KH&amp;CN &lt;Sở&gt; &#34;x&#34; A&#39;s||0|12.5|True"
    ours, _ = both(TEMPLATES[5], CONTEXT)
    assert ours.startswith("Sở &lt;KH&gt;|a key named like a method|&lt;built-in method keys")


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("{{ unit.__class__ }}", jinja2.exceptions.SecurityError),
        ("{{ unit._secret.upper() }}", jinja2.exceptions.SecurityError),
        ("{{ mapping.__class__.__subclasses__() }}", jinja2.exceptions.SecurityError),
        ("{{ plain.__class__.__mro__ }}", jinja2.exceptions.SecurityError),
        ("{{ mapping.update.__self__ }}", jinja2.exceptions.SecurityError),
        ("{{ missing }}", jinja2.exceptions.UndefinedError),
        ("{{ mapping.missing }}", jinja2.exceptions.UndefinedError),
        ("{{ items_list[0].nope }}", jinja2.exceptions.UndefinedError),
        ("{{ unit.nope }}", jinja2.exceptions.UndefinedError),
        ("{{ chr }}", IllegalCharacterError),
        ("{% for c in chars %}{{ c }}{% endfor %}", IllegalCharacterError),
        ("{{ bad_markup }}", IllegalCharacterError),
    ],
)
def test_refusals_are_unchanged(source: str, error: type[Exception]) -> None:
    context = {**CONTEXT, "chr": "chuông\x07", "chars": ["a", "\ufffe"],
               "bad_markup": Markup("a\x0b")}
    for environment in (make_environment(), reference_environment()):
        template = environment.from_string(source)
        with pytest.raises(error):
            template.render(context)


def test_unsafe_attribute_in_a_sandbox_is_refused_by_name() -> None:
    template = make_environment().from_string("{{ unit._secret.__class__ }}")
    with pytest.raises(jinja2.exceptions.SecurityError, match="__class__"):
        template.render(CONTEXT)


def test_a_dict_key_shadowing_a_method_still_gives_the_method() -> None:
    """``d.items`` is the method (as stock Jinja) even when the dict has an "items" key."""
    environment = make_environment()
    out = environment.from_string("{{ d.items()|list|length }}|{{ d.pop is callable }}").render(
        d={"items": 1, "pop": 2}
    )
    assert out == "2|True"


@pytest.mark.parametrize("doc_type", ["minutes", "plan", "decision", "report"])
def test_shipped_templates_render_identically_to_stock_jinja(doc_type: str) -> None:
    """Each shipped template with its example payload: every part, byte for byte."""
    kind = get_type(doc_type)
    data = json.loads((ROOT / "schemas" / "examples" / f"{doc_type}.json").read_text("utf-8"))
    context = kind.build_context(default_renderer().validate(doc_type, data).data)
    engine = Engine(filters=vi.FILTERS)
    compiled = engine.load(ROOT / "templates" / kind.template)
    reference = reference_environment(dict(vi.FILTERS))
    reference.globals.update(engine.environment.globals)
    reference.filters.update(engine.environment.filters)  # _docgen_paragraphs
    for part in compiled._compiled_parts:
        ours = part.template.render(context)
        # A part's own globals: the paragraph breaks of its running-text values.
        theirs = reference.from_string(part.source, globals=dict(part.template.globals)).render(context)
        assert ours == theirs, part.name
        assert "&lt;" not in ours or "<w:" in ours
