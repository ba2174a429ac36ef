"""The fields of a document type as a spreadsheet sees them, and the header grammar.

A schema is a tree: objects (``agency``), repeated objects (``members``),
repeated text (``recipients``) and leaves (``agency.code``). Every column of a
sheet names one leaf, or one whole list of text, by a *header*::

    header   = segment ("." segment)*
    segment  = key                  agency, Người ký
             | key "[" n "]"        members[0]            (JSON style, from 0)
             | key " " n            Thành viên Đoàn kiểm tra 1   (as a clerk counts, from 1)
    key      = a field name (snake_case) or its Vietnamese label (schema ``title``)

Keys compare without regard to case, Unicode form or extra spaces. The last
segment alone is enough when it is the only leaf outside repeated groups with
that name or label: ``Tên đơn vị được kiểm tra`` is ``unit.name``,
``Họ và tên người ký`` is ``signer.full_name``.

Paths are tuples of keys (``str``) and 0-based indexes (``int``):
``("members", 0, "full_name")``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Literal

from marshmallow import Schema

from docgen.schemas.text import fold
from docgen.schemas.walk import FieldSpec, describe_schema

Path = tuple[str | int, ...]
Kind = Literal["leaf", "object", "list", "text_list"]
Style = Literal["label", "name"]

_BRACKET_INDEX = re.compile(r"^(?P<key>.+?)\s*\[\s*(?P<n>\d+)\s*\]$")
_SPACE_INDEX = re.compile(r"^(?P<key>.+?)\s+(?P<n>\d+)$")


@dataclass(eq=False)
class Node:
    """One field of a document schema as a sheet addresses it, with children by name
    and by label. Built from the schema's :class:`~docgen.schemas.walk.FieldSpec`
    tree: ``kind`` says how a column names it (a leaf, an object, a repeated object,
    a list of text in one cell), ``spec`` what it holds."""

    name: str
    title: str
    kind: Kind
    spec: FieldSpec
    required: bool
    children: dict[str, Node] = dc_field(default_factory=dict)
    #: fold(title) -> child name, for label lookups.
    by_label: dict[str, str] = dc_field(default_factory=dict)

    @property
    def leaf_spec(self) -> FieldSpec:
        """What a cell value is read as (the list's item for text lists)."""
        if self.kind == "text_list" and self.spec.item is not None:
            return self.spec.item
        return self.spec

    def child(self, key: str) -> Node | None:
        folded = fold(key)
        for name, node in self.children.items():
            if fold(name) == folded:
                return node
        labelled = self.by_label.get(folded)
        return self.children[labelled] if labelled else None


def _node(spec: FieldSpec) -> Node:
    if spec.kind == "object":
        return _object(spec, spec, "object")
    if spec.kind in ("list", "table"):  # a table's rows are repeated column groups
        assert spec.item is not None
        if spec.item.kind == "object":
            return _object(spec, spec.item, "list")
        return Node(spec.name, spec.label, "text_list", spec, spec.required)
    return Node(spec.name, spec.label, "leaf", spec, spec.required)


def _object(spec: FieldSpec, holder: FieldSpec, kind: Kind) -> Node:
    """A node for ``spec`` whose children are ``holder``'s (the list's item for lists)."""
    node = Node(spec.name, spec.label, kind, spec, spec.required)
    for child_spec in holder.children:
        child = _node(child_spec)
        node.children[child.name] = child
        node.by_label.setdefault(fold(child.title), child.name)
    return node


def schema_tree(schema: Schema) -> Node:
    """The root node of ``schema`` (kind ``object``)."""
    root = describe_schema(schema)
    return _object(root, root, "object")


class HeaderError(ValueError):
    """A header that names no field; ``message`` is Vietnamese, ``code`` stable."""

    def __init__(self, message: str, code: str = "unknown_column", segment: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        #: The part of the header that names nothing (for "unknown_column").
        self.segment = segment


@dataclass(frozen=True)
class Target:
    """What a header names: a path, the node at its end, and the style it was written in."""

    path: Path
    node: Node
    style: Style


def _split_segments(header: str) -> list[str]:
    return [part.strip() for part in header.split(".")]


def _parse_segment(parent: Node, segment: str) -> tuple[Node, int | None, Style]:
    """Resolve one segment under ``parent``: (child node, index or None, style)."""
    child = parent.child(segment)
    if child is not None:
        return child, None, _style_of(child, segment)
    for pattern, base in ((_BRACKET_INDEX, 0), (_SPACE_INDEX, 1)):
        match = pattern.match(segment)
        if match:
            child = parent.child(match["key"])
            if child is not None and child.kind in ("list", "text_list"):
                index = int(match["n"]) - base
                if index < 0:
                    raise HeaderError(f"Số thứ tự trong '{segment}' phải từ 1.", "bad_index")
                return child, index, _style_of(child, match["key"])
    raise HeaderError(f"'{segment}' không phải tên trường nào.", segment=segment)


def _style_of(node: Node, key: str) -> Style:
    return "name" if fold(key) == fold(node.name) else "label"


def resolve(root: Node, header: str) -> Target:
    """The target of ``header`` under ``root``, or :class:`HeaderError`."""
    text = unicodedata.normalize("NFC", str(header)).strip()
    try:
        return _resolve_path(root, text)
    except HeaderError as first:
        shortcut = _shortcut(root, text)
        if shortcut is not None:
            return shortcut
        raise first from None


def _resolve_path(root: Node, text: str) -> Target:
    node: Node = root
    path: list[str | int] = []
    styles: list[Style] = []
    segments = _split_segments(text)
    for position, segment in enumerate(segments):
        if node.kind != "object":
            raise HeaderError(f"'{segment}' không phải tên trường nào.", segment=segment)
        child, index, segment_style = _parse_segment(node, segment)
        path.append(child.name)
        styles.append(segment_style)
        last = position == len(segments) - 1
        if index is not None:
            path.append(index)
            if child.kind == "list" and last:
                raise HeaderError(
                    f"Cột '{text}' phải chỉ rõ trường con, ví dụ "
                    f"'{text}.{_first_child(child, segment_style)}'.",
                    "incomplete_column",
                )
        elif child.kind == "list":
            raise HeaderError(
                f"Cột '{text}' phải ghi số thứ tự, ví dụ '{segment} 1' hoặc '{child.name}[0]'.",
                "incomplete_column",
            )
        elif child.kind == "object" and last:
            raise HeaderError(
                f"Cột '{text}' phải chỉ rõ trường con, ví dụ "
                f"'{text}.{_first_child(child, segment_style)}'.",
                "incomplete_column",
            )
        node = _descend(child, index)
    style: Style = "name" if styles and all(s == "name" for s in styles) else "label"
    return Target(tuple(path), node, style)


def _descend(child: Node, index: int | None) -> Node:
    """The node whose children the next segment names (a list element is its object)."""
    if child.kind == "list" and index is not None and child.spec.item is not None:
        return Node(child.name, child.title, "object", child.spec.item, True, child.children,
                    child.by_label)
    if child.kind == "text_list" and index is not None:
        return Node(child.name, child.title, "leaf", child.leaf_spec, True)
    return child


def _first_child(node: Node, style: Style) -> str:
    first = next(iter(node.children.values()))
    return first.name if style == "name" else first.title


def _shortcut(root: Node, text: str) -> Target | None:
    """A bare leaf label or name that no other field of the document shares,
    outside repeated groups."""
    if "." in text:
        return None
    folded = fold(text)
    matches = [
        (path, node)
        for path, node in iter_leaves(root)
        if fold(node.title) == folded or fold(node.name) == folded
    ]
    if len(matches) != 1 or any(isinstance(k, int) for k in matches[0][0]):
        return None
    path, node = matches[0]
    return Target(path, node, "name" if fold(node.name) == folded else "label")


def iter_leaves(node: Node, prefix: Path = (), *, include_lists: bool = True) -> Iterator[tuple[Path, Node]]:
    """Every leaf and text list under ``node`` with its path; list items at index 0."""
    for child in node.children.values():
        path = (*prefix, child.name)
        if child.kind in ("leaf", "text_list"):
            yield path, child
        elif child.kind == "object":
            yield from iter_leaves(child, path, include_lists=include_lists)
        elif include_lists:
            yield from iter_leaves(child, (*path, 0), include_lists=include_lists)


def node_at(root: Node, path: Path) -> Node | None:
    """The node a (possibly partial) path ends at, or None."""
    node = root
    for key in path:
        if isinstance(key, int):
            continue
        found = node.children.get(key)
        if found is None:
            return None
        node = found
    return node


def header_for(root: Node, path: Path, style: Style = "label") -> str:
    """The canonical header of ``path``: labels with 1-based numbers, or names like JSON.

    The short form (the last label alone) is used when it is unambiguous.
    """
    if style == "label" and path and not any(isinstance(k, int) for k in path):
        node = node_at(root, path)
        if node is not None and node.kind in ("leaf", "text_list"):
            short = _shortcut(root, node.title)
            if short is not None and short.path == path:
                return node.title
    parts: list[str] = []
    node = root
    for key in path:
        if isinstance(key, int):
            parts[-1] += f" {key + 1}" if style == "label" else f"[{key}]"
            continue
        child = node.children.get(key)
        if child is None:
            parts.append(str(key))
            continue
        parts.append(child.title if style == "label" else child.name)
        node = child
    return ".".join(parts)


def path_text(path: Path) -> str:
    """The JSON path of the API's errors: ``members[2].full_name``."""
    out = ""
    for key in path:
        if isinstance(key, int):
            out += f"[{key}]"
        else:
            out += f".{key}" if out else key
    return out


def parse_path_text(text: str) -> Path:
    """Inverse of :func:`path_text` (``$`` and ``_schema`` give the root)."""
    if text in ("$", "", "_schema"):
        return ()
    out: list[str | int] = []
    for part in text.split("."):
        match = re.match(r"^([^\[]*)((?:\[\d+\])*)$", part)
        if not match:
            out.append(part)
            continue
        if match[1]:
            out.append(match[1])
        out.extend(int(n) for n in re.findall(r"\[(\d+)\]", match[2]))
    return tuple(out)


__all__ = [
    "HeaderError",
    "Node",
    "Path",
    "Style",
    "Target",
    "fold",
    "header_for",
    "iter_leaves",
    "node_at",
    "parse_path_text",
    "path_text",
    "resolve",
    "schema_tree",
]
