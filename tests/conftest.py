"""Shared fixtures, as the Flask tutorial's conftest: app, client, runner, examples."""

from __future__ import annotations

import atexit
import copy
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import flask
import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

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

# The compiled-template cache (DOCGEN_CACHE_DIR) of this run: a fresh folder, so no test
# depends on what an earlier run left in ~/.cache; subprocesses (the CLI tests) share it.
if "DOCGEN_CACHE_DIR" not in os.environ:
    os.environ["DOCGEN_CACHE_DIR"] = tempfile.mkdtemp(prefix="docgen-test-cache-")
    atexit.register(shutil.rmtree, os.environ["DOCGEN_CACHE_DIR"], True)


@pytest.fixture(autouse=True)
def _catalog_store_as_found() -> Any:
    """Each test leaves the process-wide catalog's template store as it found it. An app
    attaches its store to the catalog (the last app built sets it); without this a later
    test that builds no app would read, and reconnect to, an earlier test's database."""
    from docgen.catalog import DOCUMENT_TYPES

    before = DOCUMENT_TYPES.store
    yield
    if DOCUMENT_TYPES.store is not before:
        DOCUMENT_TYPES.attach_store(before)


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


class PageClient(FlaskClient):
    """Flask's test client posting to pages as a browser on docgen's own page would.

    A POST outside ``/api`` gets the same-origin ``Origin`` header and, unless the test
    gives one, the session's ``_csrf`` token (docgen.http.csrf) — what the page's form
    carries. Tests of the CSRF guard itself use :func:`raw_client` or a real server.
    """

    def post(self, *args: Any, **kwargs: Any) -> Any:
        url = str(args[0] if args else kwargs.get("path", "/"))
        if not url.startswith("/api"):
            headers = dict(kwargs.pop("headers", None) or {})
            headers.setdefault("Origin", "http://localhost")
            if headers["Origin"] is None:  # the test means: no Origin header at all
                del headers["Origin"]
            kwargs["headers"] = headers
            data = kwargs.get("data")
            if data is None:
                data = kwargs["data"] = {}
            if hasattr(data, "setdefault") and "_csrf" not in data:
                data["_csrf"] = self.csrf_token()
        return super().post(*args, **kwargs)

    def csrf_token(self) -> str:
        with self.session_transaction() as session:
            token = session.setdefault("csrf", "test-" + os.urandom(8).hex())
        return str(token)


flask.Flask.test_client_class = PageClient


def raw_client(app: flask.Flask) -> FlaskClient:
    """Flask's own test client: no Origin, no token — a request from anywhere."""
    return FlaskClient(app, app.response_class, use_cookies=True)


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
