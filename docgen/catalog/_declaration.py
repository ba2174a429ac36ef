"""A pack's declaration (``type.toml``) read into plain, checked data.

The declaration is TOML, read with the standard library's :mod:`tomllib` (no new
dependency, no YAML anchors or tags). Every key is known: an unknown one, a wrong
type or a kind docgen does not have is refused with a :class:`PackError` that names
the place as a Word user's administrator would look for it
(``type.toml: fields.units.columns.mode.choices``) and, for a misspelt key, the
key it probably meant. The same vocabulary is published for editors as
``docgen/catalog/pack.schema.json`` (a test keeps the two in step).

Nothing here builds a schema; :mod:`docgen.catalog._build` does, from these
dataclasses.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from docgen.errors import PackError

#: The shared Decree 30 parts a declaration names, in page order; the fields they add.
PARTS: tuple[str, ...] = ("agency", "number", "drafting_unit", "date", "summary",
                          "addressees", "basis", "signer", "recipients", "archive")
#: Parts every document has: the symbol, the file name and the date line need them.
REQUIRED_PARTS: tuple[str, ...] = ("agency", "number", "date")
#: Where the parts go among the type's own fields: these after them, the rest before.
CLOSING_PARTS: tuple[str, ...] = ("signer", "recipients", "archive")

SCALAR_KINDS: tuple[str, ...] = ("text", "paragraphs", "integer", "decimal", "money",
                                 "percent", "date", "datetime", "choice")
FIELD_KINDS: tuple[str, ...] = (*SCALAR_KINDS, "text_list", "table", "group")
RULES: tuple[str, ...] = ("sum_equals", "at_most", "dates_in_order", "exactly_one_row_with",
                          "date_within", "share_at_least", "same_day")
DERIVED_KINDS: tuple[str, ...] = ("count", "sum", "share", "words", "timestamp", "two_digits")
#: Parts that are lists of text: their label, hint and number of items may be declared.
LIST_PARTS: tuple[str, ...] = ("addressees", "basis", "recipients")
HOOKS: tuple[str, ...] = ("schema", "context", "warnings")

#: Names a template already reads from every document's context (docgen/context.py).
RESERVED: frozenset[str] = frozenset(
    {"type_name", "type_code", "number_symbol", "date_line", "legal_bases", "loop"})

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_TYPE_ID = re.compile(r"^[a-z][a-z0-9_-]{0,29}$")
_PATH = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?$")

_TOP_KEYS = ("id", "name", "type_name", "type_code", "description", "order", "template",
             "example", "parts", "part_options", "hooks", "fields", "rules", "derived")
_FIELD_KEYS = {
    "text": ("max_length", "nullable"),
    "paragraphs": ("max_length", "nullable"),
    "integer": ("min", "max", "nullable"),
    "money": ("min", "max", "nullable"),
    "decimal": ("min", "max", "places", "nullable"),
    "percent": ("min", "max", "places", "nullable"),
    "date": ("nullable",),
    "datetime": ("nullable",),
    "choice": ("choices", "title_as", "nullable"),
    "text_list": ("min_items", "max_items", "max_length"),
    "table": ("columns", "min_rows", "max_rows", "row_number", "schema_name"),
    "group": ("fields", "schema_name"),
}
_PART_OPTION_KEYS = ("label", "hint", "min_items", "max_items", "after")
_COMMON_FIELD_KEYS = ("kind", "label", "hint", "required", "default")
_RULE_KEYS = {
    "sum_equals": ("fields", "total"),
    "at_most": ("field", "limit", "value"),
    "dates_in_order": ("fields", "strict"),
    "exactly_one_row_with": ("table", "column", "value"),
    "date_within": ("table", "column", "start", "end"),
    "share_at_least": ("table", "column", "value", "share"),
    "same_day": ("fields",),
}
_COMMON_RULE_KEYS = ("rule", "severity", "message", "code", "path")
_DERIVED_KEYS = {
    "count": ("of", "where"),
    "sum": ("of", "column"),
    "share": ("part", "whole", "places"),
    "words": ("of",),
    "timestamp": ("of",),
    "two_digits": ("of",),
}
_SCHEMA_NAME = re.compile(r"^[A-Z][A-Za-z0-9]{0,39}$")


@dataclass(frozen=True)
class FieldDecl:
    """One of the type's own fields (or a table's column)."""

    name: str
    kind: str
    label: str
    hint: str = ""
    required: bool = True
    default: Any = None
    has_default: bool = False
    max_length: int | None = None
    minimum: int | float | None = None
    maximum: int | float | None = None
    places: int | None = None
    min_items: int | None = None
    max_items: int | None = None
    choices: tuple[tuple[str, str], ...] = ()
    #: table: the columns; group: its fields
    columns: tuple[FieldDecl, ...] = ()
    #: None: as the kind does by default (an optional text is "", other kinds null);
    #: True: null accepted and the default; False: null refused
    nullable: bool | None = None
    #: choice: the name the template reads its label under ("" -> ``<name>_title``)
    title_as: str = ""
    #: table: each row's number from 1 under this name in the template ("stt")
    row_number: str = ""
    #: table, group: the name of one row (one object) in OpenAPI and JSON Schema
    schema_name: str = ""


@dataclass(frozen=True)
class RuleDecl:
    """A cross-field rule from the vocabulary; ``severity`` "warning" does not block."""

    rule: str
    message: str
    severity: str = "error"
    code: str = ""
    path: str = ""
    fields: tuple[str, ...] = ()
    total: str = ""
    field: str = ""
    limit: str = ""
    value: Any = None
    strict: bool = False
    table: str = ""
    column: str = ""
    start: str = ""
    end: str = ""
    #: share_at_least: the smallest share, exact ("1/3" is one third)
    share: Fraction = Fraction(0)


@dataclass(frozen=True)
class DerivedDecl:
    """A value computed for the template: count, sum, share (as a percentage), words."""

    name: str
    kind: str
    of: str = ""
    where: tuple[tuple[str, Any], ...] = ()
    column: str = ""
    part: str = ""
    whole: str = ""
    places: int = 2


@dataclass(frozen=True)
class PartOptions:
    """What a declaration changes in a shared part: label, hint, items, place."""

    label: str = ""
    hint: str = ""
    min_items: int | None = None
    max_items: int | None = None
    #: the own field the part follows (default: Decree 30 page order)
    after: str = ""


@dataclass(frozen=True)
class Declaration:
    id: str
    name: str
    type_name: str
    type_code: str
    description: str = ""
    order: int = 1000
    template: str = "template.docx"
    example: str = "example.json"
    parts: tuple[str, ...] = ()
    part_options: Mapping[str, PartOptions] = field(default_factory=dict)
    hooks: Mapping[str, str] = field(default_factory=dict)
    fields: tuple[FieldDecl, ...] = ()
    rules: tuple[RuleDecl, ...] = ()
    derived: tuple[DerivedDecl, ...] = ()


# --- reading ---------------------------------------------------------------------------


class _Reader:
    """Checks one table of the declaration; ``where`` is its dotted place."""

    def __init__(self, file: str, where: str, table: Any) -> None:
        self.file, self.where = file, where
        if not isinstance(table, dict):
            self.fail("phải là một bảng TOML ([…] hoặc { … })")
        self.table: dict[str, Any] = table

    def place(self, key: str = "") -> str:
        inner = ".".join(p for p in (self.where, key) if p)
        return f"{self.file}: {inner}" if inner else self.file

    def fail(self, what: str, key: str = "") -> None:
        raise PackError(f"{self.place(key)} {what}.", place=self.place(key))

    def only(self, allowed: tuple[str, ...] | list[str]) -> None:
        for key in self.table:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f" (có phải '{close[0]}'?)" if close else ""
                self.fail(f"có khóa không được phép '{key}'{hint}; các khóa có: "
                          f"{', '.join(allowed)}")

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = None, *,
            required: bool = False) -> Any:
        if key not in self.table:
            if required:
                self.fail("thiếu (bắt buộc)", key)
            return default
        value = self.table[key]
        if isinstance(value, bool) and kind in (int, (int, float)):
            self.fail("phải là một số, không phải true/false", key)
        if not isinstance(value, kind):
            names = {str: "chuỗi", int: "số nguyên", bool: "true/false", list: "danh sách",
                     dict: "bảng", float: "số"}
            wanted = " hoặc ".join(names.get(k, k.__name__) for k in
                                   (kind if isinstance(kind, tuple) else (kind,)))
            self.fail(f"phải là {wanted}", key)
        return value

    def text(self, key: str, *, required: bool = False, default: str = "") -> str:
        value: str = self.get(key, str, default, required=required)
        return value.strip()

    def sub(self, key: str, value: Any) -> _Reader:
        return _Reader(self.file, f"{self.where}.{key}" if self.where else key, value)


def _name(reader: _Reader, key: str, name: str, what: str) -> str:
    if not _NAME.match(name):
        reader.fail(f"tên {what} '{name}' phải viết thường không dấu, bắt đầu bằng chữ, "
                    "chỉ gồm a-z, 0-9 và '_' (ví dụ: deadline_date)", key)
    return name


def _field(reader: _Reader, name: str, *, in_table: bool) -> FieldDecl:
    kind = reader.text("kind", required=True)
    kinds = SCALAR_KINDS if in_table else FIELD_KINDS
    if kind not in kinds:
        close = difflib.get_close_matches(kind, kinds, n=1)
        hint = f" (có phải '{close[0]}'?)" if close else ""
        reader.fail(f"có kind '{kind}' không có{hint}; các kind có: {', '.join(kinds)}", "kind")
    reader.only(list(_COMMON_FIELD_KEYS) + list(_FIELD_KEYS[kind]))
    number = (int, float) if kind in ("decimal", "percent") else int
    choices: tuple[tuple[str, str], ...] = ()
    if kind == "choice":
        raw = reader.sub("choices", reader.get("choices", dict, required=True))
        if not raw.table:
            raw.fail("cần ít nhất một lựa chọn")
        for value, label in raw.table.items():
            if not isinstance(label, str) or not label.strip():
                raw.fail("phải là nhãn tiếng Việt (chuỗi)", value)
        choices = tuple((v, str(lbl).strip()) for v, lbl in raw.table.items())
    columns: tuple[FieldDecl, ...] = ()
    if kind in ("table", "group"):
        key, what = ("columns", "cột") if kind == "table" else ("fields", "trường")
        raw = reader.sub(key, reader.get(key, dict, required=True))
        if not raw.table:
            raw.fail(f"cần ít nhất một {what}")
        columns = tuple(_field(raw.sub(col, spec), _name(raw, col, col, what), in_table=True)
                        for col, spec in raw.table.items())
    row_number = reader.text("row_number")
    if row_number:
        _name(reader, "row_number", row_number, "số thứ tự")
        if row_number in {c.name for c in columns}:
            reader.fail(f"'{row_number}' trùng tên một cột", "row_number")
    title_as = reader.text("title_as")
    if title_as:
        _name(reader, "title_as", title_as, "nhãn")
    schema_name = reader.text("schema_name")
    if schema_name and not _SCHEMA_NAME.match(schema_name):
        reader.fail("phải viết liền không dấu, bắt đầu bằng chữ hoa (ví dụ: TeamMember)",
                    "schema_name")
    for key in ("max_length", "min_items", "max_items", "min_rows", "max_rows", "places"):
        value = reader.get(key, int)
        if value is not None and value < 0:
            reader.fail("không được âm", key)
    if reader.get("nullable", bool) and reader.get("required", bool, True):
        reader.fail("chỉ dùng với trường không bắt buộc (required = false)", "nullable")
    return FieldDecl(
        name=name,
        kind=kind,
        label=reader.text("label", required=True),
        hint=reader.text("hint"),
        required=reader.get("required", bool, True),
        default=reader.table.get("default"),
        has_default="default" in reader.table,
        max_length=reader.get("max_length", int),
        minimum=reader.get("min", number),
        maximum=reader.get("max", number),
        places=reader.get("places", int),
        min_items=reader.get("min_items", int) if kind != "table" else reader.get("min_rows", int),
        max_items=reader.get("max_items", int) if kind != "table" else reader.get("max_rows", int),
        choices=choices,
        columns=columns,
        nullable=reader.get("nullable", bool),
        title_as=title_as,
        row_number=row_number,
        schema_name=schema_name,
    )


def _path(reader: _Reader, key: str, known: set[str]) -> str:
    value = reader.text(key, required=True)
    if not _PATH.match(value) or value.split(".")[0] not in known:
        close = difflib.get_close_matches(value.split(".")[0], sorted(known), n=1)
        hint = f" (có phải '{close[0]}'?)" if close else ""
        reader.fail(f"nói đến '{value}', không phải trường nào của loại văn bản{hint}", key)
    return value


def _paths(reader: _Reader, key: str, known: set[str]) -> tuple[str, ...]:
    values = reader.get(key, list, required=True)
    if len(values) < 2 or not all(isinstance(v, str) for v in values):
        reader.fail("phải là danh sách ít nhất hai tên trường", key)
    checked = []
    for index, value in enumerate(values):
        probe = _Reader(reader.file, reader.where, {f"{key}[{index}]": value})
        checked.append(_path(probe, f"{key}[{index}]", known))
    return tuple(checked)


def _rule(reader: _Reader, known: set[str]) -> RuleDecl:
    rule = reader.text("rule", required=True)
    if rule not in RULES:
        close = difflib.get_close_matches(rule, RULES, n=1)
        hint = f" (có phải '{close[0]}'?)" if close else ""
        reader.fail(f"có quy tắc '{rule}' không có{hint}; các quy tắc có: {', '.join(RULES)}",
                    "rule")
    reader.only(list(_COMMON_RULE_KEYS) + list(_RULE_KEYS[rule]))
    severity = reader.text("severity", default="error")
    if severity not in ("error", "warning"):
        reader.fail("phải là 'error' (chặn) hoặc 'warning' (chỉ cảnh báo)", "severity")
    code = reader.text("code")
    if code and not _NAME.match(code):
        reader.fail("phải là mã viết thường không dấu (ví dụ: deadline_order)", "code")
    decl: dict[str, Any] = {"rule": rule, "severity": severity, "code": code,
                            "message": reader.text("message", required=True)}
    if "path" in reader.table:
        decl["path"] = _path(reader, "path", known)
    if rule in ("sum_equals", "dates_in_order", "same_day"):
        decl["fields"] = _paths(reader, "fields", known)
    if rule == "sum_equals":
        decl["total"] = _path(reader, "total", known)
    if rule == "dates_in_order":
        decl["strict"] = reader.get("strict", bool, False)
    if rule == "at_most":
        decl["field"] = _path(reader, "field", known)
        if ("limit" in reader.table) == ("value" in reader.table):
            reader.fail("cần đúng một trong 'limit' (tên trường) hoặc 'value' (một số)")
        if "limit" in reader.table:
            decl["limit"] = _path(reader, "limit", known)
        else:
            decl["value"] = reader.get("value", (int, float))
    if rule in ("exactly_one_row_with", "date_within", "share_at_least"):
        decl["table"] = _path(reader, "table", known)
        decl["column"] = reader.text("column", required=True)
    if rule in ("exactly_one_row_with", "share_at_least"):
        decl["value"] = reader.get("value", (str, int, bool), required=True)
    if rule == "date_within":
        decl["start"] = _path(reader, "start", known)
        decl["end"] = _path(reader, "end", known)
    if rule == "share_at_least":
        decl["share"] = _share(reader)
    return RuleDecl(**decl)


def _share(reader: _Reader) -> Fraction:
    """``share = "1/3"`` (exact) or a number from 0 to 1 (``0.5``)."""
    value = reader.get("share", (str, int, float), required=True)
    try:
        share = Fraction(str(value).strip())
    except (ValueError, ZeroDivisionError):
        share = Fraction(-1)
    if not 0 <= share <= 1:
        reader.fail("phải là một phần từ 0 đến 1, viết như \"1/3\" hoặc 0.5", "share")
    return share


def _derived(reader: _Reader, name: str, known: set[str]) -> DerivedDecl:
    kind = reader.text("kind", required=True)
    if kind not in DERIVED_KINDS:
        reader.fail(f"có kind '{kind}' không có; các kind có: {', '.join(DERIVED_KINDS)}",
                    "kind")
    reader.only(["kind", *_DERIVED_KEYS[kind]])
    decl: dict[str, Any] = {"name": name, "kind": kind}
    if kind in ("count", "sum", "words", "timestamp", "two_digits"):
        decl["of"] = _path(reader, "of", known)
    if kind == "count" and "where" in reader.table:
        decl["where"] = tuple(reader.get("where", dict).items())
    if kind == "sum":
        decl["column"] = reader.text("column", required=True)
    if kind == "share":
        decl["part"] = _path(reader, "part", known)
        decl["whole"] = _path(reader, "whole", known)
        decl["places"] = reader.get("places", int, 2)
    return DerivedDecl(**decl)


def _part_options(top: _Reader, parts: tuple[str, ...],
                  own: set[str]) -> dict[str, PartOptions]:
    """``[part_options.basis]``: a used part's label, hint, number of items, place."""
    reader = top.sub("part_options", top.get("part_options", dict, {}))
    out: dict[str, PartOptions] = {}
    for part, spec in reader.table.items():
        if part not in parts:
            reader.fail(f"nói đến phần '{part}' mà 'parts' không có", part)
        options = reader.sub(part, spec)
        options.only(_PART_OPTION_KEYS if part in LIST_PARTS else
                     tuple(k for k in _PART_OPTION_KEYS if k not in ("min_items", "max_items")))
        after = options.text("after")
        if after and after not in own:
            close = difflib.get_close_matches(after, sorted(own), n=1)
            hint = f" (có phải '{close[0]}'?)" if close else ""
            options.fail(f"nói đến '{after}', không phải trường riêng nào của loại văn bản{hint}",
                         "after")
        for key in ("min_items", "max_items"):
            value = options.get(key, int)
            if value is not None and value < 0:
                options.fail("không được âm", key)
        out[part] = PartOptions(label=options.text("label"), hint=options.text("hint"),
                                min_items=options.get("min_items", int),
                                max_items=options.get("max_items", int), after=after)
    return out


