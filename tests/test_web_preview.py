"""The form's preview (POST /forms/<type>/preview → PNG of a page) and the warning messages
a render sends back, server side. The PNGs are read back pixel by pixel (tests/pngread.py);
tests marked libreoffice run the real converter pool."""

from __future__ import annotations

import doctest
import sys
from collections.abc import Iterator
from urllib.parse import unquote

import lxml.html
import pytest
from werkzeug.datastructures import MultiDict

import docgen.errors
import docgen.pdf.raster
from docgen.app import create_app
from docgen.pdf.raster import (
    MAX_HEIGHT,
    MAX_PAGE,
    InvalidPreviewPageError,
    PreviewUnavailableError,
    encode_png,
    page_png,
    parse_page,
)

from .pdf.support import requires_libreoffice
from .pngread import read_png

JSON = "application/json"
REPORT_WARNING = ("Số đơn vị kiểm tra tại trụ sở (30) ít hơn một phần ba số đơn vị trong kế "
                  "hoạch (120); quy định yêu cầu ít nhất một phần ba.")


def example_fields(client, doc_type: str) -> MultiDict:
    """What a browser posts from the example form: every named input, minus <template> rows."""
    doc = lxml.html.fromstring(client.get(f"/forms/{doc_type}?example=1").get_data(as_text=True))
    return MultiDict([(k, v) for k, v in doc.forms[0].form_values() if "__i__" not in k])


def report_below_one_third(client) -> MultiDict:
    fields = example_fields(client, "report")
    fields["counts.on_site"], fields["counts.by_report"] = "30", "90"  # 30 of 120 < one third
    return fields


def register_total(client) -> int:
    return int(client.get("/api/v1/register?per_page=1").get_json()["total"])


# --- the rasteriser, without LibreOffice ----------------------------------------------------

def test_doctests() -> None:
    assert doctest.testmod(docgen.pdf.raster, raise_on_error=True).attempted > 0


@pytest.mark.parametrize(("text", "page"), [
    (None, 1),
    ("", 1),  # ?page= with nothing: the first page
    ("1", 1),
    ("12", 12),
    (str(MAX_PAGE), MAX_PAGE),
])
def test_page_numbers_read(text: str | None, page: int) -> None:
    assert parse_page(text) == page


@pytest.mark.parametrize("text", [
    "0",
    "-1",
    "1.5",
    " 2",
    "abc",
    str(MAX_PAGE + 1),
    "9" * 5000,  # a huge number is refused by its length, never converted
    "٣",  # Arabic-Indic three: str.isdigit() says yes, int() would take it
])
def test_bad_page_numbers_are_a_400_naming_the_range(text: str) -> None:
    with pytest.raises(InvalidPreviewPageError) as info:
        parse_page(text)
    assert info.value.status == 400 and info.value.code == "invalid_preview_page"
    assert f"từ 1 đến {MAX_PAGE}" in info.value.message
    assert len(info.value.message) < 200  # the value is quoted, but cut


def test_encode_png_round_trips_pixels() -> None:
    # 2×2: red, green / blue, white, rows padded to a stride of 8 bytes as PDFium does.
    rgb = bytes([255, 0, 0, 0, 255, 0, 9, 9]) + bytes([0, 0, 255, 255, 255, 255, 9, 9])
    image = read_png(encode_png(rgb, 2, 2, 8))
    assert (image.width, image.height) == (2, 2)
    assert image.rows == [bytes([255, 0, 0, 0, 255, 0]), bytes([0, 0, 255, 255, 255, 255])]


def test_without_pypdfium2_the_preview_says_what_to_install(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "pypdfium2", None)  # as if not installed
    with pytest.raises(PreviewUnavailableError) as info:
        page_png(b"%PDF-1.7")
    assert info.value.status == 503 and info.value.code == "preview_unavailable"
    assert "pypdfium2" in info.value.message and "tải văn bản vẫn được" in info.value.message


def test_a_file_that_is_not_a_pdf_is_a_conversion_error() -> None:
    with pytest.raises(docgen.errors.ConversionError) as info:
        page_png(b"not a pdf at all")
    assert info.value.code == "conversion_failed" and "PDF" in info.value.message


# --- the endpoint -----------------------------------------------------------------------------

def test_preview_with_errors_is_the_form_page_with_each_message_under_its_field(client):
    fields = example_fields(client, "minutes")
    fields["members[1].full_name"] = ""
    response = client.post("/forms/minutes/preview", data=fields)
    assert response.status_code == 422 and response.mimetype == "text/html"
    doc = lxml.html.fromstring(response.get_data(as_text=True))
    error = doc.get_element_by_id("f-members-1-full_name-error").text_content()
    assert error.strip().endswith("Không được để trống.")
    assert doc.get_element_by_id("f-conclusion").text_content()  # the rest is still there


