"""The JSON Schema of ``type.toml`` (``docgen/catalog/pack.schema.json``), for editors.

Generated from the declaration vocabulary of :mod:`docgen.catalog._declaration`, so
the two cannot drift: a test compares the committed file with :func:`pack_schema_text`
(``docgen schemas --write`` rewrites it). Editors that read JSON Schema for TOML
(Taplo, VS Code's Even Better TOML) pick it up from the ``#:schema`` line at the top
of every shipped declaration.
"""

from __future__ import annotations

import json
from typing import Any

from docgen.catalog import _declaration as d

_NAME = {"type": "string", "pattern": d._NAME.pattern}
_PATH = {"type": "string", "pattern": d._PATH.pattern,
         "description": "Tên trường (hoặc phần.trường, ví dụ signer.full_name)."}
_PATHS = {"type": "array", "items": _PATH, "minItems": 2}
_KEYS: dict[str, Any] = {
    "kind": None, "label": {"type": "string", "description": "Nhãn tiếng Việt."},
    "hint": {"type": "string", "description": "Gợi ý dưới ô nhập."},
    "required": {"type": "boolean", "default": True},
    "default": {"description": "Giá trị khi để trống (chỉ với trường không bắt buộc)."},
    "max_length": {"type": "integer", "minimum": 0},
    "min": {"type": "number"}, "max": {"type": "number"},
    "places": {"type": "integer", "minimum": 0, "maximum": 6},
    "min_items": {"type": "integer", "minimum": 0},
    "max_items": {"type": "integer", "minimum": 0},
    "min_rows": {"type": "integer", "minimum": 0},
    "max_rows": {"type": "integer", "minimum": 0},
    "choices": {"type": "object", "minProperties": 1,
                "additionalProperties": {"type": "string", "minLength": 1},
                "description": "giá trị = \"Nhãn tiếng Việt\", theo thứ tự hiển thị."},
    "nullable": {"type": "boolean",
                 "description": "Trường không bắt buộc: true nhận null (và null là mặc định, "
                                "kể cả với text); false không nhận null."},
    "title_as": {**_NAME, "description": "Tên mẫu Word đọc nhãn của lựa chọn (mặc định "
                                         "<tên>_title, ví dụ f.result_title)."},
    "row_number": {**_NAME, "description": "Số thứ tự của mỗi dòng (1, 2, 3…) mẫu Word đọc "
                                           "dưới tên này, ví dụ stt: {{ u.stt }}."},
    "schema_name": {"type": "string", "pattern": d._SCHEMA_NAME.pattern,
                    "description": "Tên của một dòng (một nhóm) trong OpenAPI, ví dụ "
                                   "TeamMember; hai loại khai báo giống nhau dùng chung."},
}
_RULE_KEYS: dict[str, Any] = {
    "severity": {"enum": ["error", "warning"], "default": "error"},
    "message": {"type": "string", "description": "Thông báo tiếng Việt; {tên_trường} được "
                                                 "thay bằng giá trị."},
    "code": _NAME, "path": _PATH, "fields": _PATHS, "total": _PATH, "field": _PATH,
    "limit": _PATH, "value": {"type": ["number", "string", "boolean"]},
    "strict": {"type": "boolean"}, "table": _PATH, "column": _NAME,
    "start": {**_PATH, "description": "Ngày đầu của khoảng (date_within)."},
    "end": {**_PATH, "description": "Ngày cuối của khoảng (date_within)."},
    "share": {"type": ["string", "number"], "pattern": r"^\s*\d+(\s*/\s*\d+|\.\d+)?\s*$",
              "description": "Phần nhỏ nhất, từ 0 đến 1: \"1/3\" (đúng một phần ba) hoặc 0.5."},
}
_DERIVED_KEYS: dict[str, Any] = {
    "of": _PATH, "where": {"type": "object"}, "column": _NAME, "part": _PATH,
    "whole": _PATH, "places": {"type": "integer", "minimum": 0, "maximum": 6},
}


