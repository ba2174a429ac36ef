"""Issue 15, points 4 and 5: wording that follows the data, and what real documents carry.

Each case is written as a clerk of another province would write it; each test reads
the rendered .docx text. Today's payloads (the shipped examples) keep their wording
where it was right.
"""

from __future__ import annotations

import doctest
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

import docgen
from docgen import context
from docgen.cli import main
from docgen.errors import ValidationError
from docgen.vi import dates, filters, levels

from .docx_text import docx_text

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def lines(doc_type: str, data: dict[str, Any]) -> list[str]:
    return docx_text(docgen.render(doc_type, data)).splitlines()


def errors_of(doc_type: str, data: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        docgen.render(doc_type, data)
    return {e.path: e.code for e in caught.value.errors}


@pytest.mark.parametrize("module", [levels, dates, context, filters], ids=lambda m: m.__name__)
def test_doctests(module) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


# --------------------------------------------------------------------------- report


def city_report(example) -> dict[str, Any]:
    """Cần Thơ, a city under the central government: new fields all used."""
    data = example("report")
    data["agency"] = {"parent_name": "UBND thành phố Cần Thơ",
                      "name": "Sở Khoa học và Công nghệ", "code": "SKHCN", "place": "Cần Thơ"}
    data["addressees"] = ["Ủy ban nhân dân thành phố Cần Thơ"]
    data["date"] = "2023-10-16"
    data["year"] = 2023
    data["period_start"], data["period_end"] = "2023-04-03", "2023-09-29"
    data["period_display"] = "months"
    data["integrated_with"] = None
    del data["recommendations_province"], data["recommendations_ministry"]
    data["recommendations"] = [
        {"addressee": "Ủy ban nhân dân thành phố", "content": "Chỉ đạo các cơ quan duy trì hệ thống"},
        {"addressee": "Bộ Khoa học và Công nghệ", "content": "Hướng dẫn chuyển đổi phiên bản"},
        {"addressee": "Ủy ban nhân dân thành phố", "content": "Bố trí kinh phí chuyển đổi"},
    ]
    data["extra_figures"] = [
        {"label": "Thủ tục hành chính được áp dụng", "numerator": 118, "denominator": 124},
        {"label": "Hồ sơ giải quyết đúng hạn", "numerator": 1200, "denominator": 1250},
    ]
    return data


def test_report_example_keeps_its_wording(example) -> None:
    text = lines("report", example("report"))
    assert "Thời gian kiểm tra: từ ngày 18/9/2017 đến ngày 30/11/2017." in text
    assert "1. Đối với UBND tỉnh:" in text
    assert "2. Đối với Bộ Khoa học và Công nghệ:" in text
    i = text.index("1. Đối với UBND tỉnh:")
    first = ("- Chỉ đạo các cơ quan, đơn vị tiếp tục duy trì và cải tiến Hệ thống quản lý "
             "chất lượng;")
    second = ("- Giao Sở Tài chính phối hợp với Sở Khoa học và Công nghệ bố trí kinh phí "
              "chuyển đổi sang TCVN ISO 9001:2015.")
    assert text[i + 1:i + 3] == [first, second]
    # the counts table: no em dash, no unexplained abbreviation
    assert "Trong đó: kiểm tra lồng ghép" in text and "Trong đó: chưa kiểm tra được" in text
    joined = "\n".join(text)
    assert "—" not in joined and "CCHC" not in joined
    # no extra figures given: neither their table nor its lead line
    assert "Chỉ tiêu" not in text and "Kết quả một số chỉ tiêu:" not in text


def test_report_of_a_city_writes_thanh_pho(example) -> None:
    data = example("report")
    data["agency"]["parent_name"] = "UBND thành phố Cần Thơ"
    data["integrated_with"] = None
    text = "\n".join(lines("report", data))
    assert "lồng ghép với Đoàn kiểm tra cải cách hành chính của thành phố và 01 đơn vị" in text
    assert "1. Đối với UBND thành phố:" in text and "UBND tỉnh:" not in text


def test_level_stated_wins_over_the_names(example) -> None:
    data = example("report")
    data["agency"]["level"] = "huyen"
    data["integrated_with"] = None
    text = "\n".join(lines("report", data))
    assert "cải cách hành chính của huyện" in text and "1. Đối với UBND huyện:" in text


def test_report_recommendations_to_any_addressees(example) -> None:
    text = lines("report", city_report(example))
    i = text.index("III. KIẾN NGHỊ, ĐỀ XUẤT")
    assert text[i + 1:i + 6] == [
        "1. Đối với Ủy ban nhân dân thành phố:",
        "- Chỉ đạo các cơ quan duy trì hệ thống;",
        "- Bố trí kinh phí chuyển đổi.",
        "2. Đối với Bộ Khoa học và Công nghệ:",
        "- Hướng dẫn chuyển đổi phiên bản.",
    ]


def test_report_period_by_months_and_extra_figures(example) -> None:
    text = lines("report", city_report(example))
    assert "Thời gian kiểm tra: từ tháng 4 đến tháng 9 năm 2023." in text
    assert "cải cách hành chính của thành phố" in "\n".join(text)
    i = text.index("Kết quả một số chỉ tiêu:")
    assert text[i + 1:i + 7] == [
        "Chỉ tiêu", "Kết quả",
        "Thủ tục hành chính được áp dụng", "118/124 = 95,16%",
        "Hồ sơ giải quyết đúng hạn", "1.200/1.250 = 96%",
    ]


def test_report_rules_on_the_new_fields(example) -> None:
    data = city_report(example)
    data["extra_figures"][1]["numerator"] = 1300
    data["extra_figures"][0]["denominator"] = 0
    data["period_display"] = "weeks"
    assert errors_of("report", data) == {
        "extra_figures[0].denominator": "out_of_range",
        "extra_figures[1].numerator": "numerator_exceeds_denominator",
        "period_display": "invalid_choice",
    }
    both = city_report(example)
    both["recommendations_ministry"] = ["Cách cũ"]
    with pytest.raises(ValidationError) as caught:
        docgen.render("report", both)
    [error] = caught.value.errors
    assert (error.path, error.code) == ("recommendations", "conflicting_fields")
    assert "không dùng cả hai" in error.message


# ----------------------------------------------------------------- every entry point


def test_report_new_fields_through_the_api(client, example) -> None:
    response = client.post("/api/v1/documents/report", json=city_report(example))
    assert response.status_code == 200, response.get_data(as_text=True)
    text = docx_text(response.data)
    assert "118/124 = 95,16%" in text and "2. Đối với Bộ Khoa học và Công nghệ:" in text
    schema = client.get("/api/v1/document-types/report/schema").get_json()
    assert schema["properties"]["recommendations"]["items"]["properties"]["addressee"]["title"] \
        == "Kiến nghị với"
    assert schema["properties"]["period_display"]["enum"] == ["days", "months"]
    assert schema["properties"]["agency"]["properties"]["level"]["enum"][:3] == [
        "", "tinh", "thanh_pho"]


def test_report_new_fields_through_the_cli(runner, example, tmp_path: Path) -> None:
    source = tmp_path / "bao-cao.json"
    source.write_text(json.dumps(city_report(example), ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "bc.docx"
    result = runner.invoke(main, ["render", "report", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = docx_text(out.read_bytes())
    assert "Thời gian kiểm tra: từ tháng 4 đến tháng 9 năm 2023." in text
    assert "1.200/1.250 = 96%" in text


def test_report_new_fields_through_a_batch_sheet(runner, example, tmp_path: Path) -> None:
    data = city_report(example)
    columns = {
        "Cấp chính quyền": "Thành phố",
        "Ghi thời gian kiểm tra": "months",
        "recommendations[0].addressee": "Ủy ban nhân dân thành phố",
        "recommendations[0].content": "Chỉ đạo các cơ quan duy trì hệ thống",
        "recommendations[1].addressee": "Sở Tài chính",
        "recommendations[1].content": "Bố trí kinh phí",
        "extra_figures[0].label": "Thủ tục hành chính được áp dụng",
        "extra_figures[0].numerator": "118",
        "extra_figures[0].denominator": "124",
    }
    defaults = {k: v for k, v in data.items()
                if k not in ("recommendations", "extra_figures", "period_display")}
    defaults["agency"] = {**data["agency"], "parent_name": "", "name": "Sở Nội vụ"}
    (tmp_path / "defaults.json").write_text(json.dumps(defaults, ensure_ascii=False),
                                            encoding="utf-8")
    sheet = tmp_path / "bc.csv"
    sheet.write_text(",".join(columns) + "\n" + ",".join(columns.values()) + "\n",
                     encoding="utf-8")
    out = tmp_path / "bc.zip"
    result = runner.invoke(main, ["batch", "report", str(sheet), "-o", str(out), "-q",
                                  "--defaults", str(tmp_path / "defaults.json")])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as archive:
        [name] = [n for n in archive.namelist() if n.endswith(".docx")]
        text = docx_text(archive.read(name))
    # the level stated in the sheet (no name says it here), the months, the groups, the share
    assert "cải cách hành chính của thành phố" in text
    assert "từ tháng 4 đến tháng 9 năm 2023" in text
    assert "1. Đối với Ủy ban nhân dân thành phố:" in text and "2. Đối với Sở Tài chính:" in text
    assert "118/124 = 95,16%" in text


def test_report_new_fields_through_the_form(client) -> None:
    import lxml.html
    from werkzeug.datastructures import MultiDict

    doc = lxml.html.fromstring(client.get("/forms/report?example=1").get_data(as_text=True))
    values = MultiDict([(k, v) for k, v in doc.forms[0].form_values() if "__i__" not in k
                        and not k.startswith("recommendations_")])
    for name in ("agency.level", "period_display", "recommendations[0].addressee",
                 "extra_figures[0].numerator", "extra_figures_intro"):
        assert doc.xpath(f'//*[@name="{name}"]') or doc.xpath(
            f'//template//*[@name="{name.replace("[0]", "[__i__]")}"]'), name
    for key, value in {
        "agency.level": "thanh_pho", "period_display": "months", "integrated_with": "",
        "recommendations[0].addressee": "Bộ Nội vụ",
        "recommendations[0].content": "Hướng dẫn kiểm tra lồng ghép",
        "extra_figures[0].label": "Thủ tục hành chính được áp dụng",
        "extra_figures[0].numerator": "118", "extra_figures[0].denominator": "124",
    }.items():
        values[key] = value  # replaces, as the clerk's typing does
    response = client.post("/forms/report", data=values)
    assert response.status_code == 200 and response.mimetype == DOCX, \
        response.get_data(as_text=True)[:2000]
    text = docx_text(response.data)
    assert "cải cách hành chính của thành phố" in text
    assert "Thời gian kiểm tra: từ tháng 9 đến tháng 11 năm 2017." in text
    assert "1. Đối với Bộ Nội vụ:" in text and "118/124 = 95,16%" in text


# --------------------------------------------------------------------------- minutes


def commune_minutes(example) -> dict[str, Any]:
    """Minutes at a commune People's Committee, the model with the secretary's signature."""
    data = example("minutes", team_signatures="leader_and_secretary")
    data["unit"] = {"name": "UBND xã Đại Ân 2", "address": "Ấp Phước Hòa, xã Đại Ân 2"}
    data["location"] = "Phòng họp UBND xã Đại Ân 2"
    data["representative_signer"] = {"position": "Chủ tịch UBND xã", "full_name": "Thạch Sóc"}
    return data


def signature_rows(text: list[str]) -> list[str]:
    start = text.index("ĐOÀN KIỂM TRA")
    return [line for line in text[start:text.index("Nơi nhận:")] if line.strip()]


def test_minutes_example_signs_as_before(example) -> None:
    text = lines("minutes", example("minutes"))
    assert signature_rows(text) == ["ĐOÀN KIỂM TRA", "PHÓ CHỦ TỊCH UBND HUYỆN", "TRƯỞNG ĐOÀN",
                                    "Võ Văn Thuận", "Trần Văn Lâu"]
    assert "THƯ KÝ" not in text


def test_minutes_secretary_signs_beside_the_leader(example) -> None:
    text = lines("minutes", commune_minutes(example))
    # unit | secretary | leader, the team's heading over its two columns
    assert signature_rows(text) == ["ĐOÀN KIỂM TRA", "CHỦ TỊCH UBND XÃ", "THƯ KÝ", "TRƯỞNG ĐOÀN",
                                    "Thạch Sóc", "Đỗ Thị Thủy", "Trần Văn Lâu"]
    document = zipfile.ZipFile(io.BytesIO(docgen.render("minutes", commune_minutes(example))))
    xml = document.read("word/document.xml").decode()
    assert xml.count("<w:tbl>") == 4  # header, members, representatives, one signature table



def test_minutes_example_cites_the_decision_example(example) -> None:
    decision, minutes = example("decision"), example("minutes")
    assert "Quyết định số 04/QĐ-SKHCN ngày 15/9/2017" in minutes["basis"]
    assert decision["number"] == 4 and decision["date"] == "2017-09-15"
    assert decision["decider"] in minutes["basis"]
    assert "Số: 04/QĐ-SKHCN" in lines("decision", decision)


def test_minutes_secretary_through_form_and_batch(client, runner, example,
                                                  tmp_path: Path) -> None:
    import lxml.html
    from werkzeug.datastructures import MultiDict

    doc = lxml.html.fromstring(client.get("/forms/minutes?example=1").get_data(as_text=True))
    values = MultiDict([(k, v) for k, v in doc.forms[0].form_values() if "__i__" not in k])
    values["team_signatures"] = "leader_and_secretary"
    response = client.post("/forms/minutes", data=values)
    assert response.status_code == 200 and response.mimetype == DOCX
    assert "THƯ KÝ" in docx_text(response.data).splitlines()

    defaults = {k: v for k, v in example("minutes").items() if k != "team_signatures"}
    (tmp_path / "chung.json").write_text(json.dumps(defaults, ensure_ascii=False),
                                         encoding="utf-8")
    sheet = tmp_path / "bb.csv"
    sheet.write_text("Chữ ký của Đoàn kiểm tra\nTrưởng đoàn và Thư ký cùng ký\n", encoding="utf-8")
    out = tmp_path / "bb.zip"
    result = runner.invoke(main, ["batch", "minutes", str(sheet), "-o", str(out), "-q",
                                  "--defaults", str(tmp_path / "chung.json")])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as archive:
        [name] = [n for n in archive.namelist() if n.endswith(".docx")]
        assert "Đỗ Thị Thủy\nTrần Văn Lâu" in docx_text(archive.read(name))


# ------------------------------------------------------------------------------ plan


def committee_plan(example) -> dict[str, Any]:
    """A plan issued and signed by a provincial People's Committee (TM. + KT.), issued with
    a separate decision of its Chairman, on the Department's proposal, by months."""
    data = example("plan")
    data["agency"] = {"name": "Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu", "code": "UBND",
                      "place": "Bà Rịa - Vũng Tàu"}
    data["signer"] = {"authority": "TM.", "on_behalf_of": "Ủy ban nhân dân",
                      "deputy_for": "Chủ tịch", "position": "Phó Chủ tịch",
                      "full_name": "Nguyễn Văn Thọ"}
    data["approval_number"] = "2345/QĐ-UBND"
    data["approval_date"] = "2017-08-25"
    data["approval_by"] = "Chủ tịch UBND tỉnh Bà Rịa - Vũng Tàu"
    data["proposal"] = "Theo đề nghị của Giám đốc Sở Khoa học và Công nghệ"
    data["period_display"] = "months"
    return data


def test_plan_example_keeps_its_wording(example) -> None:
    text = lines("plan", example("plan"))
    assert ("Sở Khoa học và Công nghệ xây dựng Kế hoạch kiểm tra việc áp dụng, duy trì và cải "
            "tiến Hệ thống quản lý chất lượng năm 2017 như sau:") in text
    assert "Căn cứ Thông tư số 26/2014/TT-BKHCN ngày 10/10/2014 của Bộ Khoa học và Công nghệ." \
        in text
    assert "1. Thời gian: từ ngày 18/9/2017 đến ngày 30/11/2017." in text
    assert ("2. Hình thức: kiểm tra tại trụ sở hoặc kiểm tra qua báo cáo, theo lịch dự kiến "
            "sau:") in text
    assert ("Trên đây là Kế hoạch kiểm tra việc áp dụng, duy trì và cải tiến Hệ thống quản lý "
            "chất lượng năm 2017 của Sở Khoa học và Công nghệ./.") in text
    assert not any(line.startswith("(Ban hành kèm theo") for line in text)


def test_plan_of_a_peoples_committee(example) -> None:
    text = lines("plan", committee_plan(example))
    title = text.index("KẾ HOẠCH")
    assert text[title + 2] == ("(Ban hành kèm theo Quyết định số 2345/QĐ-UBND ngày 25/8/2017 "
                               "của Chủ tịch UBND tỉnh Bà Rịa - Vũng Tàu)")
    i = text.index("Căn cứ Quyết định số 19/2014/QĐ-TTg ngày 05/3/2014 của Thủ tướng Chính phủ;")
    assert text[i + 1:i + 4] == [
        "Căn cứ Thông tư số 26/2014/TT-BKHCN ngày 10/10/2014 của Bộ Khoa học và Công nghệ;",
        "Theo đề nghị của Giám đốc Sở Khoa học và Công nghệ.",
        ("Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu ban hành Kế hoạch kiểm tra việc áp dụng, duy "
         "trì và cải tiến Hệ thống quản lý chất lượng năm 2017 như sau:"),
    ]
    assert "1. Thời gian: từ tháng 9 đến tháng 11 năm 2017." in text
    signature = text.index("TM. ỦY BAN NHÂN DÂN")
    assert text[signature:signature + 3] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert any(line.endswith("của Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu./.") for line in text)
    # the approval line is italic, not bold
    xml = zipfile.ZipFile(io.BytesIO(docgen.render("plan", committee_plan(example)))).read(
        "word/document.xml").decode()
    run = xml[xml.rindex("<w:r>", 0, xml.index("(Ban hành kèm theo")):]
    assert run.startswith('<w:r><w:rPr><w:b w:val="0"/><w:i/>')


def test_plan_opening_methods_and_closing_as_typed(example) -> None:
    data = example("plan")
    data["opening"] = ("Thực hiện Công văn số 3003/BKHCN-TĐC của Bộ Khoa học và Công nghệ, Sở "
                       "Khoa học và Công nghệ xây dựng Kế hoạch kiểm tra năm 2017 như sau:")
    data["closing"] = "Trên đây là Kế hoạch kiểm tra năm 2017."
    for unit in data["units"]:
        unit["mode"] = "by_report"
    text = lines("plan", data)
    assert data["opening"] in text
    assert "Trên đây là Kế hoạch kiểm tra năm 2017./." in text
    assert "2. Hình thức: kiểm tra qua báo cáo, theo lịch dự kiến sau:" in text
    data["methods"] = "kiểm tra trực tiếp kết hợp qua hồ sơ"
    assert ("2. Hình thức: kiểm tra trực tiếp kết hợp qua hồ sơ, theo lịch dự kiến sau:"
            in lines("plan", data))



def test_plan_fields_through_a_batch_sheet(runner, example, tmp_path: Path) -> None:
    data = committee_plan(example)
    columns = {"Số và ký hiệu quyết định ban hành": "2345/QĐ-UBND",
               "Ngày quyết định ban hành": "25/08/2017",
               "Người ký quyết định ban hành": "Chủ tịch UBND tỉnh Bà Rịa - Vũng Tàu",
               "Theo đề nghị": "Theo đề nghị của Giám đốc Sở Khoa học và Công nghệ"}
    defaults = {k: v for k, v in data.items() if not k.startswith("approval_")
                and k != "proposal"}
    (tmp_path / "kh.json").write_text(json.dumps(defaults, ensure_ascii=False), encoding="utf-8")
    sheet = tmp_path / "kh.csv"
    sheet.write_text(",".join(columns) + "\n" + ",".join(columns.values()) + "\n",
                     encoding="utf-8")
    out = tmp_path / "kh.zip"
    result = runner.invoke(main, ["batch", "plan", str(sheet), "-o", str(out), "-q",
                                  "--defaults", str(tmp_path / "kh.json")])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as archive:
        [name] = [n for n in archive.namelist() if n.endswith(".docx")]
        text = docx_text(archive.read(name)).splitlines()
    assert ("(Ban hành kèm theo Quyết định số 2345/QĐ-UBND ngày 25/8/2017 của Chủ tịch UBND "
            "tỉnh Bà Rịa - Vũng Tàu)") in text
    assert "Theo đề nghị của Giám đốc Sở Khoa học và Công nghệ." in text


def test_plan_fields_through_the_form_and_api(client, example) -> None:
    import lxml.html
    from werkzeug.datastructures import MultiDict

    doc = lxml.html.fromstring(client.get("/forms/plan?example=1").get_data(as_text=True))
    values = MultiDict([(k, v) for k, v in doc.forms[0].form_values() if "__i__" not in k])
    for name in ("approval_number", "approval_date", "approval_by", "proposal", "opening",
                 "methods", "closing", "period_display"):
        assert name in values, name
    values["approval_number"] = "2345/QĐ-UBND"
    values["approval_date"] = "2017-08-25"
    values["approval_by"] = "Chủ tịch UBND tỉnh Sóc Trăng"
    response = client.post("/forms/plan", data=values)
    assert response.status_code == 200 and response.mimetype == DOCX, \
        response.get_data(as_text=True)[:1500]
    assert ("(Ban hành kèm theo Quyết định số 2345/QĐ-UBND ngày 25/8/2017 của Chủ tịch UBND "
            "tỉnh Sóc Trăng)") in docx_text(response.data)
    api = client.post("/api/v1/documents/plan", json=committee_plan(example))
    assert api.status_code == 200
    assert "Theo đề nghị của Giám đốc Sở Khoa học và Công nghệ." in docx_text(api.data)


# -------------------------------------------------------------------------- decision


def committee_decision(example) -> dict[str, Any]:
    """A team decision issued by a provincial ISO steering committee, on its own authority."""
    data = example("decision")
    data["agency"] = {"parent_name": "UBND tỉnh Sóc Trăng",
                      "name": "Ban Chỉ đạo ISO tỉnh Sóc Trăng", "code": "BCĐISO",
                      "place": "Sóc Trăng"}
    data["summary"] = ("Về việc kiện toàn Đoàn kiểm tra việc áp dụng Hệ thống quản lý chất lượng "
                       "tại các cơ quan hành chính nhà nước năm 2023")
    data["authority_basis"] = ("Căn cứ Quyết định số 1160/QĐ-UBND ngày 10/5/2023 của Chủ tịch "
                               "UBND tỉnh về việc thành lập Ban Chỉ đạo ISO tỉnh;")
    data["year"] = 2023
    data["date"] = "2023-03-20"
    data["period_start"], data["period_end"] = "2023-04-03", "2023-09-29"
    data["period_display"] = "months"
    return data


def test_decision_article_1_agrees_with_its_summary(example) -> None:
    text = lines("decision", example("decision"))
    assert ("Điều 1. Thành lập Đoàn kiểm tra việc áp dụng, duy trì và cải tiến Hệ thống quản lý "
            "chất lượng theo TCVN ISO 9001:2008 năm 2017, gồm các ông (bà) có tên sau:") in text
    assert "Thời gian kiểm tra: từ ngày 18/9/2017 đến ngày 30/11/2017." in text


def test_decision_of_a_steering_committee(example) -> None:
    text = lines("decision", committee_decision(example))
    assert ("Điều 1. Kiện toàn Đoàn kiểm tra việc áp dụng Hệ thống quản lý chất lượng tại các cơ "
            "quan hành chính nhà nước năm 2023, gồm các ông (bà) có tên sau:") in text
    bases = [line for line in text if line.startswith("Căn cứ ")]
    assert bases[0] == ("Căn cứ Quyết định số 1160/QĐ-UBND ngày 10/5/2023 của Chủ tịch UBND "
                        "tỉnh về việc thành lập Ban Chỉ đạo ISO tỉnh;")
    assert len(bases) == 4
    assert "Thời gian kiểm tra: từ tháng 4 đến tháng 9 năm 2023." in text
    data = committee_decision(example)
    data["article_1"] = "Thành lập Đoàn kiểm tra liên ngành, gồm các ông (bà) có tên sau:"
    assert "Điều 1. " + data["article_1"] in lines("decision", data)
