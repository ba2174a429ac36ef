"""Code a *shipped* pack may name in its ``[hooks]``: registered here, in docgen's own code.

A declaration can say ``[hooks] schema = "report"`` to use a schema written in
Python, ``context = "report"`` for a context builder, ``warnings = "report"`` for
warnings. Only packs shipped with docgen (``templates/<id>/``) may: a pack from an
agency's folder or an upload carries declarations and sandboxed Jinja only, and
one naming a hook is refused when it loads.

plan, decision and minutes are declarations (their ``type.toml``), with no hook. Only
the report is still code, because a round computes it: ``docgen.rounds`` builds its
request body, :class:`~docgen.rounds.schemas.RoundReportSchema`, by subclassing
:class:`~docgen.schemas.report.ReportSchema` (dropping the computed ``counts`` and
``findings``, making the round's values optional, adding ``aspect_notes``) at import
time, and fills the counts and findings from the round's records. Its context
(aspect titles, the on-site share) and its one-third warning go with the schema, so
the three stay together here until the round's body is built from the declaration.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from marshmallow import Schema

from docgen import context
from docgen.errors import FieldError
from docgen.schemas.report import ReportSchema, report_warnings

SCHEMAS: dict[str, type[Schema]] = {
    "report": ReportSchema,
}

CONTEXTS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "report": context.report_context,
}

WARNINGS: dict[str, Callable[[dict[str, Any]], list[FieldError]]] = {
    "report": report_warnings,
}

REGISTRIES: dict[str, dict[str, Any]] = {
    "schema": SCHEMAS, "context": CONTEXTS, "warnings": WARNINGS}
