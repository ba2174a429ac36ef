"""`docgen render` of one .docx imports what a document needs, and none of the server's weight.

Start-up is the CLI's budget (issue 11): a module that pulls Flask, SQLAlchemy, openpyxl,
Celery or prometheus_client into `docgen render` makes every command slower. A fresh
interpreter runs the command and lists what got imported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("flask", "sqlalchemy", "openpyxl", "celery", "prometheus_client", "alembic",
         "docgen.register", "docgen.pdf.pool", "docgen.api", "docgen.web")

SCRIPT = """
import json, sys
from docgen.cli import main
sys.argv = ["docgen", "render", "minutes", {source!r}, "-o", {target!r}]
try:
    main()
except SystemExit as exit:
    code = exit.code
print(json.dumps({{"code": code, "modules": sorted(sys.modules)}}))
"""


def test_render_imports_nothing_heavy(tmp_path):
    source = ROOT / "schemas" / "examples" / "minutes.json"
    target = tmp_path / "bb.docx"
    # no register database configured: the packs alone (DOCGEN_DATABASE_URL, --version or
    # --register would open the template store, SQLAlchemy and all)
    env = {k: v for k, v in os.environ.items() if k != "DOCGEN_DATABASE_URL"}
    env["DOCGEN_INSTANCE_PATH"] = str(tmp_path / "instance")
    done = subprocess.run([sys.executable, "-c", SCRIPT.format(source=str(source),
                                                               target=str(target))],
                          capture_output=True, text=True, check=False, timeout=120, env=env)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["code"] in (0, None), done.stderr
    assert target.stat().st_size > 10_000
    loaded = [m for m in result["modules"]
              if any(m == h or m.startswith(h + ".") for h in HEAVY)]
    assert loaded == [], f"docgen render imported {loaded}"
