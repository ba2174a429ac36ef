"""Running one job, wherever it runs: a local pool process or a Celery worker.

:func:`execute` reads the job folder, runs the batch into ``result.zip``, and
writes the record back as it goes (at most every ``PROGRESS_EVERY`` seconds):
counts, rows per second, the first errors. It checks the ``cancel`` file
between rows. It never raises for a failure of the batch itself: that becomes
``failed`` with a Vietnamese message, and the cause goes to the log.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import threading
import time
from collections.abc import Callable, Iterator

from docgen.batch import (
    MERGED_NAME,
    BatchInput,
    BatchOptions,
    Progress,
    ZipSink,
    load_defaults,
    prepare_payloads,
    prepare_sheet,
    run_batch,
)
from docgen.config import Settings
from docgen.errors import DocgenError
from docgen.jobs import _webhook
from docgen.jobs._model import Job, JobState
from docgen.jobs._store import (
    ERRORS_FILE,
    HEARTBEAT_EVERY,
    RESULT_FILE,
    JobStore,
    this_process,
)
from docgen.rendering import Renderer

log = logging.getLogger(__name__)

#: Seconds between two writes of job.json, and between two looks at the cancel file.
PROGRESS_EVERY = 0.25
CANCEL_EVERY = 0.1


@functools.lru_cache(maxsize=4)
def renderer_for(settings: Settings) -> Renderer:
    """One renderer per process and settings: its compiled templates stay warm."""
    return Renderer(settings)


@functools.lru_cache(maxsize=4)
def _template_store(settings: Settings) -> object:
    """A worker process's own template store (the register database of ``settings``), so a
    batch renders the versions the app deploys and the types the store added."""
    from docgen.register import Register
    from docgen.store import open_store

    return open_store(Register.from_settings(settings), settings)


def attach_template_store(settings: Settings) -> None:
    """In a spawned pool process or a Celery worker (no store attached yet), attach one;
    the app's own process keeps the store ``create_app`` attached."""
    from docgen.catalog import DOCUMENT_TYPES

    if DOCUMENT_TYPES.store is not None:
        return
    try:
        _template_store(settings)
    except Exception as exc:  # noqa: BLE001 - the packs still render; the cause is logged
        log.warning("template store not opened in the job worker: %s", exc)


def store_for(settings: Settings) -> JobStore:
    return JobStore(settings.instance_path / "jobs", ttl=settings.job_ttl)


