"""`docgen batch … --format pdf`: one PDF per row through the warm pool."""

from __future__ import annotations

import io
import json
import time
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


def _live_soffice(marker: str) -> set[int]:
    """The soffice.bin processes (not zombies) whose command line names ``marker`` — this
    test's own temporary folder, so other LibreOffice instances on the machine (other
    tests' pools, other programs) never count."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                cmdline = (entry / "cmdline").read_bytes().decode("utf-8", "replace")
            except OSError:
                continue
            name, state = stat[stat.index("(") + 1:stat.rindex(")")], stat[stat.rindex(")") + 2]
            if name.startswith("soffice") and state != "Z" and marker in cmdline:
                found.add(int(entry.name))
    return found


def test_api_batch_of_pdfs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A job with format=pdf: the job's process converts through its own pool, which
    goes away with the job pool (no LibreOffice left running)."""
    from docgen.app import create_app

    from ..batch.conftest import wait_for
    from ..batch.sheets import EXAMPLE

    # The job's process (spawned, so it reads TMPDIR afresh) makes its LibreOffice
    # profiles under this folder: its soffice command lines name it.
    own_tmp = tmp_path / "tmp"
    own_tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(own_tmp))
    app = create_app({"instance_path": tmp_path / "instance", "pdf_workers": 1})
    try:
        client = app.test_client()
        example = json.loads(EXAMPLE.read_text(encoding="utf-8"))
        shared = {k: v for k, v in example.items() if k != "unit"}
        rows = [{"unit": {"name": n}} for n in ("UBND xã An Hiệp", "UBND xã Phú Tân")]
        response = client.post("/api/v1/batches/minutes?format=pdf",
                               json={"rows": rows, "defaults": shared})
        assert response.status_code == 202, response.get_data(as_text=True)
        body = wait_for(client, response.headers["Location"], timeout=90)
        assert body["state"] == "done" and body["rows"]["ok"] == 2, body
        assert _live_soffice(str(own_tmp)), "the job's LibreOffice is not the one watched"
        with client.get(body["links"]["result"]) as result:
            archive = zipfile.ZipFile(io.BytesIO(result.data))
            pdfs = [n for n in archive.namelist() if n.endswith(".pdf")]
            assert len(pdfs) == 2
            assert "UBND xã Phú Tân" in pdf_text(archive.read(pdfs[1]))
        refused = client.post("/api/v1/batches/minutes?format=pdf&merge=1", json=[example])
        assert refused.status_code == 406
        assert refused.get_json(force=True)["code"] == "unsupported_format"
    finally:
        app.extensions["docgen.jobs"].close()
    deadline = time.monotonic() + 20
    while _live_soffice(str(own_tmp)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _live_soffice(str(own_tmp))
