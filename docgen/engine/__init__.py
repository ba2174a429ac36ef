"""The render core: a .docx template plus a context gives a .docx.

    >>> from docgen.engine import Engine
    >>> engine = Engine(filters={"upper_vi": str.upper})
    >>> template = engine.load("templates/minutes/template.docx")      # doctest: +SKIP
    >>> docx_bytes = template.render({"unit": "Sở Y tế"})          # doctest: +SKIP

This package imports nothing from Flask and knows nothing of requests; see
README.md beside this file.
"""

from __future__ import annotations

from ._compiled import CompiledTemplate
from ._engine import Engine
from ._xml import parse_part

__all__ = ["CompiledTemplate", "Engine", "parse_part"]
