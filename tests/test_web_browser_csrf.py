"""CSRF in a real browser (issue 13, point 7): Debian's Chromium, driven by Playwright.

Before: a page on another origin auto-submitted ``/forms/minutes`` with ``_register=1``
and a register entry was created. Here docgen runs on 127.0.0.1 and the attacker's page
on ``localhost`` (another site) on its own port; the browser is the clerk's, who had just
opened docgen's form. The register is read afterwards. The same browser on docgen's own
form, register box ticked, does number a document: the control that proves the check
is the origin and the token, not a broken form.
"""

from __future__ import annotations

import http.server
import shutil
import threading
from collections.abc import Iterator
from html import escape
from typing import Any

import pytest
from werkzeug.serving import make_server

from .browser import CHROMIUM_ARGS
from .conftest import load_example, require_programs


def _serve(httpd: Any) -> Iterator[int]:
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_port
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


@pytest.fixture
def docgen(tmp_path) -> Iterator[tuple[str, Any]]:
    from docgen.app import create_app

    app = create_app({"instance_path": tmp_path / "instance"})
    for port in _serve(make_server("127.0.0.1", 0, app, threaded=True)):
        yield f"http://127.0.0.1:{port}", app


def flatten(value: Any, prefix: str = "") -> dict[str, str]:
    """A payload as the form's field names (``members[0].full_name``)."""
    if isinstance(value, dict):
        return {k: v for key, item in value.items()
                for k, v in flatten(item, f"{prefix}.{key}" if prefix else key).items()}
    if isinstance(value, list):
        return {k: v for i, item in enumerate(value)
                for k, v in flatten(item, f"{prefix}[{i}]").items()}
    return {prefix: "" if value is None else str(value).lower() if isinstance(value, bool)
            else str(value)}


@pytest.fixture
def attacker(docgen) -> Iterator[str]:
    """A page on another site that posts the example minutes with the register box ticked."""
    base, _ = docgen
    fields = {**flatten(load_example("minutes")), "_register": "1", "_format": "docx"}
    inputs = "".join(f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">'
                     for k, v in fields.items())
    page = (f'<!doctype html><html><body><form method="post" action="{base}/forms/minutes">'
            f"{inputs}</form><script>document.forms[0].submit()</script></body></html>"
            ).encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    for port in _serve(http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)):
        yield f"http://localhost:{port}/"


@pytest.fixture
def browser_page() -> Iterator[Any]:
    require_programs("chromium", package="chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=shutil.which("chromium"),
                                              headless=True, args=CHROMIUM_ARGS)
        context = chromium.new_context(locale="vi-VN", accept_downloads=True)
        yield context.new_page()
        context.close()
        chromium.close()


def register_total(app: Any) -> int:
    return int(app.test_client().get("/api/v1/register").get_json()["total"])


def test_another_origin_cannot_number_a_document(docgen, attacker, browser_page):
    base, app = docgen
    page = browser_page
    page.goto(f"{base}/forms/minutes")  # the clerk has docgen open: a session cookie exists
    with page.expect_response(lambda r: r.url == f"{base}/forms/minutes"
                              and r.request.method == "POST") as posted:
        page.goto(attacker)
    response = posted.value
    assert response.status == 403
    assert response.request.headers.get("origin", "").startswith("http://localhost:")
    page.wait_for_load_state()
    assert "csrf_failed" in page.content()
    assert register_total(app) == 0

    # The control: docgen's own form, in the same browser, numbers the document.
    page.goto(f"{base}/forms/minutes?example=1")
    page.check("#f-register")
    with page.expect_download() as download:
        page.click("button[type=submit].primary")
    assert download.value.suggested_filename.endswith(".docx")
    assert register_total(app) == 1
