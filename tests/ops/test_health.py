"""/readyz reports the register database and the job broker, for real, up and down."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from docgen.app import create_app
from docgen.config import Settings
from docgen.health import dependencies, run_with_timeout


def readyz(config: dict[str, object]) -> tuple[int, dict[str, object]]:
    app = create_app(config)
    response = app.test_client().get("/readyz")
    return response.status_code, response.get_json()


def test_sqlite_and_no_broker_are_ready(tmp_path: Path) -> None:
    status, body = readyz({"instance_path": tmp_path})
    assert status == 200 and body["status"] == "ready"
    assert body["database"]["state"] == "ok" and body["database"]["backend"] == "sqlite"
    assert body["broker"] == {"state": "unused"}


def test_postgresql_and_redis_up(tmp_path: Path, pg_url: str, redis_url: str) -> None:
    status, body = readyz({"instance_path": tmp_path, "database_url": pg_url,
                           "broker_url": redis_url})
    assert status == 200, body
    assert body["database"]["state"] == "ok" and body["database"]["backend"] == "postgresql"
    assert body["broker"]["state"] == "ok" and body["broker"]["backend"] == "redis"


def test_postgresql_stopped_is_not_ready(tmp_path: Path, pg_cluster: object) -> None:
    """Its own cluster: ready while it runs, ``down`` once it is stopped."""
    from ..register.pgcluster import start_cluster

    cluster = start_cluster()
    try:
        url = cluster.create_database("docgen_ready")
        app = create_app({"instance_path": tmp_path, "database_url": url})
        client = app.test_client()
        assert client.get("/readyz").get_json()["database"]["state"] == "ok"
    finally:
        cluster.stop()
    response = client.get("/readyz")
    body = response.get_json()
    assert response.status_code == 503 and body["status"] == "not_ready"
    assert body["database"]["state"] == "down"
    assert body["database"]["error"] == "OperationalError"
    assert str(cluster.socket_dir) not in response.get_data(as_text=True)  # no URL shown


def test_redis_down_is_not_ready(tmp_path: Path) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    status, body = readyz({"instance_path": tmp_path, "broker_url": f"redis://127.0.0.1:{port}/0"})
    assert status == 503
    assert body["broker"]["state"] == "down" and body["broker"]["error"] == "ConnectionError"
    assert body["database"]["state"] == "ok"


@pytest.fixture
def silent_server() -> Iterator[int]:
    """Accepts TCP connections and never answers: a hung Redis."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    server.close()


def test_a_broker_that_never_answers_is_a_timeout(tmp_path: Path, silent_server: int) -> None:
    settings = Settings.from_env({}, instance_path=tmp_path, health_timeout=0.3,
                                 broker_url=f"redis://127.0.0.1:{silent_server}/0")
    checks = dependencies(settings)
    assert checks["broker"]["state"] in ("timeout", "down")
    # redis-py's own socket timeout (the same 0.3 s) or docgen's bound: either way, no hang
    assert checks["broker"].get("error", "TimeoutError") in ("TimeoutError", "timeout")


def test_run_with_timeout_bounds_a_hung_check() -> None:
    result = run_with_timeout(lambda: time.sleep(5) or {}, 0.2)
    assert result == {"state": "timeout", "seconds": 0.2}
    assert run_with_timeout(lambda: {"backend": "x"}, 1)["state"] == "ok"
    assert run_with_timeout(lambda: 1 / 0, 1)["error"] == "ZeroDivisionError"  # type: ignore[arg-type,return-value]
