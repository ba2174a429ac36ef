"""The one schema walker (docgen.schemas.walk): Marshmallow fields -> field descriptions.

A table of fields, each with the description every reader (JSON Schema, form,
batch) takes from it. Rows that guard an easy mistake carry a comment.
"""

from __future__ import annotations

import dataclasses

import marshmallow as ma
import pytest

from docgen.batch import schema_tree
from docgen.batch._fields import iter_leaves, path_text
from docgen.catalog import DOCUMENT_TYPES
from docgen.schemas.common import (
    AUTHORITIES,
    AgencySchema,
    DocumentSchema,
    SignerSchema,
    nested_list,
    optional_text,
    text_field,
    text_list,
    year_field,
)
from docgen.schemas.fields import Choice, Date, DateTime, Integer, Nested, Range
from docgen.schemas.jsonschema import spec_schema
from docgen.schemas.walk import (
    NO_DEFAULT,
    FieldSpec,
    UnknownKindError,
    describe_field,
    describe_schema,
    iter_specs,
)

#: The team's roles as the minutes and the decision declare them (templates/*/type.toml).
ROLES = {"truong_doan": "Trưởng đoàn", "pho_doan": "Phó Trưởng đoàn",
         "thanh_vien": "Thành viên", "thu_ky": "Thư ký"}
#: The minutes' schema and its team member rows, built from templates/minutes/type.toml.
MinutesSchema = DOCUMENT_TYPES["minutes"].schema
TeamMemberSchema = MinutesSchema._declared_fields["members"].inner.nested
from docgen.web import formgen

from .conftest import DOC_TYPES

NAME_100 = text_field("Họ và tên", max_length=100)

FIELDS: list[tuple[ma.fields.Field, FieldSpec]] = [
    # a required text: blank refused (allow_blank follows required), no default
    (NAME_100, FieldSpec("f", "text", title="Họ và tên", required=True, max_length=100,
                         allow_blank=False)),
    # optional text defaults to "" (templates test it), and "" is allowed
    (text_field("Cơ quan chủ quản", required=False, description="Ví dụ: UBND tỉnh."),
     FieldSpec("f", "text", title="Cơ quan chủ quản", description="Ví dụ: UBND tỉnh.",
               max_length=500, default="")),
    # optional_text: null allowed and the default is None — a real default, not "none"
    (optional_text("Lý do"), FieldSpec("f", "text", title="Lý do", nullable=True,
                                       max_length=500, default=None)),
    # a Choice is a Text underneath: it must come out as "choice", labels in order
    (Choice(ROLES, required=True, metadata={"title": "Nhiệm vụ trong Đoàn"}),
     FieldSpec("f", "choice", title="Nhiệm vụ trong Đoàn", required=True, max_length=100,
               allow_blank=False, choices=tuple(ROLES.items()))),
    # the empty value "" is one of the choices (Ký trực tiếp) and the default
    (SignerSchema().fields["authority"],
     FieldSpec("f", "choice", title="Thẩm quyền ký",
               description="TM., KT., TL., TUQ., Q. hoặc để trống.", max_length=100,
               choices=tuple(AUTHORITIES.items()), default="")),
    (year_field(), FieldSpec("f", "integer", title="Năm kiểm tra", required=True,
                             minimum=2000, maximum=2100)),
    # a Range with one bound states only that bound
    (Integer(validate=Range(min=1)), FieldSpec("f", "integer", minimum=1)),
    (DocumentSchema().fields["number"],
     FieldSpec("f", "integer", title="Số văn bản",
               description="Số thứ tự trong năm; để trống để văn thư điền khi đăng ký.",
               nullable=True, minimum=1, maximum=99999, default=None)),
    (Date(required=True, metadata={"title": "Ngày"}),
     FieldSpec("f", "date", title="Ngày", required=True)),
    (DateTime(), FieldSpec("f", "datetime")),
    # a list with no minimum is optional and defaults to an empty list (load_default=list)
    (text_list("Nơi nhận", max_items=50),
     FieldSpec("f", "list", title="Nơi nhận", min_items=0, max_items=50, default=(),
               item=FieldSpec("f", "text", title="Nơi nhận", required=True,
                              max_length=2000, allow_blank=False))),
    # min_items >= 1 makes the list required and leaves it without a default
    (text_list("Kính gửi", min_items=1, max_items=10),
     FieldSpec("f", "list", title="Kính gửi", required=True, min_items=1, max_items=10,
               item=FieldSpec("f", "text", title="Kính gửi", required=True,
                              max_length=2000, allow_blank=False))),
]


