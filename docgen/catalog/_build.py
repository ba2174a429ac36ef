"""From a :class:`Declaration` to what a document type runs: schema, rules, derived values.

The schema is built from docgen's own field classes (:mod:`docgen.schemas.fields`)
and the shared Decree 30 parts are *copies of today's fields* (DocumentSchema's
agency, number, date, summary, signer, recipients, archive; Kính gửi; căn cứ), with
the label, hint, number of items and place a declaration's ``[part_options]`` gives,
so a declared type has the same paths, codes and Vietnamese messages as one written
in Python — and the one walker, the JSON Schema, the form and the batch sheet read
it unchanged. plan, decision and minutes are built here from their ``type.toml``.

Cross-field rules come from a small vocabulary (sum_equals, at_most, dates_in_order,
exactly_one_row_with, date_within — each row's date inside a period —,
share_at_least — at least a share of the rows with a value —, same_day,
all_or_none — fields given together or not at all, the error on each one missing —,
row_required_if — when a field has a value, a table needs a row with a value);
``severity = "error"`` rules run inside the schema (a 422 with the field's path,
``units[3].scheduled_on`` for a row), ``"warning"`` ones after it (they never
block). Derived values (count, sum, share, words, timestamp, two_digits), choice
titles (``<name>_title`` or ``title_as``) and row numbers (``row_number``) are
computed for the template.
"""

from __future__ import annotations

import copy
import datetime as dt
import decimal
import re
from collections.abc import Callable
from typing import Any

from marshmallow import Schema, ValidationError, fields, validates_schema

from docgen import context, vi
from docgen.catalog._declaration import (
    CLOSING_PARTS,
    PARTS,
    Declaration,
    DerivedDecl,
    FieldDecl,
    PartOptions,
    RuleDecl,
)
from docgen.errors import FieldError, PackError
from docgen.schemas.base import BaseSchema
from docgen.schemas.common import DocumentSchema, text_list
from docgen.schemas.fields import (
    Choice,
    Date,
    DateTime,
    Decimal,
    Integer,
    Length,
    Message,
    Money,
    Nested,
    Paragraphs,
    Percent,
    Range,
    Table,
    Text,
)
from docgen.vi import is_code

#: Default codes of the rules (``date_order`` is today's code for dates out of order).
RULE_CODES = {"sum_equals": "sum_mismatch", "at_most": "exceeds_limit",
              "dates_in_order": "date_order", "exactly_one_row_with": "row_count",
              "date_within": "date_out_of_period", "share_at_least": "share_too_small",
              "same_day": "date_differs", "all_or_none": "fields_together",
              "row_required_if": "row_required"}


# --- the shared parts ------------------------------------------------------------------


def _drafting_unit() -> Text:
    def code_only(value: str) -> None:
        if value and not is_code(value):
            raise ValidationError(Message(
                "Chữ viết tắt đơn vị soạn thảo chỉ gồm chữ, số, '&' và '-' ở giữa, "
                "ví dụ: TĐC.", "invalid"))

    return Text(required=False, load_default="", max_length=30, validate=code_only,
                metadata={"title": "Đơn vị soạn thảo",
                          "description": "Chữ viết tắt đơn vị soạn thảo sau mã cơ quan trong "
                                         "số, ký hiệu công văn, ví dụ: TĐC (215/SKHCN-TĐC)."})


#: The parts that are lists of text: payload key, label, items (min, max), hint.
_LIST_PARTS: dict[str, tuple[str, str, int, int, str]] = {
    "addressees": ("addressees", "Kính gửi", 1, 10, "Mỗi dòng một nơi nhận được kính gửi."),
    "basis": ("legal_bases", "Căn cứ ban hành", 1, 20,
              "Mỗi mục một văn bản; “Căn cứ” ở đầu và dấu “;” ở cuối do mẫu tự thêm."),
    "recipients": ("recipients", "Nơi nhận", 0, 50, ""),
}


