"""The Prometheus side of :mod:`docgen.metrics`: the metric objects and ``/metrics``.

Imported only when a web app turns metrics on (:func:`docgen.metrics.init_app`); a
``docgen render`` never pays for prometheus_client. The rest of this docstring is the
design of the metrics as a whole.

Prometheus metrics at ``/metrics``, through a tiny function API the other modules call.

Modules never touch prometheus_client objects: they call ``observe_render``,
``observe_conversion``, ``pdf_queue_changed``, ``pdf_restarted``,
``number_issued``, and this module keeps the metric objects. So a module can be
used (the engine, the PDF pool, the CLI) without knowing whether anyone scrapes,
and swapping the client library touches this file only.

    docgen_http_requests_total{route, method, status}   counter
    docgen_http_request_duration_seconds{route}         histogram
    docgen_render_duration_seconds{doc_type}            histogram (template -> .docx bytes)
    docgen_conversion_duration_seconds{outcome}         histogram (.docx -> PDF, the pool)
    docgen_pdf_queue_depth                              gauge (requests waiting for an instance)
    docgen_pdf_pool_size                                gauge (instances allowed, all workers)
    docgen_pdf_restarts_total                           counter (LibreOffice instances restarted)
    docgen_register_numbers_issued_total{doc_type}      counter
    docgen_jobs{state}                                  gauge, read from <instance>/jobs at scrape

**gunicorn's workers.** Each worker is a process with its own counters, so a
plain registry would answer for whichever worker took the scrape. When
``PROMETHEUS_MULTIPROC_DIR`` is set (the image and compose.yaml set it, and
``gunicorn.conf.py`` empties it at start and marks dead workers) prometheus_client
runs in its multiprocess mode: each process writes its values to mmap files
there and ``/metrics`` adds them up over every worker — counters and histograms
summed, the queue gauge summed over live processes (``livesum``). Without the
variable (``docgen serve``, tests, one process) the default registry is used.
Jobs by state are not counted by any process: they are read from the shared job
folders when scraped, so the web app reports jobs that Celery workers (other
processes, other containers) ran.

No Flask import at module level: the PDF pool and the register import this module.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

# prometheus_client turns multiprocess mode on when the variable merely exists, and an
# empty one would write its files into the working directory: empty means off (the
# compose file's worker, which serves no /metrics, sets it so over the image's value).
if os.environ.get("PROMETHEUS_MULTIPROC_DIR", None) == "":
    del os.environ["PROMETHEUS_MULTIPROC_DIR"]
# In multiprocess mode the folder must exist before the first metric is made (a
# `docgen render` in the container, with no gunicorn master to create it).
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)

from prometheus_client import (  # after the folder exists
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import REGISTRY, Collector

# No `_created` series beside every counter and histogram: a timestamp per label set
# that no dashboard reads and that doubles the scrape.
disable_created_metrics()

if TYPE_CHECKING:
    from flask import Flask, Response

MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"

#: Seconds: a .docx renders in milliseconds, a PDF in tenths, a batch row in between.
_FAST = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
_SLOW = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0)

REQUESTS = Counter("docgen_http_requests", "HTTP requests answered, by route and status.",
                   ["route", "method", "status"])
REQUEST_SECONDS = Histogram("docgen_http_request_duration_seconds",
                            "Time to answer an HTTP request, by route.", ["route"],
                            buckets=_FAST + (5.0, 10.0, 30.0, 60.0))
RENDER_SECONDS = Histogram("docgen_render_duration_seconds",
                           "Time to render a template to .docx bytes, by document type.",
                           ["doc_type"], buckets=_FAST)
CONVERSION_SECONDS = Histogram("docgen_conversion_duration_seconds",
                               "Time to convert a .docx to PDF in the LibreOffice pool.",
                               ["outcome"], buckets=_SLOW)
PDF_QUEUE = Gauge("docgen_pdf_queue_depth", "PDF requests waiting for a LibreOffice instance.",
                  multiprocess_mode="livesum")
PDF_POOL_SIZE = Gauge("docgen_pdf_pool_size",
                      "LibreOffice instances the web processes' PDF pools may run, together.",
                      multiprocess_mode="livesum")
PDF_RESTARTS = Counter("docgen_pdf_restarts", "LibreOffice instances killed and started again.")
NUMBERS = Counter("docgen_register_numbers_issued",
                  "Official numbers issued in the outgoing register, by document type.",
                  ["doc_type"])


# -- the hooks other modules call -----------------------------------------------------

def observe_render(doc_type: str, seconds: float) -> None:
    RENDER_SECONDS.labels(doc_type=doc_type).observe(seconds)


def observe_conversion(seconds: float, ok: bool = True) -> None:
    CONVERSION_SECONDS.labels(outcome="ok" if ok else "failed").observe(seconds)


def pdf_queue_changed(delta: int) -> None:
    """+1 when a PDF request starts waiting for an instance, -1 when it stops."""
    PDF_QUEUE.inc(delta)


def pdf_restarted() -> None:
    PDF_RESTARTS.inc()


def number_issued(doc_type: str) -> None:
    NUMBERS.labels(doc_type=doc_type).inc()


def observe_request(route: str, method: str, status: int, seconds: float) -> None:
    REQUESTS.labels(route=route, method=method, status=str(status)).inc()
    REQUEST_SECONDS.labels(route=route).observe(seconds)


# -- jobs by state, read at scrape time -----------------------------------------------

#: Counts jobs by state when called: every state, zero included (docgen.jobs.count_by_state,
#: handed in by the app so this module needs nothing from the jobs package).
JobCounter = Callable[[], Mapping[str, int]]


class JobsCollector(Collector):
    """``docgen_jobs{state}``: the job folders under ``<instance>/jobs``, counted now."""

    def __init__(self, count: JobCounter) -> None:
        self.count = count

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily("docgen_jobs", "Batch jobs kept in the job folders, by state.",
                                   labels=["state"])
        for state, n in self.count().items():
            family.add_metric([state], n)
        yield family


def registry_for_scrape(count_jobs: JobCounter | None) -> CollectorRegistry:
    """The registry ``/metrics`` answers from: all workers' files, or this process's."""
    if os.environ.get(MULTIPROCESS_ENV):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = CollectorRegistry()
        registry.register(_ProcessRegistry())
    if count_jobs is not None:
        registry.register(JobsCollector(count_jobs))
    return registry


class _ProcessRegistry(Collector):
    """The default registry's metrics (ours plus the process/platform collectors)."""

    def collect(self) -> Iterator[Any]:
        yield from REGISTRY.collect()


