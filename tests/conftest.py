"""Shared fixtures, as the Flask tutorial's conftest: app, client, runner, examples."""

from __future__ import annotations

import copy
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "schemas" / "examples"
DOC_TYPES = ["plan", "decision", "minutes", "report"]
#: Every shipped pack, in the catalog's order: the four above and the round's other
#: documents, declared without Python (approval, letter, notice).
PACK_TYPES = ["plan", "approval", "decision", "letter", "minutes", "notice", "report"]
NEW_PACKS = ["approval", "notice", "letter"]

#: In CI (DOCGEN_TEST_STRICT=1, root installs everything) a missing system
#: package is a failure, never a skip.
STRICT = os.environ.get("DOCGEN_TEST_STRICT") == "1"


def require_programs(*programs: str, package: str) -> None:
    """Skip (or, under DOCGEN_TEST_STRICT, fail) when a system program is missing."""
    missing = [p for p in programs if shutil.which(p) is None]
    if missing:
        reason = (
            f"system package missing: {package} (no {', '.join(missing)} on PATH); "
            "run `make test` as root or install it with apt-get"
        )
        if STRICT:
            pytest.fail(reason)
        pytest.skip(reason)


def load_example(doc_type: str) -> dict[str, Any]:
    return json.loads((EXAMPLES / f"{doc_type}.json").read_text(encoding="utf-8"))


@pytest.fixture
def example() -> Callable[..., dict[str, Any]]:
    """Factory: a fresh deep copy of an example payload, with overrides applied.

    ``example("report", **{"counts.on_site": 30})`` sets a nested value.
    """

    def make(doc_type: str, **overrides: Any) -> dict[str, Any]:
        data = copy.deepcopy(load_example(doc_type))
        for dotted, value in overrides.items():
            target = data
            *parents, last = dotted.split(".")
            for key in parents:
                target = target[int(key)] if isinstance(target, list) else target[key]
            if isinstance(target, list):
                target[int(last)] = value
            else:
                target[last] = value
        return data

    return make


@pytest.fixture
def app(tmp_path: Path):
    from docgen.app import create_app

    return create_app({"instance_path": tmp_path / "instance", "max_request_bytes": 256 * 1024})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
