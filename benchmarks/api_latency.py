"""Latency of ``POST /api/v1/documents/minutes`` under gunicorn, measured from outside.

Starts ``gunicorn -w 2`` on 127.0.0.1 (a free port), waits for ``/readyz``,
then runs 8 concurrent keep-alive clients for 20 s, each POSTing the minutes
example and reading the whole .docx. Prints p50/p95/p99 latency, throughput
and errors (anything but 200, or a connection failure); the last line is JSON.

    .venv/bin/python benchmarks/api_latency.py                 # -w 2, 8 clients, 20 s
    .venv/bin/python benchmarks/api_latency.py --clients 16 --seconds 10
    .venv/bin/python benchmarks/api_latency.py --url http://127.0.0.1:8000   # a running server
    .venv/bin/python benchmarks/api_latency.py --compare --seconds 8   # sync vs gthread

``--compare`` measures the gunicorn settings side by side at 1, 8 and 32 clients:
``sync`` (``-w 2``, the Dockerfile's until this measurement; no keep-alive, so
each request is a new connection) against ``gthread`` (``-w 2 -k gthread
--threads 4 --keep-alive 5``), alternating configurations, one server per run.

Traffic goes to 127.0.0.1 only; the loop is bounded by --seconds.
"""

from __future__ import annotations

import argparse
import http.client
import json
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PATH = "/api/v1/documents/minutes"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


#: The settings ``--compare`` puts side by side (gunicorn options after ``-w``).
CONFIGURATIONS = {
    "sync": [],
    "gthread": ["-k", "gthread", "--threads", "4", "--keep-alive", "5"],
}


def start_gunicorn(workers: int, quiet: bool = True,
                   options: list[str] | None = None) -> tuple[subprocess.Popen[bytes], str]:
    """gunicorn as deployed (access log at INFO, one JSON line per request), stderr discarded."""
    port = free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    proc = subprocess.Popen(
        [str(gunicorn), "-w", str(workers), *(options or []), "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", "docgen.app:create_app()"],
        cwd=ROOT, stderr=subprocess.DEVNULL if quiet else None,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/readyz")
            if conn.getresponse().status == 200:
                return proc, url
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("gunicorn did not become ready in 30 s")


def client(url: str, body: bytes, stop_at: float, latencies: list[float], errors: list[str]) -> None:
    parts = urlsplit(url)
    conn: http.client.HTTPConnection | None = None
    headers = {"Content-Type": "application/json"}
    while time.monotonic() < stop_at:
        try:
            if conn is None:
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
            started = time.perf_counter()
            conn.request("POST", PATH, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            if response.status == 200:
                latencies.append(elapsed)
            else:
                errors.append(f"HTTP {response.status}")
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = None
        except (OSError, http.client.HTTPException) as exc:
            errors.append(type(exc).__name__)
            if conn is not None:
                conn.close()
            conn = None
    if conn is not None:
        conn.close()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def measure(url: str, body: bytes, clients: int, seconds: float) -> dict[str, object]:
    """``clients`` threads POSTing for ``seconds``: throughput, latency percentiles, errors."""
    latencies: list[float] = []
    errors: list[str] = []
    stop_at = time.monotonic() + seconds
    threads = [threading.Thread(target=client, args=(url, body, stop_at, latencies, errors))
               for _ in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - started
    ms = [x * 1000 for x in latencies]
    return {
        "clients": clients,
        "seconds": round(wall, 1),
        "requests": len(ms),
        "errors": len(errors),
        "error_kinds": sorted(set(errors)),
        "rps": round(len(ms) / wall, 1),
        "p50_ms": round(percentile(ms, 50), 1) if ms else None,
        "p95_ms": round(percentile(ms, 95), 1) if ms else None,
        "p99_ms": round(percentile(ms, 99), 1) if ms else None,
        "mean_ms": round(statistics.fmean(ms), 1) if ms else None,
    }


def compare(body: bytes, workers: int, seconds: float) -> None:
    """sync against gthread at 1, 8 and 32 clients, one fresh server per measurement."""
    results: dict[str, dict[int, dict[str, object]]] = {name: {} for name in CONFIGURATIONS}
    for clients in (1, 8, 32):
        for name, options in CONFIGURATIONS.items():
            proc, url = start_gunicorn(workers, options=options)
            try:
                measure(url, body, clients, min(2.0, seconds))  # warm the workers
                results[name][clients] = result = measure(url, body, clients, seconds)
            finally:
                proc.terminate()
                proc.wait(timeout=10)
            print(f"{name:8} {clients:3} clients: {result['rps']:7} req/s, p50 "
                  f"{result['p50_ms']} ms, p95 {result['p95_ms']} ms, p99 {result['p99_ms']} ms, "
                  f"{result['errors']} errors")
    ratios = {f"gthread_rps_ratio_{c}_clients": round(
        float(results["gthread"][c]["rps"]) / float(results["sync"][c]["rps"]), 3)  # type: ignore[arg-type]
        for c in (1, 8, 32)}
    print(json.dumps({"workers": workers, **ratios,
                      **{f"{n}_{c}": r for n, by in results.items() for c, r in by.items()}}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--url", help="measure a server already running (127.0.0.1 only)")
    parser.add_argument("--compare", action="store_true",
                        help="sync vs gthread workers at 1, 8 and 32 clients")
    args = parser.parse_args()

    body = (ROOT / "schemas" / "examples" / "minutes.json").read_bytes()
    if args.compare:
        compare(body, args.workers, args.seconds)
        return
    proc = None
    if args.url:
        if urlsplit(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
            raise SystemExit("loopback only")
        url = args.url
    else:
        proc, url = start_gunicorn(args.workers, options=CONFIGURATIONS["gthread"])
    try:
        result = measure(url, body, args.clients, args.seconds)
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=10)
    result["workers"] = args.workers if proc else None
    print(f"POST {PATH}: {result['requests']} OK in {result['seconds']} s "
          f"({result['rps']} req/s), {result['errors']} errors"
          + (f" {result['error_kinds']}" if result["errors"] else ""))
    print(f"latency p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, "
          f"p99 {result['p99_ms']} ms, mean {result['mean_ms']} ms")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
