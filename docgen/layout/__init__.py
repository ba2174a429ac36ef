"""Decree 30/2020/NĐ-CP layout that depends on the filled-in text (see README.md).

The letterhead pass (:func:`layout_letterhead`) runs on a rendered
``word/document.xml``: it breaks long agency names between units of meaning, sizes the
header's two columns to their content and sets the rule under the issuer to 2/5 of its
text. :data:`POST_RENDER` is what :class:`docgen.rendering.Renderer` hands the engine.
"""

from __future__ import annotations

from ._letterhead import NATIONAL_NAME, layout_letterhead
from ._names import break_name, longest_unit, place_spans
from ._widths import text_width

#: Post-render hooks by zip member, for ``Engine(post_render=...)``.
POST_RENDER = {"word/document.xml": layout_letterhead}

__all__ = [
    "NATIONAL_NAME",
    "POST_RENDER",
    "break_name",
    "layout_letterhead",
    "longest_unit",
    "place_spans",
    "text_width",
]