def part_fields(part: str, options: PartOptions | None = None) -> dict[str, fields.Field]:
    """The payload field(s) a shared part adds, as fresh copies of today's definitions,
    with the label, hint and number of items a declaration's ``[part_options]`` gives."""
    options = options or PartOptions()
    if part in _LIST_PARTS:
        key, label, low, high, hint = _LIST_PARTS[part]
        low = low if options.min_items is None else options.min_items
        high = high if options.max_items is None else options.max_items
        hint = options.hint or hint
        return {key: text_list(options.label or label, min_items=low, max_items=high,
                               **({"description": hint} if hint else {}))}
    declared = DocumentSchema._declared_fields
    if part in declared:
        f = copy.deepcopy(declared[part])
    elif part == "drafting_unit":
        f = _drafting_unit()
    else:  # pragma: no cover - the declaration refuses other parts
        raise PackError(f"Không có phần dùng chung '{part}'.", place="parts")
    if options.label or options.hint:
        f.metadata = {**f.metadata, **({"title": options.label} if options.label else {}),
                      **({"description": options.hint} if options.hint else {})}
    return {part: f}


# --- the type's own fields -------------------------------------------------------------


def _meta(decl: FieldDecl) -> dict[str, Any]:
    meta = {"title": decl.label}
    if decl.hint:
        meta["description"] = decl.hint
    return meta


def _optional(decl: FieldDecl, empty: Any) -> dict[str, Any]:
    """Keyword arguments of an optional field: its default, or ``empty``.

    ``nullable`` (unsaid: as ``empty`` — a text is "", other kinds null) says whether
    null is accepted; ``nullable = true`` makes null the default of a text too.
    """
    if decl.required:
        return {"required": True}
    if decl.nullable:
        empty = None
    out: dict[str, Any] = {"required": False, "load_default": empty}
    if decl.nullable or (decl.nullable is None and empty is None):
        out["allow_none"] = True
    elif decl.nullable is False:
        out["allow_none"] = False  # marshmallow would take a None default as "null is fine"
    return out


def _range(decl: FieldDecl, low: Any = None, high: Any = None) -> dict[str, Any]:
    low = decl.minimum if decl.minimum is not None else low
    high = decl.maximum if decl.maximum is not None else high
    if low is None and high is None:
        return {}
    if isinstance(low, float):
        low = decimal.Decimal(str(low))
    if isinstance(high, float):
        high = decimal.Decimal(str(high))
    return {"validate": Range(min=low, max=high)}


def _scalar(decl: FieldDecl) -> fields.Field:
    meta = _meta(decl)
    if decl.kind in ("text", "paragraphs"):
        cls = Paragraphs if decl.kind == "paragraphs" else Text
        limit = decl.max_length or (5000 if decl.kind == "paragraphs" else 500)
        return cls(max_length=limit, metadata=meta, **_optional(decl, ""))
    if decl.kind == "integer":
        return Integer(metadata=meta, **_optional(decl, None), **_range(decl))
    if decl.kind == "money":
        return Money(metadata=meta, **_optional(decl, None), **_range(decl, 0, 10**15))
    if decl.kind in ("decimal", "percent"):
        cls_d = Percent if decl.kind == "percent" else Decimal
        bounds = _range(decl, 0, 100) if decl.kind == "percent" else _range(decl)
        return cls_d(places=2 if decl.places is None else decl.places, metadata=meta,
                     **_optional(decl, None), **bounds)
    if decl.kind == "date":
        return Date(metadata=meta, **_optional(decl, None))
    if decl.kind == "datetime":
        return DateTime(metadata=meta, **_optional(decl, None))
    if decl.kind == "choice":
        return Choice(dict(decl.choices), metadata=meta, **_optional(decl, None))
    raise PackError(f"Không có kind '{decl.kind}'.", place=decl.name)  # pragma: no cover


#: Row (and group) schemas with a declared ``schema_name``, by name and columns: two
#: types declaring the same rows (the team members of the decision and of the minutes)
#: share one class, so OpenAPI has one component (``TeamMember``) for both.
_NAMED_ROWS: dict[tuple[str, tuple[FieldDecl, ...]], type[Schema]] = {}


