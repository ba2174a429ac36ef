"""Issue 15, point 1 through every entry point: the API, the form, the CLI and batch all
render through the one Renderer, so all get the letterhead pass and the clerk's breaks."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import lxml.html
from werkzeug.datastructures import MultiDict

from docgen.batch import DirectorySink, prepare_payloads, run_batch
from docgen.cli import main
from docgen.web import formgen

from .conftest import load_example

PARENT = "Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu"
ISSUER = "Ban Chỉ đạo ISO\ntỉnh Bà Rịa - Vũng Tàu"  # the clerk's own break


def _payload() -> dict:
    data = load_example("decision")
    data["agency"].update(parent_name=PARENT, name=ISSUER, code="BCĐISO",
                          place="Bà Rịa - Vũng Tàu")
    return data


def header_names(docx: bytes) -> list[str]:
    """The header's agency cell: each paragraph, its line breaks as " / "."""
    xml = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
    table = xml[xml.index("<w:tbl>"):xml.index("</w:tbl>")]
    cell = re.search(r"<w:tc>(.*?)</w:tc>", table, re.DOTALL).group(1)
    lines = []
    for p in re.findall(r"<w:p[ >].*?</w:p>", cell, re.DOTALL):
        p = p.replace("<w:br/>", "<w:t> / </w:t>")
        text = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p))
        if text:
            lines.append(text)
    return lines


EXPECTED = ["ỦY BAN NHÂN DÂN / TỈNH BÀ RỊA - VŨNG TÀU", "BAN CHỈ ĐẠO ISO / TỈNH BÀ RỊA - VŨNG TÀU"]


def test_api(client):
    response = client.post("/api/v1/documents/decision", json=_payload())
    assert response.status_code == 200, response.get_data(as_text=True)
    assert header_names(response.data) == EXPECTED


def test_form(client):
    doc = lxml.html.fromstring(client.get("/forms/decision?example=1").get_data(as_text=True))
    name = doc.get_element_by_id(formgen.dom_id("agency.name"))
    assert name.tag == "textarea"  # an input would drop the clerk's line break
    form = doc.forms[0]
    values = [(k, v) for k, v in form.form_values() if "__i__" not in k]
    values = [(k, {"agency.name": "Ban Chỉ đạo ISO\r\ntỉnh Bà Rịa - Vũng Tàu",
                   "agency.parent_name": PARENT, "agency.code": "BCĐISO",
                   "agency.place": "Bà Rịa - Vũng Tàu"}.get(k, v)) for k, v in values]
    response = client.post("/forms/decision", data=MultiDict(values))
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    assert header_names(response.data) == EXPECTED


def test_cli(runner, tmp_path: Path):
    source, out = tmp_path / "qd.json", tmp_path / "qd.docx"
    source.write_text(json.dumps(_payload(), ensure_ascii=False), "utf-8")
    result = runner.invoke(main, ["render", "decision", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert header_names(out.read_bytes()) == EXPECTED


def test_batch(tmp_path: Path):
    from docgen.config import Settings
    from docgen.rendering import Renderer

    first, second = _payload(), _payload()
    second["number"] = 5
    batch = prepare_payloads("decision", [first, second])
    result = run_batch(Renderer(Settings.from_env({})), batch, DirectorySink(tmp_path / "out"))
    assert result.failed == 0
    files = sorted((tmp_path / "out").glob("*.docx"))
    assert len(files) == 2
    for path in files:
        assert header_names(path.read_bytes()) == EXPECTED
