"""Code a *shipped* pack may name in its ``[hooks]``: registered here, in docgen's own code.

A declaration can say ``[hooks] schema = "report"`` to use a schema written in
Python, ``context = "report"`` for a context builder, ``warnings = "report"`` for
warnings. Only packs shipped with docgen (``templates/<id>/``) may: a pack from an
agency's folder or an upload carries declarations and sandboxed Jinja only, and
one naming a hook is refused when it loads.

The four inspection documents name their existing schemas here. What is still code,
and why (the vocabulary does not say it yet):

- plan: each unit's ``scheduled_on`` inside the period (a per-row rule); the
  one-third on-site warning counted over the units table; units' numbering and
  mode titles in the context.
- decision: one Trưởng đoàn (``exactly_one_row_with`` says it; kept for the same
  error path and message), the role titles and the "Căn cứ" clean-up in the context.
- minutes: the time stamps' lines ("08 giờ 00 phút, ngày …"), the aspect and role
  titles, the "date differs from the inspection" warning comparing a date-time's day.
- report: the counts' rules on a nested object with per-key messages, the computed
  report from a round (docgen.rounds), the share on site.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from marshmallow import Schema

from docgen import context
from docgen.errors import FieldError
from docgen.schemas.plan import PlanSchema, plan_warnings
from docgen.schemas.report import ReportSchema, report_warnings

SCHEMAS: dict[str, type[Schema]] = {
    "plan": PlanSchema,
    "report": ReportSchema,
}

CONTEXTS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "plan": context.plan_context,
    "report": context.report_context,
}

WARNINGS: dict[str, Callable[[dict[str, Any]], list[FieldError]]] = {
    "plan": plan_warnings,
    "report": report_warnings,
}

REGISTRIES: dict[str, dict[str, Any]] = {
    "schema": SCHEMAS, "context": CONTEXTS, "warnings": WARNINGS}