def _row_schema(type_id: str, decl: FieldDecl) -> type[Schema]:
    key = (decl.schema_name, decl.columns)
    if decl.schema_name:
        try:
            found = _NAMED_ROWS.get(key)
        except TypeError:  # a default that is a list or a table: not shared
            found, key = None, ("", ())
        if found is not None:
            return found
    columns = {column.name: _with_default(column, _scalar(column)) for column in decl.columns}
    name = decl.schema_name or f"{_camel(type_id)}{_camel(decl.name)}Row"
    schema = type(f"{name}Schema", (BaseSchema,), columns)
    if key[0]:
        _NAMED_ROWS[key] = schema
    return schema


def _field(type_id: str, decl: FieldDecl) -> fields.Field:
    if decl.kind == "text_list":
        lst = text_list(decl.label, min_items=decl.min_items or (1 if decl.required else 0),
                        max_items=decl.max_items or 100,
                        **({"description": decl.hint} if decl.hint else {}))
        if decl.max_length:
            lst.inner = Text(required=True, max_length=decl.max_length,
                             metadata={"title": decl.label})
        return lst
    if decl.kind == "table":
        min_rows = decl.min_items if decl.min_items is not None else (1 if decl.required else 0)
        max_rows = decl.max_items or 200
        optional: dict[str, Any] = {} if min_rows > 0 else {"load_default": list}
        return Table(Nested(_row_schema(type_id, decl)), required=min_rows > 0,
                     max_items=max_rows, validate=Length(min=min_rows, max=max_rows),
                     metadata=_meta(decl), **optional)
    if decl.kind == "group":
        absent: dict[str, Any] = ({"required": True} if decl.required else
                                  {"required": False, "load_default": None, "allow_none": True})
        return Nested(_row_schema(type_id, decl), metadata=_meta(decl), **absent)
    return _with_default(decl, _scalar(decl))


def _with_default(decl: FieldDecl, f: fields.Field) -> fields.Field:
    """Apply a declared default, loaded through the field itself so a bad one is refused
    when the pack loads, not when a clerk leaves the field out."""
    if not decl.has_default:
        return f
    if decl.required:
        raise PackError(f"Trường '{decl.name}' bắt buộc thì không có 'default'.",
                        place=f"type.toml: fields.{decl.name}.default")
    try:
        f.load_default = f.deserialize(decl.default)
    except ValidationError as exc:
        raise PackError(f"type.toml: fields.{decl.name}.default không hợp lệ: "
                        f"{_first_message(exc.messages)}",
                        place=f"type.toml: fields.{decl.name}.default") from exc
    return f


def _first_message(messages: Any) -> str:
    while isinstance(messages, dict | list):
        messages = next(iter(messages.values() if isinstance(messages, dict) else messages))
    return str(messages)


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[_-]", name))


# --- reading values by path ------------------------------------------------------------


_MISSING = object()


def _get(data: dict[str, Any], path: str) -> Any:
    value: Any = data
    for key in path.split("."):
        if not isinstance(value, dict) or key not in value:
            return _MISSING
        value = value[key]
    return value


def _shown(value: Any) -> str:
    """A value as the message shows it: dd/mm/yyyy dates, Vietnamese numbers."""
    if isinstance(value, dt.datetime):
        return f"{vi.time_of_day(value)} {vi.date_short(value.date())}"
    if isinstance(value, dt.date):
        return vi.date_short(value)
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int | float | decimal.Decimal):
        return vi.format_number(value)
    return str(value)


_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_.]*)\}")


def _message(rule: RuleDecl, data: dict[str, Any], extra: dict[str, Any]) -> str:
    def fill(match: re.Match[str]) -> str:
        key = match[1]
        if key in extra:
            return _shown(extra[key])
        value = _get(data, key)
        return match[0] if value is _MISSING else _shown(value)

    return _PLACEHOLDER.sub(fill, rule.message)


# --- the rules -------------------------------------------------------------------------


def _number(value: Any) -> Any:
    return value if isinstance(value, int | float | decimal.Decimal) and \
        not isinstance(value, bool) else None


