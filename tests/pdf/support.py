"""Helpers for the PDF converter tests: a Vietnamese Decree 30 .docx, the
LibreOffice skip mark, and /proc readers (no psutil) that prove no LibreOffice is
left behind."""

from __future__ import annotations

import io
import os
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from docgen.pdf import libreoffice_available

AVAILABLE, WHY = libreoffice_available()
#: As tests/conftest.py: in CI (DOCGEN_TEST_STRICT=1) a missing package fails, never skips.
STRICT = os.environ.get("DOCGEN_TEST_STRICT") == "1"

#: Every test that starts LibreOffice carries this mark. It skips, with the
#: reason, where soffice or python3-uno is missing, except under
#: DOCGEN_TEST_STRICT=1 (CI as root), where the test runs and fails instead.
skip_without_libreoffice = pytest.mark.skipif(
    not AVAILABLE and not STRICT,
    reason=f"LibreOffice/python3-uno not available ({WHY}); "
    "run scripts/install-system-deps.sh as root",
)
requires_libreoffice = [pytest.mark.libreoffice, skip_without_libreoffice]

FONT = "Times New Roman"

#: Lines a Decree 30 document carries, with the letters the old Liberation 1.07
#: lacked (ộ ỏ ạ ư Đ): a fallback to DejaVu would split words ("ph ương").
LINES = [
    "UBND TỈNH SÓC TRĂNG",
    "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Sóc Trăng, ngày 15 tháng 3 năm 2025",
    "BIÊN BẢN KIỂM TRA",
    "Việc áp dụng, duy trì Hệ thống quản lý chất lượng theo TCVN ISO 9001:2015",
    "Căn cứ Quyết định số 19/2014/QĐ-TTg của Thủ tướng Chính phủ; Bộ KH&CN hướng dẫn.",
    "Đơn vị được kiểm tra: UBND huyện Mỹ Tú, Sở Nội vụ, UBND xã Đại Ân 2.",
    "Kiểm tra phương tiện, hồ sơ, quy trình giải quyết thủ tục hành chính.",
    "Nơi nhận: Như trên; Lưu: VT, TĐC.",
]


def set_font(run, name: str = FONT) -> None:
    """Times New Roman for every script slot (ascii, hAnsi, cs, eastAsia)."""
    run.font.name = name
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), name)


def build_docx(lines: list[str] = LINES, *, pages: int = 1) -> bytes:
    """A4 Decree 30 pages (margins 20/20/30/15 mm) in Times New Roman 13 pt:
    ``lines`` on each page, pages separated by page breaks."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(13)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    for page in range(pages):
        if page:
            doc.add_page_break()
        for i, line in enumerate(lines):
            paragraph = doc.add_paragraph()
            if i < 6:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = paragraph.add_run(line)
            run.bold = i in (1, 2, 3, 5)
            run.italic = i == 4
            set_font(run)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def docx_words(content: bytes) -> list[str]:
    """The words a reader sees in the .docx body (paragraphs and tables), NFC."""
    doc = Document(io.BytesIO(content))
    texts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            texts.extend(cell.text for cell in row.cells)
    return unicodedata.normalize("NFC", "\n".join(texts)).split()


# -- /proc helpers ------------------------------------------------------------


def proc_stat(pid: int) -> tuple[str, str, int] | None:
    """(comm, state, ppid) of a live process, or None if it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    comm = raw[raw.index("(") + 1 : raw.rindex(")")]
    state, ppid = raw[raw.rindex(")") + 2 :].split()[:2]
    return comm, state, int(ppid)


def alive(pid: int) -> bool:
    """Running (a zombie, dead but not yet reaped by its parent, counts as gone)."""
    stat = proc_stat(pid)
    return stat is not None and stat[1] != "Z"


def children(ppid: int | None = None) -> list[tuple[int, str, str]]:
    """(pid, comm, state) of every process whose parent is ``ppid`` (default: us)."""
    ppid = os.getpid() if ppid is None else ppid
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = proc_stat(int(entry.name))
            if stat and stat[2] == ppid:
                found.append((int(entry.name), stat[0], stat[1]))
    return found


def office_children() -> list[tuple[int, str, str]]:
    """Our child processes that belong to LibreOffice (soffice.bin or a UNO bridge)."""
    result = []
    for pid, comm, state in children():
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if comm.startswith("soffice") or b"_uno_bridge" in cmdline:
            result.append((pid, comm, state))
    return result


def wait_for(predicate: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()
