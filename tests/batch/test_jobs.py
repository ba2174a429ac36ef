"""Jobs through the HTTP API and the upload page, on the local process pool."""

from __future__ import annotations

import io
import json
import os
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest

from docgen.jobs import Job, JobState, JobStore

from ..docx_text import docx_text
from .conftest import wait_for
from .sheets import EXAMPLE, HEADERS, minutes_rows, shared_defaults, write_csv, write_xlsx


class HeldBackend:
    """A back end that queues and never runs: jobs stay ``queued``."""

    name = "local"

    def __init__(self) -> None:
        self.submitted: list[str] = []
        self.cancelled: list[str] = []

    def submit(self, job: Job) -> None:
        self.submitted.append(job.id)

    def cancel(self, job: Job) -> None:
        self.cancelled.append(job.id)

    def close(self) -> None:
        pass


def _upload(path: Path, name: str | None = None, **fields: Any) -> dict[str, Any]:
    return {"file": (io.BytesIO(path.read_bytes()), name or path.name), **fields}


def test_upload_follow_download(jobs_app, tmp_path: Path) -> None:
    rows = minutes_rows(5)
    rows[2][4] = "32/10/2017"
    sheet = write_xlsx(tmp_path / "đợt 2017.xlsx", HEADERS, rows)
    client = jobs_app.test_client()
    defaults = json.dumps(shared_defaults(), ensure_ascii=False)
    response = client.post("/api/v1/batches/minutes",
                           data=_upload(sheet, defaults=defaults, merge="1"))
    assert response.status_code == 202, response.get_json()
    body = response.get_json()
    assert response.headers["Location"] == f"/api/v1/jobs/{body['id']}"
    # The request only sniffs the header; the job counts the rows (issue 13, point 2).
    assert body["state"] in ("queued", "running", "done") and body["rows"]["total"] in (0, 5)
    assert body["links"]["page"] == f"/batch/{body['id']}"

    done = wait_for(client, response.headers["Location"])
    assert done["state"] == "done", done
    assert done["rows"] == {"total": 5, "done": 5, "ok": 4, "failed": 1, "warnings": 0}
    assert done["message"] == "5 dòng: 4 ok, 1 lỗi (xem errors.csv)"
    assert [(e["row"], e["column"], e["header"]) for e in done["errors"]] == [
        (4, "E", "Ngày ban hành")]
    assert done["expires_at"] and done["backend"] == "local"

    with client.get(done["links"]["result"]) as result:
        assert result.status_code == 200
        assert result.mimetype == "application/zip"
        assert "filename*=UTF-8''%C4%91%E1%BB%A3t%202017-" in result.headers["Content-Disposition"]
        archive = zipfile.ZipFile(io.BytesIO(result.data))
    names = archive.namelist()
    assert len([n for n in names if n.endswith(".docx")]) == 5  # 4 + merged.docx
    assert "merged.docx" in names and "errors.csv" in names
    assert rows[0][1] in docx_text(archive.read("merged.docx"))
    with client.get(done["links"]["errors"]) as errors:
        assert errors.status_code == 200 and errors.mimetype == "text/csv"
        assert "32/10/2017" in errors.data.decode("utf-8-sig")


def test_json_list_and_rows_object(jobs_app) -> None:
    client = jobs_app.test_client()
    example = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    response = client.post("/api/v1/batches/minutes", json=[example, {**example, "copies": 0}])
    assert response.status_code == 202
    body = wait_for(client, response.headers["Location"])
    assert (body["rows"]["ok"], body["rows"]["failed"]) == (1, 1)
    assert body["errors"][0] == {"row": 2, "column": "", "header": "", "path": "copies",
                                 "message": "Phải lớn hơn hoặc bằng 1.", "code": "out_of_range"}
    shared = {k: v for k, v in example.items() if k != "unit"}
    rows = [{"unit": {"name": f"UBND xã {n}"}} for n in ("An Hiệp", "Phú Tân", "An Hiệp")]
    response = client.post("/api/v1/batches/minutes?pattern={unit_name}",
                           json={"rows": rows, "defaults": shared})
    body = wait_for(client, response.headers["Location"])
    with client.get(body["links"]["result"]) as result:
        names = zipfile.ZipFile(io.BytesIO(result.data)).namelist()
    assert names[:3] == ["UBND xã An Hiệp.docx", "UBND xã Phú Tân.docx", "UBND xã An Hiệp (2).docx"]


