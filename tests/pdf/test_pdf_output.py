"""What a reader of the PDF sees: A4 pages, embedded Liberation Serif / Times New
Roman (never a DejaVu fallback), the Vietnamese text word for word, PDF/A tags."""

from __future__ import annotations

import io
import re
from collections import Counter

import pytest
from pypdf import PdfReader

from .pdfinspect import is_embedded, iter_fonts, nfc, pdf_text, xmp_pdfa
from .support import (
    LINES,
    build_docx,
    docx_words,
    requires_libreoffice,
)

pytestmark = requires_libreoffice

A4 = (595.28, 841.89)
WANTED = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Bộ KH&CN",
    "UBND huyện Mỹ Tú",
    "Sở Nội vụ",
    "UBND xã Đại Ân 2",
    "phương tiện",
]


@pytest.fixture(scope="module")
def pdf(pool, docx_bytes) -> bytes:
    return pool.convert(docx_bytes)


@pytest.fixture(scope="module")
def pdfa2(pool, docx_bytes) -> bytes:
    return pool.convert(docx_bytes, pdfa="2b")


def test_output_is_a_pdf(pdf: bytes) -> None:
    assert pdf.startswith(b"%PDF-")
    assert b"%%EOF" in pdf[-1024:]


def test_pages_are_a4(pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert width == pytest.approx(A4[0], abs=1)
        assert height == pytest.approx(A4[1], abs=1)


@pytest.mark.parametrize("kind", ["plain", "pdfa2"])
def test_every_font_is_embedded_and_none_is_dejavu(kind: str, pdf: bytes, pdfa2: bytes) -> None:
    reader = PdfReader(io.BytesIO(pdf if kind == "plain" else pdfa2))
    fonts = iter_fonts(reader)
    names = [str(font.get("/BaseFont")) for font in fonts]
    assert fonts, "no fonts found"
    not_embedded = [str(f.get("/BaseFont")) for f in fonts if not is_embedded(f)]
    assert not_embedded == []
    # A fallback inside a word ("ph ương") shows up as a second, DejaVu, font.
    assert not [n for n in names if "dejavu" in n.lower()], names
    # Subset prefix ("BAAAAA+") then Times New Roman itself or its metric twin.
    families = {re.sub(r"^/?([A-Z]{6}\+)?", "", n).split(",")[0].split("-")[0] for n in names}
    assert families <= {"LiberationSerif", "TimesNewRoman", "TimesNewRomanPSMT"}, families


def test_text_survives_with_its_vietnamese_letters(pdf: bytes) -> None:
    text = pdf_text(pdf)
    for wanted in WANTED:
        assert nfc(wanted) in text


def test_words_equal_the_docx_words(pdf: bytes, docx_bytes: bytes) -> None:
    """No word split or merged: the PDF's words are the .docx's words."""
    pdf_words = Counter(pdf_text(pdf).split())
    docx_words_ = Counter(docx_words(docx_bytes))
    assert pdf_words == docx_words_
    assert "phương" in pdf_words and "ph" not in pdf_words


def test_pypdf_extracts_the_same_words(pdf: bytes, docx_bytes: bytes) -> None:
    text = nfc("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    assert Counter(text.split()) == Counter(docx_words(docx_bytes))


def test_pdfa_2b_is_declared_in_xmp(pdfa2: bytes) -> None:
    assert xmp_pdfa(pdfa2) == ("2", "B")


def test_plain_pdf_declares_no_pdfa(pdf: bytes) -> None:
    assert xmp_pdfa(pdf)[0] is None


def test_pdfa_3b_is_declared_in_xmp(pool, docx_bytes: bytes) -> None:
    assert xmp_pdfa(pool.convert(docx_bytes, pdfa="3b")) == ("3", "B")


def test_pdfa_1b_is_declared_in_xmp(pool, docx_bytes: bytes) -> None:
    # LibreOffice 7.4 writes PDF/A-1 as level A (tagged), which includes level B.
    part, conformance = xmp_pdfa(pool.convert(docx_bytes, pdfa="1b"))
    assert part == "1"
    assert conformance in ("A", "B")


def test_page_break_gives_two_a4_pages(pool) -> None:
    pdf = pool.convert(build_docx(LINES, pages=2))
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2
    assert float(reader.pages[1].mediabox.height) == pytest.approx(A4[1], abs=1)
