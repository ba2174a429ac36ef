"""The metrics hooks every module calls; no-ops until a web app turns metrics on.

``observe_render``, ``observe_conversion``, ``pdf_queue_changed``, ``pdf_restarted``,
``number_issued``, ``observe_request``: the engine's caller, the PDF pool and the register
call these without knowing whether anyone scrapes. They record into prometheus_client
(:mod:`docgen._prometheus`, where the metrics and ``/metrics`` are described) once
:func:`init_app` or :func:`enable` has run — in every web process, gunicorn workers
included. A command-line process never imports prometheus_client, so ``docgen render``
starts without it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

_impl: ModuleType | None = None


def enable() -> ModuleType:
    """Load prometheus_client and the metric objects (idempotent)."""
    global _impl
    if _impl is None:
        from docgen import _prometheus

        _impl = _prometheus
    return _impl


def init_app(app: Flask, count_jobs: Callable[[], Mapping[str, int]] | None = None) -> None:
    """``/metrics`` and the request counters for ``app``; metrics on in this process.

    ``count_jobs`` gives the jobs by state at scrape time (the app hands in
    :meth:`docgen.jobs.Jobs.count_by_state`)."""
    enable().init_app(app, count_jobs)


def observe_render(doc_type: str, seconds: float) -> None:
    if _impl is not None:
        _impl.observe_render(doc_type, seconds)


@contextmanager
def render_timer(doc_type: str) -> Iterator[None]:
    """``with metrics.render_timer("minutes"): content = template.render(...)``."""
    began = time.perf_counter()
    yield
    observe_render(doc_type, time.perf_counter() - began)


def observe_conversion(seconds: float, ok: bool = True) -> None:
    if _impl is not None:
        _impl.observe_conversion(seconds, ok)


def pdf_queue_changed(delta: int) -> None:
    if _impl is not None:
        _impl.pdf_queue_changed(delta)


def pdf_restarted() -> None:
    if _impl is not None:
        _impl.pdf_restarted()


def number_issued(doc_type: str) -> None:
    if _impl is not None:
        _impl.number_issued(doc_type)


def observe_request(route: str, method: str, status: int, seconds: float) -> None:
    if _impl is not None:
        _impl.observe_request(route, method, status, seconds)


def __getattr__(name: str) -> Any:
    """The metric objects themselves (``metrics.REQUESTS``…), loading them on first use."""
    if name.startswith("__"):
        raise AttributeError(name)
    return getattr(enable(), name)
