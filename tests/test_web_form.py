"""The clerks' form, server side: generated from the schema, errors by path, nothing lost."""

from __future__ import annotations

import re

import lxml.html
import pytest
from werkzeug.datastructures import MultiDict

from docgen.catalog import DOCUMENT_TYPES
from docgen.schemas.jsonschema import document_json_schema
from docgen.web import formgen

from .conftest import DOC_TYPES, PACK_TYPES
from .docx_text import docx_text

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def page(response) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(response.get_data(as_text=True))


def form_values(doc: lxml.html.HtmlElement) -> MultiDict:
    """What a browser posts: every named input, minus the <template> rows."""
    form = doc.forms[0]
    return MultiDict([(k, v) for k, v in form.form_values() if "__i__" not in k])


def field(doc, path: str):
    return doc.get_element_by_id(formgen.dom_id(path))


def error_at(doc, path: str) -> str:
    return doc.get_element_by_id(formgen.dom_id(path) + "-error").text_content()


def titles(schema: dict) -> set[str]:
    out = {schema["title"]} if "title" in schema else set()
    for prop in schema.get("properties", {}).values():
        out |= titles(prop)
    if "items" in schema:
        out |= titles(schema["items"])
    return out


def test_index_lists_the_types(client):
    doc = page(client.get("/"))
    links = {a.get("href"): a.text_content() for a in doc.xpath("//ul[@class='types']//a")}
    assert set(links) == {f"/forms/{t}" for t in PACK_TYPES}
    assert "Biên bản kiểm tra" in links["/forms/minutes"]
    assert doc.get("lang") == "vi"


@pytest.mark.parametrize("doc_type", DOC_TYPES)
def test_form_is_generated_from_the_schema(client, doc_type):
    response = client.get(f"/forms/{doc_type}")
    assert response.status_code == 200
    doc = page(response)
    html = response.get_data(as_text=True)
    kind = DOCUMENT_TYPES[doc_type]
    schema = document_json_schema(kind.id, kind.name, kind.schema())
    # Every Vietnamese title of the schema is on the page (as a label or a legend).
    for title in titles(schema) - {kind.name}:
        assert title in html, title
    # Every input has a label (accessible names), and required ones say so.
    for el in doc.forms[0].inputs:
        if el.get("type") in ("hidden", "submit") or "__i__" in (el.get("name") or ""):
            continue
        assert doc.xpath(f"//label[@for='{el.get('id')}']"), el.get("name")
    for name in schema["required"]:
        if schema["properties"][name].get("type") in ("string", "integer"):
            assert field(doc, name).get("aria-required") == "true", name
    # No CDN: every script and stylesheet comes from this server.
    assert not re.search(r'(src|href)="(https?:)?//', html)


def test_widgets(client):
    doc = page(client.get("/forms/minutes"))
    # Dates are typed dd/mm/yyyy: the browser's picker showed mm/dd/yyyy in English (issue 15)
    assert field(doc, "date").get("type") == "text"
    assert field(doc, "date").get("placeholder") == "dd/mm/yyyy"
    assert field(doc, "started_at").get("placeholder") == "dd/mm/yyyy hh:mm"
    assert "f-date-echo" in field(doc, "date").get("aria-describedby")
    # Counts are text with a numeric keyboard: type=number read "1.200" as 1.2
    assert field(doc, "copies").get("type") == "text"
    assert field(doc, "copies").get("inputmode") == "numeric"
    assert field(doc, "copies").get("data-min") == "1" and field(doc, "copies").get("data-max") == "20"
    assert field(doc, "conclusion").tag == "textarea"
    assert field(doc, "agency.code").get("maxlength") == "30"
    role = field(doc, "members[0].role")
    assert role.tag == "select"
    labels = {o.get("value"): o.text_content() for o in role.xpath("option")}
    assert labels == {"": "— Chọn —", "truong_doan": "Trưởng đoàn", "pho_doan": "Phó Trưởng đoàn",
                      "thanh_vien": "Thành viên", "thu_ky": "Thư ký"}
    # Repeating groups: rows, a template for new rows, add/remove buttons.
    members = doc.get_element_by_id("f-members")
    assert members.get("data-repeat") == "members" and members.get("data-min") == "1"
    assert members.xpath(".//template[@data-row-template]")
    assert members.xpath(".//button[@data-add-row]") and members.xpath(".//button[@data-remove-row]")
    assert field(doc, "recipients[0]").get("type") == "text"


def test_example_prefills(client, example):
    data = example("minutes")
    doc = page(client.get("/forms/minutes?example=1"))
    assert doc.forms[0].get("data-source") == "example"
    assert field(doc, "members[3].full_name").get("value") == data["members"][3]["full_name"]
    assert field(doc, "started_at").get("value") == "12/10/2017 08:00"  # as a clerk types it
    assert field(doc, "date").get("value") == "12/10/2017"
    assert doc.get_element_by_id("f-date-echo").text_content() == "ngày 12 tháng 10 năm 2017"
    assert field(doc, "conclusion").text_content() == data["conclusion"]
    role = field(doc, "members[1].role")
    assert role.xpath("option[@selected]")[0].get("value") == "pho_doan"


