"""A form generated from a Marshmallow schema: the spec, and the way back to a payload.

:func:`form_spec` walks a document schema into :class:`Leaf`, :class:`Group`
and :class:`Repeat` nodes carrying the Vietnamese ``title``, the ``description``,
``required``, the limits and the ``x-enum-labels`` of each field — the same
metadata the JSON Schema and the error messages use, so the form cannot drift
from the API.

Inputs are named by their JSON path (``agency.name``, ``members[2].full_name``,
``recipients[0]``), the very paths a ``FieldError`` carries, so an error lands
next to its input without a mapping table. :func:`collect` reads a posted form
back into a *raw tree* (strings, as typed; rows renumbered from 0, blank rows
dropped), which the page re-renders on an error so nothing typed is lost;
:func:`to_payload` turns the raw tree into the JSON payload that
``Renderer.validate`` checks. :func:`from_payload` goes the other way (the
example payload shown by "Tải mẫu ví dụ").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from marshmallow import Schema, fields
from werkzeug.datastructures import MultiDict

from docgen.schemas.fields import Choice, Length, Range, Text

#: Long free text gets a textarea.
TEXTAREA_FROM = 1000
#: Fields every document has that sit at the foot of the page (signature, Nơi nhận, Lưu):
#: the form shows them last, where the clerk meets them on paper.
TRAILING = ("signer", "recipients", "archive")

RawTree = dict[str, Any]


@dataclass(frozen=True)
class Leaf:
    key: str
    label: str
    widget: str  # text | textarea | select | number | date | datetime
    required: bool = False
    description: str = ""
    max_length: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[tuple[str, str], ...] = ()
    nullable: bool = False
    kind: str = field(default="leaf", init=False)


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    children: tuple[Node, ...]
    required: bool = False
    description: str = ""
    kind: str = field(default="group", init=False)


@dataclass(frozen=True)
class Repeat:
    key: str
    label: str
    item: Node
    required: bool = False
    description: str = ""
    min_items: int = 0
    max_items: int | None = None
    kind: str = field(default="repeat", init=False)


Node = Leaf | Group | Repeat


def _meta(f: fields.Field, key: str) -> tuple[str, str]:
    return str(f.metadata.get("title", key)), str(f.metadata.get("description", ""))


def _validator(f: fields.Field, kind: type) -> Any:
    return next((v for v in f.validators if isinstance(v, kind)), None)


def _nested_schema(f: fields.Nested) -> Schema:
    return f.schema


def node_for(key: str, f: fields.Field) -> Node:
    """The form node of one Marshmallow field."""
    label, description = _meta(f, key)
    required = bool(f.required)
    if isinstance(f, fields.List):
        length = _validator(f, Length)
        item = node_for(key, f.inner)
        if isinstance(item, Leaf) and item.widget == "textarea":
            # One line per row (a recipient, a recommendation): a text input reads better.
            item = replace(item, widget="text")
        return Repeat(key, label, item, required=required, description=description,
                      min_items=(length.min or 0) if length else 0,
                      max_items=length.max if length else None)
    if isinstance(f, fields.Nested):
        schema = _nested_schema(f)
        return Group(key, label, tuple(node_for(k, v) for k, v in schema.fields.items()),
                     required=required, description=description)
    common: dict[str, Any] = {"required": required, "description": description,
                              "nullable": bool(f.allow_none)}
    if isinstance(f, Choice):
        return Leaf(key, label, "select", choices=tuple(f.choices.items()), **common)
    if isinstance(f, Text):
        widget = "textarea" if f.max_length >= TEXTAREA_FROM else "text"
        return Leaf(key, label, widget, max_length=f.max_length, **common)
    if isinstance(f, fields.Integer):
        bounds = _validator(f, Range)
        return Leaf(key, label, "number", minimum=bounds.min if bounds else None,
                    maximum=bounds.max if bounds else None, **common)
    if isinstance(f, fields.DateTime):
        return Leaf(key, label, "datetime", **common)
    if isinstance(f, fields.Date):
        return Leaf(key, label, "date", **common)
    raise TypeError(f"no form widget for {type(f).__name__} ({key})")


def form_spec(schema: Schema) -> tuple[Node, ...]:
    """The form of a document schema, top-level fields in page order."""
    items = list(schema.fields.items())
    ordered = [kv for kv in items if kv[0] not in TRAILING] + [
        kv for kv in items if kv[0] in TRAILING
    ]
    return tuple(node_for(k, f) for k, f in ordered)


# --- names -------------------------------------------------------------------------------

def join(prefix: str, key: str | int) -> str:
    """``join("members", 2)`` -> ``members[2]``; ``join("members[2]", "full_name")`` ->
    ``members[2].full_name`` — the JSON paths of ``FieldError``."""
    if isinstance(key, int) or (isinstance(key, str) and key.startswith("__")):
        return f"{prefix}[{key}]"
    return f"{prefix}.{key}" if prefix else key


def dom_id(path: str) -> str:
    """An HTML id for a path: ``members[2].full_name`` -> ``f-members-2-full_name``."""
    return "f-" + re.sub(r"[^A-Za-z0-9_]+", "-", path).strip("-")


# --- form -> raw tree -> payload ---------------------------------------------------------

def _indices(form: MultiDict[str, str], prefix: str) -> list[int]:
    pattern = re.compile(re.escape(prefix) + r"\[(\d+)\]")
    found = {int(m.group(1)) for name in form if (m := pattern.match(name))}
    return sorted(found)


def _is_blank(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_is_blank(v) for v in value.values())
    if isinstance(value, list):
        return all(_is_blank(v) for v in value)
    return not str(value).strip()


def _collect(node: Node, form: MultiDict[str, str], path: str) -> Any:
    if isinstance(node, Leaf):
        return form.get(path, "")
    if isinstance(node, Group):
        return {child.key: _collect(child, form, join(path, child.key)) for child in node.children}
    rows = [_collect(node.item, form, join(path, i)) for i in _indices(form, path)]
    return [row for row in rows if not _is_blank(row)]


def collect(spec: tuple[Node, ...], form: MultiDict[str, str]) -> RawTree:
    """The posted form as a raw tree: strings as typed, blank rows dropped, rows from 0."""
    return {node.key: _collect(node, form, node.key) for node in spec}


_INTEGER = re.compile(r"[+-]?\d{1,18}")
#: "Leave this key out": the schema's default applies (or it reports "required").
_OMIT = object()


def _leaf_value(node: Leaf, raw: str) -> Any:
    """A typed value, or ``_OMIT`` to let the schema's default (or "required") apply."""
    text = raw if node.widget in ("text", "textarea") else raw.strip()
    if not text.strip():
        if node.required and node.widget in ("text", "textarea", "select"):
            return text  # the schema says "Không được để trống." at this field
        return None if node.nullable and not node.required else _OMIT
    if node.widget == "number":
        return int(text) if _INTEGER.fullmatch(text) else text  # "abc": the schema names it
    return text



