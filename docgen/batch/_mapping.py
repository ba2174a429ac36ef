"""Sheet headers to payload fields, one row to one payload, an error back to its column.

:class:`ColumnMap` resolves every header once (see :mod:`docgen.batch._fields`
for the grammar) and refuses the sheet up front when a header names no field,
two headers name the same field, or a required field has neither a column nor
a shared value. :meth:`ColumnMap.payload` then turns each row into the JSON
payload the API would take, and keeps enough to point an error at the column
the clerk typed it in (``members[1].role`` -> "Thành viên Đoàn kiểm tra 3.Nhiệm
vụ trong Đoàn", column F), even when blank repeated groups were skipped.

Shared values (a defaults JSON file, a sheet named "chung") are merged under
each row: objects merge key by key, and a list the row fills replaces the
shared list whole.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter

from docgen.batch._fields import (
    HeaderError,
    Node,
    Path,
    Style,
    fold,
    header_for,
    iter_leaves,
    parse_path_text,
    path_text,
    resolve,
)
from docgen.batch._values import EXCEL_EPOCH_1900, CellError, cell_value, is_blank
from docgen.errors import FieldError, ValidationError

#: Headers of the row-number column: not a field, used in file names.
STT_HEADERS = frozenset({"stt", "tt", "số tt", "số thứ tự"})

#: Marks a value that came from the shared values, in error column names.
SHARED_MARK = " (giá trị chung)"


@dataclass(frozen=True)
class Column:
    """One resolved column of the sheet."""

    index: int
    header: str
    path: Path
    node: Node
    style: Style
    #: A text list in one cell, one item per line (``Nơi nhận``).
    whole_list: bool

    @property
    def letter(self) -> str:
        return get_column_letter(self.index + 1)


@dataclass
class RowOrigin:
    """Where each value of one row's payload came from, to name columns in errors."""

    columns: ColumnMap
    #: compacted list-item path -> the item's index in the sheet.
    index_map: dict[Path, int]
    row_tree: dict[str, Any]
    shared: Mapping[str, Any]

    def sheet_path(self, path: Path) -> Path:
        out: list[str | int] = []
        for position, key in enumerate(path):
            if isinstance(key, int):
                out.append(self.index_map.get(tuple(path[: position + 1]), key))
            else:
                out.append(key)
        return tuple(out)

    def locate(self, error_path: str) -> tuple[str, str]:
        """(column header as the sheet shows it, column letter) for a JSON error path."""
        path = parse_path_text(error_path)
        if not path:
            return "", ""
        sheet_path = self.sheet_path(path)
        for end in range(len(sheet_path), 0, -1):
            column = self.columns.by_path.get(sheet_path[:end])
            if column is not None:
                return column.header, column.letter
        header = header_for(self.columns.root, sheet_path, self.columns.style)
        if not _has(self.row_tree, path) and _has(self.shared, path):
            header += SHARED_MARK
        return header, ""


def _has(tree: Any, path: Path) -> bool:
    node = tree
    for key in path:
        if isinstance(key, int):
            if not isinstance(node, list) or key >= len(node):
                return False
        elif not isinstance(node, Mapping) or key not in node:
            return False
        node = node[key]
    return True


@dataclass
class RowPayload:
    """One sheet row as a payload, with the errors met reading its cells."""

    payload: dict[str, Any]
    stt: int | None
    cell_errors: list[FieldError] = field(default_factory=list)
    origin: RowOrigin | None = None


