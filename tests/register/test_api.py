"""The register over HTTP: numbered document, idempotency header, listing, export, files."""

from __future__ import annotations

import csv
import io
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from docgen.register.book import COLUMNS

from ..docx_text import docx_text

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def filled(client, example, minutes):
    """Four entries: three ĐKT minutes (2017, 2017, 2018) and one SKHCN report (2017)."""
    for data in (minutes(), minutes("2017-11-02"), minutes("2018-01-03")):
        assert client.post("/api/v1/register/documents/minutes", json=data).status_code == 200
    assert client.post("/api/v1/register/documents/report",
                       json=example("report")).status_code == 200
    return client


def test_post_returns_the_numbered_docx(client, minutes):
    response = client.post("/api/v1/register/documents/minutes", json=minutes())
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == DOCX
    assert "Số: 01/BB-ĐKT" in docx_text(response.data)
    assert response.headers["X-Docgen-Register-Number"] == "1"
    assert unquote(response.headers["X-Docgen-Register-Symbol"]) == "01/BB-ĐKT"
    assert "BB-01-DKT-2017-10-12.docx" in response.headers["Content-Disposition"]
    second = client.post("/api/v1/register/documents/minutes", json=minutes())
    assert "Số: 02/BB-ĐKT" in docx_text(second.data)


def test_idempotency_key_header(client, minutes):
    headers = {"Idempotency-Key": "2b1f-7c"}
    first = client.post("/api/v1/register/documents/minutes", json=minutes(), headers=headers)
    again = client.post("/api/v1/register/documents/minutes", json=minutes(), headers=headers)
    assert again.status_code == 200 and again.data == first.data
    assert again.headers["X-Docgen-Register-Entry"] == first.headers["X-Docgen-Register-Entry"]
    other = minutes()
    other["summary"] = "Khác"
    reused = client.post("/api/v1/register/documents/minutes", json=other, headers=headers)
    assert reused.status_code == 422 and reused.get_json()["code"] == "idempotency_key_reused"
    assert client.get("/api/v1/register").get_json()["total"] == 1


def test_invalid_payload_is_422_and_takes_no_number(client, minutes):
    data = minutes()
    data["members"][0]["full_name"] = ""
    response = client.post("/api/v1/register/documents/minutes", json=data)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert client.get("/api/v1/register").get_json()["total"] == 0


def test_list_is_filtered_and_paginated(filled):
    body = filled.get("/api/v1/register?per_page=2").get_json()
    assert (body["total"], body["page"], body["per_page"], body["pages"]) == (4, 1, 2, 2)
    page2 = filled.get("/api/v1/register?per_page=2&page=2").get_json()
    # Book order: issuer, year, number.
    assert [e["symbol"] for e in body["items"] + page2["items"]] == [
        "01/BC-SKHCN", "01/BB-ĐKT", "02/BB-ĐKT", "01/BB-ĐKT"]
    assert [e["year"] for e in page2["items"]] == [2017, 2018]
    only = filled.get("/api/v1/register?issuer=ĐKT&year=2017").get_json()
    assert [e["symbol"] for e in only["items"]] == ["01/BB-ĐKT", "02/BB-ĐKT"]
    assert filled.get("/api/v1/register?type=BC").get_json()["total"] == 1
    assert filled.get("/api/v1/register?type=minutes").get_json()["total"] == 3
    item = only["items"][0]
    assert item["summary"].startswith("Kiểm tra") and item["signer"]["full_name"] == "Trần Văn Lâu"
    assert "content" not in item


@pytest.mark.parametrize("query", ["year=abc", "page=0", "per_page=501"])
def test_bad_query_is_a_422_problem(client, query):
    response = client.get(f"/api/v1/register?{query}")
    assert response.status_code == 422
    assert response.get_json()["code"] == "validation_failed"


