"""A fast path through a schema for payloads that are valid — the common case.

Marshmallow spends most of a load on its own bookkeeping: an error store, a
closure and a ``_call_and_store`` per field, hook look-ups per object. For a
2,000-unit plan that is most of the time, while the fields' own work (NFC,
trimming, the date parser) is a small part. :func:`fast_loader` walks the same
schema objects directly — each field's own ``deserialize``, each List and Nested
unrolled, each ``@validates_schema`` method called as marshmallow calls it — and
gives up at the first error. The caller then runs ``schema.load`` from the
start, so every error, path, code and message comes from marshmallow itself,
exactly as before; only a valid payload takes the short way.

Anything this walker does not know to reproduce (load hooks, ``@validates`` on a
field, a partial or non-RAISE unknown option, a List or Nested whose
``_deserialize`` someone overrode) is handed to the field's own ``deserialize``
(or, for a whole schema, to ``schema.load``), so an unknown case costs speed,
never a difference in the result.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping
from typing import Any

from marshmallow import RAISE, Schema, fields
from marshmallow.decorators import POST_LOAD, PRE_LOAD, VALIDATES, VALIDATES_SCHEMA
from marshmallow.utils import is_collection, missing

from docgen.schemas import fields as docgen_fields

__all__ = ["Invalid", "fast_loader"]

Loader = Callable[[Any], Any]
#: Loads one field's value: (value, data key, the object holding it).
FieldLoader = Callable[[Any, Any, Any], Any]


class Invalid(Exception):
    """The payload is not valid (or not plainly so): run the full marshmallow load."""


#: Lists this walker unrolls: marshmallow's, and docgen's bounded List (its count check
#: before the items is :func:`_list_loader`'s ``max_items``). A List with any other
#: ``_deserialize`` is loaded by its own ``deserialize``.
_LIST_DESERIALIZES = frozenset({fields.List._deserialize, docgen_fields.List._deserialize})
_NESTED_DESERIALIZE = fields.Nested._deserialize
_LOADERS: weakref.WeakKeyDictionary[Schema, Loader] = weakref.WeakKeyDictionary()


def fast_loader(schema: Schema) -> Loader:
    """The fast load of ``schema`` (built once per schema instance).

    The loader returns what ``schema.load(data)`` returns for valid ``data`` and
    raises :class:`Invalid` for anything else — including marshmallow's own
    ValidationError, which it never lets through with its partial messages.
    """
    loader = _LOADERS.get(schema)
    if loader is None:
        loader = _LOADERS[schema] = _schema_loader(schema)
    return loader


def _schema_loader(schema: Schema) -> Loader:
    if not _walkable(schema):
        return _full_load(schema)
    steps = tuple(
        (
            field.data_key if field.data_key is not None else name,
            field.attribute or name,
            _field_loader(field),
        )
        for name, field in schema.load_fields.items()
    )
    known = frozenset(data_key for data_key, _attribute, _load in steps)
    validators = tuple(
        getattr(schema, attr_name) for attr_name, _many, _kwargs in schema._hooks[VALIDATES_SCHEMA]
    )
    dict_class = schema.dict_class

    def load(data: Any) -> Any:
        if not isinstance(data, Mapping) or not known.issuperset(data):
            raise Invalid
        result = dict_class()
        get = data.get
        for data_key, attribute, load_field in steps:
            value = load_field(get(data_key, missing), data_key, data)
            if value is not missing:
                result[attribute] = value
        for validator in validators:
            validator(result, partial=None, many=False, unknown=RAISE)
        return result

    return load


def _walkable(schema: Schema) -> bool:
    """Whether ``_schema_loader`` reproduces ``schema.load`` for valid data exactly."""
    hooks = schema._hooks
    if hooks[PRE_LOAD] or hooks[POST_LOAD] or hooks[VALIDATES] or schema.many:
        return False
    if schema.unknown != RAISE or schema.partial:
        return False
    if any(field.attribute and "." in field.attribute for field in schema.load_fields.values()):
        return False
    return all(
        not many and not kwargs.get("pass_original") for _name, many, kwargs in
        hooks[VALIDATES_SCHEMA]
    )


def _full_load(schema: Schema) -> Loader:
    def load(data: Any) -> Any:
        return schema.load(data)

    return load


def _field_loader(field: fields.Field) -> FieldLoader:
    """How to load one field's value: List and Nested unrolled, any other field as is."""
    if _plain(field) and type(field)._deserialize in _LIST_DESERIALIZES:
        return _list_loader(field)  # type: ignore[arg-type]
    if _plain(field) and type(field)._deserialize is _NESTED_DESERIALIZE:
        return _nested_loader(field)  # type: ignore[arg-type]
    if _plain(field):
        return _leaf_loader(field)
    return field.deserialize


