"""Issue 13, point 13: a real `docgen serve` mid-batch, killed (-9) or asked to stop (TERM).

The processes checked are those the server itself started (read from /proc),
never a machine-wide count.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import _free_port
from .sheets import HEADERS, minutes_rows, shared_defaults, write_csv

pytestmark = pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):
            found |= {int(p) for p in (task / "children").read_text().split()}
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout:.0f} s: {what}")
        time.sleep(0.1)


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as answer:
        return json.loads(answer.read())


@pytest.fixture
def server(tmp_path: Path) -> Iterator[dict]:
    port = _free_port()
    env = {**os.environ, "DOCGEN_INSTANCE_PATH": str(tmp_path / "instance"),
           "DOCGEN_BATCH_MAX_ROWS": "5000", "PYTHONWARNINGS": "ignore"}
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen([sys.executable, "-c", "from docgen.cli import main; main()", "serve",
                                "--port", str(port)],
                               env=env, stdout=log, stderr=subprocess.STDOUT)

    def up() -> bool:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return True
        return False

    try:
        _wait(up, 30, "docgen serve listening")
        yield {"process": process, "base": f"http://127.0.0.1:{port}", "dir": tmp_path,
               "instance": tmp_path / "instance"}
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        log.close()


def _start_batch(server: dict, rows: int) -> str:
    """A long batch (thousands of rows), posted as a CSV upload; its job id once running."""
    import requests

    sheet = write_csv(server["dir"] / "units.csv", HEADERS,
                      (minutes_rows() * (rows // 120 + 1))[:rows])
    with sheet.open("rb") as handle:
        answer = requests.post(f"{server['base']}/api/v1/batches/minutes", timeout=60, files={
            "file": ("units.csv", handle, "text/csv"),
            "defaults": ("chung.json", json.dumps(shared_defaults()), "application/json")})
    assert answer.status_code == 202, answer.text
    job_id = answer.json()["id"]
    _wait(lambda: _get(f"{server['base']}/api/v1/jobs/{job_id}")["rows"]["done"] > 0, 60,
          "the batch rendering its first rows")
    return job_id


def test_kill_9_of_the_server_takes_its_pool_processes_along(server: dict) -> None:
    _start_batch(server, 5000)
    server_pid = server["process"].pid
    children = _children(server_pid)
    assert children, "the pool process (and resource tracker) should be children of the server"
    server["process"].send_signal(signal.SIGKILL)
    server["process"].wait()
    _wait(lambda: not any(_alive(pid) for pid in children), 20,
          f"pool processes {sorted(children)} gone after the server's kill -9")


def test_sigterm_hands_the_running_job_back(server: dict) -> None:
    job_id = _start_batch(server, 5000)
    server["process"].send_signal(signal.SIGTERM)
    server["process"].wait(timeout=30)  # a bound, not a measurement: the old code ran 5,000 rows
    record = json.loads((server["instance"] / "jobs" / job_id / "job.json").read_text("utf-8"))
    assert record["state"] == "failed" and record["error_code"] == "interrupted", record
    assert 0 < record["done"] < 5000
    assert "hãy gửi lại" in record["message"]
