"""`docgen render --format pdf` and `docgen doctor` with the real LibreOffice."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from docgen import rendering
from docgen.cli import main

from ..conftest import EXAMPLES
from .pdfinspect import pdf_text, xmp_pdfa
from .support import requires_libreoffice

pytestmark = requires_libreoffice


@pytest.fixture(autouse=True)
def own_default_renderer(monkeypatch):
    """The CLI uses the process-wide renderer: give each test its own and close its pool,
    so no LibreOffice outlives the test (the supervision tests count our children)."""
    monkeypatch.setattr(rendering, "_default", None)
    yield
    if rendering._default is not None:
        rendering._default.converter.close()


def test_render_pdf_to_file(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("DOCGEN_PDF_WORKERS", "1")
    out = tmp_path / "bien-ban.pdf"
    result = runner.invoke(main, ["render", "minutes", str(EXAMPLES / "minutes.json"),
                                  "--format", "pdf", "--pdfa", "2b", "-o", str(out)])
    assert result.exit_code == 0, result.output
    pdf = out.read_bytes()
    assert len(PdfReader(io.BytesIO(pdf)).pages) >= 2
    assert "UBND huyện Mỹ Tú" in pdf_text(pdf)
    assert xmp_pdfa(pdf) == ("2", "B")


def test_pdfa_without_pdf_is_a_usage_error(runner):
    result = runner.invoke(main, ["render", "minutes", str(EXAMPLES / "minutes.json"),
                                  "--pdfa", "2b", "-o", "-"])
    assert result.exit_code == 2
    assert "--pdfa" in result.output


def test_doctor_reports_templates_libreoffice_and_font(runner):
    result = runner.invoke(main, ["doctor"])
    assert result.exit_code == 0, result.output
    assert "[OK] mẫu minutes" in result.output
    assert "[OK] PDF: LibreOffice" in result.output
    assert "đủ chữ tiếng Việt" in result.output


def test_doctor_fails_when_libreoffice_is_missing(runner, monkeypatch):
    monkeypatch.setenv("DOCGEN_PDF_SOFFICE", "/nonexistent/soffice")
    result = runner.invoke(main, ["doctor"])
    assert result.exit_code == 1
    assert "[THIẾU] PDF" in result.output and "libreoffice-writer-nogui" in result.output


def test_output_named_pdf_makes_a_pdf_without_format(runner, tmp_path, monkeypatch):
    # `-o x.pdf` alone used to write the Word bytes into a file named .pdf
    monkeypatch.setenv("DOCGEN_PDF_WORKERS", "1")
    out = tmp_path / "bien-ban.pdf"
    result = runner.invoke(main, ["render", "minutes", str(EXAMPLES / "minutes.json"),
                                  "-o", str(out)])
    assert result.exit_code == 0, result.output
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF-")
    assert "UBND huyện Mỹ Tú" in pdf_text(pdf)
