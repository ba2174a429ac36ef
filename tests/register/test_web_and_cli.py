"""The register from the clerk's side: the form's checkbox, the register page,
its downloads, and `docgen render --register`."""

from __future__ import annotations

import io
import json

import lxml.html
from openpyxl import load_workbook

from docgen.cli import main

from ..docx_text import docx_text
from ..test_web_form import form_values


def test_form_checkbox_numbers_and_records(client, minutes):
    doc = lxml.html.fromstring(client.get("/forms/minutes?example=1").get_data(as_text=True))
    values = form_values(doc)
    values["_register"] = "1"
    first = client.post("/forms/minutes", data=values)
    assert first.status_code == 200, first.get_data(as_text=True)[:500]
    assert "Số: 01/BB-ĐKT" in docx_text(first.data)
    assert first.headers["X-Docgen-Register-Number"] == "1"
    del values["_register"]
    plain = client.post("/forms/minutes", data=values)  # unchecked: the typed number, no entry
    assert "X-Docgen-Register-Number" not in plain.headers
    assert "Số: 12/BB-ĐKT" in docx_text(plain.data)


def test_register_page_lists_filters_and_exports(client, minutes, example):
    for data in (minutes(), minutes("2017-11-02"), minutes("2018-01-03")):
        assert client.post("/api/v1/documents/minutes?register=true", json=data).status_code == 200
    html = client.get("/register?issuer=ĐKT&year=2017").get_data(as_text=True)
    doc = lxml.html.fromstring(html)
    rows = [[td.text_content() for td in tr.xpath("td")] for tr in doc.xpath("//tbody/tr")]
    assert [r[0] for r in rows] == ["01/BB-ĐKT", "02/BB-ĐKT"]
    assert "2 văn bản" in html
    assert "Biên bản: Kiểm tra việc áp dụng" in rows[0][2]
    xlsx = client.get("/register/export.xlsx?issuer=ĐKT&year=2018")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet[2][0].value == "01/BB-ĐKT"
    assert sheet.max_row == 2  # heading + the one 2018 entry
    assert client.get("/register/export.pdf").status_code == 404
    empty = client.get("/register?year=1999").get_data(as_text=True)
    assert "Chưa có văn bản nào trong sổ." in empty


def test_render_register_flag(runner, tmp_path, monkeypatch, minutes):
    monkeypatch.setenv("DOCGEN_INSTANCE_PATH", str(tmp_path / "instance"))
    src = tmp_path / "bb.json"
    src.write_text(json.dumps(minutes(), ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "bb.docx"
    args = ["render", "minutes", str(src), "--register", "--idempotency-key", "k1", "-o", str(out)]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "số 01/BB-ĐKT (năm 2017)" in result.stderr
    assert "Số: 01/BB-ĐKT" in docx_text(out.read_bytes())
    again = runner.invoke(main, args)
    assert "số 01/BB-ĐKT" in again.stderr  # same key: same number
    misuse = runner.invoke(main, ["render", "minutes", str(src), "--idempotency-key", "k"])
    assert misuse.exit_code == 2
