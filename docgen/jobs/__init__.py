"""Background work for batches: a local process pool by default, Celery when a broker is set.

    >>> from docgen.jobs import Jobs                                   # doctest: +SKIP
    >>> jobs = Jobs(settings)                  # LocalBackend, or CeleryBackend with DOCGEN_BROKER_URL
    >>> job = jobs.submit_sheet("minutes", Path("units.xlsx"), "units.xlsx")
    >>> jobs.get(job.id).state, jobs.get(job.id).done                  # doctest: +SKIP
    (<JobState.RUNNING: 'running'>, 40)
    >>> jobs.result_path(job.id)               # result.zip once done   # doctest: +SKIP

Jobs live as folders under ``<instance>/jobs`` (see ``_store``): any process
that shares the instance folder sees, follows and cancels them. Nothing here
imports Flask.
"""

from __future__ import annotations

import atexit
from typing import TYPE_CHECKING, Any

from docgen.jobs._errors import JobNotFinishedError, JobNotFoundError, JobsUnavailableError
from docgen.jobs._jobs import SHEET_SUFFIXES, Backend, Jobs, make_backend
from docgen.jobs._model import STATE_TITLES, Job, JobState
from docgen.jobs._store import JobStore
from docgen.jobs._work import execute

if TYPE_CHECKING:
    from flask import Flask

EXTENSION = "docgen.jobs"

__all__ = [
    "SHEET_SUFFIXES",
    "STATE_TITLES",
    "Backend",
    "Job",
    "JobNotFinishedError",
    "JobNotFoundError",
    "JobState",
    "JobStore",
    "Jobs",
    "JobsUnavailableError",
    "celery_app",
    "execute",
    "init_app",
    "make_backend",
]


def init_app(app: Flask) -> Jobs:
    """The app's jobs (``app.extensions["docgen.jobs"]``), closed when the process exits."""
    jobs = Jobs(app.config["DOCGEN"])
    app.extensions[EXTENSION] = jobs
    atexit.register(jobs.close)
    return jobs


def celery_app(settings: Any, *, worker: bool = False) -> tuple[Any, str]:
    """The Celery app of ``settings`` and the queue its workers read (``docgen worker``;
    ``worker=True`` rides out broker outages instead of exiting)."""
    from docgen.jobs._celery import QUEUE, make_celery

    return make_celery(settings, worker=worker), QUEUE
