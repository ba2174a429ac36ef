"""Names: what a template may read, what it reads that does not exist, what it never shows.

The names a template may read are the type's payload fields (its field tree, as
:func:`docgen.schemas.walk.describe_schema` gives it or a pack's declaration will) plus
the derived names its context adds (``number_symbol``, ``date_line``, ``members[].role_title``
…). The derived ones are not listed anywhere by hand: they are read off the context
built from the type's example payload, so a new derived value is known the day it is added.

A required field is *shown* when a tag reads it, or reads a context value that changes
when the field changes: ``agency.code`` is shown through ``number_symbol``. That is found
by changing each required field of the example once and diffing the contexts — slower
than a table, but true for any type, including a declared one.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from docgen.errors import DocgenError
from docgen.schemas.walk import FieldSpec

from ._findings import ERROR, WARNING, Finding
from ._tags import Read, did_you_mean

__all__ = ["NameTree", "check_names", "name_tree", "required_not_shown"]

#: ``{"agency": {"name": None, …}, "members": {"[]": {…}}}``; None is a leaf.
NameTree = dict[str, Any]
ITEM = "[]"
ContextBuilder = Callable[[Mapping[str, Any]], Mapping[str, Any]]


def name_tree(fields: FieldSpec | None, context: Mapping[str, Any] | None) -> NameTree:
    """The union of the field tree and the shape of an example context."""
    tree: NameTree = {}
    if fields is not None:
        tree = _merge(tree, _from_spec(fields))
    if context is not None:
        tree = _merge(tree, _from_value(dict(context)))
    return tree


def _from_spec(spec: FieldSpec) -> Any:
    if spec.kind == "object":
        return {child.name: _from_spec(child) for child in spec.children}
    if spec.kind in ("list", "table") and spec.item is not None:
        return {ITEM: _from_spec(spec.item)}
    return None


def _from_value(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _from_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        merged: Any = None
        for item in value:
            merged = _merge(merged, _from_value(item))
        return {ITEM: merged}
    return None


def _merge(a: Any, b: Any) -> Any:
    if isinstance(a, dict) and isinstance(b, dict):
        return {**a, **{k: _merge(a.get(k), v) for k, v in b.items()}}
    return a if isinstance(a, dict) else b


def check_names(reads: list[Read], tree: NameTree) -> list[Finding]:
    """``unknown_name``/``unknown_field`` for each path leaving the tree (once per place)."""
    findings: list[Finding] = []
    seen: set[tuple[tuple[str, ...], str]] = set()
    for read in reads:
        node: Any = tree
        for depth, segment in enumerate(read.path):
            if not isinstance(node, dict):
                break  # an attribute of a value (``name.upper``): not a field
            if segment in node:
                node = node[segment]
                continue
            if segment == ITEM or ITEM in node:  # indexing what is not a list, or a list's attr
                break
            prefix = read.path[: depth + 1]
            if (prefix, read.paragraph.location) in seen:
                break
            seen.add((prefix, read.paragraph.location))
            hint = did_you_mean(segment, {k for k in node if k != ITEM})
            if depth == 0:
                findings.append(Finding("unknown_name", ERROR, f"Thẻ đọc tên «{segment}» mà loại "
                                        f"văn bản này không có.{hint}", read.paragraph.location))
            else:
                owner = dotted(read.path[:depth])
                findings.append(Finding("unknown_field", ERROR, f"«{owner}» không có trường "
                                        f"«{segment}».{hint}", read.paragraph.location))
            break
    return findings


def dotted(path: tuple[str, ...]) -> str:
    """``("members", "[]", "full_name")`` -> ``'members[].full_name'``."""
    return ".".join(path).replace(".[]", "[]")


# --- required fields ----------------------------------------------------------------------


def required_not_shown(reads: list[Read], fields: FieldSpec, example: Mapping[str, Any] | None,
                       build: ContextBuilder | None) -> list[Finding]:
    """A warning per required field no tag shows, directly or through a derived value."""
    shown = [r.path for r in reads if r.shows]
    base = None
    if build is not None and example is not None:
        try:
            base = _flatten(build(example))
        except DocgenError:  # an invalid example is reported by the rendered check
            base = None
    findings = []
    for path, spec in _required_leaves(fields, ()):
        if any(_related(path, r) for r in shown):
            continue
        if base is None or example is None or build is None:
            continue  # without an example nothing says what derived value shows it
        changed = _changed_by(path, spec, example, build, base)
        if changed is None or any(_related(c, r) for c in changed for r in shown):
            continue
        findings.append(Finding("required_field_not_shown", WARNING,
                                f"Trường bắt buộc «{spec.label}» ({dotted(path)}) không được thẻ "
                                "nào trong mẫu hiển thị.", "cả mẫu"))
    return findings


def _related(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """One path is the other or lies inside it (reading ``agency`` shows ``agency.name``)."""
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def _required_leaves(spec: FieldSpec, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], FieldSpec]]:
    for child in spec.children if spec.kind == "object" else ():
        if not child.required:
            continue
        yield from _leaves_of(child, (*path, child.name))


def _leaves_of(spec: FieldSpec, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], FieldSpec]]:
    if spec.kind == "object":
        yield from _required_leaves(spec, path)
    elif spec.kind in ("list", "table") and spec.item is not None:
        yield from _leaves_of(spec.item, (*path, ITEM))
    else:
        yield path, spec


def _changed_by(path: tuple[str, ...], spec: FieldSpec, example: Mapping[str, Any],
                build: ContextBuilder, base: dict[tuple[str, ...], list[Any]]
                ) -> set[tuple[str, ...]] | None:
    """The context paths whose values change when the field at ``path`` changes, or None
    when the example has no such value or the changed payload is no longer valid."""
    payload = copy.deepcopy(dict(example))
    holder: Any = payload
    for segment in path[:-1]:
        holder = holder[0] if segment == ITEM else holder.get(segment) if isinstance(
            holder, dict) else None
        if not holder and holder != 0:
            return None
    key: Any = 0 if path[-1] == ITEM else path[-1]
    try:
        value = holder[key]
    except (KeyError, IndexError, TypeError):
        return None
    other = _another(value, spec)
    if other is None:
        return None
    holder[key] = other
    try:
        changed = _flatten(build(payload))
    except (DocgenError, KeyError, TypeError, ValueError):
        return None
    return {p for p in base.keys() | changed.keys() if base.get(p) != changed.get(p)}


def _another(value: Any, spec: FieldSpec) -> Any:
    """A different valid-looking value of the same kind, or None."""
    if spec.kind == "choice":
        return next((v for v, _label in spec.choices if v != value), None)
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value - 1 if spec.maximum is not None and value + 1 > spec.maximum else value + 1
    if not isinstance(value, str):
        return None
    try:
        if spec.kind == "date":
            return (dt.date.fromisoformat(value) + dt.timedelta(days=1)).isoformat()
        if spec.kind == "datetime":
            return (dt.datetime.fromisoformat(value) + dt.timedelta(hours=1)).isoformat()
    except ValueError:
        return None
    if spec.max_length is not None and len(value) >= spec.max_length:
        return value[:-1] + ("x" if not value.endswith("x") else "y")
    return value + " x"


def _flatten(value: Any, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], list[Any]]:
    """Leaf path -> the values there (list items pooled under ``[]``)."""
    found: dict[tuple[str, ...], list[Any]] = {}
    if isinstance(value, Mapping):
        for key, item in value.items():
            for p, values in _flatten(item, (*path, str(key))).items():
                found.setdefault(p, []).extend(values)
    elif isinstance(value, list | tuple):
        for item in value:
            for p, values in _flatten(item, (*path, ITEM)).items():
                found.setdefault(p, []).extend(values)
    else:
        found[path] = [value]
    return found
