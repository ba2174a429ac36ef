"""Without LibreOffice the pool says so in Vietnamese (DOCX keeps working
elsewhere); bad arguments are refused before any office starts. No LibreOffice
needed for these."""

from __future__ import annotations

import pytest

from docgen.errors import ConverterUnavailableError, UnreadableInputError, UnsupportedFormatError
from docgen.pdf import ConverterPool, libreoffice_available

from .support import build_docx, office_children


def test_missing_soffice_is_reported_in_vietnamese() -> None:
    ok, why = libreoffice_available(soffice="/nonexistent/soffice")
    assert ok is False
    assert why.startswith("Không tìm thấy LibreOffice (soffice)")
    assert "libreoffice-writer-nogui" in why  # says what to install


def test_python_without_uno_is_reported(tmp_path) -> None:
    fake = tmp_path / "python3"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    ok, why = libreoffice_available(python=str(fake))
    # Reported only when soffice itself exists; otherwise the soffice message wins.
    assert ok is False
    assert "python3-uno" in why or "soffice" in why


def test_convert_without_libreoffice_raises_unavailable() -> None:
    with ConverterPool(workers=1, soffice="/nonexistent/soffice") as pool:
        with pytest.raises(ConverterUnavailableError) as info:
            pool.convert(build_docx())
        assert info.value.code == "converter_unavailable"
        assert info.value.status == 503
        assert "Không tìm thấy LibreOffice" in info.value.message
        with pytest.raises(ConverterUnavailableError):
            pool.start()
        assert pool.status()["state"] == "stopped"
    assert office_children() == []


@pytest.mark.parametrize("level", ["2a", "4", "pdf/a-2b", ""])
def test_unknown_pdfa_level_is_refused(level: str) -> None:
    pool = ConverterPool(workers=1, soffice="/nonexistent/soffice")
    with pytest.raises(UnsupportedFormatError) as info:
        pool.convert(build_docx(), pdfa=level)
    assert "PDF/A-2b" in info.value.message
    pool.close()


@pytest.mark.parametrize("data", [b"", b"%PDF-1.7 not a docx", "PK\x03\x04 text"])
def test_input_that_is_not_a_docx_is_refused(data: object) -> None:
    pool = ConverterPool(workers=1, soffice="/nonexistent/soffice")
    with pytest.raises(UnreadableInputError) as info:
        pool.convert(data)  # type: ignore[arg-type]
    assert "Word (.docx)" in info.value.message
    pool.close()


@pytest.mark.parametrize(
    "kwargs", [{"workers": 0}, {"timeout": 0}, {"max_conversions": 0}, {"queue_size": -1}]
)
def test_nonsense_settings_are_refused(kwargs: dict[str, int]) -> None:
    with pytest.raises(ValueError):
        ConverterPool(**kwargs)  # type: ignore[arg-type]


def test_pdf_core_does_not_import_flask() -> None:
    import subprocess
    import sys

    code = "import sys, docgen.pdf; print(any(m.split('.')[0] == 'flask' for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
