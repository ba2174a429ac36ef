"""The shipped templates through the whole check: their fields, their examples rendered.

What the check finds on them is asserted as known (today: nothing). A shipped template
edited so that it breaks a rule must show up here first.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from docgen.check.types import check_for_type, check_loaded_types
from docgen.rendering import Renderer

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIR = ROOT / "templates"
DOC_TYPES = ("plan", "approval", "decision", "letter", "minutes", "notice", "report")

#: What the check reports on each shipped template (codes); keep in step with the README.
KNOWN: dict[str, list[str]] = {doc_type: [] for doc_type in DOC_TYPES}


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer()


@pytest.mark.parametrize("doc_type", DOC_TYPES)
def test_shipped_template_passes_as_its_type(doc_type: str, renderer: Renderer) -> None:
    findings = check_for_type((TEMPLATE_DIR / doc_type / "template.docx").read_bytes(), doc_type, renderer)
    assert [f.code for f in findings] == KNOWN[doc_type], [str(f) for f in findings]


@pytest.mark.parametrize("doc_type", DOC_TYPES)
def test_shipped_template_checked_as_another_type_reads_unknown_names(
        doc_type: str, renderer: Renderer) -> None:
    # the names check is real: the minutes template read as a plan finds minutes' own names
    other = "plan" if doc_type != "plan" else "minutes"
    findings = check_for_type((TEMPLATE_DIR / doc_type / "template.docx").read_bytes(), other, renderer)
    assert any(f.code in ("unknown_name", "unknown_field") for f in findings)


def test_a_renamed_field_in_a_shipped_template_is_found_with_a_suggestion(
        tmp_path: Path, renderer: Renderer) -> None:
    import io
    import zipfile

    source = (TEMPLATE_DIR / "decision" / "template.docx").read_bytes()
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as original, \
            zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as edited:
        for info in original.infolist():
            data = original.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"{{ m.full_name }}", b"{{ m.fullname }}")
            edited.writestr(info, data)
    findings = check_for_type(buffer.getvalue(), "decision", renderer)
    unknown = [f for f in findings if f.code == "unknown_field"]
    assert [(f.message, f.location) for f in unknown] == [
        ("«members[]» không có trường «fullname». Có phải «full_name»?",
         "phần thân, bảng 2 hàng 3 ô 2, đoạn «{{ m.fullname }}»")]
    # the required field is now shown nowhere, and the example no longer fills in: the
    # engine's message, located by the paragraph that reads the name (no XML line number)
    assert [(f.code, f.location) for f in findings[1:]] == [
        ("required_field_not_shown", "cả mẫu"),
        ("example_render_failed",
         "bản điền thử dữ liệu mẫu: phần thân, bảng 2 hàng 3 ô 2, đoạn «{{ m.fullname }}»")]
    assert findings[2].message == "Không điền được dữ liệu mẫu vào mẫu: Thiếu dữ liệu cho 'fullname'"
    assert "dòng" not in findings[2].message


def test_loaded_types_are_checked_once_per_file_hash(tmp_path: Path, renderer: Renderer) -> None:
    for doc_type in DOC_TYPES:
        (tmp_path / doc_type).mkdir()
        shutil.copy(TEMPLATE_DIR / doc_type / "template.docx", tmp_path / doc_type / "template.docx")
    first = check_loaded_types(tmp_path, renderer)
    assert sorted((r.doc_type, r.errors) for r in first) == sorted((t, 0) for t in DOC_TYPES)
    again = check_loaded_types(tmp_path, renderer)
    assert [r.findings for r in again] == [r.findings for r in first]
    assert all(a.findings is b.findings for a, b in zip(first, again, strict=True))  # the cache
    (tmp_path / "minutes" / "template.docx").write_bytes(b"not a docx any more")
    changed = {r.doc_type: r for r in check_loaded_types(tmp_path, renderer)}
    assert [f.code for f in changed["minutes"].findings] == ["not_docx"]
    (tmp_path / "plan" / "template.docx").unlink()
    missing = {r.doc_type: r for r in check_loaded_types(tmp_path, renderer)}
    assert missing["plan"].errors == 1 and missing["plan"].findings[0].code == "not_docx"
