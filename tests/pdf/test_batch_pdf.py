"""`docgen batch … --format pdf`: one PDF per row through the warm pool."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from docgen import rendering
from docgen.cli import main

from ..batch.sheets import HEADERS, minutes_rows, shared_defaults, write_xlsx
from .pdfinspect import pdf_text
from .support import requires_libreoffice

pytestmark = requires_libreoffice


@pytest.fixture(autouse=True)
def own_default_renderer(monkeypatch):
    """The CLI uses the process-wide renderer: a fresh one per test, its pool closed after."""
    monkeypatch.setenv("DOCGEN_PDF_WORKERS", "1")
    monkeypatch.setattr(rendering, "_default", None)
    yield
    if rendering._default is not None:
        rendering._default.converter.close()


def test_xlsx_to_zip_of_pdfs(runner, tmp_path: Path) -> None:
    defaults = tmp_path / "chung.json"
    defaults.write_text(json.dumps(shared_defaults(), ensure_ascii=False), encoding="utf-8")
    sheet = write_xlsx(tmp_path / "units.xlsx", HEADERS, minutes_rows(3))
    out = tmp_path / "out.zip"
    result = runner.invoke(main, ["batch", "minutes", str(sheet), "--format", "pdf", "-q",
                                  "--defaults", str(defaults), "-o", str(out)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as archive:
        pdfs = sorted(n for n in archive.namelist() if n.endswith(".pdf"))
        assert pdfs == ["001-Văn phòng UBND tỉnh.pdf", "002-Sở Nội vụ.pdf", "003-Sở Tư pháp.pdf"]
        first = archive.read(pdfs[1])
    assert len(PdfReader(io.BytesIO(first)).pages) >= 2
    assert "Sở Nội vụ" in pdf_text(first)


def test_merge_needs_docx(runner, tmp_path: Path) -> None:
    sheet = write_xlsx(tmp_path / "units.xlsx", HEADERS, minutes_rows(1))
    result = runner.invoke(main, ["batch", "minutes", str(sheet), "--format", "pdf",
                                  "--merge", str(tmp_path / "m.docx")])
    assert result.exit_code == 2 and "--merge" in result.output
