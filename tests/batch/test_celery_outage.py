"""Issue 13, point 9: a Celery worker rides out a Redis outage and runs jobs sent after it.

A redis-server of its own (stopped and started again on the same port) and a
worker of its own, so the session's shared Redis is not disturbed.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..conftest import require_programs
from .conftest import _free_port

#: The old setting gave up after 3 reconnection attempts; the worker must outlive more.
ATTEMPTS_PAST_THE_OLD_LIMIT = 4


def _start_redis(port: int, workdir: Path) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(workdir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while True:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return process
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"redis-server did not start (exit {process.poll()})")
        time.sleep(0.05)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def outage(tmp_path: Path) -> Iterator[dict]:
    require_programs("redis-server", package="redis-server")
    port = _free_port()
    redis = _start_redis(port, tmp_path)
    url = f"redis://127.0.0.1:{port}/0"
    instance = tmp_path / "instance"
    log = tmp_path / "worker.log"
    env = {**os.environ, "DOCGEN_BROKER_URL": url, "DOCGEN_INSTANCE_PATH": str(instance),
           "PYTHONWARNINGS": "ignore"}
    with log.open("wb") as out:
        worker = subprocess.Popen(
            [sys.executable, "-m", "docgen.cli.batch", "worker", "--concurrency", "1",
             "--loglevel", "INFO"], env=env, stdout=out, stderr=subprocess.STDOUT)
    state = {"port": port, "url": url, "instance": instance, "log": log, "worker": worker,
             "redis": redis, "dir": tmp_path}
    try:
        _wait_for_log(log, worker, "ready.", 1, 60)
        yield state
    finally:
        _stop(worker)
        _stop(state["redis"])


def _wait_for_log(log: Path, worker: subprocess.Popen[bytes], text: str, count: int,
                  timeout: float) -> None:
    """Until ``text`` appears ``count`` times in the worker's log (or it exits)."""
    deadline = time.monotonic() + timeout
    while log.read_text(errors="replace").count(text) < count:
        if worker.poll() is not None:
            raise AssertionError("the worker exited:\n" + log.read_text(errors="replace")[-3000:])
        if time.monotonic() > deadline:
            raise AssertionError(f"no {count}× {text!r} in the worker's log:\n"
                                 + log.read_text(errors="replace")[-3000:])
        time.sleep(0.2)


def test_worker_survives_redis_restart_and_runs_later_jobs(outage: dict) -> None:
    from docgen.app import create_app

    from .conftest import wait_for

    _stop(outage["redis"])
    # Reconnection attempts are logged one by one; the old limit was 3, then exit.
    _wait_for_log(outage["log"], outage["worker"], "Trying again in",
                  ATTEMPTS_PAST_THE_OLD_LIMIT, 120)
    assert outage["worker"].poll() is None
    assert "Unrecoverable error" not in outage["log"].read_text(errors="replace")

    outage["redis"] = _start_redis(outage["port"], outage["dir"])
    app = create_app({"instance_path": outage["instance"], "broker_url": outage["url"]})
    try:
        client = app.test_client()
        from .sheets import shared_defaults

        row = {**shared_defaults(), "unit": {"name": "Sở Y tế"}, "date": "2017-10-12",
               "summary": "Kiểm tra", "started_at": "2017-10-12T08:00:00",
               "ended_at": "2017-10-12T11:00:00", "location": "Trụ sở",
               "unit_representatives": [{"full_name": "Võ Văn A", "position": "Giám đốc"}],
               "representative_signer": {"full_name": "Võ Văn A", "position": "Giám đốc"}}
        answer = client.post("/api/v1/batches/minutes", json=[row])
        assert answer.status_code == 202, answer.get_json()
        done = wait_for(client, answer.headers["Location"], timeout=120)
        assert done["state"] == "done" and done["rows"]["ok"] == 1, done
    finally:
        app.extensions["docgen.jobs"].close()
