"""A job's record: its state, its counts, its errors so far, kept as JSON on disk.

States::

    queued ──> running ──> done
       │          ├──────> failed      (the input, or docgen, failed as a whole)
       └──────────┴──────> cancelled   (asked to stop; no result is kept)
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field, fields
from enum import StrEnum
from typing import Any

from docgen.batch import RowCounts


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        """The state as the web page says it ("Đang tạo văn bản")."""
        return STATE_TITLES[self]

    @property
    def final(self) -> bool:
        return self in (JobState.DONE, JobState.FAILED, JobState.CANCELLED)


STATE_TITLES = {
    JobState.QUEUED: "Đang chờ",
    JobState.RUNNING: "Đang tạo văn bản",
    JobState.DONE: "Đã xong",
    JobState.FAILED: "Thất bại",
    JobState.CANCELLED: "Đã hủy",
}


@dataclass
class Job(RowCounts):
    """Everything known about one batch job; ``to_dict``/``from_dict`` for job.json."""

    id: str
    doc_type: str
    backend: str = "local"
    state: JobState = JobState.QUEUED
    #: What was sent: the uploaded file's name, or "JSON".
    source: str = ""
    #: The input's file name inside the job folder (input.xlsx, input.csv, input.json).
    input: str = ""
    #: encoding, delimiter, sheet, pattern, merge (bool), defaults (file name or "").
    options: dict[str, Any] = field(default_factory=dict)
    # total, done, ok, failed, warnings, errors, error_count: RowCounts (docgen.batch)
    #: Rows per second while running.
    rate: float = 0.0
    #: The summary line when done; the reason when failed.
    message: str = ""
    error_code: str = ""
    created_at: float = field(default_factory=time.time)
    started_at: float | None = None
    finished_at: float | None = None
    expires_at: float | None = None
    #: {"host", "pid"} of the process that holds the job (submitter, then runner):
    #: for people reading job.json; liveness is the heartbeat file's age, not this.
    owner: dict[str, Any] | None = None
    #: When a back end accepted the job; None while the submit is still under way.
    submitted_at: float | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["state"] = str(self.state)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Job:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["state"] = JobState(values.get("state", "queued"))
        return cls(**values)


__all__ = ["STATE_TITLES", "Job", "JobState"]
