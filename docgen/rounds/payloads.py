"""The document payloads a round's operations take, as the OpenAPI document describes them.

Some bodies are a whole document payload: the decision (``PUT …/decision``), the plan a
round is made from (``POST /rounds/from-plan``). They are documented by reference to the
type's own component. Others are a payload less what the round writes itself:

- ``PUT …/plan``: a plan whose ``units`` (and, then, ``agency`` and ``year``) the round
  supplies — :data:`ROUND_PLAN`;
- ``POST …/letters``: a letter without ``units`` (the round lists the units), its
  ``agency``, ``addressees`` and ``deadline`` defaulted — :data:`ROUND_LETTER`;
- ``POST /rounds/report`` (nothing stored): a report without ``counts``, which the unit
  list gives — :data:`REPORT_WITHOUT_COUNTS`;
- ``POST …/notices``: the common fields of a notice; the unit's parts (its name, the
  minutes' date and findings, the assessment, the corrections) come from its minutes —
  :data:`ROUND_NOTICE`.

Each is a schema *derived* from the type loaded now (:func:`derived_schema`): the type's
fields, those the round writes left out, those it defaults made optional, and every one of
those saying what the round fills in. These schemas document, they do not validate: the
workflow (:mod:`docgen.rounds.workflow`) fills the payload in and validates the whole of
it with the type's own schema (``Renderer.validate``), so a limit the type states is the
limit enforced, and the derived schema states the same limits.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from marshmallow import Schema

__all__ = ["DERIVED", "REPORT_WITHOUT_COUNTS", "ROUND_LETTER", "ROUND_NOTICE", "ROUND_PLAN", "Derived", "derived",
           "derived_example", "derived_schema"]

ROUND_PLAN = "RoundPlan"
ROUND_LETTER = "RoundLetter"
ROUND_NOTICE = "RoundNotice"
REPORT_WITHOUT_COUNTS = "ReportWithoutCounts"


@dataclass(frozen=True)
class Derived:
    """A document type's payload less what the round writes.

    ``absent``: fields the round always writes (left out of the body; their name -> what
    the round puts there). ``filled``: fields the round fills in when the body leaves them
    out (made optional, whatever the type says) -> how. ``noted``: fields kept as the type
    has them, with a word on what the round does with them.
    """

    name: str
    doc_type: str
    description: str
    absent: Mapping[str, str]
    filled: Mapping[str, str]
    noted: Mapping[str, str] = field(default_factory=dict)


DERIVED: tuple[Derived, ...] = (
    Derived(
        ROUND_PLAN, "plan",
        "A `plan` payload kept with the round (`PUT /api/v1/rounds/{round_id}/plan`): the "
        "plan's fields, `units` optional — left out, the round's units go in, and "
        "`agency`/`year` default to the round's. The filled-in plan is validated as a "
        "`plan`.",
        absent={},
        filled={
            "units": "Default: the round's units (name, mode, scheduled date), in their "
                     "order. When given, they must be the round's: as many, with the same "
                     "names and modes (422 `plan_unit_mismatch`).",
            "agency": "Default, when `units` is left out: the round's issuer.",
            "year": "Default, when `units` is left out: the round's year.",
        }),
    Derived(
        ROUND_LETTER, "letter",
        "The text of the letters (công văn) to the round's by-report units "
        "(`POST /api/v1/rounds/{round_id}/letters`): a `letter` payload without `units` — "
        "the round lists the units (`grouping=list`) or writes one letter per unit "
        "(`grouping=each`). Each letter, filled in, is validated as a `letter`.",
        absent={"units": "The round's chosen units with `grouping=list`; none with "
                         "`grouping=each` (the unit is the addressee)."},
        filled={
            "agency": "Default: the round's issuer.",
            "addressees": "With `grouping=list`, default «Các cơ quan, đơn vị có tên trong "
                          "danh sách kèm theo»; with `grouping=each` always the unit's name "
                          "(what is sent here is not used).",
            "deadline": "Default: the round's due date (with `grouping=each`, the unit's "
                        "own due date first). Needed when the round has none.",
        }),
    Derived(
        ROUND_NOTICE, "notice",
        "The common fields of the notices of results (thông báo kết quả kiểm tra) to the "
        "round's on-site units (`POST /api/v1/rounds/{round_id}/notices`): a `notice` "
        "payload without the unit's parts, which the round writes from the unit's minutes. "
        "Each notice, filled in, is validated as a `notice`.",
        absent={
            "unit_name": "The unit's name.",
            "minutes_ref": "«Biên bản kiểm tra ngày … của Đoàn kiểm tra tại <unit>», from "
                           "the minutes.",
            "inspected_on": "The minutes' date.",
            "findings": "One per aspect the minutes have findings on, `dat` unless the "
                        "unit's `not_met` (in `units`) names it.",
            "general": "The unit's `general` (in `units`), else the minutes' conclusion.",
            "nonconformities": "The unit's `nonconformities` (in `units`), else one per "
                               "request of the minutes, to correct by `report_deadline`.",
        },
        filled={
            "summary": "Default: «Kết quả kiểm tra việc áp dụng, duy trì và cải tiến Hệ "
                       "thống quản lý chất lượng tại <unit>».",
            "agency": "Default: the round's issuer.",
            "decision_ref": "Default: the round's decision (`PUT …/decision`): its number, "
                            "date, decider and subject. Needed when the round has none.",
        },
        noted={"recipients": "The unit is put first (once); these follow."}),
    Derived(
        REPORT_WITHOUT_COUNTS, "report",
        "The report of `POST /api/v1/rounds/report` (nothing stored): a `report` payload "
        "without `counts`, which are computed from the request's `units`. The report, "
        "counts added, is validated as a `report`.",
        absent={"counts": "Planned, on-site, integrated, not inspected and by-report units, "
                          "counted from `units`."},
        filled={}),
)


def derived(name: str) -> Derived:
    return next(d for d in DERIVED if d.name == name)


def _with_note(original: Any, note: str) -> str:
    return note + (f" — {original}" if original else "")


def derived_schema(spec: Derived) -> type[Schema]:
    """The Marshmallow schema documenting ``spec``, made from the type loaded now."""
    from docgen.catalog import get_type
    from docgen.schemas.base import BaseSchema

    base = get_type(spec.doc_type).schema
    fields: dict[str, Any] = {}
    for name, original in base._declared_fields.items():
        if name in spec.absent:
            continue
        made = copy.deepcopy(original)
        if name in spec.filled:
            made.required = False
        note = spec.filled.get(name) or spec.noted.get(name)
        if note:
            made.metadata = {**made.metadata,
                             "description": _with_note(made.metadata.get("description"), note)}
        fields[name] = made
    return BaseSchema.from_dict(fields, name=f"{spec.name}Schema")


def derived_example(spec: Derived, example: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The type's example less what the round writes or fills in: a body to start from."""
    if example is None:
        return None
    return {k: copy.deepcopy(v) for k, v in example.items()
            if k not in spec.absent and k not in spec.filled}