@contextlib.contextmanager
def heartbeat(store: JobStore, job_id: str) -> Iterator[None]:
    """Touch the job's heartbeat every HEARTBEAT_EVERY seconds while the block runs.

    A thread, so a single slow row (a PDF near its timeout) does not look like death.
    """
    done = threading.Event()

    def beat() -> None:
        while not done.wait(HEARTBEAT_EVERY):
            store.beat(job_id)

    store.beat(job_id)
    thread = threading.Thread(target=beat, name=f"docgen-heartbeat-{job_id[:8]}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def prepare(store: JobStore, job: Job, settings: Settings, *, sniff: bool = False) -> BatchInput:
    """The job's input, checked (also used at submit time, to fail fast).

    ``sniff=True`` (at submit time, inside the web request) reads a sheet's
    header only; its rows are read and counted by the job itself.
    """
    options = job.options
    folder = store.folder(job.id)
    defaults = load_defaults(folder / options["defaults"]) if options.get("defaults") else None
    if job.input.endswith(".json"):
        import json

        payloads = json.loads((folder / job.input).read_text(encoding="utf-8"))
        return prepare_payloads(job.doc_type, payloads, defaults=defaults,
                                max_rows=settings.batch_max_rows, source=job.source or "JSON")
    return prepare_sheet(
        job.doc_type, folder / job.input, defaults=defaults,
        encoding=options.get("encoding") or None, delimiter=options.get("delimiter") or None,
        sheet_name=options.get("sheet") or None, max_rows=settings.batch_max_rows,
        display_name=job.source or job.input, count=not sniff,
    )


def _throttled(every: float, check: Callable[[], bool]) -> Callable[[], bool]:
    last = [0.0, False]

    def wrapped() -> bool:
        now = time.monotonic()
        if now - last[0] >= every:
            last[0], last[1] = now, check()
        return bool(last[1])

    return wrapped


def execute(settings: Settings, job_id: str, renderer: Renderer | None = None) -> str:
    """Run job ``job_id``; returns its final state. Safe to call twice (a redelivery).

    However it ended, the job's webhook (if it was given one) is called then.
    """
    try:
        return _execute(settings, job_id, renderer)
    finally:
        _webhook.notify(settings, store_for(settings), job_id)


def _execute(settings: Settings, job_id: str, renderer: Renderer | None) -> str:
    store = store_for(settings)
    job = store.load(job_id)
    if job is None or job.state.final:
        return "missing" if job is None else str(job.state)
    if store.cancel_requested(job_id):
        return str(_finish_cancelled(store, job, settings.job_ttl).state)
    attach_template_store(settings)
    job.state, job.started_at, job.owner = JobState.RUNNING, time.time(), this_process()
    store.save(job)
    with heartbeat(store, job_id):
        return _run(store, job, settings, renderer or renderer_for(settings))


def _run(store: JobStore, job: Job, settings: Settings, renderer: Renderer) -> str:
    job_id = job.id
    result_path = store.path(job_id, RESULT_FILE)
    last_save = [time.monotonic()]

    def progress(state: Progress) -> None:
        now = time.monotonic()
        if now - last_save[0] < PROGRESS_EVERY and state.done < state.total:
            return
        last_save[0] = now
        _copy_progress(job, state)
        store.save(job)

    try:
        batch = prepare(store, job, settings)
        job.total = batch.total
        store.save(job)
        options = BatchOptions(pattern=job.options.get("pattern") or None,
                               format=job.options.get("format") or "docx",
                               merge_name=MERGED_NAME if job.options.get("merge") else None)
        result = run_batch(
            renderer, batch, ZipSink(result_path), options=options, progress=progress,
            should_cancel=_throttled(CANCEL_EVERY, lambda: store.cancel_requested(job_id)
                                     or store.stop_requested(job_id)),
            errors_mirror=store.path(job_id, ERRORS_FILE),
        )
    except DocgenError as exc:
        if exc.status >= 500:
            log.error("job %s failed: %s", job_id, exc, exc_info=exc)
            message = exc.title + "."
        else:
            message = exc.message
        return str(store.fail(job, message, exc.code).state)
    except Exception as exc:
        log.exception("job %s failed unexpectedly", job_id, exc_info=exc)
        return str(store.fail(job, "Đã có lỗi ngoài dự kiến; lỗi đã được ghi lại.",
                              "internal_error").state)
    job.take_counts(result)
    job.rate = round(result.done / result.elapsed, 1) if result.elapsed > 0 else 0.0
    if result.cancelled and not store.cancel_requested(job_id):  # the holder shuts down
        store.path(job_id, RESULT_FILE).unlink(missing_ok=True)
        return str(store.fail(job, f"Máy chủ dừng khi việc này đang chạy (sau {job.done}/"
                              f"{job.total} dòng); hãy gửi lại.", "interrupted").state)
    if result.cancelled:
        return str(_finish_cancelled(store, job, settings.job_ttl).state)
    job.state, job.finished_at = JobState.DONE, time.time()
    job.expires_at = job.finished_at + settings.job_ttl
    job.message = result.summary_line()
    store.save(job)
    return str(job.state)


def _copy_progress(job: Job, state: Progress) -> None:
    job.take_counts(state)
    job.rate = round(state.rate, 1)


def _finish_cancelled(store: JobStore, job: Job, ttl: float) -> Job:
    job.state, job.finished_at = JobState.CANCELLED, time.time()
    job.expires_at = job.finished_at + ttl
    job.message = f"Đã hủy sau {job.done}/{job.total} dòng." if job.total else "Đã hủy."
    store.path(job.id, RESULT_FILE).unlink(missing_ok=True)
    store.save(job)
    return job


__all__ = ["execute", "prepare", "renderer_for", "store_for"]