def init_app(app: Flask, count_jobs: JobCounter | None = None) -> None:
    """Count every request by its route (the URL rule, never the raw path) and serve /metrics.

    ``/metrics`` is open like ``/healthz``: it holds counts and timings, no payload;
    keep it on the internal network (the compose file does not publish it apart
    from the app's port).
    """
    from flask import Response, g, request

    converter = app.extensions.get("docgen.renderer")
    PDF_POOL_SIZE.set(getattr(getattr(converter, "converter", None), "workers", 0))

    def _start_timer() -> None:
        g.metrics_started = time.perf_counter()

    # First in line, so a request the key check answers (401) is counted too.
    app.before_request_funcs.setdefault(None, []).insert(0, _start_timer)

    @app.after_request
    def _count(response: Response) -> Response:
        started = g.pop("metrics_started", None)
        if started is not None and request.path != "/metrics":
            rule = request.url_rule.rule if request.url_rule is not None else "<unmatched>"
            observe_request(rule, request.method, response.status_code,
                            time.perf_counter() - started)
        return response

    def metrics_view() -> Response:
        body = generate_latest(registry_for_scrape(count_jobs))
        return Response(body, mimetype=None, content_type=CONTENT_TYPE_LATEST)

    app.add_url_rule("/metrics", "metrics", metrics_view, methods=["GET"])


__all__ = [
    "init_app",
    "number_issued",
    "observe_conversion",
    "observe_render",
    "observe_request",
    "pdf_queue_changed",
    "pdf_restarted",
]
