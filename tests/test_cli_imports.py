"""`docgen render` of one .docx imports what a document needs, and none of the server's weight.

Start-up is the CLI's budget (issue 11, under 0.25 s: benchmarks/startup.py): a module that
pulls Flask, SQLAlchemy, openpyxl, Celery or prometheus_client into `docgen render` makes
every command slower. A fresh interpreter runs the command and lists what got imported.
Once the template's compiled parts are in the cache folder (DOCGEN_CACHE_DIR), a render
preprocesses and compiles nothing, needs no Babel, nor the JSON Schema and form
machinery, and reads the minutes pack alone.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .docx_text import docx_text

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("flask", "sqlalchemy", "openpyxl", "celery", "prometheus_client", "alembic",
         "docgen.register", "docgen.pdf.pool", "docgen.api", "docgen.web")
#: What a render from a warm compiled-template cache does without, besides HEAVY.
WARM = ("babel", "docx", "docgen.catalog._pack_schema", "docgen.check", "docgen.store",
        "docgen.jobs", "docgen.batch", "docgen.pdf", "docgen.schemas.jsonschema",
        "docgen.schemas.walk")

SCRIPT = """
import json, sys
from docgen.cli import main
from docgen.catalog import DOCUMENT_TYPES
sys.argv = ["docgen", "render", "minutes", {source!r}, "-o", {target!r}]
code = None
try:
    main()
except SystemExit as exit:
    code = exit.code
print(json.dumps({{"code": code, "modules": sorted(sys.modules),
                  "whole_catalog": DOCUMENT_TYPES._types is not None,
                  "packs_read": sorted(DOCUMENT_TYPES._single)}}))
"""


def render_in_fresh_process(tmp_path: Path, cache: Path) -> dict:
    source = ROOT / "schemas" / "examples" / "minutes.json"
    target = tmp_path / "bb.docx"
    target.unlink(missing_ok=True)
    # no register database configured: the packs alone (DOCGEN_DATABASE_URL, --version or
    # --register would open the template store, SQLAlchemy and all)
    env = {k: v for k, v in os.environ.items() if k != "DOCGEN_DATABASE_URL"}
    env["DOCGEN_INSTANCE_PATH"] = str(tmp_path / "instance")
    env["DOCGEN_CACHE_DIR"] = str(cache)
    done = subprocess.run([sys.executable, "-c", SCRIPT.format(source=str(source),
                                                               target=str(target))],
                          capture_output=True, text=True, check=False, timeout=120, env=env)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["code"] in (0, None), done.stderr
    assert "BIÊN BẢN" in docx_text(target.read_bytes())
    return result


def imported(result: dict, names: tuple[str, ...]) -> list[str]:
    return [m for m in result["modules"] if any(m == h or m.startswith(h + ".") for h in names)]


def test_render_imports_nothing_heavy(tmp_path):
    cold = render_in_fresh_process(tmp_path, tmp_path / "cache")  # compiles, fills the cache
    assert imported(cold, HEAVY) == [], "docgen render imported " + str(imported(cold, HEAVY))
    assert len(list((tmp_path / "cache" / "compiled").glob("*.bin"))) == 1  # compiled, kept
    warm = render_in_fresh_process(tmp_path, tmp_path / "cache")
    assert imported(warm, HEAVY + WARM) == [], \
        "docgen render (warm cache) imported " + str(imported(warm, HEAVY + WARM))
    assert warm["whole_catalog"] is False and warm["packs_read"] == ["minutes"]