class ColumnMap:
    """The resolved header row of one sheet for one document type."""

    def __init__(self, root: Node, headers: Sequence[Any], *, type_name: str = "",
                 shared: Mapping[str, Any] | None = None, check_required: bool = True) -> None:
        self.root = root
        self.headers = [("" if h is None else str(h)) for h in headers]
        self.columns: list[Column] = []
        self.stt_index: int | None = None
        self.by_path: dict[Path, Column] = {}
        self.shared: Mapping[str, Any] = shared or {}
        errors: list[FieldError] = []
        for index, raw in enumerate(self.headers):
            header = unicodedata.normalize("NFC", raw).strip()
            if not header or header.startswith("#"):
                continue
            if fold(header) in STT_HEADERS:
                self.stt_index = index
                continue
            try:
                target = resolve(root, header)
            except HeaderError as exc:
                errors.append(FieldError(header, self._unknown_message(header, exc), exc.code))
                continue
            whole = target.node.kind == "text_list"
            column = Column(index, header, target.path, target.node, target.style, whole)
            clash = self._clash(column)
            if clash is not None:
                errors.append(FieldError(
                    header,
                    f"Cột '{header}' ({column.letter}) trùng với cột '{clash.header}' "
                    f"({clash.letter}): cùng là trường {path_text(column.path)}.",
                    "duplicate_column",
                ))
                continue
            self.columns.append(column)
            self.by_path[column.path] = column
        styles = [c.style for c in self.columns]
        self.style: Style = "name" if styles and styles.count("name") > len(styles) / 2 else "label"
        if errors:
            names = ", ".join(f"'{e.path}'" for e in errors)
            raise ValidationError(
                errors,
                f"Có {len(errors)} cột không dùng được cho {type_name or 'loại văn bản này'}: "
                f"{names}.",
            )
        if not self.columns:
            raise ValidationError(
                [FieldError("$", "Không có cột nào khớp một trường của văn bản.", "no_columns")],
                "Không có cột nào khớp một trường của văn bản; dòng đầu tiên phải là tiêu đề cột.",
            )
        if check_required:
            self._check_required(type_name)

    # -- header checks -------------------------------------------------------

    def _clash(self, column: Column) -> Column | None:
        for other in self.columns:
            if other.path == column.path:
                return other
            shorter, longer = sorted((other.path, column.path), key=len)
            if (other.whole_list or column.whole_list) and longer[: len(shorter)] == shorter:
                return other
        return None

    def _unknown_message(self, header: str, exc: HeaderError) -> str:
        if exc.code != "unknown_column":
            return exc.message
        candidates = self._candidates
        hint = difflib.get_close_matches(_plain(header), list(candidates), n=1, cutoff=0.75)
        suggestion = f" Có phải '{candidates[hint[0]]}'?" if hint else ""
        detail = "" if exc.segment == header else f": {exc.message}"
        return f"Cột '{header}' không khớp trường nào{detail or '.'}{suggestion}"

    @functools.cached_property
    def _candidates(self) -> dict[str, str]:
        """Header without case or accents -> header, for every canonical header."""
        texts: dict[str, str] = {}
        styles: tuple[Style, ...] = ("label", "name")
        for path, _node in iter_leaves(self.root):
            for style in styles:
                text = header_for(self.root, path, style)
                texts.setdefault(_plain(text), text)
        return texts

    def _check_required(self, type_name: str) -> None:
        missing = [
            path for path in required_paths(self.root)
            if not self._covers(path) and not _has(self.shared, path)
        ]
        if missing:
            errors = [
                FieldError(
                    path_text(p),
                    f"Thiếu cột '{header_for(self.root, p, self.style)}' (bắt buộc), "
                    "và tệp giá trị chung cũng không có.",
                    "missing_column",
                )
                for p in missing
            ]
            headers = ", ".join(f"'{header_for(self.root, p, self.style)}'" for p in missing)
            raise ValidationError(
                errors, f"Thiếu {len(missing)} cột bắt buộc cho {type_name or 'văn bản'}: {headers}."
            )

    def _covers(self, path: Path) -> bool:
        return any(c.path[: len(path)] == path for c in self.columns)

    # -- rows ----------------------------------------------------------------

    def payload(self, cells: Sequence[Any], *,
                epoch: dt.datetime = EXCEL_EPOCH_1900) -> RowPayload:
        """The payload of one row (shared values merged under it)."""
        tree: dict[Any, Any] = {}
        errors: list[tuple[Path, CellError]] = []
        for column in self.columns:
            value = cells[column.index] if column.index < len(cells) else None
            if is_blank(value):
                continue
            try:
                converted = cell_value(column.node, value, whole_list=column.whole_list,
                                       epoch=epoch)
            except CellError as exc:
                errors.append((column.path, exc))
                converted = str(value)
            _put(tree, column.path, converted)
        index_map: dict[Path, int] = {}
        row_tree = _compact(tree, (), index_map)
        origin = RowOrigin(self, index_map, row_tree, self.shared)
        reverse = {(path[:-1], original): path for path, original in index_map.items()}
        cell_errors = [
            FieldError(path_text(_compacted(sheet_path, reverse)), problem.message, problem.code)
            for sheet_path, problem in errors
        ]
        stt = None
        if self.stt_index is not None and self.stt_index < len(cells):
            stt = _stt(cells[self.stt_index])
        return RowPayload(merge(self.shared, row_tree), stt, cell_errors, origin)


