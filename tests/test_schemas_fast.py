"""The validation fast path (docgen.schemas._fast) gives what marshmallow gives.

Valid payloads take the fast path; the result must equal ``schema.load``'s, type
for type. Invalid ones must never come out of it: they go to marshmallow, whose
errors the rest of the suite checks path by path.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import marshmallow
import pytest

from docgen.catalog import get_type
from docgen.rendering import _schema
from docgen.schemas._fast import Invalid, fast_loader
from docgen.schemas.base import BaseSchema, load_payload
from docgen.schemas.fields import Text

ROOT = Path(__file__).resolve().parent.parent
TYPES = ["minutes", "plan", "decision", "report"]


def example(doc_type: str) -> dict[str, Any]:
    return json.loads((ROOT / "schemas" / "examples" / f"{doc_type}.json").read_text("utf-8"))


def same(a: Any, b: Any) -> bool:
    """Equal and of the same types all the way down (a dict is not an OrderedDict)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


@pytest.mark.parametrize("doc_type", TYPES)
def test_fast_path_equals_marshmallow_on_every_example(doc_type: str) -> None:
    schema = _schema(get_type(doc_type))
    data = example(doc_type)
    assert same(fast_loader(schema)(copy.deepcopy(data)), schema.load(copy.deepcopy(data)))


def test_fast_path_normalises_as_the_fields_do() -> None:
    schema = _schema(get_type("plan"))
    data = example("plan")
    data["units"] = [
        {"name": "  UBND xa\u0300 Mỹ Tú\r\n", "mode": "on_site", "scheduled_on": "2017-10-12"},
        {"name": "Sở KH&CN", "mode": "by_report"},  # scheduled_on missing: its load_default
    ]
    fast = fast_loader(schema)(copy.deepcopy(data))
    assert same(fast, schema.load(copy.deepcopy(data)))
    assert fast["units"][0]["name"] == "UBND xà Mỹ Tú"
    assert fast["units"][1]["scheduled_on"] is None


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda d: d.update(extra=1), "extra"),  # unknown field
        (lambda d: d.pop("agency"), "agency"),  # required missing
        (lambda d: d["units"].append({"name": "", "mode": "on_site"}), "units[1].name"),
        (lambda d: d["units"].append({"name": "x", "mode": "khác"}), "units[1].mode"),
        (lambda d: d.update(units="không phải danh sách"), "units"),
        (lambda d: d["units"].append("không phải đối tượng"), "units[1]"),
        (lambda d: d.update(budget_amount=-1), "budget_amount"),
        (lambda d: d.update(budget_amount=True), "budget_amount"),
        (lambda d: d.update(contents=[]), "contents"),  # a list validator (Length)
        (lambda d: d["agency"].update(code="có dấu cách"), "agency.code"),  # a schema validator
    ],
)
def test_invalid_payloads_never_pass_the_fast_path(change: Any, path: str) -> None:
    schema = _schema(get_type("plan"))
    data = example("plan")
    data["units"] = data["units"][:1]
    change(data)
    with pytest.raises((Invalid, marshmallow.ValidationError)):
        fast_loader(schema)(copy.deepcopy(data))
    with pytest.raises(Exception) as caught:
        load_payload(schema, data)
    assert path in [error.path for error in caught.value.errors]  # type: ignore[attr-defined]


def test_a_schema_with_load_hooks_is_left_to_marshmallow() -> None:
    class Hooked(BaseSchema):
        name = Text(required=True)

        @marshmallow.post_load
        def _tag(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
            return {**data, "tagged": True}

    schema = Hooked()
    assert fast_loader(schema)({"name": " A "}) == {"name": "A", "tagged": True}
    assert load_payload(schema, {"name": " A "}) == {"name": "A", "tagged": True}


@pytest.mark.parametrize("doc_type", ["minutes", "plan", "decision", "approval", "notice", "letter"])
def test_a_valid_payload_never_reaches_marshmallows_load(doc_type: str, monkeypatch) -> None:
    # docgen's bounded List once had its own _deserialize, which this walker did not know:
    # every list (and the rows inside it) went back to marshmallow, a 2.7x slower load
    schema = _schema(get_type(doc_type))
    data = example(doc_type) if doc_type in TYPES else json.loads(
        (ROOT / "templates" / doc_type / "example.json").read_text("utf-8"))
    loads: list[str] = []
    original = marshmallow.Schema._do_load

    def counted(self: marshmallow.Schema, *args: Any, **kwargs: Any) -> Any:
        loads.append(type(self).__name__)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(marshmallow.Schema, "_do_load", counted)
    fast_loader(schema)(copy.deepcopy(data))
    assert loads == []


def test_a_list_past_its_bound_leaves_the_fast_path() -> None:
    schema = _schema(get_type("minutes"))
    data = example("minutes")
    data["members"] = data["members"] * 1000
    with pytest.raises(Invalid):
        fast_loader(schema)(data)
