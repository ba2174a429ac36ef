"""What the pages' browser tests share: an app served on a free port of 127.0.0.1, and a
page of Debian's Chromium driven by Playwright (a fresh browser and context each time)."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from werkzeug.serving import make_server

from .conftest import require_programs

#: Headless Chromium as the tests run it (no sandbox as root, nothing fetched, Vietnamese UI).
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run", "--lang=vi",
]
SCREEN = {"width": 1366, "height": 768}


@contextmanager
def served(app: Any) -> Iterator[str]:
    """``app`` answering on a free port; its base URL."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@contextmanager
def chromium_page(*, accept_dialogs: bool = False) -> Iterator[Any]:
    """A page of a fresh Chromium at the tests' screen size, Vietnamese locale, downloads
    kept; ``accept_dialogs`` answers "OK" to every confirm()."""
    require_programs("chromium", package="chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"),
                                             headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=SCREEN, locale="vi-VN", accept_downloads=True)
        page = context.new_page()
        if accept_dialogs:
            page.on("dialog", lambda dialog: dialog.accept())
        try:
            yield page
        finally:
            context.close()
            browser.close()
