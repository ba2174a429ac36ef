"""Fixtures for the engine tests (builders live in builders.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.document import Document

from docgen.engine import Engine

from .builders import open_docx


@pytest.fixture
def engine() -> Engine:
    return Engine()


@pytest.fixture
def make_docx(tmp_path: Path) -> Callable[..., Path]:
    """``make_docx(build, name="template.docx")``: a .docx made by ``build(document)``."""

    def make(build: Callable[[Document], None], name: str = "template.docx") -> Path:
        document = docx.Document()
        build(document)
        path = tmp_path / name
        document.save(str(path))
        return path

    return make


@pytest.fixture
def render_text(engine: Engine, make_docx: Callable[..., Path]) -> Callable[..., list[str]]:
    """``render_text(*paragraphs, **context)``: render one-paragraph-each text, read it back."""

    def render(*paragraphs: str, **context: object) -> list[str]:
        def build(document: Document) -> None:
            for text in paragraphs:
                document.add_paragraph(text)

        path = make_docx(build)
        return [p.text for p in open_docx(engine.load(path).render(context)).paragraphs]

    return render
