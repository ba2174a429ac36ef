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


#: Jinja's syntax messages (jinja2/parser.py, lexer.py) as an administrator reads them.
_TOKEN_NAMES = {"end of print statement": "}}", "end of statement block": "%}",
                "end of template": "cuối mẫu", "name": "một tên"}
_SYNTAX_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), text) for pattern, text in (
        ((r"^Unexpected end of template\. Jinja was looking for the following tags: "
          r"(?P<tags>.+?)\.(?: The innermost block that needs to be closed is "
          r"'(?P<block>\w+)'\.)?$"),
         "mẫu kết thúc mà chưa đóng khối {block} (cần một trong các thẻ: {tags})"),
        (r"^unexpected end of template, expected '(?P<expected>[^']+)'\.?$",
         "mẫu kết thúc khi còn thiếu {expected}"),
        ((r"^Encountered unknown tag '(?P<tag>[^']+)'\.(?: Jinja was looking for the "
          r"following tags: (?P<tags>.+?)\.(?: The innermost block that needs to be closed "
          r"is '(?P<block>\w+)'\.)?)?$"), "thẻ lạ '{tag}'{looking}"),
        (r"^expected token '(?P<expected>[^']+)', got '(?P<got>[^']+)'$",
         "cần {expected} nhưng gặp '{got}'"),
        (r"^unexpected '(?P<got>[^']+)'$", "gặp '{got}' không đúng chỗ"),
        (r"^unexpected char (?P<char>'.+?') at (?P<pos>\d+)$", "ký tự {char} không hợp lệ"),
        (r"^tag name expected$", "thiếu tên thẻ sau {{%"),
        (r"^[Nn]o filter named '(?P<name>[^']+)'\.?$", "không có bộ lọc '{name}'"),
        (r"^[Nn]o test named '(?P<name>[^']+)'\.?$", "không có phép thử '{name}'"),
        (r"^Block '(?P<name>[^']+)' defined twice$", "khối '{name}' được khai báo hai lần"),
    ))


def vietnamese_syntax_message(message: str) -> str:
    """Jinja's English syntax message in Vietnamese (unknown ones are kept, marked).

    >>> vietnamese_syntax_message("expected token 'end of print statement', got 'x'")
    "cần }} nhưng gặp 'x'"
    >>> vietnamese_syntax_message("Encountered unknown tag 'endfor'.")
    "thẻ lạ 'endfor'"
    """
    for pattern, text in _SYNTAX_MESSAGES:
        match = pattern.match(message.strip())
        if match:
            found = {k: _TOKEN_NAMES.get(v, v).replace("' or '", "' hoặc '")
                     for k, v in match.groupdict().items() if v}
            looking = ""
            if found.get("tags"):
                looking = f" (đang chờ một trong các thẻ: {found['tags']}"
                looking += f" để đóng khối {found['block']})" if found.get("block") else ")"
            found.setdefault("block", "")
            found.setdefault("tags", "")
            return text.format(looking=looking, **found)
    return f"{message} (thông báo của Jinja)"


def syntax_error(exc: jinja2.TemplateSyntaxError, part: str, source: str) -> TemplateSyntaxError:
    """A TemplateSyntaxError naming the part, the line and the text found there."""
    message = f"Lỗi cú pháp trong mẫu: {vietnamese_syntax_message(exc.message or '')}"
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
