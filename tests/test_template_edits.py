"""The committed template-edit scripts (scripts/template_edits/): each is idempotent, and
the committed .docx is what it makes of the file before its edit."""

from __future__ import annotations

import importlib.util
import io
import subprocess
import sys
import zipfile
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
EDITS = ROOT / "scripts" / "template_edits"
APPROVAL = ROOT / "templates" / "approval" / "template.docx"


def load(name: str) -> ModuleType:
    """An edit script as a module (its functions), without running it."""
    spec = importlib.util.spec_from_file_location(name, EDITS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(script: str, path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(EDITS / script), str(path)],
                          capture_output=True, text=True, check=False, timeout=60)


def document_xml(docx: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return archive.read("word/document.xml")


def members(docx: bytes) -> list[tuple[str, tuple[int, ...]]]:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return [(i.filename, i.date_time) for i in archive.infolist()]


def test_approval_year_edit_is_idempotent_and_made_the_committed_file(tmp_path: Path) -> None:
    edit = load("packs_rest_approval_year")
    committed = APPROVAL.read_bytes()
    xml = document_xml(committed)
    assert "Kế hoạch kiểm tra năm {{ year }} gồm {{ units_total".encode() in xml
    # the file as it was before the edit, rebuilt; the script makes the committed bytes of it
    before = edit.rewrite(committed, {"word/document.xml": xml.replace(
        "năm {{ year }} gồm ".encode(), b"")})
    target = tmp_path / "template.docx"
    target.write_bytes(before)
    first = run("packs_rest_approval_year.py", target)
    assert first.returncode == 0, first.stderr
    assert target.read_bytes() == committed
    assert members(committed) == members(before)  # same order, fixed timestamps
    second = run("packs_rest_approval_year.py", target)
    assert second.returncode == 0 and "unchanged" in second.stdout
    assert target.read_bytes() == committed


def test_approval_year_edit_refuses_a_paragraph_it_cannot_find(tmp_path: Path) -> None:
    edit = load("packs_rest_approval_year")
    xml = document_xml(APPROVAL.read_bytes()).replace(
        "Kế hoạch kiểm tra năm {{ year }} gồm".encode(), "Kế hoạch gồm".encode())
    target = tmp_path / "template.docx"
    target.write_bytes(edit.rewrite(APPROVAL.read_bytes(), {"word/document.xml": xml}))
    result = run("packs_rest_approval_year.py", target)
    assert result.returncode != 0 and "edit it in Word instead" in result.stderr
