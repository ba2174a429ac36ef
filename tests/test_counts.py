"""Counts in the documents (issue 15, point 6): "1.200" not "1200", one leading-zero
rule in every type, and no sentence about a zero count.

The rule (docgen.vi.format_count, the templates' ``count`` filter): dots between
thousands, two digits below 10 ("09 đơn vị", "02 bản" as the minutes always wrote),
zero left out of sentences. Dates keep DOMAIN.md's rule — day in two digits, month in
two digits only for January and February — in every type (date_line, date_short).
The templates' edit is scripts/template_edits/H_counts.py; its last test runs it on
the templates of the main branch's history to show a re-run changes nothing.
"""

from __future__ import annotations

import doctest
import importlib.util
import zipfile
from pathlib import Path
from typing import Any

import pytest

import docgen.vi.numbers
from docgen import vi

from .conftest import ROOT
from .docx_text import docx_text


@pytest.mark.parametrize(("count", "printed"), [
    (0, "0"),  # a table's zero; sentences leave zero counts out
    (1, "01"),
    (9, "09"),  # Decree 30's numbers below 10, as "02 bản" in the minutes
    (10, "10"),
    (46, "46"),
    (999, "999"),
    (1000, "1.000"),
    (1200, "1.200"),  # not "1200"
    (60_000_000, "60.000.000"),
])
def test_format_count(count: int, printed: str) -> None:
    assert vi.format_count(count) == printed
    assert vi.FILTERS["count"](count) == printed


@pytest.mark.parametrize("bad", [-1, True, 1.5, "9"])
def test_format_count_refuses_what_is_no_count(bad: Any) -> None:
    with pytest.raises((TypeError, ValueError)):
        vi.format_count(bad)


def test_doctests() -> None:
    assert doctest.testmod(docgen.vi.numbers, raise_on_error=True).attempted > 0


def _render(client, doc_type: str, data: dict[str, Any]) -> str:
    response = client.post(f"/api/v1/documents/{doc_type}", json=data)
    assert response.status_code == 200, response.get_json()
    return docx_text(response.data)


def _opening(text: str) -> str:
    return next(line for line in text.splitlines() if line.startswith("Theo Kế hoạch"))


def _counts(example, **counts: int) -> dict[str, Any]:
    data = example("report")
    data["counts"].update(counts)
    return data


def test_report_counts_with_thousands_and_zeros(client, example) -> None:
    text = _render(client, "report", example("report"))
    assert _opening(text) == (
        "Theo Kế hoạch kiểm tra năm 2017, có 120 cơ quan, đơn vị được kiểm tra, trong đó kiểm "
        "tra tại trụ sở 46 đơn vị (chiếm 38,33%) và kiểm tra qua báo cáo 74 đơn vị. Trong số "
        "đơn vị kiểm tra tại trụ sở, có 09 đơn vị được kiểm tra lồng ghép với Đoàn kiểm tra cải "
        "cách hành chính của tỉnh do Sở Nội vụ chủ trì và 01 đơn vị chưa kiểm tra được do chưa "
        "chuẩn bị hồ sơ, tài liệu phục vụ kiểm tra.")
    big = _render(client, "report", _counts(example, planned=1200, on_site=460, by_report=740))
    assert "có 1.200 cơ quan, đơn vị" in _opening(big)
    assert "1200" not in big
    assert "\n1.200\n" in big  # the table of counts too