Place = tuple[str | int, ...]


def _place(path: str) -> Place:
    return tuple(path.split("."))


def _day(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


class RuleNames:
    """What a rule's message shows of the declaration: the Vietnamese label of each field
    (``{missing}``) and of each table column's choices (``{value}``)."""

    def __init__(self, labels: dict[str, str] | None = None,
                 titles: dict[tuple[str, str], dict[Any, str]] | None = None) -> None:
        self.labels = labels or {}
        self.titles = titles or {}

    def listed(self, paths: list[str]) -> str:
        """``“A”``, ``“A” và “B”``, ``“A”, “B” và “C”``: the fields by their labels."""
        names = [f"“{self.labels.get(p, p)}”" for p in paths]
        return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} và {names[-1]}"


def rule_names(decl: Declaration) -> RuleNames:
    """The labels of a declaration's fields by path (a part's as docgen's own fields say
    them: ``signer.full_name`` is “Họ và tên”) and its table columns' choice labels."""
    labels: dict[str, str] = {}
    for part in decl.parts:
        for key, f in part_fields(part, decl.part_options.get(part)).items():
            labels[key] = str(f.metadata.get("title", key))
            if isinstance(f, fields.Nested):
                for sub, inner in f.schema.declared_fields.items():
                    labels[f"{key}.{sub}"] = str(inner.metadata.get("title", sub))
    titles: dict[tuple[str, str], dict[Any, str]] = {}
    for own in decl.fields:
        labels[own.name] = own.label
        for column in own.columns:
            if own.kind == "group":
                labels[f"{own.name}.{column.name}"] = column.label
            elif column.kind == "choice":
                titles[(own.name, column.name)] = dict(column.choices)
    return RuleNames(labels, titles)


def _given(value: Any) -> bool:
    """all_or_none: a value was given (not absent, null, blank text or an empty list)."""
    if value is _MISSING or value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    return not (isinstance(value, list | dict) and not value)


def _same(value: Any, wanted: Any) -> bool:
    """``when``: equal, with true/false never equal to 1/0."""
    if isinstance(value, bool) or isinstance(wanted, bool):
        return value is wanted
    return bool(value == wanted)


def _broken(rule: RuleDecl, data: dict[str, Any],
            names: RuleNames | None = None) -> list[tuple[Place, dict[str, Any]]]:
    """Each ``(place, extra placeholders)`` where ``rule`` fails on ``data`` (none: [])."""
    names = names or RuleNames()
    if rule.rule == "all_or_none":
        given = [p for p in rule.fields if _given(_get(data, p))]
        missing = [p for p in rule.fields if p not in given]
        if not given or not missing:
            return []
        extra = {"missing": names.listed(missing), "given": names.listed(given)}
        return [(_place(rule.path), extra)] if rule.path else \
            [(_place(p), extra) for p in missing]
    if rule.rule == "row_required_if":
        if not all(_same(_get(data, p), v) for p, v in rule.when):
            return []
        rows = _get(data, rule.table)
        if isinstance(rows, list) and any(isinstance(row, dict) and
                                          _same(row.get(rule.column), rule.value)
                                          for row in rows):
            return []
        title = names.titles.get((rule.table, rule.column), {}).get(rule.value, rule.value)
        return [(_place(rule.path or rule.table), {"value": title})]
    if rule.rule == "sum_equals":
        parts = [_number(_get(data, p)) for p in rule.fields]
        total = _number(_get(data, rule.total))
        if total is None or any(p is None for p in parts):
            return []  # a missing optional value: nothing to compare
        found = sum(parts)
        return [] if found == total else [(_place(rule.path or rule.fields[-1]), {"sum": found})]
    if rule.rule == "at_most":
        value = _number(_get(data, rule.field))
        limit = _number(_get(data, rule.limit)) if rule.limit else rule.value
        if value is None or limit is None:
            return []
        return [] if value <= limit else [(_place(rule.path or rule.field), {"limit": limit})]
    if rule.rule in ("dates_in_order", "same_day"):
        values = [_get(data, p) for p in rule.fields]
        for index in range(1, len(values)):
            earlier, later = values[index - 1], values[index]
            if not isinstance(earlier, dt.date) or not isinstance(later, dt.date):
                continue
            if rule.rule == "same_day":
                if _day(earlier) != _day(later):
                    return [(_place(rule.path or rule.fields[index]), {})]
                continue
            if type(earlier) is not type(later):  # a date and a date-time: compare days
                earlier, later = _day(earlier), _day(later)
            if later < earlier or (rule.strict and later == earlier):
                return [(_place(rule.path or rule.fields[index]), {})]
        return []
    rows = _get(data, rule.table)
    if not isinstance(rows, list):
        return []
    if rule.rule == "date_within":
        start, end = _get(data, rule.start), _get(data, rule.end)
        if not isinstance(start, dt.date) or not isinstance(end, dt.date):
            return []
        return [((*_place(rule.table), index, rule.column), {})
                for index, row in enumerate(rows) if isinstance(row, dict)
                and isinstance(row.get(rule.column), dt.date)
                and not start <= row[rule.column] <= end]
    count = sum(1 for row in rows if isinstance(row, dict) and row.get(rule.column) ==
                rule.value)
    if rule.rule == "share_at_least":
        if count >= rule.share * len(rows):
            return []
        # digits as they are ("46/120"): the count of rows, not an amount
        return [(_place(rule.path or rule.table), {"count": str(count), "total": str(len(rows))})]
    if rule.rule == "exactly_one_row_with":
        return [] if count == 1 else [(_place(rule.path or rule.table), {"count": count})]
    return []  # pragma: no cover - the declaration refuses other rules