def test_export_xlsx_has_the_register_book_columns(filled):
    response = filled.get("/api/v1/register/export?format=xlsx&issuer=ĐKT")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert tuple(rows[0]) == COLUMNS
    assert rows[1][:7] == [
        "01/BB-ĐKT", "12/10/2017",
        ("Biên bản: Kiểm tra việc áp dụng, duy trì và cải tiến Hệ thống quản lý chất lượng "
         "theo TCVN ISO 9001:2008 tại UBND huyện Mỹ Tú"),
        "Trần Văn Lâu", "UBND huyện Mỹ Tú\nBan Chỉ đạo ISO tỉnh", "VT, ĐKT", 2]
    assert rows[1][7:] == [None, None, None]  # ngày chuyển, ký nhận, ghi chú: for the clerk
    assert [r[0] for r in rows[1:]] == ["01/BB-ĐKT", "02/BB-ĐKT", "01/BB-ĐKT"]
    assert [r[1] for r in rows[1:]] == ["12/10/2017", "02/11/2017", "03/01/2018"]


def test_export_csv(filled):
    response = filled.get("/api/v1/register/export?format=csv&year=2017&type=report")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.data.startswith("\ufeff".encode())  # BOM: Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == list(COLUMNS)
    assert rows[1][0:2] == ["01/BC-SKHCN", "14/12/2017"]
    assert rows[1][2].startswith("Báo cáo: ")
    assert rows[1][6] == ""  # a report states no number of copies
    assert len(rows) == 2


def test_entry_file_is_the_issued_bytes(client, minutes):
    issued = client.post("/api/v1/register/documents/minutes", json=minutes())
    entry_id = issued.headers["X-Docgen-Register-Entry"]
    stored = client.get(f"/api/v1/register/entries/{entry_id}/file")
    assert stored.status_code == 200 and stored.data == issued.data
    assert stored.headers["X-Docgen-Checksum"] == issued.headers["X-Docgen-Checksum"]
    assert client.get("/api/v1/register/entries/999/file").status_code == 404


def test_register_paths_are_in_the_openapi_document(client):
    paths = client.get("/api/openapi.json").get_json()["paths"]
    assert {"/api/v1/register", "/api/v1/register/export",
            "/api/v1/register/documents/minutes"} <= set(paths)
    post = paths["/api/v1/register/documents/minutes"]["post"]
    assert any(p["name"] == "Idempotency-Key" for p in post["parameters"])


def test_app_start_upgrades_unless_off(tmp_path):
    from sqlalchemy import inspect

    from docgen.app import create_app
    from docgen.register import EXTENSION

    off = create_app({"instance_path": tmp_path / "off", "database_upgrade": "off"})
    auto = create_app({"instance_path": tmp_path / "auto"})
    try:
        assert not inspect(off.extensions[EXTENSION].engine).has_table("register_entries")
        assert inspect(auto.extensions[EXTENSION].engine).has_table("register_entries")
        assert (tmp_path / "auto" / "register.sqlite3").is_file()
    finally:
        off.extensions[EXTENSION].dispose()
        auto.extensions[EXTENSION].dispose()


def test_register_flag_on_the_documents_endpoint(client, minutes):
    """POST /api/v1/documents/<type>?register=true numbers and records, as the register path."""
    first = client.post("/api/v1/documents/minutes?register=true", json=minutes(),
                        headers={"Idempotency-Key": "bb-my-tu-1"})
    assert first.status_code == 200, first.get_data(as_text=True)
    assert "Số: 01/BB-ĐKT" in docx_text(first.data)
    assert first.headers["X-Docgen-Register-Number"] == "1"
    retry = client.post("/api/v1/documents/minutes?register=true", json=minutes(),
                        headers={"Idempotency-Key": "bb-my-tu-1"})
    assert retry.headers["X-Docgen-Register-Number"] == "1" and retry.data == first.data
    plain = client.post("/api/v1/documents/minutes", json=minutes())  # not registered
    assert "X-Docgen-Register-Number" not in plain.headers
    second = client.post("/api/v1/documents/minutes?register=1", json=minutes())
    assert "Số: 02/BB-ĐKT" in docx_text(second.data)
    listed = client.get("/api/v1/register?issuer=ĐKT&year=2017").get_json()
    assert [e["number"] for e in listed["items"]] == [1, 2]


def test_register_flag_must_be_a_boolean(client, minutes):
    response = client.post("/api/v1/documents/minutes?register=maybe", json=minutes())
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
