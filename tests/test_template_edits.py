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


#: The order that re-applies every edit on a fresh template (D's look for the forms the
#: others leave, so it runs last).
ORDER = ("E_signature_lines.py", "F_report_wording.py", "F_minutes_secretary.py",
         "F_plan_wording.py", "F_decision_wording.py", "H_counts.py",
         "packs_rest_approval_year.py", "D_shared_parts.py", "G_report_pending_units.py",
         "G_notice_wording.py")


def test_every_edit_script_is_listed_and_together_they_change_nothing(tmp_path: Path) -> None:
    # A copy of the tree the scripts find from their own path (scripts/template_edits ->
    # the templates beside it): run in it, they must leave the committed templates as they are.
    shipped = sorted(p.name for p in EDITS.glob("*.py") if not p.name.startswith("_"))
    assert sorted(ORDER) == shipped
    (tmp_path / "scripts").mkdir()
    for helper in (ROOT / "scripts").glob("*.py"):  # build_templates: the deterministic zip
        (tmp_path / "scripts" / helper.name).write_bytes(helper.read_bytes())
    for source in EDITS.iterdir():
        if source.suffix == ".py":
            target = tmp_path / "scripts" / "template_edits" / source.name
            target.parent.mkdir(exist_ok=True)
            target.write_bytes(source.read_bytes())
    before = {}
    for template in (ROOT / "templates").glob("*/template.docx"):
        copy = tmp_path / "templates" / template.parent.name / "template.docx"
        copy.parent.mkdir(parents=True)
        copy.write_bytes(template.read_bytes())
        before[copy] = copy.read_bytes()
    for script in ORDER:
        done = subprocess.run([sys.executable, str(tmp_path / "scripts" / "template_edits" / script)],
                              capture_output=True, text=True, check=False, timeout=120,
                              cwd=tmp_path)
        assert done.returncode == 0, (script, done.stdout, done.stderr)
    changed = [p.parent.name for p, data in before.items() if p.read_bytes() != data]
    assert changed == []