def test_cancel_a_running_job(jobs_app, tmp_path: Path) -> None:
    example = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    shared = {k: v for k, v in example.items() if k != "unit"}
    rows = [{"unit": {"name": f"UBND xã số {i}"}} for i in range(3000)]
    client = jobs_app.test_client()
    response = client.post("/api/v1/batches/minutes", json={"rows": rows, "defaults": shared})
    assert response.status_code == 202
    location = response.headers["Location"]
    deadline = time.monotonic() + 30
    while (body := client.get(location).get_json())["rows"]["done"] == 0:
        assert body["state"] in ("queued", "running") and time.monotonic() < deadline
        time.sleep(0.02)
    assert body["state"] == "running"
    cancel = client.post(body["links"]["cancel"])
    assert cancel.status_code == 202
    final = wait_for(client, location)
    assert final["state"] == "cancelled" and final["state_title"] == "Đã hủy"
    assert 0 < final["rows"]["done"] < 3000
    assert "result" not in final["links"]
    result = client.get(f"{location}/result")
    assert result.status_code == 409 and result.get_json()["code"] == "job_not_finished"
    assert not list((tmp_path / "instance" / "jobs").glob("*/result.zip*"))


def test_queued_job_states_and_cancel(jobs_app, tmp_path: Path) -> None:
    held = HeldBackend()
    jobs_app.extensions["docgen.jobs"].backend = held
    client = jobs_app.test_client()
    sheet = write_xlsx(tmp_path / "u.xlsx", HEADERS, minutes_rows(3))
    response = client.post("/api/v1/batches/minutes",
                           data=_upload(sheet, defaults=json.dumps(shared_defaults())))
    job_id = response.get_json()["id"]
    assert held.submitted == [job_id]
    result = client.get(f"/api/v1/jobs/{job_id}/result")
    assert result.status_code == 409
    assert result.get_json()["detail"].endswith("đang chờ.")
    assert client.post(f"/api/v1/jobs/{job_id}/cancel").status_code == 202
    assert held.cancelled == [job_id]


