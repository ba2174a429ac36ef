"""The round's other documents (packs without Python) through every entry point.

API (POST /api/v1/documents/<id>, ?register=true), the clerk's form (/forms/<id>),
the CLI (docgen render <id>) and batch (docgen batch template + docgen batch <id>),
each asserting on the text of the document it produced.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import lxml.html
import pytest
from werkzeug.datastructures import MultiDict

from docgen.cli import main

from .conftest import NEW_PACKS, load_example
from .docx_text import docx_text

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

#: What each document must say, from its example: number line, title, a body line, signer.
EXPECTED = {
    "approval": ["Số: 1890/QĐ-UBND", "QUYẾT ĐỊNH", "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH SÓC TRĂNG",
                 "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015",
                 "Xét đề nghị của Giám đốc Sở Khoa học và Công nghệ tại Tờ trình số 98/TTr-SKHCN",
                 "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch kiểm tra",
                 "- Như Điều 3;", "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "Lê Văn Hiểu",
                 "Sóc Trăng, ngày 28 tháng 8 năm 2017", "- Lưu: VT, KGVX."],
    "notice": ["Số: 142/TB-SKHCN", "THÔNG BÁO",
               "Hệ thống quản lý chất lượng tại UBND huyện Mỹ Tú",
               "Căn cứ Quyết định số 04/QĐ-SKHCN", "Phạm vi áp dụng Hệ thống quản lý chất lượng",
               "trước ngày 20/11/2017./.", "KT. GIÁM ĐỐC", "Trần Văn Chuyện"],
    "letter": ["Số: 215/SKHCN-TĐC", "V/v đề nghị gửi báo cáo việc áp dụng",
               "Kính gửi: Các cơ quan, đơn vị kiểm tra qua báo cáo năm 2017.",
               "1. Phạm vi áp dụng Hệ thống quản lý chất lượng", "trước ngày 16/10/2017.",
               "Danh sách 03 cơ quan, đơn vị gửi báo cáo:", "UBND thị xã Vĩnh Châu",
               "- Như trên;", "KT. GIÁM ĐỐC", "Trần Văn Chuyện"],
}


def assert_document(doc_type: str, content: bytes) -> str:
    text = docx_text(content)
    for expected in EXPECTED[doc_type]:
        assert expected in text, (doc_type, expected)
    assert "{{" not in text and "{%" not in text
    return text


@pytest.mark.parametrize("doc_type", NEW_PACKS)
def test_api_renders_the_pack(client, doc_type: str) -> None:
    response = client.post(f"/api/v1/documents/{doc_type}", json=load_example(doc_type))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == DOCX
    text = assert_document(doc_type, response.data)
    if doc_type == "letter":  # a công văn has no type name and no "Số: …/CV"
        assert "CÔNG VĂN" not in text
        assert "CV-215-SKHCN-T%C4%90C-2017-09-20.docx" in response.headers["Content-Disposition"]


def test_api_answers_a_declared_rule_as_422(client) -> None:
    body = load_example("letter")
    body["deadline"] = "2017-09-20"
    response = client.post("/api/v1/documents/letter", json=body)
    assert response.status_code == 422
    problem = response.get_json()
    assert problem["code"] == "validation_failed"
    assert problem["errors"] == [{
        "path": "deadline", "code": "deadline_order",
        "message": "Hạn gửi báo cáo (20/9/2017) phải sau ngày ban hành công văn (20/9/2017)."}]


def test_register_numbers_a_cong_van_with_its_drafting_unit(client) -> None:
    body = load_example("letter")
    body["number"] = None
    response = client.post("/api/v1/documents/letter?register=true", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "Số: 01/SKHCN-TĐC" in docx_text(response.data)
    listed = client.get("/api/v1/register?issuer=SKHCN&year=2017").get_json()
    assert [(e["symbol"], e["type_code"]) for e in listed["items"]] == [("01/SKHCN-TĐC", "")]
    book = client.get("/api/v1/register/export?issuer=SKHCN&year=2017&format=csv")
    assert book.status_code == 200, book.get_data(as_text=True)
    assert "Công văn V/v đề nghị gửi báo cáo việc áp dụng" in book.get_data(as_text=True)


def test_openapi_documents_the_packs(client) -> None:
    spec = client.get("/api/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/documents/notice"]["post"]
    assert operation["summary"].startswith("Thông báo kết quả kiểm tra (TB)")


def form_values(doc: lxml.html.HtmlElement) -> MultiDict:
    form = doc.forms[0]
    return MultiDict([(k, v) for k, v in form.form_values() if "__i__" not in k])


@pytest.mark.parametrize("doc_type", NEW_PACKS)
def test_form_round_trips_the_example(client, doc_type: str) -> None:
    page = client.get(f"/forms/{doc_type}?example=1")
    assert page.status_code == 200
    doc = lxml.html.fromstring(page.get_data(as_text=True))
    response = client.post(f"/forms/{doc_type}", data=form_values(doc))
    assert response.status_code == 200, response.get_data(as_text=True)[:3000]
    assert response.mimetype == DOCX
    assert_document(doc_type, response.data)


def test_form_shows_labels_and_reads_a_decimal_comma(client) -> None:
    doc = lxml.html.fromstring(client.get("/forms/notice?example=1").get_data(as_text=True))
    text = doc.text_content()
    assert "Tỷ lệ hồ sơ giải quyết đúng hạn (%)" in text and "Điểm không phù hợp" in text
    values = form_values(doc)
    values["on_time_rate"] = "96,25"
    response = client.post("/forms/notice", data=values)
    assert response.status_code == 200, response.get_data(as_text=True)[:3000]
    assert "đúng hạn được kiểm tra: 96,25%." in docx_text(response.data)


@pytest.mark.parametrize("doc_type", NEW_PACKS)
def test_cli_renders_the_pack(runner, tmp_path: Path, doc_type: str) -> None:
    from .conftest import EXAMPLES

    out = tmp_path / f"{doc_type}.docx"
    result = runner.invoke(main, ["render", doc_type, str(EXAMPLES / f"{doc_type}.json"),
                                  "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert_document(doc_type, out.read_bytes())


@pytest.mark.parametrize("doc_type", NEW_PACKS)
def test_batch_sheet_round_trips(runner, tmp_path: Path, doc_type: str) -> None:
    """The sheet `docgen batch template` writes (the example as its row) renders back."""
    sheet = tmp_path / f"{doc_type}.xlsx"
    result = runner.invoke(main, ["batch", "template", doc_type, "-o", str(sheet),
                                  "--repeat", "3"])
    assert result.exit_code == 0, result.output
    out = tmp_path / f"{doc_type}.zip"
    result = runner.invoke(main, ["batch", doc_type, str(sheet), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output + result.stderr
    with zipfile.ZipFile(out) as archive:
        names = [n for n in archive.namelist() if n.endswith(".docx")]
        assert len(names) == 1
        text = docx_text(archive.read(names[0]))
    assert load_example(doc_type)["signer"]["full_name"] in text
    assert load_example(doc_type)["summary"] in text


def test_batch_csv_reads_money_with_dots(runner, tmp_path: Path) -> None:
    sheet = tmp_path / "approval.csv"
    result = runner.invoke(main, ["batch", "template", "approval", "-o", str(sheet)])
    assert result.exit_code == 0, result.output
    with sheet.open(encoding="utf-8-sig", newline="") as handle:
        header, row, *_rest = list(csv.reader(handle))
    column = header.index("Kinh phí (đồng)")
    assert row[column] == "45500000"
    row[column] = "45.500.000"  # as a clerk types it
    with sheet.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows([header, row])
    out = tmp_path / "approval.zip"
    result = runner.invoke(main, ["batch", "approval", str(sheet), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output + result.stderr
    with zipfile.ZipFile(io.BytesIO(out.read_bytes())) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".docx"))
        assert "Kinh phí thực hiện: 45.500.000 đồng" in docx_text(archive.read(name))