@pytest.mark.parametrize(("field", "expected"), FIELDS)
def test_field_descriptions(field: ma.fields.Field, expected: FieldSpec) -> None:
    got = describe_field("f", field)
    assert got == expected
    assert got.field is field  # kept for loading, left out of equality


def test_objects_and_lists_of_objects() -> None:
    agency = describe_field("agency", Nested(AgencySchema, required=True,
                                             metadata={"title": "Cơ quan ban hành"}))
    assert (agency.kind, agency.title, agency.required) == ("object", "Cơ quan ban hành", True)
    assert [(c.name, c.kind, c.required) for c in agency.children] == [
        ("parent_name", "text", False), ("name", "text", True), ("code", "text", True),
        ("place", "text", True), ("level", "choice", False)]
    assert agency.child("code") is not None and agency.child("code").max_length == 30  # type: ignore[union-attr]
    members = describe_field("members", nested_list(TeamMemberSchema, "Thành viên", max_items=30))
    assert (members.kind, members.required, members.min_items, members.max_items) == (
        "list", True, 1, 30)
    assert members.item is not None
    # the object inside the list has no title of its own; its label falls back to the name
    assert (members.item.kind, members.item.title, members.item.label) == (
        "object", "", "members")
    assert [c.name for c in members.item.children] == ["full_name", "position", "unit", "role"]


def test_unknown_field_is_named() -> None:
    with pytest.raises(UnknownKindError, match=r"Boolean \(flag\)"):
        describe_field("flag", ma.fields.Boolean())
    assert issubclass(UnknownKindError, TypeError)  # apispec's plain fields are skipped on it


def test_descriptions_are_immutable_and_cached_per_class() -> None:
    root = describe_schema(MinutesSchema)
    assert root is describe_schema(MinutesSchema())  # an instance shares its class's tree
    assert (root.kind, root.name, root.required) == ("object", "", True)
    with pytest.raises(dataclasses.FrozenInstanceError):
        root.children[0].title = "x"  # type: ignore[misc]
    assert isinstance(root.children, tuple)
    narrowed = describe_schema(MinutesSchema(exclude=("members",)))
    assert narrowed is not root and narrowed.child("members") is None
    assert root.child("members") is not None


def test_no_default_is_not_none() -> None:
    assert describe_field("f", NAME_100).default is NO_DEFAULT
    assert not describe_field("f", NAME_100).has_default
    assert describe_field("f", optional_text("x")).has_default


def _form_leaves(nodes: tuple[formgen.Node, ...], prefix: str = "") -> list[str]:
    out: list[str] = []
    for node in nodes:
        path = formgen.join(prefix, node.key)
        if isinstance(node, formgen.Group):
            out += _form_leaves(node.children, path)
        elif isinstance(node, formgen.Repeat):
            item = node.item
            out += (_form_leaves(item.children, f"{path}[0]") if isinstance(item, formgen.Group)
                    else [path])
        else:
            out.append(path)
    return out


def _spec_leaves(spec: FieldSpec, prefix: str = "") -> list[str]:
    out: list[str] = []
    for child in spec.children:
        path = f"{prefix}.{child.name}" if prefix else child.name
        if child.kind == "object":
            out += _spec_leaves(child, path)
        elif child.kind in ("list", "table") and child.item is not None and \
                child.item.kind == "object":
            out += _spec_leaves(child.item, f"{path}[0]")
        else:
            out.append(path)
    return out


@pytest.mark.parametrize("doc_type", DOC_TYPES)
def test_form_batch_and_json_schema_read_the_same_fields(doc_type: str) -> None:
    """The three readers see one field set: the walker's."""
    schema = DOCUMENT_TYPES[doc_type].schema()
    walked = _spec_leaves(describe_schema(schema))
    form = _form_leaves(formgen.form_spec(schema))
    batch = [path_text(p) for p, _ in iter_leaves(schema_tree(schema))]
    assert sorted(form) == sorted(walked) == sorted(batch)
    assert len(walked) > 15
    # and every limit the JSON Schema states is the walker's
    for spec in iter_specs(describe_schema(schema)):
        if spec.kind == "text" and spec.name:
            assert spec_schema(spec)["maxLength"] == spec.max_length
