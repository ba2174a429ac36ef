"""Find LibreOffice (soffice.bin) and the Python that owns python3-uno.

The PDF path needs both; DOCX works without either. Messages here reach users
(the API's 503, ``docgen doctor``), so they are Vietnamese and name the Debian
packages to install, never a traceback.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger("docgen.pdf")

#: Where Debian (and the Docker image) put them; PATH is searched first.
DEFAULT_PYTHON = "/usr/bin/python3"
_SOFFICE_CANDIDATES = ("soffice", "libreoffice", "/usr/lib/libreoffice/program/soffice")

MISSING_SOFFICE = (
    "Không tìm thấy LibreOffice (soffice) nên không xuất được PDF; văn bản Word (.docx) "
    "vẫn dùng bình thường. Cài gói: apt-get install --no-install-recommends "
    "libreoffice-writer-nogui python3-uno fonts-liberation2"
)
MISSING_UNO = (
    "Không tìm thấy cầu nối Python–LibreOffice (python3-uno) cho {python} nên không xuất "
    "được PDF; văn bản Word (.docx) vẫn dùng bình thường. Cài gói: apt-get install "
    "--no-install-recommends python3-uno"
)


@dataclass(frozen=True)
class Office:
    """Resolved paths of one LibreOffice installation."""

    soffice_bin: Path  # program/soffice.bin: started directly so the pool reaps it
    python: str  # the interpreter that can ``import uno``


def _resolve_soffice(soffice: str | None) -> Path | None:
    """Return program/soffice.bin behind a ``soffice`` name, path or wrapper script."""
    candidates = (soffice,) if soffice else _SOFFICE_CANDIDATES
    for name in candidates:
        found = (
            shutil.which(name) if os.sep not in name else (name if os.path.exists(name) else None)
        )
        if not found:
            continue
        real = Path(found).resolve()
        binary = real if real.name == "soffice.bin" else real.with_name("soffice.bin")
        if binary.is_file() and os.access(binary, os.X_OK):
            return binary
    return None


@functools.lru_cache(maxsize=8)
def _python_has_uno(python: str) -> bool:
    exe = shutil.which(python) if os.sep not in python else python
    if not exe or not os.access(exe, os.X_OK):
        return False
    try:
        result = subprocess.run(
            [exe, "-I", "-c", "import uno"],
            capture_output=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        logger.warning("cannot run %s to check python3-uno: %s", exe, exc)
        return False
    if result.returncode != 0:
        logger.info("%s cannot import uno: %s", exe, result.stderr.decode(errors="replace")[-500:])
    return result.returncode == 0


def find_office(soffice: str | None = None, python: str | None = None) -> Office | str:
    """The resolved :class:`Office`, or the Vietnamese reason it cannot be used."""
    binary = _resolve_soffice(soffice)
    if binary is None:
        return MISSING_SOFFICE
    python = python or DEFAULT_PYTHON
    if not _python_has_uno(python):
        return MISSING_UNO.format(python=python)
    return Office(soffice_bin=binary, python=python)


def libreoffice_available(
    soffice: str | None = None, python: str | None = None
) -> tuple[bool, str]:
    """Can this machine make PDFs? ``(True, path)`` or ``(False, Vietnamese reason)``.

    Checks that ``soffice`` (LibreOffice) exists and that ``python`` (default
    ``/usr/bin/python3``) can ``import uno``. Starts no office.

    >>> libreoffice_available(soffice="/nonexistent/soffice")[0]
    False
    """
    found = find_office(soffice, python)
    if isinstance(found, str):
        return False, found
    return True, f"LibreOffice: {found.soffice_bin}; python3-uno: {found.python}"
