"""The job interface the HTTP layer uses: submit, look up, cancel, fetch the result.

:class:`Jobs` checks the input before it queues anything (an unreadable file,
headers that name no field, too many rows: the caller gets the error now, not a
failed job later), stores it in the job folder, and hands the job id to a
back end. Two back ends, one protocol (:class:`Backend`):

- :class:`~docgen.jobs._local.LocalBackend` — a process pool on this machine;
  the default, nothing to install or start;
- :class:`~docgen.jobs._celery.CeleryBackend` — Celery over ``DOCGEN_BROKER_URL``
  (Redis), with ``docgen batch worker`` processes.
"""

from __future__ import annotations

import json
import logging
import shutil
import threading
import time
from pathlib import Path
from typing import IO, Any, Protocol

from docgen.batch import check_pattern
from docgen.config import Settings
from docgen.errors import UnreadableInputError
from docgen.jobs._errors import JobNotFinishedError, JobNotFoundError
from docgen.jobs._model import Job, JobState
from docgen.jobs._store import ERRORS_FILE, LOST_MESSAGE, RESULT_FILE, JobStore, this_process
from docgen.jobs._work import prepare

log = logging.getLogger(__name__)

#: Upload suffixes accepted (the content decides between CSV and XLSX).
SHEET_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm")
#: The sweeper looks for expired, dead and abandoned jobs this often (seconds).
PURGE_EVERY = 60.0


class Backend(Protocol):
    name: str

    def submit(self, job: Job) -> None: ...

    def cancel(self, job: Job) -> None: ...

    def close(self) -> None: ...


def make_backend(settings: Settings, store: JobStore) -> Backend:
    """Celery when ``DOCGEN_BROKER_URL`` is set, else the local pool."""
    if settings.broker_url:
        from docgen.jobs._celery import CeleryBackend

        return CeleryBackend(settings, store)
    from docgen.jobs._local import LocalBackend

    return LocalBackend(settings, store)


class Jobs:
    def __init__(self, settings: Settings, backend: Backend | None = None) -> None:
        self.settings = settings
        self.store = JobStore(settings.instance_path / "jobs", ttl=settings.job_ttl)
        self.backend = backend or make_backend(settings, self.store)
        self._last_purge = 0.0
        self._lock = threading.Lock()
        self._closed = threading.Event()
        # The sweeper: expiry, dead holders and abandoned folders, even when nobody submits.
        self._sweeper = threading.Thread(target=self._sweep_loop, name="docgen-job-sweeper",
                                         daemon=True)
        self._sweeper.start()

    # -- submitting ------------------------------------------------------------------

    def submit_sheet(self, doc_type: str, upload: IO[bytes] | Path, filename: str, *,
                     defaults: Any = None, options: dict[str, Any] | None = None) -> Job:
        """Queue a batch from a CSV/XLSX (a stream, copied to the job folder, or a path)."""
        suffix = Path(filename).suffix.lower()
        if suffix not in SHEET_SUFFIXES:
            raise UnreadableInputError(
                f"Tệp '{filename}' không phải CSV hay Excel (.xlsx); các đuôi nhận: "
                f"{', '.join(SHEET_SUFFIXES)}."
            )
        job = self._new(doc_type, filename, f"input{suffix}", defaults, options)
        target = self.store.path(job.id, job.input)
        with target.open("wb") as out:
            if isinstance(upload, Path):
                with upload.open("rb") as source:
                    shutil.copyfileobj(source, out, 1024 * 1024)
            else:
                shutil.copyfileobj(upload, out, 1024 * 1024)
        return self._queue(job)

    def submit_payloads(self, doc_type: str, payloads: Any, *, defaults: Any = None,
                        options: dict[str, Any] | None = None) -> Job:
        """Queue a batch from a JSON list of payloads."""
        job = self._new(doc_type, "JSON", "input.json", defaults, options)
        self.store.path(job.id, job.input).write_text(
            json.dumps(payloads, ensure_ascii=False), encoding="utf-8")
        return self._queue(job)

    def _new(self, doc_type: str, source: str, input_name: str, defaults: Any,
             options: dict[str, Any] | None) -> Job:
        from docgen.catalog import get_type

        kind = get_type(doc_type)
        self.purge()
        options = {k: v for k, v in (options or {}).items() if v not in (None, "")}
        job = Job(id=self.store.new_id(), doc_type=kind.id, backend=self.backend.name,
                  source=source, input=input_name, options=options)
        self.store.create(job)
        if defaults is not None:
            self.store.path(job.id, "defaults.json").write_text(
                json.dumps(defaults, ensure_ascii=False), encoding="utf-8")
            job.options["defaults"] = "defaults.json"
        return job

    def _queue(self, job: Job) -> Job:
        try:
            # Fail fast, before queueing: a quick sniff (a sheet's rows are read by the job).
            batch = prepare(self.store, job, self.settings, sniff=True)
            # A bad file-name pattern is the caller's mistake: say so now, not as a failed job.
            check_pattern(job.doc_type, job.options.get("pattern") or None,
                          job.options.get("format") or "docx")
        except BaseException:
            self.store.delete(job.id)
            raise
        job.total = batch.total
        if self.backend.name == "local":
            job.owner = this_process()  # this process's pool holds it (and beats for it)
        job.submitted_at = time.time()
        self.store.save(job)
        try:
            self.backend.submit(job)
        except BaseException:
            self.store.delete(job.id)
            raise
        return job

    # -- looking up ------------------------------------------------------------------

    def get(self, job_id: str) -> Job:
        job = self.store.load(job_id)
        if job is None or (job.state.final and job.expires_at and job.expires_at < time.time()):
            raise JobNotFoundError(job_id)
        if self.store.orphaned(job):
            job = self.store.fail(job, LOST_MESSAGE, "worker_lost")
        return job

    def cancel(self, job_id: str) -> Job:
        job = self.get(job_id)
        if not job.state.final:
            self.backend.cancel(job)
        return self.get(job_id)

    def result_path(self, job_id: str) -> Path:
        job = self.get(job_id)
        path = self.store.path(job.id, RESULT_FILE)
        if job.state is not JobState.DONE or not path.is_file():
            raise JobNotFinishedError(job.id, str(job.state), job.state.label)
        return path

    def errors_path(self, job_id: str) -> Path:
        """errors.csv, readable while the job runs (header only before the first error)."""
        job = self.get(job_id)
        path = self.store.path(job.id, ERRORS_FILE)
        if not path.is_file():
            raise JobNotFinishedError(job.id, str(job.state), job.state.label)
        return path

    def purge(self) -> None:
        """Sweep now, unless a sweep ran in the last :data:`PURGE_EVERY` seconds."""
        with self._lock:
            now = time.time()
            if now - self._last_purge < PURGE_EVERY:
                return
            self._last_purge = now
        self.store.sweep(now)

    def _sweep_loop(self) -> None:
        while not self._closed.wait(PURGE_EVERY):
            try:
                self.purge()
            except Exception:  # never let housekeeping kill the thread
                log.exception("job sweep failed")

    def close(self) -> None:
        self._closed.set()
        self.backend.close()


__all__ = ["SHEET_SUFFIXES", "Backend", "Jobs", "make_backend"]
