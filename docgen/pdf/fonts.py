"""Fonts for PDF output: Times New Roman, or Liberation Serif 2.x in its place.

Decree 30/2020/NĐ-CP sets Times New Roman. Linux servers rarely have it;
Liberation Serif has the same metrics (line breaks and page breaks stay where
Word puts them), but only version 2.x (Debian's fonts-liberation2) carries the
Vietnamese letters. With the old 1.07 (fonts-liberation) LibreOffice falls back to
DejaVu for ộ, ỏ, ạ, ư … inside a word and the PDF reads "ph ương".

How the name is resolved:

* fontconfig: Debian ships /etc/fonts/conf.d/30-metric-aliases.conf, which maps
  Times New Roman to Liberation Serif (``fc-match "Times New Roman"``).
* LibreOffice: each pool instance's own profile gets a font replacement table
  entry Times New Roman -> Liberation Serif, written only when Times New Roman
  is not installed (LibreOffice applies a user table entry only with
  "Always" set, so the entry is added or not at profile build time). It makes the
  PDF independent of the host's fontconfig aliases; a real Times New Roman, when
  installed, is always used.

:func:`font_report` says what a host resolves to and whether that font covers
every Vietnamese letter, from the font's character map as fontconfig reads it
(``fc-match``'s ``%{charset}``; no fontTools needed). ``docgen doctor`` shows it.
"""

from __future__ import annotations

import functools
import logging
import shutil
import struct
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

logger = logging.getLogger("docgen.pdf")

__all__ = ["FONT_REPLACEMENTS", "VIETNAMESE_LETTERS", "font_report", "replacements_needed"]

REQUIRED_FONT = "Times New Roman"
#: (font a document asks for, font LibreOffice uses when it is not installed)
FONT_REPLACEMENTS: tuple[tuple[str, str], ...] = ((REQUIRED_FONT, "Liberation Serif"),)
STYLES = ("Regular", "Bold", "Italic", "Bold Italic")


def _vietnamese_letters() -> str:
    """Every precomposed Vietnamese letter, lower and upper case (ă â đ ê ô ơ ư, 5 tones)."""
    bases = "aăâeêioôơuưy"
    marks = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")  # huyền sắc hỏi ngã nặng
    lower = [unicodedata.normalize("NFC", b + m) for b in bases for m in marks] + ["đ"]
    return "".join(lower) + "".join(ch.upper() for ch in lower)


#: 146 letters: 12 vowels x 6 tones + đ, in both cases.
VIETNAMESE_LETTERS = _vietnamese_letters()

_FORMAT = "%{family[0]}\t%{style[0]}\t%{file}\t%{index}\t%{fontversion}\t%{charset}\n"


