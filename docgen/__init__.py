"""docgen: official Vietnamese administrative documents (Decree 30/2020/NĐ-CP)
for ISO 9001 inspection rounds, as Word and PDF.

    >>> import docgen, json
    >>> data = json.load(open("schemas/examples/minutes.json", encoding="utf-8"))
    >>> docx = docgen.render("minutes", data)          # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

from docgen import _lazy_regex

_lazy_regex.install()  # marshmallow's e-mail patterns compiled on use: ~25 ms of start-up

__version__ = "0.1.0"
__all__ = ["__version__", "render"]


def render(doc_type: str, data: dict[str, Any], format: str = "docx") -> bytes:
    """Validate ``data`` as ``doc_type`` (plan, decision, minutes, report) and
    return the rendered document's bytes (.docx by default)."""
    from docgen.rendering import render as _render  # import on use: keeps `import docgen` light

    return _render(doc_type, data, format)
