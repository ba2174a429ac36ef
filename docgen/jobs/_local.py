"""The local back end: a pool of worker processes on this machine, no services needed.

Each job runs whole in one pool process (``DOCGEN_JOB_WORKERS`` at once, the
rest wait as ``queued``), so a batch never competes with the web server's
threads for the GIL, and a crash takes down a pool process, not the server.
Processes are started with ``spawn`` (safe beside the web server's threads) on
the first job, reused (templates stay compiled), and replaced after
``MAX_JOBS_PER_PROCESS`` jobs.
"""

from __future__ import annotations

import functools
import logging
import multiprocessing
import threading
from concurrent.futures import Future, ProcessPoolExecutor

from docgen.config import Settings
from docgen.jobs._model import Job, JobState
from docgen.jobs._store import JobStore
from docgen.jobs._work import execute

log = logging.getLogger(__name__)

MAX_JOBS_PER_PROCESS = 50


class LocalBackend:
    name = "local"

    def __init__(self, settings: Settings, store: JobStore) -> None:
        self.settings = settings
        self.store = store
        self._executor: ProcessPoolExecutor | None = None
        self._futures: dict[str, Future[str]] = {}
        self._lock = threading.Lock()

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=max(1, self.settings.job_workers),
                mp_context=multiprocessing.get_context("spawn"),
                max_tasks_per_child=MAX_JOBS_PER_PROCESS,
            )
        return self._executor

    def submit(self, job: Job) -> None:
        with self._lock:
            future = self._pool().submit(execute, self.settings, job.id)
            self._futures[job.id] = future
        future.add_done_callback(functools.partial(self._finished, job.id))

    def _finished(self, job_id: str, future: Future[str]) -> None:
        with self._lock:
            self._futures.pop(job_id, None)
        if future.cancelled():
            return
        exc = future.exception()
        if exc is None:
            return
        # The pool process died (killed, out of memory): the job cannot say so itself.
        log.error("job %s: pool process failed: %r", job_id, exc)
        with self._lock:
            if self._executor is not None and getattr(self._executor, "_broken", False):
                self._executor.shutdown(wait=False, cancel_futures=False)
                self._executor = None
        job = self.store.load(job_id)
        if job is not None and not job.state.final:
            self.store.fail(job, "Tiến trình tạo văn bản bị dừng đột ngột; hãy gửi lại.",
                            "worker_lost")

    def cancel(self, job: Job) -> None:
        """Stop ``job``: a queued one never starts, a running one stops at the next row."""
        self.store.request_cancel(job.id)
        with self._lock:
            future = self._futures.get(job.id)
        if future is not None and future.cancel() and job.state is JobState.QUEUED:
            from docgen.jobs._work import _finish_cancelled

            _finish_cancelled(self.store, job, self.settings.job_ttl)

    def close(self) -> None:
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)


__all__ = ["LocalBackend"]
