"""``check_template``: every check over one .docx, all findings at once."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Mapping
from typing import Any

from docgen.engine import Engine
from docgen.errors import DocgenError, TemplateError, TemplateRenderError, TemplateSyntaxError
from docgen.schemas.walk import FieldSpec

from ._document import Document, Story
from ._findings import ERROR, Finding
from ._layout import check_layout
from ._names import check_names, name_tree, required_not_shown
from ._package import DEFAULT_LIMITS, Limits, UnusableTemplate, read_package
from ._tags import check_tags

__all__ = ["ContextBuilder", "Renderer", "check_template", "default_engine"]

#: payload -> the context a template sees (validation + derived values).
ContextBuilder = Callable[[Mapping[str, Any]], Mapping[str, Any]]
#: (template bytes, payload) -> the rendered .docx.
Renderer = Callable[[bytes, Mapping[str, Any]], bytes]

_RENDERED = "bản điền thử dữ liệu mẫu"
_SNIPPET = re.compile(r"«(?P<text>.*?)…?»")
_LEFTOVER = ("{{", "{%")
_PARAGRAPH_COUNT = re.compile(r" \(và \d+ đoạn khác\)")
#: "(word/document.xml, dòng 25)" or "(word/document.xml)": the engine's place, in XML terms
_ENGINE_PLACE = re.compile(r" \((?:[\w/.-]+\.xml)(?:, dòng \d+)?\)")

_engine: Engine | None = None
_engine_lock = threading.Lock()


def default_engine() -> Engine:
    """An engine with docgen's Vietnamese filters: the names a template may call."""
    global _engine
    with _engine_lock:
        if _engine is None:
            from docgen import vi

            _engine = Engine(filters=vi.FILTERS)
        return _engine


def check_template(
    docx: bytes,
    *,
    fields: FieldSpec | None = None,
    example: Mapping[str, Any] | None = None,
    render: Renderer | None = None,
    context: ContextBuilder | None = None,
    engine: Engine | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> list[Finding]:
    """Every problem of the template ``docx``, at once; ``[]`` when it conforms.

    ``fields`` is the type's payload field tree, ``context`` turns a payload into the
    template's context (the derived names come from ``context(example)``), ``render``
    fills a template with a payload. Each is optional: without ``fields`` and
    ``context`` names are not checked, without ``example`` and ``render`` no example
    is rendered. An unusable file (not a .docx, too big, a zip bomb, a DTD) is one
    error finding; nothing here raises for a problem in the file.
    """
    engine = engine or default_engine()
    try:
        document = Document(read_package(docx, limits))
        findings = _tags_and_names(document, docx, engine, fields, example, context)
        findings += check_layout(document)
    except UnusableTemplate as exc:
        return [exc.finding]
    if example is not None and render is not None and not any(
            f.severity == ERROR and f.code in ("template_syntax", "unclosed_tag",
                                               "misplaced_structural_tag", "unknown_filter")
            for f in findings):
        findings += _rendered(document, docx, example, render, findings, limits)
    return findings


def _tags_and_names(document: Document, docx: bytes, engine: Engine, fields: FieldSpec | None,
                    example: Mapping[str, Any] | None,
                    context: ContextBuilder | None) -> list[Finding]:
    report = check_tags(document.stories, engine.environment)
    findings = list(report.findings)
    structural = any(f.code in ("misplaced_structural_tag", "unclosed_tag") for f in findings)
    try:
        engine.compile(docx)
    except TemplateSyntaxError as exc:  # the engine's own view; ours is usually finer
        if exc.part not in report.broken_parts and not structural:
            findings.append(_engine_finding(exc, document))
    except TemplateError as exc:
        findings.append(Finding("not_docx", ERROR, f"Bộ điền mẫu không đọc được tệp: "
                                f"{exc.message}"))
    built: Mapping[str, Any] | None = None
    if context is not None and example is not None:
        try:
            built = context(example)
        except DocgenError:
            built = None  # the rendered check says why
    if fields is not None or built is not None:
        findings += check_names(report.reads, name_tree(fields, built))
    if fields is not None and not report.unread_parts:  # else what is read is unknown
        findings += required_not_shown(report.reads, fields, example, context)
    return findings


def _engine_finding(exc: TemplateSyntaxError, document: Document) -> Finding:
    """The engine's error, located by the paragraph whose text it quotes."""
    story = document.story(exc.part or "") or document.body
    location = story.label
    match = _SNIPPET.search(exc.message)
    if match is not None and match["text"]:
        paragraph = next((p for p in story.paragraphs if match["text"] in p.text), None)
        location = paragraph.location if paragraph is not None else location
    message = re.sub(r" — gần đoạn: «.*?»| \([^()]*, dòng \d+\)|\s\([^()]*\.xml\)$", "",
                     exc.message)
    return Finding("template_syntax", ERROR, message, location)


def _rendered(template: Document, docx: bytes, example: Mapping[str, Any], render: Renderer,
              template_findings: list[Finding], limits: Limits) -> list[Finding]:
    """The example filled in: it renders, keeps the layout, and leaves no tag behind."""
    try:
        output = render(docx, example)
    except TemplateRenderError as exc:
        return [_render_failure(exc, template)]
    except DocgenError as exc:
        return [Finding("example_render_failed", ERROR, f"Không điền được dữ liệu mẫu vào mẫu: "
                        f"{exc.message}", _RENDERED)]
    try:
        document = Document(read_package(output, limits))
        layout = check_layout(document)
    except UnusableTemplate as exc:
        return [Finding("example_render_failed", ERROR, f"Bản điền thử không đọc được: "
                        f"{exc.finding.message}", _RENDERED)]
    known = {_same_problem(f) for f in template_findings}
    findings = [Finding(f.code, f.severity, f.message, f"{_RENDERED}: {f.location}")
                for f in layout if _same_problem(f) not in known]
    for story in document.stories:
        findings += _leftovers(story)
    return findings


def _render_failure(exc: TemplateRenderError, template: Document) -> Finding:
    """The engine's render error without its XML line, at the paragraph reading the name."""
    message = _ENGINE_PLACE.sub("", exc.message)
    story = template.story(exc.part or "") or template.body
    location = story.label
    for name in exc.names:
        word = re.compile(rf"\{{[{{%][^}}]*\b{re.escape(name)}\b")
        paragraph = next((p for p in story.paragraphs if word.search(p.text)), None)
        if paragraph is not None:
            location = paragraph.location
            break
    return Finding("example_render_failed", ERROR, f"Không điền được dữ liệu mẫu vào mẫu: "
                   f"{message}", f"{_RENDERED}: {location}")


def _same_problem(finding: Finding) -> tuple[str, str]:
    """What makes a rendered finding a repeat of the template's: code and message, with
    the paragraph count left out (a loop makes more paragraphs of the same font)."""
    return finding.code, _PARAGRAPH_COUNT.sub("", finding.message)


def _leftovers(story: Story) -> list[Finding]:
    return [Finding("tag_left_in_output", ERROR, "Bản điền thử còn thẻ chưa được thay "
                    "(«{{» hoặc «{%»).", f"{_RENDERED}: {p.location}")
            for p in story.paragraphs if any(opener in p.text for opener in _LEFTOVER)]
