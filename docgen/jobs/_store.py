"""Jobs on disk: one folder per job under ``<instance>/jobs/``.

    <instance>/jobs/<id>/
        job.json        the record (written whole, then renamed: readers never see half)
        input.xlsx      the upload as sent (or input.csv, input.json)
        defaults.json   shared values, when given
        errors.csv      the error report, growing while the job runs
        result.zip      the output, once done (result.zip.part while written)
        cancel          present when someone asked the job to stop
        stop            present when the server holding it shuts down (hand the job back)
        heartbeat       touched every few seconds by whoever holds the job

Liveness is the heartbeat's age, never a PID: after a container restart the
new namespace reuses PIDs, and a job held by "pid 7" looked alive for ever.
Whoever holds a job (the local pool's web process while it waits, the runner
while it runs, locally or in a Celery worker) touches ``heartbeat`` every
:data:`HEARTBEAT_EVERY` seconds; a queued or running job whose heartbeat is
older than the lease (:data:`LEASE`) is dead and is failed (``worker_lost``).

Every job has an expiry: a new one ``created_at + ttl`` (so a folder nobody
finishes still goes), a finished, failed or cancelled one ``finished_at + ttl``.
:meth:`JobStore.sweep` deletes what expired, fails what is dead and removes
folders an interrupted submit left behind.

Any process that sees the folder sees the job: the web workers (however many
gunicorn starts), the local pool's processes and Celery workers that share the
instance folder. So a job survives a browser reload, a second web worker
answers for it, and cancelling is touching a file.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shutil
import socket
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from docgen.jobs._model import Job, JobState

log = logging.getLogger(__name__)

_ID = re.compile(r"^[0-9a-f]{32}$")
JOB_FILE = "job.json"
RESULT_FILE = "result.zip"
ERRORS_FILE = "errors.csv"
CANCEL_FILE = "cancel"
STOP_FILE = "stop"
HEARTBEAT_FILE = "heartbeat"
#: Seconds between two heartbeats, and the lease after which a silent holder is dead.
HEARTBEAT_EVERY = 5.0
LEASE = 30.0
#: A folder whose submit never finished (no record, or queued and never handed to a
#: back end) is left this long for the submit to complete, then removed.
SUBMIT_GRACE = 600.0
#: The job's expiry when no settings say otherwise (DOCGEN_JOB_TTL's default).
DEFAULT_TTL = 86400.0


def this_process() -> dict[str, Any]:
    return {"host": socket.gethostname(), "pid": os.getpid()}


class JobStore:
    def __init__(self, root: Path | str, *, ttl: float = DEFAULT_TTL,
                 lease: float = LEASE) -> None:
        self.root = Path(root)
        self.ttl = ttl
        self.lease = lease

    @staticmethod
    def new_id() -> str:
        return uuid.uuid4().hex

    @staticmethod
    def valid_id(job_id: str) -> bool:
        return bool(_ID.match(job_id))

    def folder(self, job_id: str) -> Path:
        if not self.valid_id(job_id):  # never a path outside the store
            raise ValueError(f"not a job id: {job_id!r}")
        return self.root / job_id

    def create(self, job: Job) -> Path:
        folder = self.folder(job.id)
        folder.mkdir(parents=True, exist_ok=False)
        if job.expires_at is None:  # provisional: replaced when the job ends
            job.expires_at = job.created_at + self.ttl
        self.save(job)
        self.beat(job.id)
        return folder

    def save(self, job: Job) -> None:
        folder = self.folder(job.id)
        tmp = folder / f".{JOB_FILE}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(job.to_dict(), ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, folder / JOB_FILE)

    def load(self, job_id: str) -> Job | None:
        if not self.valid_id(job_id):
            return None
        try:
            text = (self.root / job_id / JOB_FILE).read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        return Job.from_dict(json.loads(text))

    def delete(self, job_id: str) -> None:
        shutil.rmtree(self.folder(job_id), ignore_errors=True)

    def ids(self) -> Iterator[str]:
        if not self.root.is_dir():
            return
        for entry in self.root.iterdir():
            if self.valid_id(entry.name):
                yield entry.name

    # -- files of a job ------------------------------------------------------------

    def path(self, job_id: str, name: str) -> Path:
        return self.folder(job_id) / name

    def request_cancel(self, job_id: str) -> None:
        self.path(job_id, CANCEL_FILE).touch()

    def cancel_requested(self, job_id: str) -> bool:
        return self.path(job_id, CANCEL_FILE).exists()

    def request_stop(self, job_id: str) -> None:
        """The holder is shutting down: the job stops after its current row."""
        self.path(job_id, STOP_FILE).touch()

    def stop_requested(self, job_id: str) -> bool:
        return self.path(job_id, STOP_FILE).exists()

    def beat(self, job_id: str) -> None:
        """The holder of ``job_id`` is alive (touch ``heartbeat``)."""
        with contextlib.suppress(OSError):  # the folder may just have been swept
            self.path(job_id, HEARTBEAT_FILE).touch()

    def last_beat(self, job: Job) -> float:
        """When the job's holder last said it was alive (its creation if never)."""
        try:
            return self.path(job.id, HEARTBEAT_FILE).stat().st_mtime
        except OSError:
            return job.started_at or job.created_at

    # -- housekeeping ----------------------------------------------------------------

    def orphaned(self, job: Job, now: float | None = None) -> bool:
        """Queued or running, held by someone whose heartbeat is older than the lease.

        A queued Celery job is held by the broker, which keeps no heartbeat: it
        waits for a worker however long that takes (until its expiry).
        """
        if job.state.final or not job.owner:
            return False
        now = time.time() if now is None else now
        return now - self.last_beat(job) > self.lease

    def fail(self, job: Job, message: str, code: str) -> Job:
        job.state = JobState.FAILED
        job.message = message
        job.error_code = code
        job.finished_at = time.time()
        job.expires_at = job.finished_at + self.ttl  # failed jobs go too
        self.save(job)
        return job

    def purge(self, now: float | None = None) -> int:
        """Delete finished jobs past their expiry; returns how many went."""
        return self.sweep(now)["deleted"]

    def sweep(self, now: float | None = None) -> dict[str, int]:
        """Housekeeping: delete what expired or was abandoned, fail what is dead.

        - a job past its expiry (finished or not) is deleted, unless it is alive
          (running with a fresh heartbeat: a day-long batch is not cut short);
        - a queued or running job whose holder's lease ran out is failed
          (``worker_lost``), and expires ``ttl`` from now;
        - a folder whose submit was interrupted (no readable record, or queued
          and never handed to a back end) is deleted after :data:`SUBMIT_GRACE`.
        """
        now = time.time() if now is None else now
        counts = {"deleted": 0, "failed": 0}
        for job_id in list(self.ids()):
            try:
                job = self.load(job_id)
            except (OSError, ValueError, TypeError):
                job = None
            if job is None:
                if self._older_than(job_id, now, SUBMIT_GRACE):
                    self.delete(job_id)
                    counts["deleted"] += 1
                continue
            if not job.state.final and not job.owner and job.submitted_at is None:
                if now - job.created_at > SUBMIT_GRACE:  # an interrupted submit
                    self.delete(job_id)
                    counts["deleted"] += 1
                continue
            if self.orphaned(job, now):
                self.fail(job, LOST_MESSAGE, "worker_lost")
                counts["failed"] += 1
                continue
            alive = not job.state.final and job.owner is not None
            if job.expires_at is not None and job.expires_at < now and not alive:
                self.delete(job_id)
                counts["deleted"] += 1
        return counts

    def _older_than(self, job_id: str, now: float, age: float) -> bool:
        try:
            return now - self.folder(job_id).stat().st_mtime > age
        except OSError:
            return False


#: What a client reads about a job whose holder died.
LOST_MESSAGE = "Tiến trình chạy việc này đã dừng (máy chủ khởi động lại?); hãy gửi lại."


__all__ = ["CANCEL_FILE", "ERRORS_FILE", "HEARTBEAT_EVERY", "HEARTBEAT_FILE", "JOB_FILE",
           "LEASE", "LOST_MESSAGE", "RESULT_FILE", "STOP_FILE", "JobStore", "this_process"]
