"""Decree 30 conformance and tag checks on any .docx (``docgen check``).

    >>> from docgen.check import check_template
    >>> findings = check_template(open("templates/minutes/template.docx", "rb").read())  # doctest: +SKIP
    >>> [f.to_dict() for f in findings]                                               # doctest: +SKIP
    []

The checks take what they need as arguments — the field tree, an example payload, a
context builder and a renderer — and know nothing of where a type comes from; the
catalog (today's, or packs later) is bridged in :mod:`docgen.check.types`. No Flask
here: see README.md beside this file.
"""

from __future__ import annotations

from ._check import ContextBuilder, Renderer, check_template, default_engine
from ._findings import CODES, ERROR, WARNING, Finding, Severity, count
from ._package import DEFAULT_LIMITS, Limits

__all__ = [
    "CODES",
    "DEFAULT_LIMITS",
    "ERROR",
    "WARNING",
    "ContextBuilder",
    "Finding",
    "Limits",
    "Renderer",
    "Severity",
    "check_template",
    "count",
    "default_engine",
]
