"""What a broken template or bad data raises, and the data the error carries."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import jinja2
import pytest
from docx.document import Document
from jinja2.exceptions import SecurityError

from docgen.engine import Engine
from docgen.engine._errors import line_text, undefined_name
from docgen.errors import (
    TemplateError,
    TemplateNotFoundError,
    TemplateRenderError,
    TemplateSyntaxError,
)

MakeDocx = Callable[..., Path]


def paragraphs(*texts: str) -> Callable[[Document], None]:
    def build(document: Document) -> None:
        for text in texts:
            document.add_paragraph(text)

    return build


def test_undefined_variable_is_named(engine: Engine, make_docx: MakeDocx) -> None:
    path = make_docx(paragraphs("Kính gửi:", "{{ recipient }}"))
    with pytest.raises(TemplateRenderError) as caught:
        engine.load(path).render({})
    error = caught.value
    assert error.names == ["recipient"]
    assert error.part == "word/document.xml"
    assert "recipient" in error.message
    assert "dòng 4" in error.message  # declaration, document start, then a line a paragraph
    assert isinstance(error.__cause__, jinja2.UndefinedError)


def test_missing_key_inside_a_loop_is_named(engine: Engine, make_docx: MakeDocx) -> None:
    path = make_docx(paragraphs("{% for m in members %}{{ m.role }}{% endfor %}"))
    with pytest.raises(TemplateRenderError) as caught:
        engine.load(path).render({"members": [{"name": "An"}]})
    assert caught.value.names == ["role"]


def test_undefined_in_a_header_names_the_header(engine: Engine, make_docx: MakeDocx) -> None:
    def build(document: Document) -> None:
        document.sections[0].header.paragraphs[0].text = "{{ agency }}"
        document.add_paragraph("{{ title }}")

    with pytest.raises(TemplateRenderError) as caught:
        engine.load(make_docx(build)).render({"title": "x"})
    assert (caught.value.part, caught.value.names) == ("word/header1.xml", ["agency"])


def test_syntax_error_carries_part_line_and_text(engine: Engine, make_docx: MakeDocx) -> None:
    path = make_docx(paragraphs("Một", "Hai", "Ba {{ name + }} bốn"))
    with pytest.raises(TemplateSyntaxError) as caught:
        engine.load(path)
    error = caught.value
    # Line 1 is the XML declaration, line 2 opens the document, then one line a paragraph.
    assert (error.part, error.line) == ("word/document.xml", 5)
    assert "Ba {{ name + }} bốn" in error.message
    assert isinstance(error.__cause__, jinja2.TemplateSyntaxError)


def test_unclosed_block_is_a_syntax_error(engine: Engine, make_docx: MakeDocx) -> None:
    with pytest.raises(TemplateSyntaxError):
        engine.load(make_docx(paragraphs("{% if a %}", "không có endif")))


def test_unknown_filter_is_a_syntax_error(engine: Engine, make_docx: MakeDocx) -> None:
    with pytest.raises(TemplateSyntaxError, match="no_such_filter"):
        engine.load(make_docx(paragraphs("{{ a|no_such_filter }}")))


def test_row_tag_outside_a_table_is_a_syntax_error(engine: Engine, make_docx: MakeDocx) -> None:
    with pytest.raises(TemplateSyntaxError) as caught:
        engine.load(make_docx(paragraphs("{%tr for m in members %}")))
    assert caught.value.part == "word/document.xml"
    assert "w:tr" in caught.value.message


@pytest.mark.parametrize(
    "expression",
    [
        "''.__class__.__mro__",
        "‘’.__class__.__mro__[1].__subclasses__()",  # as Word's smart quotes type it
        "name.__class__",
        "name.__init__.__globals__",
    ],
)
def test_sandbox_refuses_internals(engine: Engine, make_docx: MakeDocx, expression: str) -> None:
    path = make_docx(paragraphs(f"{{{{ {expression} }}}}"))
    with pytest.raises(TemplateRenderError) as caught:
        engine.load(path).render({"name": "x"})
    assert isinstance(caught.value.__cause__, SecurityError)


def test_failing_filter_is_a_render_error(make_docx: MakeDocx) -> None:
    def broken(value: object) -> str:
        raise ValueError("không đổi được")

    engine = Engine(filters={"broken": broken})
    with pytest.raises(TemplateRenderError, match="không đổi được") as caught:
        engine.load(make_docx(paragraphs("{{ x|broken }}"))).render({"x": 1})
    assert isinstance(caught.value.__cause__, ValueError)


def test_missing_file(engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(TemplateNotFoundError):
        engine.load(tmp_path / "không có.docx")


@pytest.mark.parametrize(
    "content",
    [b"not a zip", b"PK\x05\x06" + bytes(18)],  # garbage; an empty zip (no content types)
)
def test_file_that_is_not_a_docx(engine: Engine, tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "hỏng.docx"
    path.write_bytes(content)
    with pytest.raises(TemplateError) as caught:
        engine.load(path)
    assert type(caught.value) is TemplateError


@pytest.mark.parametrize(
    ("template", "context", "expected"),
    [
        ("{{ recipient }}", {}, "recipient"),
        ("{{ m.role }}", {"m": {}}, "role"),
        ("{{ rows[3] }}", {"rows": []}, "3"),
    ],
)
def test_undefined_name_reads_jinjas_messages(
    template: str, context: dict[str, object], expected: str
) -> None:
    environment = jinja2.Environment(undefined=jinja2.StrictUndefined)
    with pytest.raises(jinja2.UndefinedError) as caught:
        environment.from_string(template).render(context)
    assert undefined_name(caught.value) == expected


def test_undefined_name_of_an_unknown_message() -> None:
    assert undefined_name(jinja2.UndefinedError("something else")) is None


def test_line_text_strips_markup_and_shortens() -> None:
    source = "<?xml?>\n<w:p><w:t>" + "chữ " * 40 + "</w:t></w:p>"
    text = line_text(source, 2)
    assert text.startswith("chữ chữ") and text.endswith("…") and len(text) == 80
    assert line_text(source, 9) == ""
