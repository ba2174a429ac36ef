"""Jobs on disk: one folder per job under ``<instance>/jobs/``.

    <instance>/jobs/<id>/
        job.json        the record (written whole, then renamed: readers never see half)
        input.xlsx      the upload as sent (or input.csv, input.json)
        defaults.json   shared values, when given
        errors.csv      the error report, growing while the job runs
        result.zip      the output, once done (result.zip.part while written)
        cancel          present when someone asked the job to stop

Any process that sees the folder sees the job: the web workers (however many
gunicorn starts), the local pool's processes and Celery workers that share the
instance folder. So a job survives a browser reload, a second web worker
answers for it, and cancelling is touching a file.
"""

from __future__ import annotations

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


def this_process() -> dict[str, Any]:
    return {"host": socket.gethostname(), "pid": os.getpid()}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class JobStore:
    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

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
        self.save(job)
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

    # -- housekeeping ----------------------------------------------------------------

    def orphaned(self, job: Job) -> bool:
        """Queued or running, held by a process of this host that no longer exists."""
        if job.state.final or not job.owner:
            return False
        if job.owner.get("host") != socket.gethostname():
            return False
        pid = job.owner.get("pid")
        return isinstance(pid, int) and not _alive(pid)

    def fail(self, job: Job, message: str, code: str) -> Job:
        job.state = JobState.FAILED
        job.message = message
        job.error_code = code
        job.finished_at = time.time()
        self.save(job)
        return job

    def purge(self, now: float | None = None) -> int:
        """Delete finished jobs past their expiry; returns how many went."""
        now = time.time() if now is None else now
        removed = 0
        for job_id in list(self.ids()):
            try:
                job = self.load(job_id)
            except (OSError, ValueError):
                continue
            if job is not None and job.state.final and job.expires_at and job.expires_at < now:
                self.delete(job_id)
                removed += 1
        return removed


__all__ = ["CANCEL_FILE", "ERRORS_FILE", "JOB_FILE", "RESULT_FILE", "JobStore", "this_process"]