@pytest.mark.parametrize(
    ("url", "code"),
    [("/api/v1/jobs/0123456789abcdef0123456789abcdef", "job_not_found"),
     ("/api/v1/jobs/../../etc", "not_found"),
     ("/api/v1/jobs/nothex/result", "job_not_found"),
     ("/batch/0123456789abcdef0123456789abcdef/status", "job_not_found")],
)
def test_unknown_jobs_are_404(jobs_app, url: str, code: str) -> None:
    response = jobs_app.test_client().get(url, headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.get_json()["code"] == code


def test_refused_before_any_job_exists(jobs_app, tmp_path: Path) -> None:
    client = jobs_app.test_client()
    jobs_dir = tmp_path / "instance" / "jobs"
    bad_header = write_csv(tmp_path / "u.csv", ["Tên đơn vị", "Ghi chú"], [["x", "y"]])
    response = client.post("/api/v1/batches/minutes", data=_upload(bad_header))
    assert response.status_code == 422
    problem = response.get_json()
    assert problem["code"] == "validation_failed"
    assert [e["path"] for e in problem["errors"]] == ["Tên đơn vị", "Ghi chú"]
    for data, status, code in [
        (_upload(bad_header, "u.pdf"), 400, "unreadable_input"),
        ({"file": (io.BytesIO(b""), "u.csv")}, 400, "unreadable_input"),
        ({"nofile": "1"}, 400, "unreadable_input"),
        (_upload(bad_header, defaults="{not json"), 400, "unreadable_input"),
    ]:
        response = client.post("/api/v1/batches/minutes", data=data,
                               content_type="multipart/form-data")
        assert (response.status_code, response.get_json()["code"]) == (status, code)
    assert client.post("/api/v1/batches/memo", json=[]).status_code == 404
    assert client.post("/api/v1/batches/minutes", json=[]).get_json()["code"] == "unreadable_input"
    response = client.post("/api/v1/batches/minutes", data="a,b", content_type="text/csv")
    assert response.status_code == 415
    assert not jobs_dir.exists() or not any(jobs_dir.iterdir())


def test_limits(tmp_path: Path) -> None:
    from docgen.app import create_app

    app = create_app({"instance_path": tmp_path / "i", "batch_max_upload_bytes": 4096,
                      "batch_max_rows": 3})
    try:
        client = app.test_client()
        big = write_csv(tmp_path / "big.csv", HEADERS, minutes_rows(30))
        response = client.post("/api/v1/batches/minutes", data=_upload(big))
        assert response.status_code == 413
        assert response.get_json()["code"] == "payload_too_large"
        assert "4.096 byte (DOCGEN_BATCH_MAX_UPLOAD_BYTES)" in response.get_json()["detail"]
        example = json.loads(EXAMPLE.read_text(encoding="utf-8"))
        response = client.post("/api/v1/batches/minutes", json={"rows": [{}] * 4,
                                                                 "defaults": {"copies": 2}})
        assert response.status_code == 413
        assert "vượt giới hạn 3 dòng" in response.get_json()["detail"]
        del example
    finally:
        app.extensions["docgen.jobs"].close()


def test_template_download(jobs_app) -> None:
    client = jobs_app.test_client()
    for url in ("/api/v1/batches/minutes/template", "/batch/template/minutes"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.data.startswith(b"PK")
        assert "mau-minutes.xlsx" in response.headers["Content-Disposition"]
    assert client.get("/api/v1/batches/memo/template").status_code == 404


def test_upload_page(jobs_app, tmp_path: Path) -> None:
    client = jobs_app.test_client()
    page = client.get("/batch?type=report").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and 'value="report" selected' in page
    sheet = write_xlsx(tmp_path / "u.xlsx", HEADERS, minutes_rows(2),
                       shared=[(k, v) for k, v in (("Chữ viết tắt cơ quan", "ĐKT"),)])
    response = client.post("/batch", data={**_upload(sheet), "type": "minutes",
                                           "defaults": (io.BytesIO(json.dumps(
                                               shared_defaults()).encode()), "chung.json")})
    assert response.status_code == 303
    page_url = response.headers["Location"]
    job_id = page_url.rsplit("/", 1)[1]
    body = wait_for(client, f"/batch/{job_id}/status")
    assert body["links"]["result"] == f"/batch/{job_id}/result"
    page = client.get(page_url).get_data(as_text=True)
    assert "Đã xong" in page and f"/batch/{job_id}/result" in page and "batch.js" in page
    with client.get(f"/batch/{job_id}/result") as result:
        assert result.status_code == 200
    # a bad file: the form again, with the reason
    bad = write_csv(tmp_path / "bad.csv", ["Tên đơn vị"], [["x"]])
    response = client.post("/batch", data={**_upload(bad), "type": "minutes"})
    assert response.status_code == 422
    assert "Tên đơn vị" in response.get_data(as_text=True)


def _age(store: JobStore, job_id: str, seconds: float, name: str = "heartbeat") -> None:
    """Make ``name`` in the job's folder look ``seconds`` old."""
    moment = time.time() - seconds
    os.utime(store.path(job_id, name), (moment, moment))


def test_liveness_is_the_heartbeat_not_the_pid(tmp_path: Path) -> None:
    """Issue 13, point 10: after a container restart the holder's PID is reused (alive)."""
    from docgen.config import Settings
    from docgen.jobs import Jobs
    from docgen.jobs._store import LEASE

    jobs = Jobs(Settings.from_env({}, instance_path=tmp_path), backend=HeldBackend())
    try:
        store = jobs.store
        reused = {"host": os.uname().nodename, "pid": os.getpid()}  # a live process
        stuck = Job(id=JobStore.new_id(), doc_type="minutes", state=JobState.RUNNING,
                    owner=reused, submitted_at=time.time())
        store.create(stuck)
        _age(store, stuck.id, LEASE + 5)
        lost = jobs.get(stuck.id)
        assert (lost.state, lost.error_code) == (JobState.FAILED, "worker_lost")
        assert lost.expires_at and lost.expires_at > time.time()  # failed jobs expire too

        alive = Job(id=JobStore.new_id(), doc_type="minutes", state=JobState.RUNNING,
                    owner={"host": "elsewhere", "pid": 1}, submitted_at=time.time())
        store.create(alive)  # heartbeat fresh: whatever the PID says, it is alive
        assert jobs.get(alive.id).state is JobState.RUNNING
    finally:
        jobs.close()


def test_sweeper_expires_everything(tmp_path: Path) -> None:
    """Issue 13, point 11: expired jobs, dead ones and interrupted submits all go."""
    from docgen.config import Settings
    from docgen.jobs import Jobs
    from docgen.jobs._store import LEASE, SUBMIT_GRACE

    jobs = Jobs(Settings.from_env({}, instance_path=tmp_path, job_ttl=60),
                backend=HeldBackend())
    try:
        store = jobs.store
        old = Job(id=JobStore.new_id(), doc_type="minutes", state=JobState.DONE,
                  expires_at=time.time() - 1)
        store.create(old)
        failed = Job(id=JobStore.new_id(), doc_type="minutes", state=JobState.FAILED,
                     finished_at=time.time() - 3600, expires_at=time.time() - 3540)
        store.create(failed)
        interrupted = Job(id=JobStore.new_id(), doc_type="minutes",
                          created_at=time.time() - SUBMIT_GRACE - 1)  # queued, owner-less
        store.create(interrupted)
        assert interrupted.expires_at  # even a queued job has an expiry from the start
        recent = Job(id=JobStore.new_id(), doc_type="minutes")  # a submit under way
        store.create(recent)
        dead = Job(id=JobStore.new_id(), doc_type="minutes", state=JobState.RUNNING,
                   owner={"host": "h", "pid": 1}, submitted_at=time.time())
        store.create(dead)
        _age(store, dead.id, LEASE + 1)
        broken = store.folder(JobStore.new_id())
        broken.mkdir()  # a folder whose job.json was never written
        os.utime(broken, (time.time() - SUBMIT_GRACE - 1,) * 2)

        counts = store.sweep()
        assert counts == {"deleted": 4, "failed": 1}
        assert {j for j in store.ids()} == {recent.id, dead.id}
        swept = store.load(dead.id)
        assert swept is not None and swept.error_code == "worker_lost"
        assert swept.expires_at == pytest.approx(time.time() + 60, abs=5)
    finally:
        jobs.close()