def _nested(place: Place, message: Message) -> dict[str | int, Any]:
    """``("counts", "on_site")`` -> ``{"counts": {"on_site": [message]}}`` for marshmallow."""
    tree: dict[str | int, Any] = {place[-1]: [message]}
    for key in reversed(place[:-1]):
        tree = {key: tree}
    return tree


def _path_text(place: Place) -> str:
    """``("units", 3, "scheduled_on")`` -> ``units[3].scheduled_on`` (the errors' paths)."""
    out = ""
    for key in place:
        out = f"{out}[{key}]" if isinstance(key, int) else f"{out}.{key}" if out else key
    return out


def _merge(into: dict[Any, Any], tree: dict[Any, Any]) -> None:
    for key, value in tree.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        elif isinstance(value, list) and isinstance(into.get(key), list):
            into[key].extend(value)
        else:
            into[key] = value


def _validator(rules: tuple[RuleDecl, ...], names: RuleNames) -> Callable[..., None]:
    def declared_rules(self: Schema, data: dict[str, Any], **kwargs: Any) -> None:
        errors: dict[Any, Any] = {}
        for rule in rules:
            for place, extra in _broken(rule, data, names):
                message = Message(_message(rule, data, extra), rule.code or RULE_CODES[rule.rule])
                _merge(errors, _nested(place, message))
        if errors:
            raise ValidationError(errors)

    return validates_schema(declared_rules)


def warnings_check(rules: tuple[RuleDecl, ...], names: RuleNames | None = None,
                   ) -> Callable[[dict[str, Any]], list[FieldError]]:
    """The warning rules as a type's ``warnings`` function (they never block);
    ``names`` (:func:`rule_names`) gives the labels ``{missing}`` and ``{value}`` show."""

    def check(data: dict[str, Any]) -> list[FieldError]:
        return [FieldError(path=_path_text(place), message=_message(rule, data, extra),
                           code=rule.code or RULE_CODES[rule.rule])
                for rule in rules for place, extra in _broken(rule, data, names)]

    return check


# --- derived values --------------------------------------------------------------------


