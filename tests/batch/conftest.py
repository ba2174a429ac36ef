"""Fixtures for batch and job tests: the defaults JSON, a renderer, a job-ready app,
and — for the Celery path — a real redis-server and a real worker process."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ..conftest import require_programs
from .sheets import shared_defaults


@pytest.fixture
def defaults_file(tmp_path: Path) -> Path:
    path = tmp_path / "chung.json"
    path.write_text(json.dumps(shared_defaults(), ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def renderer():
    from docgen.config import Settings
    from docgen.rendering import Renderer

    return Renderer(Settings.from_env({}))


@pytest.fixture
def jobs_app(tmp_path: Path) -> Iterator[Any]:
    """An app with the local job pool; the pool is shut down afterwards."""
    from docgen.app import create_app

    app = create_app({"instance_path": tmp_path / "instance"})
    yield app
    app.extensions["docgen.jobs"].close()


def wait_for(client: Any, url: str, *, timeout: float = 30.0,
             until: tuple[str, ...] = ("done", "failed", "cancelled")) -> dict[str, Any]:
    """Poll a job URL until its state is one of ``until``; the last body."""
    deadline = time.monotonic() + timeout
    while True:
        body = client.get(url).get_json()
        if body["state"] in until:
            return body
        if time.monotonic() > deadline:
            raise AssertionError(f"job still {body['state']} after {timeout} s: {body}")
        time.sleep(0.05)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A throwaway redis-server on a free loopback port, no persistence."""
    require_programs("redis-server", package="redis-server")
    port = _free_port()
    workdir = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(workdir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start (exit {process.poll()})")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def celery_worker(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """``docgen batch worker`` as a subprocess against ``redis_url``; yields its instance path."""
    instance = tmp_path_factory.mktemp("celery-instance")
    log = instance.parent / "celery-worker.log"
    env = {**os.environ, "DOCGEN_BROKER_URL": redis_url, "DOCGEN_INSTANCE_PATH": str(instance),
           "PYTHONWARNINGS": "ignore"}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "docgen.cli.batch", "worker", "--concurrency", "1",
             "--loglevel", "INFO"],
            env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        while b"ready." not in log.read_bytes():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("celery worker did not start:\n"
                                   + log.read_text(errors="replace")[-3000:])
            time.sleep(0.1)
        yield instance
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
