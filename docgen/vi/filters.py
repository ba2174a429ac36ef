"""The Vietnamese formatters as Jinja filters for Word templates.

Each filter takes the value as its first argument and returns ``str``, so a
template writes ``{{ issued_on|date_line(place) }}`` or
``{{ budget|amount_in_words }}``.

Date and time filters turn ``None`` into ``""``: templates apply them to
optional fields (a date not yet fixed). Number filters do not: a missing
amount printed as nothing, or as "không đồng", would be a wrong document, so
they raise. ``document_number`` already reads ``None`` as "not numbered yet".
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from docgen.vi.dates import date_line, date_short, time_of_day
from docgen.vi.numbers import (
    format_count,
    format_number,
    format_percent,
    format_share,
    two_digits,
)
from docgen.vi.parts import basis_line, dash_list, numbered_list
from docgen.vi.symbols import document_number
from docgen.vi.words import amount_in_words, number_in_words

__all__ = ["FILTERS", "blank_if_none", "closing", "paragraphs", "sentence"]


def paragraphs(text: str | None) -> list[str]:
    """The non-blank lines of ``text``, each a paragraph of its own.

    A template loops over them so every line becomes a real Word paragraph (with the
    paragraph's style and indent), not a line break inside one::

        {%p for line in findings|paragraphs %}
        {{ line }}
        {%p endfor %}

    >>> paragraphs("Một.\\n\\n  Hai. \\n")
    ['Một.', 'Hai.']
    """
    if not text:
        return []
    return [line.strip() for line in str(text).splitlines() if line.strip()]


def closing(text: str | None) -> str:
    """A closing sentence ended as Decree 30 ends a document: one "./." (a "." or ";"
    the clerk typed is not doubled).

    >>> closing("Trên đây là Kế hoạch."), closing("Xong./."), closing("Xong")
    ('Trên đây là Kế hoạch./.', 'Xong./.', 'Xong./.')
    """
    body = (text or "").strip()
    while body and (body.endswith("./.") or body[-1] in ".;,"):
        body = (body[:-3] if body.endswith("./.") else body[:-1]).rstrip()
    return f"{body}./."


def sentence(text: str | None) -> str:
    """A sentence ended with one "." (a ".", ";" or "," the clerk typed is not doubled); ""
    stays "".

    >>> sentence("Rà soát danh mục tài liệu"), sentence("Đã khắc phục.;"), sentence("")
    ('Rà soát danh mục tài liệu.', 'Đã khắc phục.', '')
    """
    body = (text or "").strip().rstrip(".;, ").rstrip()
    return f"{body}." if body else ""


def blank_if_none(func: Callable[..., str]) -> Callable[..., str]:
    """Wrap ``func`` so that a ``None`` value gives ``""`` instead of an error.

    >>> blank_if_none(date_short)(None)
    ''
    """

    @functools.wraps(func)
    def wrapper(value: Any, *args: Any, **kwargs: Any) -> str:
        if value is None:
            return ""
        return func(value, *args, **kwargs)

    return wrapper


FILTERS: dict[str, Callable[..., Any]] = {
    "paragraphs": paragraphs,
    "closing": closing,
    "sentence": sentence,
    "date_line": blank_if_none(date_line),
    "date_short": blank_if_none(date_short),
    "time_of_day": blank_if_none(time_of_day),
    "number": format_number,
    "count": format_count,
    "percent": format_percent,
    "share": format_share,
    "amount_in_words": amount_in_words,
    "number_in_words": number_in_words,
    "document_number": document_number,
    "two_digits": two_digits,
    # The shared parts' punctuation (docgen.vi.parts): "Căn cứ …;", "- …;" … "- …."
    "basis_line": basis_line,
    "dash_list": dash_list,
    "numbered_list": numbered_list,
}