def test_preview_page_number_out_of_range_is_refused_before_any_work(client):
    response = client.post("/forms/minutes/preview?page=0", data=example_fields(client, "minutes"),
                           headers={"Accept": JSON})
    assert response.status_code == 400
    body = response.get_json(force=True)
    assert body["code"] == "invalid_preview_page" and "từ 1 đến" in body["detail"]


def test_preview_without_libreoffice_is_a_clear_503(tmp_path):
    app = create_app({"instance_path": tmp_path, "pdf_soffice": "/nonexistent/soffice"})
    client = app.test_client()
    fields = example_fields(client, "minutes")
    try:
        response = client.post("/forms/minutes/preview", data=fields, headers={"Accept": JSON})
        assert response.status_code == 503
        body = response.get_json(force=True)
        assert body["code"] == "converter_unavailable"
        assert "Không tìm thấy LibreOffice" in body["detail"]
        assert "libreoffice-writer-nogui" in body["detail"]
        # A browser asking for HTML gets the same message as a page, not a traceback.
        page = client.post("/forms/minutes/preview", data=fields, headers={"Accept": "text/html"})
        assert page.status_code == 503 and page.mimetype == "text/html"
        assert "Không tìm thấy LibreOffice" in page.get_data(as_text=True)
        # The .docx still downloads from the same form.
        docx = client.post("/forms/minutes", data=fields)
        assert docx.status_code == 200 and docx.data[:2] == b"PK"
    finally:
        app.extensions["docgen.renderer"].close()


def test_warning_messages_travel_with_the_file(client, example):
    """X-Docgen-Warning-Messages: path=<percent-encoded Vietnamese message>, for the form
    and the API alike (one file response)."""
    form = client.post("/forms/report", data=report_below_one_third(client))
    api = client.post("/api/v1/documents/report",
                      json=example("report", **{"counts.on_site": 30, "counts.by_report": 90}))
    for response in (form, api):
        assert response.status_code == 200
        header = response.headers["X-Docgen-Warning-Messages"]
        path, _, message = header.partition("=")
        assert path == "counts.on_site"
        assert header.isascii() and "," not in message  # commas inside are encoded
        assert unquote(message) == REPORT_WARNING
        assert response.headers["X-Docgen-Warning-Codes"] == "counts.on_site=on_site_below_one_third"


# --- with LibreOffice ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pdf_app(tmp_path_factory) -> Iterator:
    app = create_app({"instance_path": tmp_path_factory.mktemp("preview"), "pdf_workers": 1})
    yield app
    app.extensions["docgen.renderer"].close()


@pytest.mark.libreoffice
@requires_libreoffice[1]
def test_preview_is_the_printed_page_and_takes_no_number(pdf_app):
    client = pdf_app.test_client()
    fields = report_below_one_third(client)
    fields["_register"] = "1"  # ticked: a preview still never numbers
    fields["_format"] = "docx"  # chosen: a preview is still the printed (PDF) page
    before = register_total(client)

    first = client.post("/forms/report/preview", data=fields)
    assert first.status_code == 200, first.get_data(as_text=True)[:500]
    assert first.mimetype == "image/png"
    assert first.headers["Cache-Control"] == "no-store"
    assert first.headers["X-Docgen-Preview-Page"] == "1"
    pages = int(first.headers["X-Docgen-Preview-Pages"])
    assert pages >= 2  # the Sóc Trăng report runs over more than one A4 page
    image = read_png(first.data)
    assert image.width == 900 and image.height <= MAX_HEIGHT
    assert abs(image.height / image.width - 297 / 210) < 0.01  # an A4 page
    # Ink where a Decree 30 page has it (the header block), white margins around it.
    assert 0.005 < image.ink(0.05, 0.25) < 0.3
    assert image.ink(0.0, 0.03) == 0.0

    last = client.post(f"/forms/report/preview?page={pages}", data=fields)
    assert last.status_code == 200 and last.headers["X-Docgen-Preview-Page"] == str(pages)
    assert read_png(last.data).rows != image.rows

    past = client.post(f"/forms/report/preview?page={pages + 1}", data=fields,
                       headers={"Accept": JSON})
    assert past.status_code == 400
    assert past.get_json(force=True)["detail"] == (
        f"Văn bản có {pages} trang; không có trang {pages + 1} để xem trước.")

    assert register_total(client) == before  # three previews, no number taken