def _derive(item: DerivedDecl, data: dict[str, Any], done: dict[str, Any]) -> Any:
    def read(path: str) -> Any:
        value = done[path] if path in done else _get(data, path)
        return None if value is _MISSING else value

    if item.kind == "count":
        rows = read(item.of) or []
        if not item.where:
            return len(rows)
        return sum(1 for row in rows if isinstance(row, dict) and
                   all(row.get(k) == v for k, v in item.where))
    if item.kind == "sum":
        return sum((_number(row.get(item.column)) or 0) for row in (read(item.of) or []))
    if item.kind == "share":
        part, whole = _number(read(item.part)), _number(read(item.whole))
        if not whole or part is None:
            return vi.format_percent(0, item.places)
        return vi.format_percent(decimal.Decimal(part) / decimal.Decimal(whole), item.places)
    if item.kind == "words":
        amount = _number(read(item.of))
        return "" if amount is None else vi.amount_in_words(amount)
    if item.kind == "timestamp":
        moment = read(item.of)
        return context.timestamp_line(moment) if isinstance(moment, dt.datetime) else ""
    if item.kind == "two_digits":
        value = read(item.of)
        return vi.two_digits(value) if isinstance(value, int) and value >= 0 else ""
    raise PackError(f"Không có kind '{item.kind}'.")  # pragma: no cover


def _title_key(decl: FieldDecl) -> str:
    return decl.title_as or f"{decl.name}_title"


def _titles(decl: Declaration) -> Callable[[dict[str, Any], dict[str, Any]], None]:
    """``<choice>_title`` (or the choice's ``title_as``): the Vietnamese label of each
    choice, for fields and table columns (``f.result_title`` prints "Đạt" where the
    payload says ``dat``); and a table's ``row_number`` (``u.stt``: 1, 2, 3 …)."""
    top = [(f.name, _title_key(f), dict(f.choices)) for f in decl.fields if f.kind == "choice"]
    tables = [(f.name, f.row_number, [(c.name, _title_key(c), dict(c.choices))
                                      for c in f.columns if c.kind == "choice"])
              for f in decl.fields if f.kind == "table"]
    tables = [(name, number, cols) for name, number, cols in tables if cols or number]

    def add(data: dict[str, Any], out: dict[str, Any]) -> None:
        for name, key, labels in top:
            value = data.get(name)
            out[key] = labels.get(value, "") if value is not None else ""
        for name, number, cols in tables:
            rows = []
            for index, row in enumerate(data.get(name, []), start=1):
                row = {**row, **{key: labels.get(row.get(col), "") for col, key, labels in cols}}
                if number:
                    row[number] = index
                rows.append(row)
            out[name] = rows

    return add


def context_builder(decl: Declaration) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """What the template reads beyond the data and the shared parts: derived values and
    the labels of choices (the căn cứ, signer lines … are :func:`docgen.context.shared_parts`'s,
    the same for every type)."""
    derived = decl.derived
    titles = _titles(decl)

    def build(data: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}  # the shared parts (căn cứ …) are docgen.context's
        titles(data, out)
        for item in derived:
            out[item.name] = _derive(item, data, out)
        return out

    return build


# --- the schema ------------------------------------------------------------------------


def build_schema(decl: Declaration) -> type[Schema]:
    """The Marshmallow schema of a declared type: parts, own fields, error rules."""
    attrs: dict[str, Any] = {}
    options = decl.part_options
    placed = {p for p in decl.parts if p in options and options[p].after}
    opening = [p for p in PARTS if p in decl.parts and p not in CLOSING_PARTS + tuple(placed)]
    closing = [p for p in PARTS if p in decl.parts and p in CLOSING_PARTS and p not in placed]
    for part in opening:
        attrs.update(part_fields(part, options.get(part)))
    for own in decl.fields:
        attrs[own.name] = _field(decl.id, own)
        for part in (p for p in PARTS if p in placed and options[p].after == own.name):
            attrs.update(part_fields(part, options[part]))
    for part in closing:
        attrs.update(part_fields(part, options.get(part)))
    errors = tuple(r for r in decl.rules if r.severity == "error")
    if errors:
        attrs["_declared_rules"] = _validator(errors, rule_names(decl))
    attrs["__doc__"] = f"{decl.name} ({decl.type_code or 'công văn'}), from its declaration."
    return type(f"{_camel(decl.id)}Schema", (BaseSchema,), attrs)
