"""compose.yaml: parsed and checked against the repository, then its commands run for real.

No Docker engine runs on the build machines, so — as tests/test_dockerfile.py does for the
Dockerfile — the compose file is read with PyYAML and every name in it checked (services,
images, volumes, DOCGEN_* settings against docgen.config.Settings), and then the stack's
own commands are started on this machine: the image's CMD (gunicorn) and the worker's
command (`docgen worker`) against a real redis-server and a throwaway PostgreSQL cluster,
sharing one instance folder as the compose volume does. A batch job goes through the
worker, a document is numbered in PostgreSQL, /readyz and /metrics answer.
"""

from __future__ import annotations

import io
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
import yaml

from docgen.config import Settings, default_pdf_workers

from ..register.pgcluster import Cluster
from ..test_dockerfile import exec_form, of, parse_dockerfile

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "compose.yaml"
KEY = "khoa-thu-nghiem-stack"
SETTING_NAMES = {f"DOCGEN_{f.name.upper()}" for f in fields(Settings)}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def image_cmd() -> list[str]:
    instructions = parse_dockerfile((ROOT / "Dockerfile").read_text(encoding="utf-8"))
    (cmd,) = of(instructions, "CMD")
    return exec_form(cmd)


def image_env() -> dict[str, str]:
    instructions = parse_dockerfile((ROOT / "Dockerfile").read_text(encoding="utf-8"))
    env: dict[str, str] = {}
    for args in of(instructions, "ENV"):
        for key, value in re.findall(r"(\w+)=(\S+)", args):
            env[key] = value
    return env