def _field_schema(kinds: tuple[str, ...], defs: str) -> dict[str, Any]:
    variants = []
    for kind in kinds:
        keys = [*d._COMMON_FIELD_KEYS, *d._FIELD_KEYS[kind]]
        props: dict[str, Any] = {k: _KEYS[k] for k in keys
                                 if k not in ("kind", "columns", "fields")}
        props["kind"] = {"const": kind}
        inner = {"table": "columns", "group": "fields"}.get(kind)
        if inner:
            props[inner] = {"type": "object", "minProperties": 1,
                            "additionalProperties": {"$ref": f"#/$defs/{defs}"}}
        required = ["kind", "label"] + (["choices"] if kind == "choice" else []) + \
            ([inner] if inner else [])
        variants.append({"type": "object", "properties": props, "required": required,
                         "additionalProperties": False})
    return {"oneOf": variants}


def pack_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a pack's declaration."""
    rules = []
    for rule in d.RULES:
        keys = [*d._COMMON_RULE_KEYS, *d._RULE_KEYS[rule]]
        props = {k: _RULE_KEYS[k] for k in keys if k != "rule"}
        props["rule"] = {"const": rule}
        rules.append({"type": "object", "properties": props,
                      "required": ["rule", "message"], "additionalProperties": False})
    derived = []
    for kind in d.DERIVED_KINDS:
        props = {k: _DERIVED_KEYS[k] for k in d._DERIVED_KEYS[kind]}
        props["kind"] = {"const": kind}
        derived.append({"type": "object", "properties": props, "required": ["kind"],
                        "additionalProperties": False})
    top: dict[str, Any] = {
        "id": {"type": "string", "pattern": d._TYPE_ID.pattern},
        "name": {"type": "string", "description": "Tên loại văn bản, ví dụ: Thông báo kết "
                                                  "quả kiểm tra."},
        "type_name": {"type": "string", "description": "Tên loại in trên văn bản (THÔNG "
                                                       "BÁO); để trống với công văn."},
        "type_code": {"type": "string", "description": "Mã loại (Phụ lục III Nghị định "
                                                       "30): TB, QĐ, KH…; \"\" với công văn."},
        "description": {"type": "string"},
        "order": {"type": "integer", "description": "Vị trí trong danh sách (nhỏ trước)."},
        "template": {"type": "string", "default": "template.docx"},
        "example": {"type": "string", "default": "example.json"},
        "parts": {"type": "array", "items": {"enum": list(d.PARTS)}, "uniqueItems": True},
        "part_options": {
            "type": "object", "propertyNames": {"enum": list(d.PARTS)},
            "description": "Nhãn, gợi ý, số mục (addressees, basis, recipients) và vị trí "
                           "(after: sau trường riêng nào) của một phần dùng chung.",
            "additionalProperties": {
                "type": "object", "additionalProperties": False,
                "properties": {"label": _KEYS["label"], "hint": _KEYS["hint"],
                               "min_items": _KEYS["min_items"],
                               "max_items": _KEYS["max_items"], "after": _NAME}}},
        "hooks": {"type": "object", "properties": {k: {"type": "string"} for k in d.HOOKS},
                  "additionalProperties": False,
                  "description": "Chỉ gói đi kèm docgen: mã chương trình đã đăng ký."},
        "fields": {"type": "object", "propertyNames": _NAME,
                   "additionalProperties": {"$ref": "#/$defs/field"}},
        "rules": {"type": "array", "items": {"oneOf": rules}},
        "derived": {"type": "object", "propertyNames": _NAME,
                    "additionalProperties": {"oneOf": derived}},
    }
    assert list(top) == list(d._TOP_KEYS)  # the vocabulary and the schema say the same
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://docgen.local/schemas/pack.schema.json",
        "title": "Khai báo loại văn bản docgen (type.toml)",
        "type": "object",
        "properties": top,
        "required": ["id", "name", "type_code"],
        "additionalProperties": False,
        "$defs": {"field": _field_schema(d.FIELD_KINDS, "column"),
                  "column": _field_schema(d.SCALAR_KINDS, "column")},
    }


def pack_schema_text() -> str:
    """The committed text of ``docgen/catalog/pack.schema.json``."""
    return json.dumps(pack_schema(), ensure_ascii=False, indent=2) + "\n"
