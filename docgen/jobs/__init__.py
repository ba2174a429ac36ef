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

from docgen.jobs._errors import JobNotFinishedError, JobNotFoundError, JobsUnavailableError
from docgen.jobs._jobs import SHEET_SUFFIXES, Backend, Jobs, make_backend
from docgen.jobs._model import STATE_TITLES, Job, JobState
from docgen.jobs._store import JobStore
from docgen.jobs._work import execute

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
    "execute",
    "make_backend",
]