def test_services_images_and_volumes(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert set(services) == {"app", "worker", "redis", "postgres"}
    assert services["app"]["build"] == "." and services["app"]["image"] == "docgen:latest"
    assert services["worker"]["image"] == services["app"]["image"]  # one image, two roles
    assert re.fullmatch(r"redis:\d+(-\w+)?", services["redis"]["image"])
    assert re.fullmatch(r"postgres:\d+(-\w+)?", services["postgres"]["image"])
    declared = set(compose["volumes"])
    used = {v.split(":")[0] for s in services.values() for v in s.get("volumes", [])}
    assert used == declared, (used, declared)
    # the app and the workers share the instance folder (job folders) at the settings' path
    for name in ("app", "worker"):
        assert "instance:/app/instance" in services[name]["volumes"]
        assert services[name]["environment"]["DOCGEN_INSTANCE_PATH"] == "/app/instance"
    assert services["postgres"]["volumes"] == ["pgdata:/var/lib/postgresql/data"]


def test_every_docgen_setting_exists(compose: dict[str, Any]) -> None:
    named = {key for s in compose["services"].values() for key in s.get("environment", {})
             if key.startswith("DOCGEN_")}
    assert named and named <= SETTING_NAMES, named - SETTING_NAMES
    # and every value is one the settings accept (compose's ${VAR:-default} taken as given)
    for service in ("app", "worker"):
        env = {k: _substitute(v) for k, v in compose["services"][service]["environment"].items()
               if k.startswith("DOCGEN_")}
        Settings.from_env(env)


def _substitute(value: str) -> str:
    """Compose's ${VAR:-default} / ${VAR:?message} with the defaults a test can use."""
    return re.sub(r"\$\{(\w+)(?::-([^}]*)|:\?[^}]*)?\}",
                  lambda m: m.group(2) if m.group(2) is not None else KEY, str(value))


def test_urls_point_at_the_services(compose: dict[str, Any]) -> None:
    env = compose["services"]["app"]["environment"]
    database = _substitute(env["DOCGEN_DATABASE_URL"])
    assert re.fullmatch(r"postgresql://docgen:[^@]+@postgres:5432/docgen", database)
    postgres = compose["services"]["postgres"]["environment"]
    assert postgres["POSTGRES_USER"] == "docgen" and postgres["POSTGRES_DB"] == "docgen"
    assert _substitute(env["DOCGEN_BROKER_URL"]) == "redis://redis:6379/0"
    depends = compose["services"]["app"]["depends_on"]
    assert depends["postgres"]["condition"] == depends["redis"]["condition"] == "service_healthy"


def test_app_runs_the_image_cmd_and_worker_runs_docgen_worker(compose: dict[str, Any]) -> None:
    assert "command" not in compose["services"]["app"]  # the image's CMD, whatever it becomes
    assert image_cmd()[0] == "gunicorn"
    assert compose["services"]["worker"]["command"][:2] == ["docgen", "worker"]
    assert compose["services"]["worker"]["healthcheck"] == {"disable": True}  # no /healthz
    # the pool is sized per web worker from gunicorn's own count (gunicorn.conf.py), so
    # neither the image nor compose repeats the worker count
    assert "WEB_CONCURRENCY" not in image_env()
    assert "WEB_CONCURRENCY" not in compose["services"]["app"]["environment"]


def test_image_installs_the_postgres_driver() -> None:
    instructions = parse_dockerfile((ROOT / "Dockerfile").read_text(encoding="utf-8"))
    runs = " ".join(of(instructions, "RUN"))
    match = re.search(r"pip install [^&]*?\.\[([a-z,]+)\]", runs)
    assert match and "postgres" in match.group(1).split(",")


# -- the same commands, for real --------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def http(method: str, url: str, body: bytes | None = None,
         headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, data=body, method=method,
                                     headers={"Authorization": f"Bearer {KEY}", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def stack_env(compose: dict[str, Any], service: str, *, instance: Path, database: str,
              broker: str, metrics_dir: Path) -> dict[str, str]:
    """The service's compose environment with the hosts of this machine's servers."""
    env = {k: _substitute(v) for k, v in compose["services"][service]["environment"].items()}
    env.update(DOCGEN_DATABASE_URL=database, DOCGEN_BROKER_URL=broker,
               DOCGEN_INSTANCE_PATH=str(instance),
               DOCGEN_TEMPLATE_DIR=str(ROOT / "templates"))
    env.setdefault("PROMETHEUS_MULTIPROC_DIR", str(metrics_dir))
    if env["PROMETHEUS_MULTIPROC_DIR"] == image_env().get("PROMETHEUS_MULTIPROC_DIR"):
        env["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
    env.pop("DOCGEN_PDF_START", None)  # no PDF in this test: do not start LibreOffice
    return {**os.environ, "PYTHONWARNINGS": "ignore", **env}


def test_the_stack_starts_runs_a_batch_and_numbers_in_postgresql(
        compose: dict[str, Any], pg_cluster: Cluster, redis_url: str, tmp_path: Path) -> None:
    database = pg_cluster.create_database("docgen_stack")
    instance = tmp_path / "instance"  # the compose volume "instance", shared by both
    instance.mkdir()
    port = free_port()
    bindir = Path(sys.executable).parent
    cmd = image_cmd()
    cmd[cmd.index("0.0.0.0:8000")] = f"127.0.0.1:{port}"
    common = {"instance": instance, "database": database, "broker": redis_url,
              "metrics_dir": tmp_path / "metrics"}
    app_env = stack_env(compose, "app", **common)
    worker_env = stack_env(compose, "worker", **common)
    worker_cmd = list(compose["services"]["worker"]["command"])
    logs = tmp_path / "app.log", tmp_path / "worker.log"
    with logs[0].open("wb") as app_log, logs[1].open("wb") as worker_log:
        app = subprocess.Popen([str(bindir / cmd[0]), *cmd[1:]], cwd=ROOT, env=app_env,
                               stdout=app_log, stderr=subprocess.STDOUT)
        worker = subprocess.Popen([str(bindir / worker_cmd[0]), *worker_cmd[1:]], cwd=ROOT,
                                  env=worker_env, stdout=worker_log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _, body = http("GET", base + "/readyz")
                if status == 200:
                    break
            except OSError:
                pass
            assert app.poll() is None and time.monotonic() < deadline, logs[0].read_text()[-3000:]
            time.sleep(0.2)
        ready = json.loads(body)
        assert ready["database"]["state"] == "ok" and ready["database"]["backend"] == "postgresql"
        assert ready["broker"]["state"] == "ok" and ready["broker"]["backend"] == "redis"
        while b"ready." not in logs[1].read_bytes():
            assert worker.poll() is None and time.monotonic() < deadline, \
                logs[1].read_text()[-3000:]
            time.sleep(0.2)

        # a batch job goes through the broker to the worker
        sheet = (ROOT / "examples" / "units.csv").read_bytes()
        shared = (ROOT / "examples" / "chung.json").read_bytes()
        boundary = "docgen-stack-boundary"
        parts = b""
        for name, filename, content in (("file", "units.csv", sheet),
                                        ("defaults", "chung.json", shared)):
            parts += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; "
                      f"filename=\"{filename}\"\r\n\r\n").encode() + content + b"\r\n"
        parts += f"--{boundary}--\r\n".encode()
        status, headers, body = http("POST", base + "/api/v1/batches/minutes", parts,
                                     {"Content-Type": f"multipart/form-data; boundary={boundary}"})
        assert status == 202, body
        job = json.loads(body)
        assert job["backend"] == "celery"
        while job["state"] not in ("done", "failed", "cancelled"):
            assert time.monotonic() < deadline + 60, job
            time.sleep(0.2)
            job = json.loads(http("GET", base + headers["Location"])[2])
        assert job["state"] == "done", job
        record = json.loads((instance / "jobs" / job["id"] / "job.json").read_text("utf-8"))
        assert record["owner"]["pid"] not in (app.pid, os.getpid())  # the worker ran it
        status, _, result = http("GET", base + job["links"]["result"])
        assert status == 200
        with zipfile.ZipFile(io.BytesIO(result)) as archive:
            assert sorted(n for n in archive.namelist() if n.endswith(".docx")) == [
                "001-Văn phòng UBND tỉnh.docx", "002-Sở Nội vụ.docx", "003-Sở Tư pháp.docx"]

        # a document numbered in the register, in PostgreSQL
        minutes = (ROOT / "examples" / "minutes.json").read_bytes()
        for expected in (1, 2):
            status, headers, body = http("POST", base + "/api/v1/documents/minutes?register=true",
                                         minutes, {"Content-Type": "application/json"})
            assert status == 200 and body[:2] == b"PK", body[:300]
            assert headers["X-Docgen-Register-Number"] == str(expected)
        import psycopg

        with psycopg.connect(host=str(pg_cluster.socket_dir), port=pg_cluster.port,
                             user="postgres", dbname="docgen_stack") as conn:
            rows = conn.execute("SELECT number, symbol FROM register_entries ORDER BY number"
                                ).fetchall()
        assert rows == [(1, "01/BB-ĐKT"), (2, "02/BB-ĐKT")]

        # /metrics adds up the gunicorn workers (multiprocess mode)
        status, _, body = http("GET", base + "/metrics")
        text = body.decode()
        assert status == 200
        assert 'docgen_register_numbers_issued_total{doc_type="minutes"} 2.0' in text
        assert 'docgen_jobs{state="done"} 1.0' in text
        # every gunicorn worker sized its pool to its share of the cores: together, the cores
        workers = int(cmd[cmd.index("-w") + 1])
        total = workers * default_pdf_workers(workers)
        assert f"docgen_pdf_pool_size {float(total)}" in text, text
        # DOCGEN_LOG_FORMAT=json (compose): every line gunicorn and docgen printed is JSON
        # the worker (PROMETHEUS_MULTIPROC_DIR="") wrote no metric files, in its folder or ours
        assert not list(ROOT.glob("*.db")) and not list(tmp_path.glob("*.db"))
        for log in logs:  # the app's (gunicorn + docgen) and the worker's (Celery + docgen)
            lines = [line for line in log.read_text().splitlines() if line.strip()]
            assert lines and all(json.loads(line)["logger"] for line in lines), log.name
    finally:
        for process in (worker, app):
            process.terminate()
        for process in (worker, app):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
