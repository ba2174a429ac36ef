"""The Celery path for real: a redis-server, a `docgen batch worker` process, the HTTP API."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from ..docx_text import docx_text
from .conftest import wait_for
from .sheets import HEADERS, minutes_rows, shared_defaults, write_xlsx


def test_batch_through_celery_and_redis(redis_url: str, celery_worker: Path,
                                        tmp_path: Path) -> None:
    from docgen.app import create_app

    app = create_app({"instance_path": celery_worker, "broker_url": redis_url})
    try:
        client = app.test_client()
        rows = minutes_rows(8)
        rows[5][1] = None
        sheet = write_xlsx(tmp_path / "units.xlsx", HEADERS, rows)
        response = client.post("/api/v1/batches/minutes", data={
            "file": (io.BytesIO(sheet.read_bytes()), "units.xlsx"),
            "defaults": json.dumps(shared_defaults(), ensure_ascii=False),
            "merge": "true",
        })
        assert response.status_code == 202, response.get_json()
        assert response.get_json()["backend"] == "celery"
        body = wait_for(client, response.headers["Location"], timeout=60)
        assert body["state"] == "done", body
        assert body["rows"] == {"total": 8, "done": 8, "ok": 7, "failed": 1, "warnings": 0}
        assert body["errors"][0]["row"] == 7
        assert body["errors"][0]["header"] == "Tên đơn vị được kiểm tra"
        with client.get(body["links"]["result"]) as result:
            assert result.status_code == 200
            archive = zipfile.ZipFile(io.BytesIO(result.data))
        documents = [n for n in archive.namelist() if n.endswith(".docx") and n[0].isdigit()]
        assert len(documents) == 7
        merged = docx_text(archive.read("merged.docx"))
        assert all(r[1] in merged for r in rows if r[1])
        # the worker ran it, in another process
        job = json.loads((celery_worker / "jobs" / body["id"] / "job.json").read_text("utf-8"))
        assert job["backend"] == "celery" and job["owner"]["pid"] != __import__("os").getpid()
    finally:
        app.extensions["docgen.jobs"].close()


def test_cancel_queued_celery_job(redis_url: str, celery_worker: Path) -> None:
    """A job cancelled before a worker takes it ends ``cancelled``, never runs."""
    from docgen.config import Settings
    from docgen.jobs import Jobs, JobState
    from docgen.jobs._celery import CeleryBackend

    settings = Settings.from_env({}, instance_path=celery_worker, broker_url=redis_url)
    jobs = Jobs(settings)
    assert isinstance(jobs.backend, CeleryBackend)
    try:
        example = json.loads((Path(__file__).parents[2] / "schemas" / "examples"
                              / "minutes.json").read_text(encoding="utf-8"))
        shared = {k: v for k, v in example.items() if k != "unit"}
        rows = [{"unit": {"name": f"UBND xã số {i}"}} for i in range(2000)]
        first = jobs.submit_payloads("minutes", rows, defaults=shared)
        second = jobs.submit_payloads("minutes", rows[:5], defaults=shared)  # waits: concurrency 1
        jobs.cancel(second.id)
        jobs.cancel(first.id)
        import time

        deadline = time.monotonic() + 60
        while not (jobs.get(first.id).state.final and jobs.get(second.id).state.final):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert jobs.get(second.id).state is JobState.CANCELLED
        assert jobs.get(second.id).done == 0
        assert jobs.get(first.id).state is JobState.CANCELLED
    finally:
        jobs.close()
