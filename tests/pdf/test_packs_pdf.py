"""The round's other documents (packs without Python) as PDF through the warm pool.

Real LibreOffice; the pages were looked at (pdftoppm) when the templates were scaffolded:
the page counts below are what a văn thư signed off.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from pypdf import PdfReader

from docgen.config import Settings
from docgen.rendering import Renderer

from ..conftest import NEW_PACKS, load_example
from .pdfinspect import is_embedded, iter_fonts, pdf_text
from .support import requires_libreoffice

pytestmark = requires_libreoffice

#: Pages of each example as LibreOffice lays it out with Liberation Serif 2.
EXPECTED_PAGES = {"approval": 2, "notice": 2, "letter": 1}
#: Lines that only come out right when the pack's parts and derived values work.
EXPECTED_TEXT = {
    "approval": ["Số: 1890/QĐ-UBND", "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "(chiếm 38,33%)"],
    "notice": ["Số: 142/TB-SKHCN", "THÔNG BÁO", "Chưa đạt", "97,5%"],
    "letter": ["Số: 215/SKHCN-TĐC", "V/v đề nghị gửi báo cáo", "- Như trên;"],
}


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> Iterator[dict[str, bytes]]:
    settings = Settings.from_env({}, pdf_workers=1, pdf_timeout=60,
                                 instance_path=tmp_path_factory.mktemp("instance"))
    renderer = Renderer(settings)
    try:
        yield {t: renderer.render(t, load_example(t), "pdf").content for t in NEW_PACKS}
    finally:
        renderer.close()


@pytest.mark.parametrize("doc_type", NEW_PACKS)
def test_pack_pdf_pages_fonts_and_text(doc_type: str, pdfs: dict[str, bytes]) -> None:
    reader = PdfReader(io.BytesIO(pdfs[doc_type]))
    assert len(reader.pages) == EXPECTED_PAGES[doc_type]
    fonts = iter_fonts(reader)
    assert fonts and all(is_embedded(f) for f in fonts)
    flat = " ".join(pdf_text(pdfs[doc_type]).split())
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in flat
    for expected in EXPECTED_TEXT[doc_type]:
        assert expected in flat, (doc_type, expected)
