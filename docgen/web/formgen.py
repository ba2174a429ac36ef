"""A form generated from a Marshmallow schema: the spec, and the way back to a payload.

:func:`form_spec` reads a document schema's field tree
(:mod:`docgen.schemas.walk`) into :class:`Leaf`, :class:`Group` and
:class:`Repeat` nodes carrying the Vietnamese ``title``, the ``description``,
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

from marshmallow import Schema
from werkzeug.datastructures import MultiDict

from docgen import vi
from docgen.errors import FieldError
from docgen.schemas.text import UnreadableText, text_value
from docgen.schemas.walk import FieldSpec, UnknownKindError, describe_schema
from docgen.vi.reading import InputError, read_date, read_datetime

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
    minimum: int | float | None = None
    maximum: int | float | None = None
    choices: tuple[tuple[str, str], ...] = ()
    nullable: bool = False
    kind: str = field(default="leaf", init=False)
    #: The field's description, for the text-to-value rules.
    spec: FieldSpec | None = field(default=None, compare=False, repr=False)


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


#: Form widget of each leaf kind (text becomes a textarea when it may be long).
WIDGETS = {"choice": "select", "integer": "number", "date": "date", "datetime": "datetime"}


def node_for(spec: FieldSpec) -> Node:
    """The form node of one described field."""
    common: dict[str, Any] = {"required": spec.required, "description": spec.description}
    if spec.kind in ("list", "table"):
        assert spec.item is not None
        item = node_for(spec.item)
        if isinstance(item, Leaf) and item.widget == "textarea":
            # One line per row (a recipient, a recommendation): a text input reads better.
            item = replace(item, widget="text")
        return Repeat(spec.name, spec.label, item, min_items=spec.min_items or 0,
                      max_items=spec.max_items, **common)
    if spec.kind == "object":
        return Group(spec.name, spec.label, tuple(node_for(c) for c in spec.children), **common)
    common.update(nullable=spec.nullable, spec=spec)
    if spec.kind == "choice":
        return Leaf(spec.name, spec.label, "select", choices=spec.choices, **common)
    if spec.kind == "text":
        # A field whose line breaks mean something (an agency name broken for the
        # letterhead) gets a textarea however short it is: an input drops the breaks.
        multiline = bool(getattr(spec.field, "metadata", {}).get("multiline"))
        long = (spec.max_length or 0) >= TEXTAREA_FROM or multiline
        widget = "textarea" if long else "text"
        return Leaf(spec.name, spec.label, widget, max_length=spec.max_length, **common)
    if spec.kind == "paragraphs":  # several paragraphs: always room for them
        return Leaf(spec.name, spec.label, "textarea", max_length=spec.max_length, **common)
    if spec.kind in ("integer", "money"):
        return Leaf(spec.name, spec.label, "number", minimum=spec.minimum,
                    maximum=spec.maximum, **common)
    if spec.kind in ("decimal", "percent"):
        # A text input: a clerk types "12,5" (the Vietnamese decimal comma), which a
        # number input would refuse in most browsers' English locale.
        return Leaf(spec.name, spec.label, "text", minimum=spec.minimum,
                    maximum=spec.maximum, **common)
    if spec.kind in WIDGETS:
        return Leaf(spec.name, spec.label, WIDGETS[spec.kind], **common)
    raise UnknownKindError(f"no form widget for kind {spec.kind!r} ({spec.name})")


def form_spec(schema: Schema) -> tuple[Node, ...]:
    """The form of a document schema, top-level fields in page order."""
    children = describe_schema(schema).children
    ordered = [c for c in children if c.name not in TRAILING] + [
        c for c in children if c.name in TRAILING
    ]
    return tuple(node_for(c) for c in ordered)


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


#: "Leave this key out": the schema's default applies (or it reports "required").
_OMIT = object()


def _leaf_value(node: Leaf, raw: str, path: str, problems: list[FieldError]) -> Any:
    """A typed value, or ``_OMIT`` to let the schema's default (or "required") apply.

    Non-blank input goes through the rules batch uses too
    (:func:`docgen.schemas.text.text_value`: ``14/12/2017`` is a date, a choice
    may be typed by its label); what they cannot read goes to the schema as typed.
    A date they refuse adds its reason to ``problems`` — in the form's words
    (dd/mm/yyyy), which replace the schema's (YYYY-MM-DD) at that path.
    """
    text = raw if node.widget in ("text", "textarea") else raw.strip()
    if not text.strip():
        if node.required and node.widget in ("text", "textarea", "select"):
            return text  # the schema says "Không được để trống." at this field
        return None if node.nullable and not node.required else _OMIT
    if node.spec is None:
        return text
    try:
        return text_value(node.spec, text)
    except UnreadableText as exc:
        problems.append(FieldError(path=path, message=exc.message, code=exc.code))
        return text


def _payload(node: Node, raw: Any, path: str, problems: list[FieldError]) -> Any:
    if isinstance(node, Leaf):
        return _leaf_value(node, raw if isinstance(raw, str) else "", path, problems)
    if isinstance(node, Group):
        raw = raw if isinstance(raw, Mapping) else {}
        out = {}
        for child in node.children:
            value = _payload(child, raw.get(child.key, "" if isinstance(child, Leaf) else None),
                             join(path, child.key), problems)
            if value is not _OMIT:
                out[child.key] = value
        if not out and not node.required:
            return _OMIT
        return out
    rows = raw if isinstance(raw, list) else []
    if not rows and not node.required:
        return _OMIT
    values = [_payload(node.item, row, join(path, i), problems) for i, row in enumerate(rows)]
    return [v if v is not _OMIT else None for v in values]


def to_payload(spec: tuple[Node, ...], raw: RawTree,
               problems: list[FieldError] | None = None) -> dict[str, Any]:
    """The JSON payload of a raw tree, for ``Renderer.validate``.

    ``problems`` (when given) receives the inputs the typed-text rules refused, each
    with the form's own message (see :func:`with_form_messages`).
    """
    found: list[FieldError] = [] if problems is None else problems
    out = {}
    for node in spec:
        value = _payload(node, raw.get(node.key, "" if isinstance(node, Leaf) else None),
                         node.key, found)
        if value is not _OMIT:
            out[node.key] = value
    return out


def with_form_messages(errors: list[FieldError], problems: list[FieldError]) -> list[FieldError]:
    """The schema's errors with the form's own message where the typed text was refused.

    The schema saw the text as typed and refused it in the API's words ("dùng dạng
    YYYY-MM-DD"); the clerk typed into a dd/mm/yyyy field, so the form's message
    ("'31/02/2017' là ngày không tồn tại") replaces the schema's at that path.
    """
    own = {p.path: p for p in problems}
    out: list[FieldError] = []
    for error in errors:
        if error.path not in own:
            out.append(error)
        elif own[error.path] not in out:
            out.append(own[error.path])
    return out + [p for p in problems if p not in out]


def date_echo(kind: str, text: str) -> dict[str, str]:
    """What the form shows beside a date input: the line as it will print, or why not.

    ``{"line": "ngày 05 tháng 11 năm 2021"}``, ``{"line": "08 giờ 00 phút, ngày 12 tháng
    10 năm 2017"}`` for a date-time, ``{"code": …, "message": …}`` for a refusal, ``{}``
    for blank input. One rule set with the payload's (:mod:`docgen.vi.reading`).

    >>> date_echo("date", "05/11/2021")
    {'line': 'ngày 05 tháng 11 năm 2021'}
    >>> date_echo("date", "31/02/2017")["code"]
    'nonexistent_date'
    """
    if not text.strip():
        return {}
    try:
        if kind == "datetime":
            moment = read_datetime(text)
            return {"line": f"{vi.time_of_day(moment)}, {vi.date_line(moment.date())}"}
        return {"line": vi.date_line(read_date(text))}
    except InputError as exc:
        return {"code": exc.code, "message": exc.message}


def _raw(node: Node, value: Any) -> Any:
    if isinstance(node, Leaf):
        if value is None:
            return ""
        if node.widget in ("date", "datetime") and isinstance(value, str):
            # The payload's ISO as the clerk types it: 14/12/2017, 12/10/2017 08:00.
            try:
                value = (read_date(value, typed=False) if node.widget == "date"
                         else read_datetime(value, typed=False))
            except InputError:
                return value
        if isinstance(value, dt.datetime):
            return value.strftime("%d/%m/%Y %H:%M")
        if isinstance(value, dt.date):
            return value.strftime("%d/%m/%Y")
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
