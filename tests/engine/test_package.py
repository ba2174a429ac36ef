"""The engine package as a whole: its docstring examples, and what it may not import."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import docgen.engine

MODULES = sorted(
    f"docgen.engine.{info.name}" for info in pkgutil.iter_modules(docgen.engine.__path__)
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_engine_imports_nothing_from_flask() -> None:
    # A fresh interpreter: this test process may have Flask loaded by other tests.
    code = (
        "import sys, docgen.engine; "
        "web = sorted(m for m in sys.modules if m.split('.')[0] in {'flask', 'werkzeug'}); "
        "print(web); sys.exit(1 if web else 0)"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
