"""docgen.check's own rules: no Flask (fresh process), docstring examples hold, codes listed."""

from __future__ import annotations

import doctest
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from docgen.check import CODES, Finding

MODULES = ["docgen.check._findings", "docgen.check._document", "docgen.check._layout",
           "docgen.check._tags", "docgen.check._names"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_check_imports_nothing_from_flask() -> None:
    # A fresh interpreter, checking a template as its type: the whole path, CLI's included
    code = (
        "import sys; from docgen.check.types import check_for_type; "
        "check_for_type(open('templates/minutes/template.docx', 'rb').read(), 'minutes'); "
        "web = sorted(m for m in sys.modules if m.split('.')[0] in {'flask', 'werkzeug'}); "
        "print(web); sys.exit(1 if web else 0)"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_code_is_in_the_readme() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### docgen check", 1)[1].split("\n## ", 1)[0]
    assert [code for code in CODES if f"`{code}`" not in section] == []


def test_a_finding_code_must_be_known() -> None:
    with pytest.raises(ValueError, match="unknown finding code"):
        Finding("margins", "error", "…")
