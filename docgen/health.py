"""Readiness of what docgen depends on: the register database and the job broker.

``/readyz`` calls :func:`dependencies`. Each check runs in its own thread and is
waited for at most ``DOCGEN_HEALTH_TIMEOUT`` seconds (and the drivers are given
the same connect timeout), so a database that does not answer makes ``/readyz``
say ``timeout`` within the bound instead of hanging the load balancer's probe.
The answer names the state and the error's class, never the URL (it may hold a
password) nor the driver's message (it may hold the host and user).

    {"database": {"state": "ok", "backend": "postgresql", "seconds": 0.004},
     "broker": {"state": "down", "backend": "redis", "error": "ConnectionError"}}

States: ``ok``, ``down`` (answered with an error), ``timeout``, ``unused`` (no
broker configured: jobs run in the local pool).
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable
from typing import Any

from docgen.config import Settings

OK, DOWN, TIMEOUT, UNUSED = "ok", "down", "timeout", "unused"


def check_database(settings: Settings, timeout: float) -> dict[str, Any]:
    """Open a fresh connection (not the app's pool: it must not be held) and ``SELECT 1``."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    from docgen.register.db import database_url

    url = database_url(settings)
    backend = url.get_backend_name()
    seconds = max(1, round(timeout))
    connect_args: dict[str, Any] = (
        {"connect_timeout": seconds, "options": f"-c statement_timeout={int(timeout * 1000)}"}
        if backend == "postgresql" else {"timeout": timeout}
    )
    engine = create_engine(url, poolclass=NullPool, connect_args=connect_args)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    finally:
        engine.dispose()
    return {"backend": backend}


def check_broker(settings: Settings, timeout: float) -> dict[str, Any]:
    """PING the Redis broker (or open a kombu connection to another transport)."""
    url = settings.broker_url or ""
    scheme = url.split(":", 1)[0]
    if scheme in ("redis", "rediss", "unix"):
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
        try:
            client.ping()
        finally:
            client.close()
    else:
        from kombu import Connection

        with Connection(url, connect_timeout=timeout) as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
    return {"backend": scheme}


def run_with_timeout(check: Callable[[], dict[str, Any]], timeout: float) -> dict[str, Any]:
    """``check()``'s result with ``state`` and ``seconds``; ``timeout`` when it takes longer."""
    result: dict[str, Any] = {}
    began = time.monotonic()

    def target() -> None:
        try:
            result.update(check())
            result["state"] = OK
        except Exception as exc:  # noqa: BLE001 - any failure of the dependency is a "down"
            result.update(state=DOWN, error=type(exc).__name__)

    thread = threading.Thread(target=target, name="docgen-health", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        return {"state": TIMEOUT, "seconds": round(timeout, 3)}
    result["seconds"] = round(time.monotonic() - began, 3)
    return result


def dependencies(settings: Settings) -> dict[str, dict[str, Any]]:
    """``{"database": {...}, "broker": {...}}`` for /readyz, both checked at once."""
    timeout = settings.health_timeout
    checks: dict[str, Callable[[], dict[str, Any]]] = {
        "database": functools.partial(check_database, settings, timeout),
    }
    if settings.broker_url:
        checks["broker"] = functools.partial(check_broker, settings, timeout)
    results: dict[str, dict[str, Any]] = {} if settings.broker_url else {
        "broker": {"state": UNUSED}}

    def run(name: str, check: Callable[[], dict[str, Any]]) -> None:
        results[name] = run_with_timeout(check, timeout)

    threads = [threading.Thread(target=run, args=item, name=f"docgen-health-{item[0]}",
                                daemon=True) for item in checks.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout + 1)  # run_with_timeout returns within timeout; this is a backstop
    for name in checks:
        results.setdefault(name, {"state": TIMEOUT, "seconds": round(timeout, 3)})
    return {"database": results["database"], "broker": results["broker"]}


def all_ready(checks: dict[str, dict[str, Any]]) -> bool:
    return all(c["state"] in (OK, UNUSED) for c in checks.values())


__all__ = ["all_ready", "check_broker", "check_database", "dependencies", "run_with_timeout"]
