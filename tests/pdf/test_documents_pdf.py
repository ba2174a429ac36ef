"""The four documents as PDF through the warm pool: what a clerk prints and archives.

Real LibreOffice (python3-uno, fonts-liberation2), one pool for the module.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from pypdf import PdfReader

from docgen.app import create_app
from docgen.config import Settings
from docgen.errors import ConverterUnavailableError
from docgen.rendering import Renderer

from ..conftest import DOC_TYPES, load_example
from ..docx_text import docx_text
from .pdfinspect import is_embedded, iter_fonts, nfc, pdf_text, xmp_pdfa
from .support import requires_libreoffice

pytestmark = requires_libreoffice

A4 = (595.28, 841.89)
#: Pages of each shipped example as LibreOffice lays it out with Liberation Serif 2.
EXPECTED_PAGES = {"plan": 2, "decision": 2, "minutes": 3, "report": 3}
#: Vietnamese letters a font without full coverage would drop or replace.
VIETNAMESE = {
    "plan": ["UBND xã Đại Ân 2", "Sở Tư pháp", "Bốn mươi lăm triệu đồng"],
    "decision": ["Lê Thị Hồng Đào", "Đỗ Thị Thủy", "Điều 1.", "Trưởng đoàn"],
    "minutes": ["UBND huyện Mỹ Tú", "Võ Văn Thuận", "Lý Thị Mỹ Ngọc", "Sở KH&CN"],
    "report": ["Bộ KH&CN (b/c)", "38,33%", "Thư ký ISO thay đổi thường xuyên"],
}


@pytest.fixture(scope="module")
def renderer(tmp_path_factory) -> Iterator[Renderer]:
    settings = Settings.from_env({}, pdf_workers=1, pdf_timeout=60,
                                 instance_path=tmp_path_factory.mktemp("instance"))
    r = Renderer(settings)
    yield r
    r.converter.close()  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def pdfs(renderer) -> dict[str, bytes]:
    return {t: renderer.render(t, load_example(t), "pdf").content for t in DOC_TYPES}


@pytest.mark.parametrize("doc_type", DOC_TYPES)
def test_pages_are_a4_and_counted(doc_type, pdfs):
    reader = PdfReader(io.BytesIO(pdfs[doc_type]))
    assert len(reader.pages) == EXPECTED_PAGES[doc_type]
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - A4[0]) < 1 and abs(height - A4[1]) < 1


@pytest.mark.parametrize("doc_type", DOC_TYPES)
def test_fonts_embedded_and_no_fallback(doc_type, pdfs):
    fonts = iter_fonts(PdfReader(io.BytesIO(pdfs[doc_type])))
    names = {str(f.get("/BaseFont", "")) for f in fonts}
    assert fonts and all(is_embedded(f) for f in fonts), names
    assert not any("DejaVu" in n for n in names), names
    assert any("LiberationSerif" in n or "TimesNewRoman" in n for n in names), names


@pytest.mark.parametrize("doc_type", DOC_TYPES)
def test_text_has_header_and_payload_values(doc_type, pdfs):
    text = pdf_text(pdfs[doc_type])
    flat = " ".join(text.split())
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in flat
    assert "Độc lập - Tự do - Hạnh phúc" in flat
    data = load_example(doc_type)
    assert nfc(data["signer"]["full_name"]) in flat
    assert data["agency"]["name"].upper() in flat
    for value in VIETNAMESE[doc_type]:
        assert value in flat, value


@pytest.mark.parametrize("doc_type", DOC_TYPES)
def test_pdf_words_equal_docx_words(doc_type, renderer, pdfs):
    """No word split by a fallback font ("ph ương"): the PDF's words are the .docx's."""
    docx = renderer.render(doc_type, load_example(doc_type)).content
    expected = set(docx_text(docx).split())
    found = set(pdf_text(pdfs[doc_type]).split())
    missing = expected - found - {"PAGE"}  # the page field's code, not shown text
    assert not missing, sorted(missing)[:20]


def test_report_page_count_is_stable(renderer, pdfs):
    again = renderer.render("report", load_example("report"), "pdf").content
    assert len(PdfReader(io.BytesIO(again)).pages) == len(PdfReader(io.BytesIO(pdfs["report"])).pages)


def test_pdfa_2b_through_render(renderer):
    pdf = renderer.render("minutes", load_example("minutes"), "pdf", pdfa="2b").content
    assert xmp_pdfa(pdf) == ("2", "B")
    assert all(is_embedded(f) for f in iter_fonts(PdfReader(io.BytesIO(pdf))))


# --- through the HTTP API ------------------------------------------------------------


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    app = create_app({"instance_path": tmp_path_factory.mktemp("api"), "pdf_workers": 1})
    yield app.test_client()
    app.extensions["docgen.renderer"].converter.close()


def test_api_pdf(client):
    response = client.post("/api/v1/documents/report?format=pdf", json=load_example("report"))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "BC-215-SKHCN-2017-12-14.pdf" in response.headers["Content-Disposition"]
    assert "Sở Khoa học và Công nghệ báo cáo kết quả kiểm tra" in " ".join(
        pdf_text(response.data).split())


def test_api_accept_pdf(client):
    response = client.post("/api/v1/documents/minutes", json=load_example("minutes"),
                           headers={"Accept": "application/pdf"})
    assert response.status_code == 200 and response.data[:5] == b"%PDF-"


def test_api_pdfa(client):
    response = client.post("/api/v1/documents/decision?format=pdf&pdfa=2b",
                           json=load_example("decision"))
    assert response.status_code == 200
    assert xmp_pdfa(response.data) == ("2", "B")


def test_api_pdfa_needs_pdf_and_a_known_level(client):
    for query in ("format=docx&pdfa=2b", "format=pdf&pdfa=4x"):
        response = client.post(f"/api/v1/documents/decision?{query}", json=load_example("decision"))
        assert response.status_code == 406
        assert response.get_json(force=True)["code"] == "unsupported_format"


def test_api_timeout_is_a_504_problem(tmp_path):
    """A conversion past the deadline (twice: the retry too) is a 504, never a 500."""
    app = create_app({"instance_path": tmp_path, "pdf_workers": 1, "pdf_timeout": 0.001})
    try:
        response = app.test_client().post("/api/v1/documents/minutes?format=pdf",
                                          json=load_example("minutes"))
    finally:
        app.extensions["docgen.renderer"].converter.close()
    assert response.status_code == 504
    body = response.get_json(force=True)
    assert response.mimetype == "application/problem+json"
    assert body["code"] == "conversion_timeout" and "giây" in body["detail"]


def test_without_libreoffice_pdf_is_a_clear_503_and_docx_works(tmp_path):
    app = create_app({"instance_path": tmp_path, "pdf_soffice": "/nonexistent/soffice"})
    client = app.test_client()
    response = client.post("/api/v1/documents/minutes?format=pdf", json=load_example("minutes"))
    assert response.status_code == 503
    body = response.get_json(force=True)
    assert body["code"] == "converter_unavailable"
    assert "LibreOffice" in body["detail"] and "libreoffice-writer-nogui" in body["detail"]
    docx = client.post("/api/v1/documents/minutes", json=load_example("minutes"))
    assert docx.status_code == 200 and docx.data[:2] == b"PK"
    with pytest.raises(ConverterUnavailableError):
        app.extensions["docgen.renderer"].converter.convert(docx.data)


def test_api_busy_is_a_503_with_retry_after(tmp_path):
    """Queue full: the one instance is held (SIGSTOP) by a first request, no waiting room;
    the next request is answered at once with 503 converter_busy and Retry-After."""
    import os
    import signal
    import threading

    app = create_app({"instance_path": tmp_path, "pdf_workers": 1, "pdf_queue": 0,
                      "pdf_timeout": 20})
    pool = app.extensions["docgen.renderer"].converter
    client = app.test_client()
    pool.start()
    frozen = pool.status()["workers"][0]["pid"]
    os.kill(frozen, signal.SIGSTOP)
    first: dict = {}
    holder = threading.Thread(target=lambda: first.update(response=app.test_client().post(
        "/api/v1/documents/minutes?format=pdf", json=load_example("minutes"))), daemon=True)
    try:
        holder.start()
        for _ in range(100):
            if pool.status()["workers"][0]["state"] == "busy":
                break
            threading.Event().wait(0.05)
        response = client.post("/api/v1/documents/minutes?format=pdf", json=load_example("minutes"))
        assert response.status_code == 503
        assert response.get_json(force=True)["code"] == "converter_busy"
        assert int(response.headers["Retry-After"]) >= 1
    finally:
        os.kill(frozen, signal.SIGCONT)
        holder.join(timeout=60)
        pool.close()
    assert first["response"].status_code == 200  # the held request still got its PDF