def _plain(text: str) -> str:
    """Without case or diacritics, for suggestions: 'Họ và tên' -> 'ho va ten'."""
    decomposed = unicodedata.normalize("NFD", fold(text).replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _compacted(sheet_path: Path, reverse: dict[tuple[Path, int], Path]) -> Path:
    """A sheet path in payload coordinates (blank repeated groups skipped)."""
    out: Path = ()
    for key in sheet_path:
        if isinstance(key, int):
            out = reverse.get((out, key), (*out, key))
        else:
            out = (*out, key)
    return out


def _stt(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value).strip() if value is not None else ""
    return int(text) if text.isdigit() else None


def _put(tree: dict[Any, Any], path: Path, value: Any) -> None:
    node = tree
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value


def _compact(tree: Any, prefix: Path, index_map: dict[Path, int]) -> Any:
    """Dicts keyed by item numbers become lists, in order, gaps closed."""
    if not isinstance(tree, dict):
        return tree
    if tree and all(isinstance(k, int) for k in tree):
        items = []
        for position, index in enumerate(sorted(tree)):
            items.append(_compact(tree[index], (*prefix, position), index_map))
            index_map[(*prefix, position)] = index
        return items
    return {key: _compact(value, (*prefix, key), index_map) for key, value in tree.items()}


def merge(shared: Mapping[str, Any], row: Mapping[str, Any]) -> dict[str, Any]:
    """``row`` over ``shared``: objects merge by key, lists and values from the row win.

    >>> merge({"agency": {"code": "ĐKT", "place": "Sóc Trăng"}, "members": [1, 2]},
    ...       {"agency": {"code": "SKHCN"}, "members": [3]})
    {'agency': {'code': 'SKHCN', 'place': 'Sóc Trăng'}, 'members': [3]}
    """
    out = {key: _copy(value) for key, value in shared.items()}
    for key, value in row.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merge(out[key], value)
        else:
            out[key] = _copy(value)
    return out


def _copy(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def required_paths(root: Node) -> list[Path]:
    """Required leaves and lists reached through required objects only."""
    out: list[Path] = []

    def walk(node: Node, prefix: Path) -> None:
        for child in node.children.values():
            if not child.required:
                continue
            path = (*prefix, child.name)
            if child.kind == "object":
                walk(child, path)
            else:
                out.append(path)

    walk(root, ())
    return out


def check_shared(root: Node, shared: Any, *, source: str) -> dict[str, Any]:
    """Refuse shared values with fields the document does not have, naming them."""
    if not isinstance(shared, Mapping):
        raise ValidationError(
            [FieldError("$", "Giá trị chung phải là một đối tượng JSON.", "invalid_type")],
            f"{source}: giá trị chung phải là một đối tượng JSON (dạng {{\"tên trường\": ...}}).",
        )
    unknown: list[str] = []

    def walk(node: Node, value: Any, path: Path) -> None:
        if node.kind == "object" and isinstance(value, Mapping):
            for key, item in value.items():
                child = node.children.get(key)
                if child is None:
                    unknown.append(path_text((*path, key)))
                else:
                    walk(child, item, (*path, key))
        elif node.kind == "list" and isinstance(value, list) and node.spec.item is not None:
            element = Node(node.name, node.title, "object", node.spec.item, True, node.children)
            for index, item in enumerate(value):
                walk(element, item, (*path, index))

    walk(root, shared, ())
    if unknown:
        raise ValidationError(
            [FieldError(p, "Trường không có trong mẫu dữ liệu.", "unknown_field") for p in unknown],
            f"{source}: có trường không có trong mẫu dữ liệu: {', '.join(unknown)}.",
        )
    return dict(shared)


def shared_from_pairs(root: Node, pairs: Sequence[tuple[Any, Any]], *,
                      epoch: dt.datetime = EXCEL_EPOCH_1900) -> dict[str, Any]:
    """Shared values from (header, value) rows, as a sheet named "chung" holds them."""
    headers = [h for h, _ in pairs]
    values = [v for _, v in pairs]
    columns = ColumnMap(root, headers, type_name="trang 'chung'", check_required=False)
    row = columns.payload(values, epoch=epoch)
    if row.cell_errors:
        raise ValidationError(row.cell_errors, "Trang 'chung' có giá trị không đọc được: "
                              + "; ".join(e.message for e in row.cell_errors))
    return row.payload


__all__ = [
    "SHARED_MARK",
    "STT_HEADERS",
    "Column",
    "ColumnMap",
    "RowOrigin",
    "RowPayload",
    "check_shared",
    "merge",
    "required_paths",
    "shared_from_pairs",
]