@pytest.mark.parametrize(("counts", "clause"), [
    # no "có 0 đơn vị được kiểm tra lồng ghép …" (issue 15, point 6)
    ({"integrated": 0}, (" Trong số đơn vị kiểm tra tại trụ sở, có 01 đơn vị chưa kiểm tra "
                         "được do chưa chuẩn bị hồ sơ, tài liệu phục vụ kiểm tra.")),
    ({"not_inspected": 0}, (" Trong số đơn vị kiểm tra tại trụ sở, có 09 đơn vị được kiểm tra "
                            "lồng ghép với Đoàn kiểm tra cải cách hành chính của tỉnh do Sở Nội "
                            "vụ chủ trì.")),
    ({"integrated": 0, "not_inspected": 0}, ""),
])
def test_report_leaves_zero_counts_out_of_its_sentences(client, example, counts, clause) -> None:
    data = _counts(example, **counts)
    if counts.get("not_inspected") == 0:
        data["not_inspected_reason"] = ""
    opening = _opening(_render(client, "report", data))
    assert opening == ("Theo Kế hoạch kiểm tra năm 2017, có 120 cơ quan, đơn vị được kiểm tra, "
                       "trong đó kiểm tra tại trụ sở 46 đơn vị (chiếm 38,33%) và kiểm tra qua "
                       "báo cáo 74 đơn vị." + clause)
    assert " 0 đơn vị" not in opening


def test_report_all_on_site_or_all_by_report(client, example) -> None:
    all_on_site = _counts(example, on_site=120, by_report=0)
    assert _opening(_render(client, "report", all_on_site)).startswith(
        "Theo Kế hoạch kiểm tra năm 2017, có 120 cơ quan, đơn vị được kiểm tra, đều kiểm tra "
        "tại trụ sở. Trong số")
    all_by_report = _counts(example, on_site=0, by_report=120, integrated=0, not_inspected=0)
    all_by_report["not_inspected_reason"] = ""
    assert _opening(_render(client, "report", all_by_report)) == (
        "Theo Kế hoạch kiểm tra năm 2017, có 120 cơ quan, đơn vị được kiểm tra, đều kiểm tra "
        "qua báo cáo.")


@pytest.mark.parametrize(("doc_type", "printed"), [
    # one rule in every type: counts below 10 with their zero
    ("plan", ["tổng số 06 cơ quan, đơn vị", "Kiểm tra tại trụ sở: 04 đơn vị;",
              "Kiểm tra qua báo cáo: 02 đơn vị."]),
    ("notice", ["Đoàn kiểm tra ghi nhận 02 điểm không phù hợp"]),
    ("minutes", ["được lập thành 02 bản"]),
    ("approval", ["Kế hoạch kiểm tra năm 2017 gồm 120 cơ quan, đơn vị, trong đó kiểm tra tại trụ sở 46 đơn vị"]),
    # dates: DOMAIN.md's zeros (day < 10, months 1 and 2) in every type
    ("plan", ["từ ngày 18/9/2017 đến ngày 30/11/2017"]),
    ("letter", ["ngày 20 tháng 9 năm 2017"]),
])
def test_every_type_prints_counts_and_dates_one_way(client, example, doc_type, printed) -> None:
    text = _render(client, doc_type, example(doc_type))
    for phrase in printed:
        assert phrase in text, phrase


def _load_script() -> Any:
    path = ROOT / "scripts" / "template_edits" / "H_counts.py"
    spec = importlib.util.spec_from_file_location("H_counts", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_edit_script_is_idempotent_and_runs_on_unedited_templates(tmp_path: Path) -> None:
    script = _load_script()
    assert doctest.testmod(script, raise_on_error=True).attempted > 0
    # the shipped templates carry the edit: nothing left to do
    shipped = sorted((ROOT / "templates").glob("*/template.docx"))
    assert [p for p in shipped if script.edit_template(p, write=False)] == []
    # a template as it was before the edit (its count tags without the filter) gets it once
    for doc_type in ("plan", "notice", "approval"):
        target = tmp_path / doc_type / "template.docx"
        target.parent.mkdir()
        with zipfile.ZipFile(ROOT / "templates" / doc_type / "template.docx") as source, \
                zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as unedited:
            for member in source.infolist():
                data = source.read(member)
                if member.filename == "word/document.xml":
                    data = data.replace(b"|count }}", b" }}")
                unedited.writestr(member, data)
        assert script.edit_template(target) is True
        once = target.read_bytes()
        assert script.edit_template(target) is False
        assert target.read_bytes() == once
        with zipfile.ZipFile(target) as package:
            body = package.read("word/document.xml").decode("utf-8")
        assert "|count }}" in body and not script.COUNT_TAG.search(body)
