"""``Engine(post_render=...)``: a caller's pass over one rendered part, with the context."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from docx.document import Document

from docgen.engine import Engine


def build(document: Document) -> None:
    document.add_paragraph("Kính gửi: {{ who }}")
    document.sections[0].header.paragraphs[0].text = "Trang {{ page }}"


def _part(docx: bytes, name: str) -> str:
    return zipfile.ZipFile(io.BytesIO(docx)).read(name).decode()


def test_the_pass_runs_on_its_part_only_and_sees_the_context(
        make_docx: Callable[..., Path]) -> None:
    seen: list[Mapping[str, Any]] = []

    def mark(xml: str, context: Mapping[str, Any]) -> str:
        seen.append(context)
        return xml.replace("Sở Tài chính", "SỞ TÀI CHÍNH")

    path = make_docx(build)
    engine = Engine(post_render={"word/document.xml": mark})
    context = {"who": "Sở Tài chính", "page": "Sở Tài chính"}
    docx = engine.load(path).render(context)
    assert "Kính gửi: SỞ TÀI CHÍNH" in _part(docx, "word/document.xml")
    header = next(n for n in zipfile.ZipFile(io.BytesIO(docx)).namelist() if "header" in n)
    assert "Sở Tài chính" in _part(docx, header)  # another part: untouched
    assert seen == [context]


def test_without_a_pass_the_output_is_the_engines_own(make_docx: Callable[..., Path]) -> None:
    path = make_docx(build)
    plain = Engine().load(path).render({"who": "A", "page": "1"})
    same = Engine(post_render={"word/document.xml": lambda xml, _c: xml}).load(path)
    assert _part(same.render({"who": "A", "page": "1"}), "word/document.xml") == \
        _part(plain, "word/document.xml")
