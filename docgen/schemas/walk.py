"""One walk over a document schema: a tree of immutable field descriptions.

Three readers need to know a document's fields — the JSON Schema (and through it
the OpenAPI limits), the clerk's form, and the batch sheet's columns. Each used
to walk Marshmallow's internals on its own (``isinstance`` chains, validators,
``load_default``), so a limit or a kind added for one was silently missing in
the others. Here the walk happens once, and everything those readers need is
said by a :class:`FieldSpec`::

    FieldSpec(name="members", title="Thành viên Đoàn kiểm tra", kind="list",
              required=True, min_items=1, max_items=30,
              item=FieldSpec(name="members", kind="object", children=(...)))

The tree does not say where it came from: it is read from the Marshmallow
schemas (:func:`describe_schema`), and a document type declared as data (a pack's
``type.toml``, :mod:`docgen.catalog`) gets the same tree because its schema is
built from docgen's own field classes — with the kinds a declaration adds:
paragraphs, decimal, money, percent and table (rows of typed columns). Readers
therefore dispatch on :attr:`FieldSpec.kind`, never on the Marshmallow class, and
refuse a kind they do not know by name (:class:`UnknownKindError`) — a new kind
is one new branch in each reader, not a new walker.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from marshmallow import Schema, fields

from docgen.schemas.fields import (
    Choice,
    Date,
    DateTime,
    Decimal,
    Integer,
    Length,
    Money,
    Paragraphs,
    Percent,
    Range,
    Table,
    Text,
)

#: What a field holds; readers refuse kinds they do not know with :class:`UnknownKindError`.
#: "table" is a list whose item is an object of scalar columns (a pack's rows).
Kind = Literal["text", "paragraphs", "choice", "integer", "decimal", "money", "percent",
               "date", "datetime", "object", "list", "table"]

KINDS: tuple[Kind, ...] = ("text", "paragraphs", "choice", "integer", "decimal", "money",
                           "percent", "date", "datetime", "object", "list", "table")


class _NoDefault(enum.Enum):
    NO_DEFAULT = "no default"

    def __repr__(self) -> str:
        return "NO_DEFAULT"


#: A field without a default (``None`` is a real default: "null unless given").
NO_DEFAULT = _NoDefault.NO_DEFAULT


class UnknownKindError(TypeError):
    """A schema field (or a declared kind) the walker or a reader has no mapping for.

    A programming error in a document type, not a user's: it is a ``TypeError`` so
    it surfaces in tests, and callers that describe foreign fields (apispec's plain
    Marshmallow fields) can skip them.
    """


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One field of a document type, as every reader sees it.

    ``title`` is the Vietnamese label ("" when the schema gives none, as for the
    object inside a list); :attr:`label` falls back to the name. Limits not set
    are ``None``; ``choices`` pairs each value with its Vietnamese label, in order.
    """

    name: str
    kind: Kind
    title: str = ""
    description: str = ""
    required: bool = False
    nullable: bool = False
    #: text and choice
    max_length: int | None = None
    allow_blank: bool = True
    #: integer, decimal, money, percent
    minimum: int | float | None = None
    maximum: int | float | None = None
    #: decimal and percent: digits allowed after the decimal point
    places: int | None = None
    #: list
    min_items: int | None = None
    max_items: int | None = None
    #: choice: (value, label) pairs
    choices: tuple[tuple[str, str], ...] = ()
    #: The value used when the key is left out; ``()`` for "an empty list".
    default: Any = NO_DEFAULT
    #: object: the fields in page order
    children: tuple[FieldSpec, ...] = ()
    #: list: what one item is
    item: FieldSpec | None = None
    #: The Marshmallow field that loads this value (for readers that load one value alone).
    field: fields.Field | None = field(default=None, compare=False, repr=False)

    @property
    def label(self) -> str:
        """The Vietnamese title, or the field name when there is none."""
        return self.title or self.name

    @property
    def has_default(self) -> bool:
        return self.default is not NO_DEFAULT

    def child(self, name: str) -> FieldSpec | None:
        """The child called ``name`` of an object, or None."""
        return next((c for c in self.children if c.name == name), None)

    @property
    def choice_labels(self) -> dict[str, str]:
        """``choices`` as a value -> label mapping."""
        return dict(self.choices)


# --- from Marshmallow ------------------------------------------------------------------