def _part_names(parts: tuple[str, ...]) -> set[str]:
    """The payload keys the parts add ("basis" is the list ``legal_bases``)."""
    return {("legal_bases" if p == "basis" else p) for p in parts}


def parse_declaration(text: str, *, file: str = "type.toml") -> Declaration:
    """Read and check one ``type.toml``; raise :class:`PackError` naming the place."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PackError(f"{file}: không đọc được TOML ({exc}).", place=file) from exc
    top = _Reader(file, "", raw)
    top.only(list(_TOP_KEYS))
    type_id = top.text("id", required=True)
    if not _TYPE_ID.match(type_id):
        top.fail("phải viết thường không dấu, bắt đầu bằng chữ, gồm a-z, 0-9, '_' hoặc '-'",
                 "id")
    type_code = top.text("type_code", required=True)
    type_name = top.text("type_name", required=bool(type_code))
    parts = top.get("parts", list, [])
    for part in parts:
        if part not in PARTS:
            close = difflib.get_close_matches(str(part), PARTS, n=1)
            hint = f" (có phải '{close[0]}'?)" if close else ""
            top.fail(f"có phần '{part}' không có{hint}; các phần dùng chung: {', '.join(PARTS)}",
                     "parts")
    if len(set(parts)) != len(parts):
        top.fail("có phần bị nhắc hai lần", "parts")
    hooks_reader = top.sub("hooks", top.get("hooks", dict, {}))
    hooks_reader.only(list(HOOKS))
    hooks = {key: hooks_reader.text(key) for key in hooks_reader.table}
    if "schema" not in hooks:
        for part in REQUIRED_PARTS:
            if part not in parts:
                top.fail(f"phải có phần '{part}' (mọi văn bản đều có)", "parts")
    elif parts or "fields" in raw or "rules" in raw:
        top.fail("dùng hooks.schema thì không khai báo parts, fields hay rules", "hooks")

    fields_reader = top.sub("fields", top.get("fields", dict, {}))
    own = []
    for key, spec in fields_reader.table.items():
        name = _name(fields_reader, key, key, "trường")
        if name in RESERVED or name in _part_names(tuple(parts)) or name in parts:
            fields_reader.fail(f"tên '{name}' đã dùng cho phần chung hoặc giá trị có sẵn", key)
        own.append(_field(fields_reader.sub(key, spec), name, in_table=False))
    known = _part_names(tuple(parts)) | {f.name for f in own}
    part_options = _part_options(top, tuple(parts), {f.name for f in own})

    rules = []
    for index, spec in enumerate(top.get("rules", list, [])):
        rules.append(_rule(_Reader(file, f"rules[{index}]", spec), known))
    derived_reader = top.sub("derived", top.get("derived", dict, {}))
    derived = []
    for key, spec in derived_reader.table.items():
        name = _name(derived_reader, key, key, "giá trị tính")
        if name in known or name in RESERVED:
            derived_reader.fail(f"tên '{name}' trùng một trường", key)
        derived.append(_derived(derived_reader.sub(key, spec), name, known))
        known.add(name)  # a share may read a count declared before it
    order = top.get("order", int, 1000)
    return Declaration(
        id=type_id,
        name=top.text("name", required=True),
        type_name=type_name,
        type_code=type_code,
        description=top.text("description"),
        order=order,
        template=top.text("template", default="template.docx"),
        example=top.text("example", default="example.json"),
        parts=tuple(parts),
        part_options=part_options,
        hooks=hooks,
        fields=tuple(own),
        rules=tuple(rules),
        derived=tuple(derived),
    )