def _plain(field: fields.Field) -> bool:
    """No per-field load hooks, and the stock ``deserialize`` around ``_deserialize``."""
    return (
        not field.pre_load
        and not field.post_load
        and type(field).deserialize is fields.Field.deserialize
    )


def _leaf_loader(field: fields.Field) -> FieldLoader:
    """``field.deserialize`` for a present, non-null value, without its bookkeeping.

    ``Field.deserialize`` checks missing and null (nothing to check for a value
    that is neither), calls ``_deserialize``, then the validators: the same here.
    """
    deserialize = field._deserialize
    validators = tuple(field.validators)

    def load(value: Any, data_key: str, data: Any) -> Any:
        if value is missing or value is None:
            return field.deserialize(value, data_key, data)  # default, required, null
        result = deserialize(value, data_key, data)
        for validator in validators:
            if validator(result) is False:
                raise Invalid
        return result

    return load


def _list_loader(field: fields.List) -> FieldLoader:
    inner = field.inner
    load_item: Callable[[Any], Any]
    if _plain(inner) and type(inner)._deserialize is _NESTED_DESERIALIZE:
        load_item = _nested_item_loader(inner)  # type: ignore[arg-type]
    elif _plain(inner):
        leaf = _leaf_loader(inner)

        def load_item(value: Any) -> Any:
            return leaf(value, None, None)
    else:
        load_item = inner.deserialize

    max_items = getattr(field, "max_items", None)

    def load(value: Any, data_key: str, data: Any) -> Any:
        if value is missing or value is None:
            return field.deserialize(value, data_key, data)  # default, required, null
        if not is_collection(value):
            raise Invalid
        if max_items is not None and isinstance(value, list | tuple) and len(value) > max_items:
            raise Invalid  # too_many_items, from the full load
        result = [load_item(item) for item in value]
        _validate(field, result)
        return result

    return load


def _nested_loader(field: fields.Nested) -> FieldLoader:
    load_item = _nested_item_loader(field)

    def load(value: Any, data_key: str, data: Any) -> Any:
        if value is missing or value is None:
            return field.deserialize(value, data_key, data)  # default, required, null
        return load_item(value)

    return load


def _nested_item_loader(field: fields.Nested) -> Callable[[Any], Any]:
    """A present value through the nested schema's own fast loader, then the field's validators.

    The nested schema's loader is looked up at the first value, not when the
    parent is built, so a schema nesting itself does not recurse forever.
    """
    if field.many or field.unknown not in (None, RAISE):
        return field.deserialize
    validators = tuple(field.validators)
    resolved: list[Loader] = []

    def load(value: Any) -> Any:
        if not resolved:
            resolved.append(fast_loader(field.schema))
        result = resolved[0](value)
        for validator in validators:
            if validator(result) is False:
                raise Invalid
        return result

    return load


def _validate(field: fields.Field, value: Any) -> None:
    """The field's validators, as ``Field._validate`` runs them (False fails too)."""
    for validator in field.validators:
        if validator(value) is False:
            raise Invalid
