"""The Celery back end: jobs go to a Redis (or other) broker, ``docgen batch worker`` runs them.

Only the job id travels through the broker. The input, the progress and the
result live in the job folder, as with the local pool, so the web app and the
workers must share ``DOCGEN_INSTANCE_PATH`` (the same machine, or a shared
volume). Results are not stored in Celery (``task_ignore_result``); the job
record is the one source of truth, and cancelling is the same ``cancel`` file
(a queued job is dropped when a worker picks it up).
"""

from __future__ import annotations

import logging
from typing import Any

from docgen.config import Settings
from docgen.jobs._errors import JobsUnavailableError
from docgen.jobs._model import Job
from docgen.jobs._store import JobStore

log = logging.getLogger(__name__)

TASK_NAME = "docgen.jobs.run_batch"
QUEUE = "docgen"


def make_celery(settings: Settings, *, worker: bool = False) -> Any:
    """The Celery app for ``settings`` (broker ``DOCGEN_BROKER_URL``), with the batch task.

    ``worker=True`` for ``docgen worker``: it retries the broker for ever, so a
    Redis restart is ridden out (with 3 retries it exited after ~12 s, and jobs
    queued once Redis was back waited for someone to restart it). The web side
    keeps a short bound: a submit answers 503 ``jobs_unavailable`` instead of hanging.
    """
    from celery import Celery

    from docgen.jobs._work import execute

    app = Celery("docgen", broker=settings.broker_url, set_as_current=False)
    app.conf.update(
        task_ignore_result=True,
        task_serializer="json",
        accept_content=["json"],
        task_default_queue=QUEUE,
        # A job is long: take one at a time, acknowledge when done, so a worker
        # that dies mid-job leaves it to be delivered again (execute() is re-runnable).
        worker_prefetch_multiplier=1,
        task_acks_late=True,
        broker_connection_retry_on_startup=True,
        broker_connection_retry=True,
        broker_connection_max_retries=None if worker else 3,
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
        enable_utc=True,
    )

    @app.task(name=TASK_NAME, ignore_result=True)
    def run_batch(job_id: str) -> str:
        return execute(settings, job_id)

    return app


class CeleryBackend:
    name = "celery"

    def __init__(self, settings: Settings, store: JobStore, app: Any = None) -> None:
        self.settings = settings
        self.store = store
        self.app = app or make_celery(settings)

    def submit(self, job: Job) -> None:
        try:
            self.app.send_task(TASK_NAME, args=[job.id], task_id=job.id, queue=QUEUE,
                               retry=True, retry_policy={"max_retries": 2, "interval_start": 0,
                                                         "interval_step": 0.5})
        except Exception as exc:  # kombu's OperationalError and friends: broker down
            log.error("cannot queue job %s: %r", job.id, exc)
            raise JobsUnavailableError(
                "Không gửi được việc vào hàng đợi (Celery/Redis không trả lời); thử lại sau."
            ) from exc

    def cancel(self, job: Job) -> None:
        self.store.request_cancel(job.id)

    def close(self) -> None:
        self.app.close()


__all__ = ["QUEUE", "TASK_NAME", "CeleryBackend", "make_celery"]
