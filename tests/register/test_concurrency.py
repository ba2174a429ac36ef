"""50 simultaneous requests get 50 distinct, consecutive numbers — on SQLite and on
PostgreSQL, through a real threaded HTTP server (werkzeug) and separate sessions."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from docgen.app import create_app
from docgen.register import EXTENSION
from docgen.register.models import Counter, Entry

from ..docx_text import docx_text

CLIENTS = 50


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[tuple[str, Any]]:
    app = create_app({"instance_path": tmp_path / "instance", "database_url": database_url})
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}", app
    finally:
        httpd.shutdown()
        thread.join(10)
        httpd.server_close()
        app.extensions[EXTENSION].dispose()


def post(base: str, doc_type: str, data: dict[str, Any],
         key: str | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(
        f"{base}/api/v1/register/documents/{doc_type}", method="POST",
        data=json.dumps(data).encode("utf-8"),
        headers={"Content-Type": "application/json", **({"Idempotency-Key": key} if key else {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, dict(exc.headers), exc.read()


def run_together(count: int, call: Any) -> list[Any]:
    """Start ``count`` calls at the same instant (a barrier), return their results."""
    barrier = threading.Barrier(count)

    def one(i: int) -> Any:
        barrier.wait(timeout=30)
        return call(i)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(one, range(count)))


def test_50_simultaneous_requests_get_50_consecutive_numbers(server, minutes):
    base, app = server
    results = run_together(CLIENTS, lambda i: post(base, "minutes", minutes()))
    assert [status for status, _, _ in results] == [200] * CLIENTS, results[0][2][:300]
    numbers = sorted(int(headers["X-Docgen-Register-Number"]) for _, headers, _ in results)
    assert numbers == list(range(1, CLIENTS + 1))  # distinct, no gap
    for _, headers, body in results:  # each file carries the number its headers announce
        symbol = unquote(headers["X-Docgen-Register-Symbol"])
        assert f"Số: {symbol}" in docx_text(body)
    with app.extensions[EXTENSION].session_factory() as session:
        stored = session.scalars(select(Entry.number).order_by(Entry.number)).all()
        assert stored == list(range(1, CLIENTS + 1))
        assert session.scalars(select(Counter.last_number)).one() == CLIENTS


def test_simultaneous_retries_with_one_key_take_one_number(server, minutes):
    base, app = server
    results = run_together(10, lambda i: post(base, "minutes", minutes(), key="one-key"))
    assert {status for status, _, _ in results} == {200}
    assert {headers["X-Docgen-Register-Number"] for _, headers, _ in results} == {"1"}
    assert len({body for _, _, body in results}) == 1  # the very same bytes
    with app.extensions[EXTENSION].session_factory() as session:
        assert session.scalars(select(Entry.number)).all() == [1]


def _take_numbers(url: str, count: int) -> list[int]:
    """One worker process (as a gunicorn worker): its own engine, renderer and numbers."""
    from docgen.config import Settings
    from docgen.register import Register
    from docgen.register.db import make_engine
    from docgen.rendering import Renderer

    from ..conftest import load_example

    register = Register(make_engine(url))
    renderer = Renderer(Settings.from_env(environ={}))
    try:
        return [register.register_and_render(renderer, "minutes", load_example("minutes"))[1]
                .number for _ in range(count)]
    finally:
        register.dispose()


def test_worker_processes_share_one_sequence(database_url):
    """Several processes on one database (SQLite: BEGIN IMMEDIATE + busy_timeout across
    processes; PostgreSQL: the row lock) still give one gap-free sequence."""
    import multiprocessing

    from .conftest import open_register

    open_register(database_url).dispose()  # migrate once, as `docgen db upgrade` would
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        taken = pool.starmap(_take_numbers, [(database_url, 10)] * 4)
    assert sorted(n for numbers in taken for n in numbers) == list(range(1, 41))
