"""Numbers issued per second by the register, 8 concurrent clients, SQLite and PostgreSQL.

Each client is a thread calling :func:`docgen.register.register_and_render` with its
own sessions, as request threads do. Two figures per backend:

- ``docx``: the real thing — take the number, render the `minutes` .docx with it,
  store entry + file, commit (the counter stays locked while rendering);
- ``numbering_only``: the same transaction with a stub renderer that returns fixed
  bytes: what the database and the locking alone allow.

SQLite is a file in a temporary folder (WAL, synchronous=FULL, the defaults docgen
uses); PostgreSQL is a throwaway local cluster (initdb + pg_ctl, fsync off — the
figure measures locking, not the disk), skipped when the server binaries are missing.
After each run the numbers are checked: distinct and consecutive from 1.

    .venv/bin/python benchmarks/register_numbers.py [--clients 8] [--seconds 5]

The last line is JSON: {"sqlite_docx_per_s": …, "sqlite_numbering_only_per_s": …, …}.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.register.pgcluster: the throwaway cluster

from sqlalchemy import select

from docgen.config import Settings
from docgen.register import Register
from docgen.register.db import make_engine
from docgen.register.models import Entry
from docgen.rendering import Output, Rendered, Renderer, Validated


class StubRenderer(Renderer):
    """Renders nothing: isolates the cost of numbering from the cost of the .docx."""

    def render_validated(self, validated: Validated, format: str | Output = "docx", *,
                         pdfa: str | None = None) -> Rendered:
        # the service hands it a checked Output (since the service seam); a caller, a str
        name = format.format if isinstance(format, Output) else format
        return Rendered(content=b"x" * 14_000, format=name, media_type="application/x-stub",
                        filename="stub", warnings=[])


def example() -> dict[str, Any]:
    return json.loads((ROOT / "schemas" / "examples" / "minutes.json").read_text("utf-8"))


def run(url: str, renderer: Renderer, clients: int, seconds: float) -> float:
    register = Register(make_engine(url))
    register.upgrade()
    data = example()
    renderer.validate("minutes", data)  # warm the schema
    register.register_and_render(renderer, "minutes", data)  # warm the template cache: number 1
    stop = time.perf_counter() + seconds
    counts = [0] * clients
    errors: list[Exception] = []
    start_line = threading.Barrier(clients + 1)

    def client(i: int) -> None:
        start_line.wait()
        try:
            while time.perf_counter() < stop:
                register.register_and_render(renderer, "minutes", data)
                counts[i] += 1
        except Exception as exc:  # noqa: BLE001 - reported after the run, not lost in a thread
            errors.append(exc)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    start_line.wait()
    began = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    try:
        if errors:
            raise errors[0]
        with register.session_factory() as session:
            issued = session.scalars(select(Entry.number).order_by(Entry.number)).all()
        assert issued == list(range(1, len(issued) + 1)), "duplicate or missing number"
        assert len(issued) == sum(counts) + 1
    finally:
        register.dispose()
    return sum(counts) / elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()

    real = Renderer(Settings.from_env(environ={}))
    stub = StubRenderer(Settings.from_env(environ={}))
    results: dict[str, Any] = {"clients": args.clients}

    backends: list[tuple[str, Any]] = []
    tmp = tempfile.TemporaryDirectory(prefix="docgen-bench-")
    backends.append(("sqlite", lambda name: f"sqlite+pysqlite:///{tmp.name}/{name}.sqlite3"))

    from tests.register.pgcluster import missing_reason, start_cluster

    cluster = None
    reason = missing_reason()
    if reason is None:
        cluster = start_cluster()
        backends.append(("postgresql", cluster.create_database))
    else:
        print(f"postgresql: skipped ({reason})")
    try:
        for backend, make_url in backends:
            for label, renderer in (("docx", real), ("numbering_only", stub)):
                rate = run(make_url(f"bench_{label}"), renderer, args.clients, args.seconds)
                results[f"{backend}_{label}_per_s"] = round(rate, 1)
                print(f"{backend:<10} {label:<15} {rate:8.1f} numbers/s "
                      f"({args.clients} clients, {args.seconds:g} s)")
    finally:
        if cluster is not None:
            cluster.stop()
        tmp.cleanup()
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