def _validator(f: fields.Field, kind: type) -> Any:
    return next((v for v in f.validators if isinstance(v, kind)), None)


def _default(f: fields.Field) -> Any:
    default = f.load_default
    if default is fields.missing_:
        return NO_DEFAULT
    if default is list:  # ``load_default=list``: a fresh empty list each time
        return ()
    if callable(default):  # another factory: no value to state
        return NO_DEFAULT
    return default


def _kind_and_limits(name: str, f: fields.Field) -> dict[str, Any]:
    if isinstance(f, Choice):  # before Text: a Choice is a Text
        return {"kind": "choice", "choices": tuple(f.choices.items()),
                "max_length": f.max_length, "allow_blank": f.allow_blank}
    if isinstance(f, Paragraphs):  # before Text: paragraphs are Text
        return {"kind": "paragraphs", "max_length": f.max_length, "allow_blank": f.allow_blank}
    if isinstance(f, Text):
        return {"kind": "text", "max_length": f.max_length, "allow_blank": f.allow_blank}
    if isinstance(f, Money):  # before Integer
        return {"kind": "money"}
    if isinstance(f, Integer):
        return {"kind": "integer"}
    if isinstance(f, Percent):  # before Decimal
        return {"kind": "percent", "places": f.places}
    if isinstance(f, Decimal):
        return {"kind": "decimal", "places": f.places}
    if isinstance(f, DateTime):
        return {"kind": "datetime"}
    if isinstance(f, Date):
        return {"kind": "date"}
    if isinstance(f, Table):  # before List
        return {"kind": "table", "item": describe_field(name, f.inner)}
    if isinstance(f, fields.List):
        return {"kind": "list", "item": describe_field(name, f.inner)}
    if isinstance(f, fields.Nested):
        return {"kind": "object", "children": _children(f.schema)}  # the bound instance
    raise UnknownKindError(f"no field kind for {type(f).__name__} ({name})")


def _plain(bound: Any) -> int | float | None:
    """A Range bound as JSON writes it (a Decimal bound of a percent becomes 100 or 2.5)."""
    if bound is None or isinstance(bound, int):
        return bound
    as_float = float(bound)
    return int(as_float) if as_float.is_integer() else as_float


def describe_field(name: str, f: fields.Field) -> FieldSpec:
    """The description of one Marshmallow field called ``name`` (not cached)."""
    spec: dict[str, Any] = _kind_and_limits(name, f)
    bounds = _validator(f, Range)
    if bounds is not None:
        spec.update(minimum=_plain(bounds.min), maximum=_plain(bounds.max))
    length = _validator(f, Length)
    if length is not None:
        spec.update(min_items=length.min, max_items=length.max)
    return FieldSpec(
        name=name,
        title=str(f.metadata.get("title", "")),
        description=str(f.metadata.get("description", "")),
        required=bool(f.required),
        nullable=bool(f.allow_none),
        default=_default(f),
        field=f,
        **spec,
    )


def _children(schema: Schema) -> tuple[FieldSpec, ...]:
    return tuple(describe_field(name, f) for name, f in schema.fields.items())


@functools.cache
def _describe_class(schema_class: type[Schema]) -> FieldSpec:
    return FieldSpec(name="", kind="object", required=True, children=_children(schema_class()))


def describe_schema(schema: type[Schema] | Schema) -> FieldSpec:
    """The root (kind ``object``, name ``""``) of a document schema's field tree.

    Cached per schema class: the form page, the JSON Schema and every batch sheet
    ask for the same few trees again and again. An instance narrowed with
    ``only``/``exclude`` beyond its class is walked as it is, uncached.
    """
    if isinstance(schema, type):
        return _describe_class(schema)
    schema_class = type(schema)
    if schema.only is None and set(schema.exclude) == set(schema_class.opts.exclude):
        return _describe_class(schema_class)
    return FieldSpec(name="", kind="object", required=True, children=_children(schema))


def iter_specs(spec: FieldSpec) -> Iterator[FieldSpec]:
    """Every description under ``spec`` (depth first, list items included), ``spec`` first."""
    yield spec
    for child in spec.children:
        yield from iter_specs(child)
    if spec.item is not None:
        yield from iter_specs(spec.item)


__all__ = [
    "KINDS",
    "NO_DEFAULT",
    "FieldSpec",
    "Kind",
    "UnknownKindError",
    "describe_field",
    "describe_schema",
    "iter_specs",
]
