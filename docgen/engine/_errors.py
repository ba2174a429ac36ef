"""Turning Jinja's exceptions into docgen's, with the data each one carries.

The caller chains the result (``raise translated from exc``); these functions
only decide what the administrator reading the message needs: which part,
which line and what text is there, which variable is missing.
"""

from __future__ import annotations

import re
import traceback

import jinja2
from jinja2.exceptions import SecurityError

from docgen.errors import TemplateRenderError, TemplateSyntaxError

from ._structural import StructuralTagError

__all__ = [
    "line_text",
    "misplaced_tag_error",
    "render_error",
    "syntax_error",
    "template_line",
    "undefined_name",
]

_MARKUP = re.compile(r"<[^>]*>")
_SNIPPET_LENGTH = 80
# The three ways jinja2.Undefined words its message (runtime.Undefined._undefined_message).
_UNDEFINED_MESSAGE = re.compile(
    r"^'(?P<variable>[^']+)' is undefined$"
    r"|has no attribute '(?P<attribute>[^']+)'$"
    r"|has no element (?P<element>.+)$"
)


def syntax_error(exc: jinja2.TemplateSyntaxError, part: str, source: str) -> TemplateSyntaxError:
    """A TemplateSyntaxError naming the part, the line and the text found there."""
    message = f"Lỗi cú pháp trong mẫu: {exc.message}"
    if exc.lineno:
        text = line_text(source, exc.lineno)
        if text:
            message += f" — gần đoạn: «{text}»"
    return TemplateSyntaxError(message, part=part, line=exc.lineno)


def misplaced_tag_error(exc: StructuralTagError, part: str) -> TemplateSyntaxError:
    """A TemplateSyntaxError for ``{%tr`` outside a row, ``{%p`` outside a paragraph…"""
    return TemplateSyntaxError(str(exc), part=part)


def render_error(exc: Exception, part: str) -> TemplateRenderError:
    """A TemplateRenderError for anything a template raised while rendering ``part``."""
    line = template_line(exc, part)
    where = f"{part}, dòng {line}" if line else part
    if isinstance(exc, jinja2.UndefinedError):
        name = undefined_name(exc)
        return TemplateRenderError(
            f"Thiếu dữ liệu cho '{name or exc}' ({where})",
            part=part,
            names=[name] if name else [],
        )
    if isinstance(exc, SecurityError):
        return TemplateRenderError(f"Mẫu truy cập vào vùng bị cấm: {exc} ({where})", part=part)
    return TemplateRenderError(
        f"Không điền được mẫu: {type(exc).__name__}: {exc} ({where})", part=part
    )


def undefined_name(exc: jinja2.UndefinedError) -> str | None:
    """The variable, attribute or key an UndefinedError is about.

    >>> undefined_name(jinja2.UndefinedError("'recipient' is undefined"))
    'recipient'
    >>> undefined_name(jinja2.UndefinedError("'dict object' has no attribute 'full_name'"))
    'full_name'
    """
    match = _UNDEFINED_MESSAGE.search(str(exc))
    if match is None:
        return None
    return match["variable"] or match["attribute"] or match["element"]


def template_line(exc: BaseException, part: str) -> int | None:
    """The template line being rendered when ``exc`` was raised, if Jinja recorded it.

    Jinja rewrites a render's traceback so that its frames carry the template's
    file name (the part) and line numbers; the innermost such frame is the one.
    """
    line = None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename == part:
            line = lineno
    return line


def line_text(source: str, lineno: int) -> str:
    """The visible text of line ``lineno`` of a part's source, shortened.

    >>> line_text('<?xml?>\\n<w:p><w:r><w:t>{% if x %}Ông</w:t></w:r></w:p>', 2)
    '{% if x %}Ông'
    """
    lines = source.splitlines()
    if not 0 < lineno <= len(lines):
        return ""
    text = _MARKUP.sub("", lines[lineno - 1]).strip()
    if len(text) > _SNIPPET_LENGTH:
        text = text[: _SNIPPET_LENGTH - 1] + "…"
    return text
