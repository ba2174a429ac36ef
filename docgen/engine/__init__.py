"""The render core: a .docx template plus a context gives a .docx.

    >>> from docgen.engine import Engine
    >>> engine = Engine(filters={"upper_vi": str.upper})
    >>> template = engine.load("templates/minutes/template.docx")      # doctest: +SKIP
    >>> docx_bytes = template.render({"unit": "Sở Y tế"})          # doctest: +SKIP

This package imports nothing from Flask and knows nothing of requests; see
README.md beside this file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._compiled import CompiledTemplate
from ._engine import Engine

if TYPE_CHECKING:
    from ._xml import parse_part

__all__ = ["CompiledTemplate", "Engine", "parse_part"]


def __getattr__(name: str) -> Any:
    """``parse_part`` on first use: rendering a template from the disk cache needs no lxml."""
    if name == "parse_part":
        from ._xml import parse_part

        return parse_part
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
