"""Job webhooks: a URL given at submit is called once the job ends, signed, with retries.

As Carbone and Gotenberg do, a caller that submits a batch may give ``webhook``
(a form field, a query parameter or a key of the JSON body). When the job ends
(done, failed or cancelled) the process that ran it POSTs a JSON body::

    {"event": "job.finished", "id": "…", "doc_type": "minutes", "state": "done",
     "rows": {"total": 45, "done": 45, "ok": 45, "failed": 0, "warnings": 0},
     "message": "45 dòng: 45 ok, 0 lỗi", "error_code": "",
     "links": {"self": "/api/v1/jobs/…", "result": "/api/v1/jobs/…/result",
               "errors": "/api/v1/jobs/…/errors"}}

with ``X-Docgen-Signature: sha256=<hex HMAC-SHA256 of the body's bytes>`` under
``DOCGEN_WEBHOOK_SECRET`` (the receiver recomputes it; compare in constant time),
``X-Docgen-Event`` and ``X-Docgen-Job``. A 2xx answer ends it; anything else (an
error status, a refused connection, a timeout) is retried after
``DOCGEN_WEBHOOK_BACKOFF`` seconds, doubling, up to ``DOCGEN_WEBHOOK_ATTEMPTS``
calls. The outcome is written into the job record (``job.json``, option
``webhook_result``: state, attempts, last status).

**Never to a URL the settings do not allow.** ``DOCGEN_WEBHOOK_ALLOW`` lists URL
prefixes; a webhook outside them (or any webhook when it is unset) is refused at
submit with a 422 on the field ``webhook``, before anything is queued. Redirects
are not followed (a redirect could leave the allowed prefixes). Nothing imports
Flask here.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from docgen.config import Settings
from docgen.errors import FieldError, ValidationError
from docgen.jobs._model import Job
from docgen.jobs._store import JobStore

log = logging.getLogger(__name__)

OPTION = "webhook"
SIGNATURE_HEADER = "X-Docgen-Signature"
#: Seconds one call may take before it counts as failed (and is retried).
CALL_TIMEOUT = 10.0
MAX_URL_LENGTH = 2000


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError([FieldError(OPTION, message, code)])


def check_url(settings: Settings, url: Any) -> str | None:
    """The webhook URL if allowed; ``None`` when none was given; else a 422 on ``webhook``."""
    if url in (None, ""):
        return None
    if not isinstance(url, str) or len(url) > MAX_URL_LENGTH:
        raise _refuse("Địa chỉ webhook phải là một URL http(s).", "invalid")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username:
        raise _refuse("Địa chỉ webhook phải là một URL http(s), không chứa tên đăng nhập.",
                      "invalid")
    if not settings.webhook_allow:
        raise _refuse("Máy chủ này không nhận webhook (chưa đặt DOCGEN_WEBHOOK_ALLOW).",
                      "webhook_not_allowed")
    if not any(url.startswith(prefix) for prefix in settings.webhook_allow):
        raise _refuse("Địa chỉ webhook không nằm trong các địa chỉ được phép "
                      "(DOCGEN_WEBHOOK_ALLOW).", "webhook_not_allowed")
    return url


def sign(secret: str, body: bytes) -> str:
    """``sha256=<hex>``: the header value for ``body``.

    >>> sign("k", b"{}")
    'sha256=add853b103fbcc936a194f9eb15e29c4ff08af6e47d5d1bca4f20218e31e4fff'
    """
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def payload(job: Job) -> dict[str, Any]:
    base = f"/api/v1/jobs/{job.id}"
    return {
        "event": "job.finished",
        "id": job.id,
        "doc_type": job.doc_type,
        "state": str(job.state),
        "rows": {"total": job.total, "done": job.done, "ok": job.ok, "failed": job.failed,
                 "warnings": job.warnings},
        "message": job.message,
        "error_code": job.error_code,
        "finished_at": job.finished_at,
        "links": {"self": base, "result": f"{base}/result", "errors": f"{base}/errors"},
    }


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a 3xx is an answer like any non-2xx: retried, never followed


_OPENER = urllib.request.build_opener(_NoRedirect)


def _call(url: str, body: bytes, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _OPENER.open(request, timeout=CALL_TIMEOUT) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def deliver(settings: Settings, job: Job, url: str) -> dict[str, Any]:
    """POST the signed body, retrying with backoff; the outcome for the job record."""
    body = json.dumps(payload(job), ensure_ascii=False).encode("utf-8")
    headers = {"Content-Type": "application/json", "User-Agent": "docgen-webhook",
               "X-Docgen-Event": "job.finished", "X-Docgen-Job": job.id}
    if settings.webhook_secret:
        headers[SIGNATURE_HEADER] = sign(settings.webhook_secret, body)
    attempts = max(1, settings.webhook_attempts)
    delay = settings.webhook_backoff
    outcome: dict[str, Any] = {"state": "failed", "attempts": 0, "status": None}
    for attempt in range(1, attempts + 1):
        outcome["attempts"] = attempt
        try:
            status = _call(url, body, headers)
        except OSError as exc:  # refused, unreachable, timed out
            outcome.update(status=None, error=type(exc).__name__)
        else:
            outcome.update(status=status)
            outcome.pop("error", None)
            if 200 <= status < 300:
                outcome["state"] = "delivered"
                return outcome
        if attempt < attempts:
            time.sleep(delay)
            delay *= 2
    log.warning("webhook for job %s not delivered after %d attempts (last status %s)",
                job.id, attempts, outcome["status"])
    return outcome


def notify(settings: Settings, store: JobStore, job_id: str) -> None:
    """Call the job's webhook if it has one, it has ended, and it was not called yet.

    Called by :func:`~docgen.jobs._work.execute` whatever way the job ended; a second
    call (a redelivered task) finds ``webhook`` already in the record and does nothing.
    """
    job = store.load(job_id)
    url = job.options.get(OPTION) if job is not None else None
    if job is None or not url or not job.state.final or "webhook_result" in job.options:
        return
    try:
        url = check_url(settings, url)  # the settings may have changed since the submit
    except ValidationError:
        log.warning("webhook for job %s no longer allowed; not called", job_id)
        return
    assert url is not None
    job.options["webhook_result"] = {"state": "sending"}
    store.save(job)
    outcome = deliver(settings, job, url)
    job = store.load(job_id) or job
    job.options["webhook_result"] = outcome
    store.save(job)


__all__ = ["SIGNATURE_HEADER", "check_url", "deliver", "notify", "payload", "sign"]