def _payload(node: Node, raw: Any) -> Any:
    if isinstance(node, Leaf):
        return _leaf_value(node, raw if isinstance(raw, str) else "")
    if isinstance(node, Group):
        raw = raw if isinstance(raw, Mapping) else {}
        out = {}
        for child in node.children:
            value = _payload(child, raw.get(child.key, "" if isinstance(child, Leaf) else None))
            if value is not _OMIT:
                out[child.key] = value
        if not out and not node.required:
            return _OMIT
        return out
    rows = raw if isinstance(raw, list) else []
    if not rows and not node.required:
        return _OMIT
    values = [_payload(node.item, row) for row in rows]
    return [v if v is not _OMIT else None for v in values]


def to_payload(spec: tuple[Node, ...], raw: RawTree) -> dict[str, Any]:
    """The JSON payload of a raw tree, for ``Renderer.validate``."""
    out = {}
    for node in spec:
        value = _payload(node, raw.get(node.key, "" if isinstance(node, Leaf) else None))
        if value is not _OMIT:
            out[node.key] = value
    return out


def _raw(node: Node, value: Any) -> Any:
    if isinstance(node, Leaf):
        if value is None:
            return ""
        if isinstance(value, dt.datetime):
            return value.isoformat(timespec="minutes")
        if isinstance(value, dt.date):
            return value.isoformat()
        if node.widget == "datetime" and isinstance(value, str) and len(value) == 19:
            return value[:16]  # 2017-10-12T08:00:00 -> what datetime-local shows
        return str(value)
    if isinstance(node, Group):
        value = value if isinstance(value, Mapping) else {}
        return {child.key: _raw(child, value.get(child.key)) for child in node.children}
    return [_raw(node.item, item) for item in (value or [])]


def from_payload(spec: tuple[Node, ...], data: Mapping[str, Any]) -> RawTree:
    """A payload (the example) as a raw tree the form can show."""
    return {node.key: _raw(node, data.get(node.key)) for node in spec}


def empty_value(node: Node) -> Any:
    """What an untouched input (group, row list) holds; a list gets its minimum rows, at least one."""
    if isinstance(node, Leaf):
        return ""
    if isinstance(node, Group):
        return {child.key: empty_value(child) for child in node.children}
    return [empty_value(node.item) for _ in range(max(node.min_items, 1))]


def blank(spec: tuple[Node, ...]) -> RawTree:
    """An empty form."""
    return {node.key: empty_value(node) for node in spec}


# --- presentation helpers ----------------------------------------------------------------

_TOKEN = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")


def describe_path(spec: tuple[Node, ...], path: str) -> str:
    """``members[2].full_name`` -> ``Thành viên Đoàn kiểm tra 3 › Họ và tên`` (for the summary)."""
    parts: list[str] = []
    nodes: tuple[Node, ...] = spec
    current: Node | None = None
    for name, index in _TOKEN.findall(path):
        if index and isinstance(current, Repeat):
            parts[-1] = f"{parts[-1]} {int(index) + 1}"  # rows count from 1 on the page
            current = current.item
            nodes = current.children if isinstance(current, Group) else ()
            continue
        current = next((n for n in nodes if n.key == name), None)
        if current is None:
            parts.append(name)
            break
        parts.append(current.label)
        nodes = current.children if isinstance(current, Group) else ()
    return " › ".join(parts) if parts else "Toàn bộ văn bản"


def sections(spec: tuple[Node, ...]) -> list[tuple[str, list[Node]]]:
    """Consecutive top-level leaves share one grid; each group or row list stands alone."""
    out: list[tuple[str, list[Node]]] = []
    for node in spec:
        if isinstance(node, Leaf) and out and out[-1][0] == "leaves":
            out[-1][1].append(node)
        else:
            out.append(("leaves" if isinstance(node, Leaf) else node.kind, [node]))
    return out
