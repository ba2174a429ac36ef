"""The local back end: a pool of worker processes on this machine, no services needed.

Each job runs whole in one pool process (``DOCGEN_JOB_WORKERS`` at once, the
rest wait as ``queued``), so a batch never competes with the web server's
threads for the GIL, and a crash takes down a pool process, not the server.
Processes are started with ``spawn`` (safe beside the web server's threads) on
the first job, reused (templates stay compiled), and replaced after
``MAX_JOBS_PER_PROCESS`` jobs.

Children die with their parent, as the PDF bridges do: each pool process
watches its parent and ends itself once the server is gone (``kill -9`` of the
server left them running for minutes with PPID 1, and multiprocessing's
resource tracker with them, since it lives while a child holds its pipe). A
polling thread rather than ``PR_SET_PDEATHSIG``, which fires when the *thread*
that started the child ends (here a request thread), not the process.

While this process holds jobs (queued in the pool or running), a thread keeps
their heartbeats fresh. :meth:`LocalBackend.close` (SIGTERM, shutdown) asks the
running job to stop after its current row — it is failed ``interrupted`` and
hands its row back — and fails the queued ones, instead of waiting for the batch.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor

from docgen.config import Settings
from docgen.jobs._model import Job, JobState
from docgen.jobs._store import HEARTBEAT_EVERY, JobStore
from docgen.jobs._work import execute

log = logging.getLogger(__name__)

MAX_JOBS_PER_PROCESS = 50
#: Seconds between two looks of a pool process at its parent.
PARENT_CHECK_EVERY = 0.5
#: How long close() waits for the running job to hand back its row.
STOP_WAIT = 10.0


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(PARENT_CHECK_EVERY)
        if os.getppid() != parent:  # re-parented: the server is gone
            os.kill(os.getpid(), signal.SIGKILL)


def _pool_process_init(parent: int) -> None:
    """Runs first in every pool process: die with the server (see the module docstring)."""
    threading.Thread(target=_watch_parent, args=(parent,), name="docgen-watch-parent",
                     daemon=True).start()


class LocalBackend:
    name = "local"

    def __init__(self, settings: Settings, store: JobStore) -> None:
        self.settings = settings
        self.store = store
        self._executor: ProcessPoolExecutor | None = None
        self._futures: dict[str, Future[str]] = {}
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._beater: threading.Thread | None = None

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=max(1, self.settings.job_workers),
                mp_context=multiprocessing.get_context("spawn"),
                max_tasks_per_child=MAX_JOBS_PER_PROCESS,
                initializer=_pool_process_init, initargs=(os.getpid(),),
            )
            # Before interpreter exit joins the pool's threads — which waits for the whole
            # batch, so SIGTERM took minutes — hand the running row back. Registered
            # after concurrent.futures' own hook, so it runs first (they run reversed);
            # atexit would be too late. Private but stable since 3.9; used by the stdlib.
            with contextlib.suppress(RuntimeError):  # already shutting down
                threading._register_atexit(self.close)  # type: ignore[attr-defined]
        if self._beater is None:
            self._beater = threading.Thread(target=self._beat_loop, name="docgen-job-heartbeat",
                                            daemon=True)
            self._beater.start()
        return self._executor

    def _beat_loop(self) -> None:
        """Keep the heartbeat of every job this process holds (queued ones too) fresh."""
        while not self._closed.wait(HEARTBEAT_EVERY):
            with self._lock:
                held = list(self._futures)
            for job_id in held:
                self.store.beat(job_id)

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
        """Shut down within a row: the running job stops and hands back, queued ones fail."""
        self._closed.set()
        with self._lock:
            executor, self._executor = self._executor, None
            held = dict(self._futures)
        if executor is None:
            return
        for job_id, future in held.items():
            if future.cancel():  # still queued in the pool: it will never run here
                job = self.store.load(job_id)
                if job is not None and not job.state.final:
                    self.store.fail(job, "Máy chủ dừng trước khi việc này chạy; hãy gửi lại.",
                                    "interrupted")
            else:
                self.store.request_stop(job_id)  # execute() stops after the current row
        done = threading.Event()

        def shutdown() -> None:
            executor.shutdown(wait=True, cancel_futures=True)
            done.set()

        threading.Thread(target=shutdown, name="docgen-pool-shutdown", daemon=True).start()
        if not done.wait(STOP_WAIT):  # a row stuck (a PDF at its timeout): do not hang the exit
            log.warning("job pool did not stop within %.0f s; leaving it", STOP_WAIT)


__all__ = ["LocalBackend"]
