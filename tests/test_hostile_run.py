"""A bounded hostile-input run over every operation of the API (issue 13, "Tests and figures").

Beside the schemathesis run (tests/test_openapi_schemathesis.py: generated valid and
invalid requests, spec conformance), every operation read from the app's own
/api/openapi.json gets the attacks of the issue:

- oversize lists: each list in the operation's example replaced by 200,000 items;
- nested arrays: the body ``[`` × 100,000, and each property nested 10,000 deep;
- lone surrogates in keys and values;
- huge integers: 5,000 digits in the body, 30 and 5,000 digits in path and query.

Each answer must be a client error or a success (never 5xx), at most 1 MB, and
arrive within 5 s (a generous bound on the hostile request, not a measurement:
before the fixes these took 17-120 s; the figures are in benchmarks/hostile.py).
"""

from __future__ import annotations

import copy
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

MAX_ANSWER = 1024 * 1024
MAX_SECONDS = 5.0
HUGE = ["9" * 30, "9" * 5000]


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from docgen.app import create_app

    # The production default body limit (5 MiB), so big bodies reach the validators.
    app = create_app({"instance_path": tmp_path_factory.mktemp("hostile") / "instance"})
    yield app
    app.extensions["docgen.jobs"].close()


def _operations(app: Any) -> list[tuple[str, str, dict[str, Any]]]:
    document = app.test_client().get("/api/openapi.json").get_json()
    found = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "delete", "patch"):
                found.append((method, path, operation))
    return found


def _fill(path: str, value: str = "1") -> str:
    return re.sub(r"\{[^}]+\}", lambda m: "minutes" if m.group() == "{doc_type}" else value,
                  path)


def _example(operation: dict[str, Any]) -> Any:
    content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    return copy.deepcopy(content.get("example"))


def _lists_replaced(value: Any) -> Iterator[Any]:
    """Copies of ``value`` with one of its lists replaced by 200,000 zeros, each in turn."""
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, list):
                yield {**value, key: [0] * 200_000}
            for variant in _lists_replaced(item):
                yield {**value, key: variant}
    elif isinstance(value, list) and value:
        for variant in _lists_replaced(value[0]):
            yield [variant, *value[1:]]


def _bodies(operation: dict[str, Any]) -> Iterator[tuple[str, bytes]]:
    yield "nested [ x100k", b"[" * 100_000
    yield "5000 digits", b'{"copies": ' + b"9" * 5000 + b"}"
    yield "surrogate key", b'{"\\ud800": "x"}'
    yield "surrogate value", b'{"summary": "\\udfff"}'
    example = _example(operation)
    if isinstance(example, dict):
        for n, variant in enumerate(_lists_replaced(example)):
            if n >= 8:  # the first lists of each operation are enough to show the bound
                break
            yield f"oversize list {n}", json.dumps(variant).encode()
        for key in list(example)[:4]:
            nested = json.dumps({**example, key: "__N__"}).encode()
            yield f"nested {key}", nested.replace(b'"__N__"', b"[" * 10_000 + b"]" * 10_000)
        # ensure_ascii (the default) writes the lone surrogate as the escape \\ud800.
        yield "surrogate in example", json.dumps({**example, "summary": "\ud800"}).encode()


def _check(answer: Any, seconds: float, what: str) -> None:
    size = len(answer.get_data())
    assert answer.status_code < 500, f"{what}: {answer.status_code} {answer.get_data()[:300]!r}"
    assert size <= MAX_ANSWER, f"{what}: {size} bytes"
    assert seconds <= MAX_SECONDS, f"{what}: {seconds:.1f} s"


def _timed(call: Any, *args: Any, **kwargs: Any) -> tuple[Any, float]:
    start = time.monotonic()
    answer = call(*args, **kwargs)
    return answer, time.monotonic() - start


def test_every_operation_survives_hostile_bodies(hostile_app: Any) -> None:
    client = hostile_app.test_client()
    checked = 0
    for method, path, operation in _operations(hostile_app):
        if "application/json" not in operation.get("requestBody", {}).get("content", {}):
            continue
        url = _fill(path)
        for what, body in _bodies(operation):
            answer, seconds = _timed(client.open, url, method=method.upper(), data=body,
                                     content_type="application/json")
            _check(answer, seconds, f"{method.upper()} {url} ({what})")
            checked += 1
    assert checked > 100  # every JSON operation, every attack


def test_every_operation_survives_huge_integers_in_path_and_query(hostile_app: Any) -> None:
    client = hostile_app.test_client()
    checked = 0
    for method, path, operation in _operations(hostile_app):
        query = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
        for huge in HUGE:
            url = _fill(path, huge)
            if query:
                url += "?" + "&".join(f"{name}={huge}" for name in query)
            answer, seconds = _timed(client.open, url, method=method.upper())
            _check(answer, seconds, f"{method.upper()} {url[:120]}")
            checked += 1
    for page in ("/register?page=" + HUGE[0], "/register?page=" + HUGE[1],
                 "/register?year=" + HUGE[1], "/register/export.csv?year=" + HUGE[0]):
        answer, seconds = _timed(client.get, page)
        _check(answer, seconds, page[:80])
    assert checked > 50


def test_batch_uploads_survive_hostile_sheets(hostile_app: Any, tmp_path: Path) -> None:
    from tests.batch.test_hostile_input import bomb, multipart, sparse_workbook

    from .batch.sheets import HEADERS, minutes_rows, shared_defaults, write_xlsx

    plain = write_xlsx(tmp_path / "plain.xlsx", HEADERS, minutes_rows(1))
    sheets = {"sparse": sparse_workbook(tmp_path / "sparse.xlsx", minutes_rows(1)),
              "bomb": bomb(tmp_path / "bomb.xlsx", plain)}
    client = hostile_app.test_client()
    for what, sheet in sheets.items():
        with sheet.open("rb") as handle:
            answer, seconds = _timed(
                client.post, "/api/v1/batches/minutes",
                **multipart({"file": (handle, f"{what}.xlsx"),
                             "defaults": json.dumps(shared_defaults(), ensure_ascii=False),
                             "pattern": "{unit_name:>100000000}"}))
        _check(answer, seconds, f"POST /api/v1/batches/minutes ({what})")
