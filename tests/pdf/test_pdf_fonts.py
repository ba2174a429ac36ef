"""Times New Roman resolves to a font with every Vietnamese letter; LibreOffice's
replacement table lives in the instance profile, never in the system config."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest

from docgen.pdf import font_report
from docgen.pdf._discovery import find_office
from docgen.pdf._profile import build_template, pipe_paths
from docgen.pdf.fonts import VIETNAMESE_LETTERS, font_version, parse_charset, replacements_needed

from .support import STRICT, skip_without_libreoffice

needs_fontconfig = pytest.mark.skipif(
    shutil.which("fc-match") is None and not STRICT,
    reason="system package missing: fontconfig (fc-match); it comes with LibreOffice",
)


def test_vietnamese_letters_are_complete() -> None:
    assert len(VIETNAMESE_LETTERS) == len(set(VIETNAMESE_LETTERS)) == 146
    for letter in "ộỏạưĐđƠơỮữẶặ":  # the ones Liberation 1.07 lacked, and the rarest
        assert letter in VIETNAMESE_LETTERS
    assert all(unicodedata.is_normalized("NFC", ch) and len(ch) == 1 for ch in VIETNAMESE_LETTERS)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("41-43", {0x41, 0x42, 0x43}),
        ("1ed9", {0x1ED9}),
        ("20 1ea0-1ea1", {0x20, 0x1EA0, 0x1EA1}),
        ("", set()),
    ],
)
def test_parse_charset(text: str, expected: set[int]) -> None:
    assert parse_charset(text) == expected


def test_font_version_of_a_non_font_is_none(tmp_path: Path) -> None:
    junk = tmp_path / "x.ttf"
    junk.write_bytes(b"\0\1\0\0junk")
    assert font_version(junk) is None
    assert font_version(tmp_path / "missing.ttf") is None


@needs_fontconfig
def test_times_new_roman_resolves_to_a_font_with_vietnamese() -> None:
    report = font_report()
    assert report["ok"], report["message"]
    assert report["resolved_family"] in ("Times New Roman", "Liberation Serif")
    assert report["covers_vietnamese"] and report["missing_letters"] == ""
    assert set(report["styles"]) == {"Regular", "Bold", "Italic", "Bold Italic"}
    if report["resolved_family"] == "Liberation Serif":
        assert int(report["version"].split(".")[0]) >= 2  # fonts-liberation2, not 1.07
        assert Path(report["file"]).is_file()
    assert "tiếng Việt" in report["message"]


@needs_fontconfig
def test_replacement_only_where_times_new_roman_is_missing() -> None:
    report = font_report()
    wanted = [] if report["is_requested_font"] else [("Times New Roman", "Liberation Serif")]
    assert replacements_needed() == wanted


@pytest.mark.libreoffice
@skip_without_libreoffice
def test_replacement_table_is_written_into_the_instance_profile(tmp_path: Path) -> None:
    office = find_office()
    assert not isinstance(office, str)
    build_template(office, tmp_path / "template", timeout=60)
    xcu = (tmp_path / "template" / "user" / "registrymodifications.xcu").read_text()
    assert "/org.openoffice.Office.Common/Font/Substitution" in xcu
    for font, substitute in replacements_needed():
        assert f"<value>{font}</value>" in xcu
        assert f"<value>{substitute}</value>" in xcu
    single_instance_pipe = pipe_paths("", tmp_path / "template")[1]
    assert not single_instance_pipe.exists()  # cleaned up after the template run
