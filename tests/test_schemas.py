"""Schemas: examples valid, bad input refused with the right path, code and Vietnamese text."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from docgen.errors import UnreadableInputError, ValidationError
from docgen.rendering import Renderer

from .conftest import DOC_TYPES

renderer = Renderer()


def errors_of(doc_type: str, data: object) -> dict[str, str]:
    with pytest.raises(ValidationError) as info:
        renderer.validate(doc_type, data)
    return {e.path: e.code for e in info.value.errors}


@pytest.mark.parametrize("doc_type", DOC_TYPES)
def test_example_is_valid(doc_type, example):
    validated = renderer.validate(doc_type, example(doc_type))
    assert validated.data["agency"]["code"]
    assert isinstance(validated.data["date"], dt.date)


def test_report_example_is_the_soc_trang_2017_case(example):
    counts = renderer.validate("report", example("report")).data["counts"]
    assert counts == {"planned": 120, "on_site": 46, "integrated": 9, "not_inspected": 1,
                      "by_report": 74}


# (doc_type, overrides, expected path, expected code)
INVALID = [
    ("report", {"counts.by_report": 70}, "counts.by_report", "counts_sum"),
    ("report", {"counts.integrated": 50, "counts.on_site": 46}, "counts.integrated",
     "counts_exceed_on_site"),
    ("report", {"counts.not_inspected": 47}, "counts.not_inspected", "counts_exceed_on_site"),
    ("report", {"counts.planned": -1}, "counts.planned", "out_of_range"),
    ("report", {"counts.planned": "12,5"}, "counts.planned", "invalid"),  # a string, not whole
    ("report", {"counts.planned": "1,200"}, "counts.planned", "ambiguous_number"),  # 1200? 1,2?
    ("report", {"date": "0021-03-09"}, "date", "year_four_digits"),  # printed "năm 21"
    ("report", {"date": "2017-02-31"}, "date", "nonexistent_date"),
    ("report", {"counts.planned": True}, "counts.planned", "invalid"),  # JSON true is not 1
    ("report", {"period_end": "2017-09-01"}, "period_end", "date_order"),
    ("report", {"date": "2017-11-01"}, "date", "date_order"),  # issued before the round ended
    ("report", {"date": "14/12/2017"}, "date", "invalid"),
    ("report", {"findings.0.aspect": "khac"}, "findings[0].aspect", "invalid_choice"),
    ("report", {"addressees": []}, "addressees", "too_few"),
    ("report", {"signer.authority": "KT.", "signer.on_behalf_of": None}, "signer.on_behalf_of",
     "required"),
    ("report", {"signer.authority": "XX."}, "signer.authority", "invalid_choice"),
    ("report", {"agency.code": "S/KHCN"}, "agency.code", "invalid"),
    ("report", {"agency.code": "0.1.0"}, "agency.code", "invalid"),  # found by schemathesis
    ("report", {"agency.code": "_format"}, "agency.code", "invalid"),  # found by schemathesis
    ("report", {"agency.code": "SKHCN TĐC"}, "agency.code", "invalid"),
    ("report", {"summary": "   "}, "summary", "blank"),
    ("report", {"summary": "Báo cáo\x07"}, "summary", "illegal_character"),
    ("report", {"number": 0}, "number", "out_of_range"),
    ("minutes", {"members.1.full_name": ""}, "members[1].full_name", "blank"),
    ("minutes", {"members.2.role": "truong"}, "members[2].role", "invalid_choice"),
    ("minutes", {"ended_at": "2017-10-12T07:00:00"}, "ended_at", "date_order"),
    ("minutes", {"members": []}, "members", "too_few"),
    ("minutes", {"unit": "UBND huyện Mỹ Tú"}, "unit", "invalid_type"),
    ("minutes", {"copies": 0}, "copies", "out_of_range"),
    ("decision", {"members.0.role": "thanh_vien"}, "members", "team_leader_count"),
    ("decision", {"date": "2017-10-01"}, "date", "date_order"),
    ("decision", {"legal_bases": "Căn cứ"}, "legal_bases", "invalid"),
    ("plan", {"units.1.scheduled_on": "2018-01-05"}, "units[1].scheduled_on",
     "date_out_of_period"),
    ("plan", {"units.0.mode": "online"}, "units[0].mode", "invalid_choice"),
    ("plan", {"budget_amount": -5}, "budget_amount", "out_of_range"),
]


@pytest.mark.parametrize(("doc_type", "overrides", "path", "code"), INVALID)
def test_invalid_payload_names_the_field(doc_type, overrides, path, code, example):
    data = example(doc_type, **overrides)
    found = errors_of(doc_type, data)
    assert found.get(path) == code, found


@pytest.mark.parametrize("doc_type", DOC_TYPES)
def test_missing_required_field(doc_type, example):
    data = example(doc_type)
    del data["signer"]["full_name"]
    del data["summary"]
    assert errors_of(doc_type, data) == {"signer.full_name": "required", "summary": "required"}


def test_unknown_fields_are_refused_by_name(example):
    data = example("minutes", extra_field=1)
    data["members"][0]["nickname"] = "Lâu"
    found = errors_of("minutes", data)
    assert found == {"extra_field": "unknown_field", "members[0].nickname": "unknown_field"}


def test_messages_are_vietnamese(example):
    with pytest.raises(ValidationError) as info:
        renderer.validate("report", example("report", **{"counts.by_report": 70}))
    (error,) = info.value.errors
    assert "phải bằng số đơn vị trong kế hoạch" in error.message
    assert "(120)" in error.message


def test_text_is_nfc_and_trimmed(example):
    decomposed = unicodedata.normalize("NFD", "  UBND huyện Mỹ Tú \n")
    assert decomposed.strip() != "UBND huyện Mỹ Tú"  # the input really is decomposed
    data = renderer.validate("minutes", example("minutes", **{"unit.name": decomposed})).data
    assert data["unit"]["name"] == "UBND huyện Mỹ Tú"


def test_on_site_below_one_third_is_a_warning_not_an_error(example):
    data = example("report", **{"counts.on_site": 30, "counts.by_report": 90,
                                "counts.integrated": 5})
    validated = renderer.validate("report", data)
    assert [(w.path, w.code) for w in validated.warnings] == [
        ("counts.on_site", "on_site_below_one_third")
    ]
    assert renderer.validate("report", example("report")).warnings == []


@pytest.mark.parametrize("payload", [[1, 2], "text", None, 5])
def test_payload_must_be_an_object(payload):
    with pytest.raises(UnreadableInputError):
        renderer.validate("report", payload)