@pytest.mark.parametrize("doc_type", DOC_TYPES)
def test_example_form_round_trips_to_a_document(client, example, doc_type):
    doc = page(client.get(f"/forms/{doc_type}?example=1"))
    response = client.post(f"/forms/{doc_type}", data=form_values(doc))
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    assert response.mimetype == DOCX
    assert response.headers["Content-Disposition"].startswith("attachment;")
    data = example(doc_type)
    text = docx_text(response.data)
    assert data["summary"] in text and data["signer"]["full_name"] in text


def test_error_shown_next_to_the_field_and_nothing_lost(client):
    values = form_values(page(client.get("/forms/minutes?example=1")))
    values["members[1].full_name"] = ""
    values["copies"] = "hai"
    values["members[2].position"] = "Chuyên viên (đã sửa)"
    response = client.post("/forms/minutes", data=values)
    assert response.status_code == 422
    doc = page(response)
    assert "Không được để trống." in error_at(doc, "members[1].full_name")
    assert field(doc, "members[1].full_name").get("aria-invalid") == "true"
    assert "f-members-1-full_name-error" in field(doc, "members[1].full_name").get(
        "aria-describedby")
    # What was typed stays, including the edit and the invalid number.
    assert field(doc, "members[2].position").get("value") == "Chuyên viên (đã sửa)"
    assert field(doc, "copies").get("value") == "hai"
    assert "Phải là một số nguyên (ví dụ 1200 hoặc 1.200)." in error_at(doc, "copies")
    assert doc.forms[0].get("data-source") == "submitted"
    summary = doc.get_element_by_id("error-summary").text_content()
    assert "Thành viên Đoàn kiểm tra 2 › Họ và tên" in summary and "2 lỗi" in summary


def test_blank_rows_dropped_and_renumbered(client, example):
    values = form_values(page(client.get("/forms/minutes?example=1")))
    # Rows 0..3 exist; move member 3 to index 9 and add an all-blank row 5: the server
    # keeps order, drops the blank row and numbers from 0, so errors match the inputs.
    for key in ("full_name", "position", "unit", "role"):
        values[f"members[9].{key}"] = values.pop(f"members[3].{key}")
        values[f"members[5].{key}"] = ""
    values["members[9].full_name"] = " "
    doc = page(client.post("/forms/minutes", data=values))
    assert "Không được để trống." in error_at(doc, "members[3].full_name")
    assert field(doc, "members[3].unit").get("value") == example("minutes")["members"][3]["unit"]
    assert not doc.xpath("//*[@id='f-members-4-full_name']")


def test_list_below_minimum_is_reported_on_the_group(client):
    values = form_values(page(client.get("/forms/minutes?example=1")))
    for key in list(values):
        if key.startswith("members["):
            values[key] = ""
    doc = page(client.post("/forms/minutes", data=values))
    assert "Cần ít nhất 1 mục." in error_at(doc, "members")
    assert field(doc, "members[0].full_name").get("value") == ""  # one empty row to fill


def test_unknown_type_page_is_html_for_a_browser(client):
    response = client.get("/forms/memo", headers={"Accept": "text/html"})
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert "Không có loại văn bản" in response.get_data(as_text=True)


def test_static_assets(client):
    for name, mimetype in (("form.js", "text/javascript"), ("form.css", "text/css")):
        with client.get(f"/static/{name}") as response:
            assert response.status_code == 200 and response.mimetype == mimetype


# --- formgen on its own ------------------------------------------------------------------


def test_describe_path():
    spec = formgen.form_spec(DOCUMENT_TYPES["report"].schema())
    assert formgen.describe_path(spec, "counts.by_report") == (
        "Số lượng đơn vị › Số đơn vị kiểm tra qua báo cáo")
    assert formgen.describe_path(spec, "findings[0].content") == (
        "Kết quả theo từng nội dung 1 › Kết quả")
    assert formgen.describe_path(spec, "addressees[1]") == "Kính gửi 2"
    assert formgen.describe_path(spec, "$") == "Toàn bộ văn bản"


def test_payload_types():
    spec = formgen.form_spec(DOCUMENT_TYPES["minutes"].schema())
    form = MultiDict({"number": "", "copies": "3", "unit.address": "", "unit.name": " X ",
                      "signer.authority": "", "recipients[0]": "A", "recipients[4]": " ",
                      "recipients[7]": "B"})
    payload = formgen.to_payload(spec, formgen.collect(spec, form))
    assert payload["number"] is None  # blank and nullable: "left for the clerk"
    assert "archive" not in payload  # blank optional: the schema's default applies
    assert payload["copies"] == 3
    assert payload["unit"]["address"] is None and payload["unit"]["name"] == " X "
    assert "authority" not in payload["signer"]
    assert payload["recipients"] == ["A", "B"]
    assert payload["summary"] == ""  # required text left blank: the schema reports it


def test_a_cong_van_shows_its_file_code_not_an_empty_badge(client):
    """A công văn has no type code (Phụ lục III); its badge says CV, as its file names do."""
    index = client.get("/").get_data(as_text=True)
    assert '<span class="code"></span>' not in index
    assert 'title="Công văn không có tên loại">CV</span>' in index
    page = client.get("/forms/letter").get_data(as_text=True)
    assert '<span class="code">CV</span>' in page
