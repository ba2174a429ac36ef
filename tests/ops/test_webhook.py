"""Job webhooks against a real HTTP server on 127.0.0.1: signed body, retries, refusals."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from docgen.app import create_app
from docgen.config import Settings
from docgen.jobs import JobState, JobStore
from docgen.jobs._webhook import deliver, notify

ROOT = Path(__file__).resolve().parents[2]
MINUTES = json.loads((ROOT / "examples" / "minutes.json").read_text(encoding="utf-8"))
SHARED = {k: v for k, v in MINUTES.items() if k != "unit"}
SECRET = "bí-mật-webhook"


class Receiver:
    """A real HTTP server that records each POST and answers the statuses it is told."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses = statuses
        self.calls: list[dict[str, Any]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.calls.append({"path": self.path, "headers": dict(self.headers),
                                       "body": body, "at": time.monotonic()})
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                if status in (301, 302):
                    self.send_header("Location", "http://example.invalid/elsewhere")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def wait(self, count: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while len(self.calls) < count:
            assert time.monotonic() < deadline, f"{len(self.calls)} calls, wanted {count}"
            time.sleep(0.02)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver([503, 500])  # two failures, then 200
    r.thread.start()
    yield r
    r.server.shutdown()
    r.server.server_close()


def make_app(tmp_path: Path, **config: Any) -> Any:
    return create_app({"instance_path": tmp_path / "instance", **config})


def test_a_finished_job_calls_its_webhook_signed_after_retries(tmp_path: Path,
                                                               receiver: Receiver) -> None:
    app = make_app(tmp_path, webhook_allow=receiver.url, webhook_secret=SECRET,
                   webhook_backoff=0.2, webhook_attempts=4)
    client = app.test_client()
    try:
        rows = [{"unit": {"name": f"UBND xã số {i}"}} for i in range(3)] + [{"unit": {}}]
        response = client.post("/api/v1/batches/minutes", json={
            "rows": rows, "defaults": SHARED, "webhook": receiver.url + "hooks/docgen?k=1"})
        assert response.status_code == 202, response.get_json()
        job_id = response.get_json()["id"]
        receiver.wait(3)
    finally:
        app.extensions["docgen.jobs"].close()
    calls = receiver.calls
    assert [c["path"] for c in calls] == ["/hooks/docgen?k=1"] * 3
    body = calls[-1]["body"]
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert calls[-1]["headers"]["X-Docgen-Signature"] == expected
    assert all(c["body"] == body for c in calls)  # the same signed bytes each time
    event = json.loads(body)
    assert event["event"] == "job.finished" and event["id"] == job_id
    assert event["state"] == "done" and event["rows"]["ok"] == 3 and event["rows"]["failed"] == 1
    assert event["links"]["result"] == f"/api/v1/jobs/{job_id}/result"
    # backoff: the second wait is about twice the first (0.2 s, then 0.4 s)
    first, second = calls[1]["at"] - calls[0]["at"], calls[2]["at"] - calls[1]["at"]
    assert first >= 0.2 and second >= 0.4
    store = JobStore(tmp_path / "instance" / "jobs")
    deadline = time.monotonic() + 10
    while (store.load(job_id).options.get("webhook_result") or {}).get("state") != "delivered":
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert store.load(job_id).options["webhook_result"]["attempts"] == 3


@pytest.mark.parametrize(("allow", "url", "message"), [
    ("", "http://127.0.0.1:9/x", "chưa đặt DOCGEN_WEBHOOK_ALLOW"),
    ("http://127.0.0.1:9/ok/", "http://127.0.0.1:9/other", "không nằm trong"),
    # a prefix is matched as text, so its host must end with '/': 127.0.0.1:9 is not :90
    ("http://127.0.0.1:9/", "http://127.0.0.1:90/", "không nằm trong"),
    ("http://127.0.0.1:9/", "ftp://127.0.0.1:9/x", "URL http(s)"),
    ("http://127.0.0.1:9/", "http://user:pw@127.0.0.1:9/x", "không chứa tên đăng nhập"),
])
def test_webhooks_outside_the_allowed_prefixes_are_a_422(tmp_path: Path, allow: str, url: str,
                                                         message: str) -> None:
    app = make_app(tmp_path, webhook_allow=allow)
    try:
        response = app.test_client().post("/api/v1/batches/minutes", json={
            "rows": [{"unit": {"name": "UBND xã A"}}], "defaults": SHARED, "webhook": url})
    finally:
        app.extensions["docgen.jobs"].close()
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    (error,) = response.get_json()["errors"]
    assert error["path"] == "webhook" and message in error["message"]
    assert not list((tmp_path / "instance" / "jobs").glob("*/job.json"))  # nothing queued


def test_multipart_upload_takes_the_webhook_field(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    try:
        response = app.test_client().post("/api/v1/batches/minutes", data={
            "file": (io.BytesIO((ROOT / "examples" / "units.csv").read_bytes()), "units.csv"),
            "webhook": "http://127.0.0.1:9/x"})
    finally:
        app.extensions["docgen.jobs"].close()
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["code"] == "webhook_not_allowed"


def test_gives_up_after_the_attempts_and_never_follows_a_redirect(tmp_path: Path) -> None:
    r = Receiver([302, 302, 302])
    r.thread.start()
    try:
        settings = Settings.from_env({}, instance_path=tmp_path, webhook_allow=r.url,
                                     webhook_attempts=3, webhook_backoff=0.01)
        from docgen.jobs import Job

        job = Job(id="a" * 32, doc_type="minutes", state=JobState.FAILED)
        outcome = deliver(settings, job, r.url)
    finally:
        r.server.shutdown()
        r.server.server_close()
    assert outcome == {"state": "failed", "attempts": 3, "status": 302}
    assert len(r.calls) == 3
    assert "X-Docgen-Signature" not in r.calls[0]["headers"]  # no secret set: unsigned


def test_notify_is_called_once_per_job(tmp_path: Path, receiver: Receiver) -> None:
    receiver.statuses.clear()
    settings = Settings.from_env({}, instance_path=tmp_path, webhook_allow=receiver.url)
    store = JobStore(tmp_path / "jobs")
    from docgen.jobs import Job

    job = Job(id=store.new_id(), doc_type="minutes", state=JobState.DONE,
              options={"webhook": receiver.url})
    store.create(job)
    store.save(job)
    notify(settings, store, job.id)
    notify(settings, store, job.id)  # a redelivered task: already notified
    assert len(receiver.calls) == 1