def _fc(*args: str) -> str | None:
    exe = shutil.which(args[0])
    if exe is None:
        return None
    try:
        result = subprocess.run(
            [exe, *args[1:]], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        logger.warning("%s failed: %s", args[0], exc)
        return None
    return result.stdout if result.returncode == 0 else None


def parse_charset(text: str) -> set[int]:
    """fontconfig's charset notation (``"20-7e a0 1ea0-1ef9"``) as a set of code points.

    >>> sorted(parse_charset("41-43 1ed9"))
    [65, 66, 67, 7897]
    """
    points: set[int] = set()
    for part in text.split():
        low, _, high = part.partition("-")
        points.update(range(int(low, 16), int(high or low, 16) + 1))
    return points


def font_version(path: str | Path, index: int = 0) -> str | None:
    """The version string of an OpenType/TrueType file (name ID 5), e.g. "2.1.5"."""
    try:
        data = Path(path).read_bytes()
        base = 0
        if data[:4] == b"ttcf":
            base = struct.unpack_from(">I", data, 12 + 4 * index)[0]
        num_tables = struct.unpack_from(">H", data, base + 4)[0]
        for i in range(num_tables):
            tag, _, offset, _ = struct.unpack_from(">4sIII", data, base + 12 + 16 * i)
            if tag != b"name":
                continue
            _, count, strings = struct.unpack_from(">HHH", data, offset)
            found: dict[int, str] = {}
            for j in range(count):
                platform, _, _, name_id, length, str_off = struct.unpack_from(
                    ">HHHHHH", data, offset + 6 + 12 * j
                )
                if name_id != 5 or platform in found:
                    continue
                raw = data[offset + strings + str_off : offset + strings + str_off + length]
                found[platform] = raw.decode("utf-16-be" if platform in (0, 3) else "latin-1")
            text = found.get(3) or found.get(1) or found.get(0)
            if text:
                return text.removeprefix("Version ").split(";")[0].strip()
    except (OSError, struct.error, UnicodeDecodeError, IndexError) as exc:
        logger.debug("cannot read the version of %s: %s", path, exc)
    return None


def _match(family: str, style: str) -> dict[str, Any] | None:
    out = _fc("fc-match", "--format", _FORMAT, f"{family}:style={style}")
    if not out:
        return None
    fields = out.rstrip("\n").split("\t")
    if len(fields) != 6:
        return None
    fam, sty, file, index, _, charset = fields
    covered = parse_charset(charset)
    missing = [ch for ch in VIETNAMESE_LETTERS if ord(ch) not in covered]
    return {
        "family": fam,
        "style": sty,
        "file": file,
        "version": font_version(file, int(index or 0)),
        "covers_vietnamese": not missing,
        "missing_letters": "".join(missing),
    }


@functools.lru_cache(maxsize=16)
def font_installed(family: str) -> bool:
    """Is a font of exactly this family installed (no fontconfig aliasing)?"""
    out = _fc("fc-list", "--format", "%{family}\n", f":family={family}")
    return bool(out and out.strip())


def replacements_needed() -> list[tuple[str, str]]:
    """The replacement table entries LibreOffice needs on this host."""
    return [(font, sub) for font, sub in FONT_REPLACEMENTS if not font_installed(font)]


def _major(version: str | None) -> int | None:
    try:
        return int((version or "").split(".")[0])
    except ValueError:
        return None


def font_report() -> dict[str, Any]:
    """Which font "Times New Roman" becomes on this host, and can it write Vietnamese?

    Returns ``{"ok", "message" (Vietnamese), "requested", "resolved_family", "file",
    "version", "is_requested_font", "covers_vietnamese", "missing_letters",
    "styles": {style: {...}}, "libreoffice_replacements", "method"}``. ``ok`` is
    true when every style resolves to Times New Roman or to Liberation Serif >= 2
    and covers all 146 Vietnamese letters.
    """
    method = "fontconfig: fc-match (Times New Roman, 4 styles), charset read by fontconfig"
    if shutil.which("fc-match") is None:
        return {
            "ok": False,
            "message": "Không tìm thấy fontconfig (fc-match) nên không kiểm tra được phông chữ; "
            "cài gói fontconfig (đi kèm LibreOffice).",
            "requested": REQUIRED_FONT,
            "method": method,
        }
    styles = {style: _match(REQUIRED_FONT, style) for style in STYLES}
    regular = styles["Regular"] or {}
    problems: list[str] = []
    for style, info in styles.items():
        if info is None:
            problems.append(f"không tìm được phông cho kiểu {style}")
            continue
        if info["family"] == REQUIRED_FONT:
            pass
        elif info["family"] == "Liberation Serif":
            if (_major(info["version"]) or 0) < 2:
                problems.append(
                    f"Liberation Serif {info['version']} ({style}) là bản cũ, thiếu chữ tiếng "
                    "Việt; cài fonts-liberation2"
                )
        else:
            problems.append(
                f"'{REQUIRED_FONT}' ({style}) được thay bằng '{info['family']}', "
                "không cùng số đo; cài fonts-liberation2"
            )
        if not info["covers_vietnamese"]:
            problems.append(
                f"phông {info['family']} ({style}) thiếu {len(info['missing_letters'])} chữ "
                f"tiếng Việt: {info['missing_letters'][:20]}"
            )
    ok = not problems
    if ok:
        name = f"{regular.get('family')} {regular.get('version') or ''}".strip()
        message = f"Phông '{REQUIRED_FONT}' dùng {name}, đủ chữ tiếng Việt."
    else:
        message = "Phông chữ chưa đạt: " + "; ".join(problems) + "."
    return {
        "ok": ok,
        "message": message,
        "requested": REQUIRED_FONT,
        "resolved_family": regular.get("family"),
        "file": regular.get("file"),
        "version": regular.get("version"),
        "is_requested_font": regular.get("family") == REQUIRED_FONT,
        "covers_vietnamese": all(s and s["covers_vietnamese"] for s in styles.values()),
        "missing_letters": regular.get("missing_letters", VIETNAMESE_LETTERS),
        "styles": styles,
        "libreoffice_replacements": [
            {"font": font, "substitute": sub} for font, sub in replacements_needed()
        ],
        "method": method,
    }
