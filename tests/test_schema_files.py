"""The committed JSON Schemas are generated from the Marshmallow schemas, and stay so."""

from __future__ import annotations

import json

import pytest

from docgen.cli.documents import SCHEMA_DIR, schema_text

from .conftest import DOC_TYPES, load_example


@pytest.mark.parametrize("doc_type", DOC_TYPES)
def test_committed_schema_has_not_drifted(doc_type):
    committed = (SCHEMA_DIR / f"{doc_type}.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(doc_type), (
        f"schemas/{doc_type}.schema.json is stale: run `make schemas` and commit the result"
    )


def _titled(node, path="$"):
    """Yield the path of every property that has no Vietnamese title."""
    for name, prop in node.get("properties", {}).items():
        if not prop.get("title"):
            yield f"{path}.{name}"
        yield from _titled(prop, f"{path}.{name}")
        if "items" in prop:
            yield from _titled(prop["items"], f"{path}.{name}[]")


@pytest.mark.parametrize("doc_type", DOC_TYPES)
def test_every_field_has_a_title(doc_type):
    schema = json.loads(schema_text(doc_type))
    assert list(_titled(schema)) == []


@pytest.mark.parametrize("doc_type", DOC_TYPES)
def test_example_uses_only_schema_fields(doc_type):
    """The example's keys are all declared (additionalProperties is false)."""
    schema = json.loads(schema_text(doc_type))
    assert schema["additionalProperties"] is False
    assert set(load_example(doc_type)) <= set(schema["properties"])
    assert set(schema["required"]) <= set(load_example(doc_type))
