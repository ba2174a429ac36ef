"""``docgen serve``: the web service on the development server (gunicorn in production).

The development server's own request line (``"GET /path?query HTTP/1.1" 200 -``) is not
written: it carries the query string, where a careless client puts a key
(``?api_key=…``) or personal data. docgen's access log (``docgen.access``, path only) is
the request log, as under gunicorn (whose access log the image leaves off).
"""

from __future__ import annotations

import ipaddress
import signal
import sys
from typing import Any

import click

from docgen.cli._common import settings


@click.command()
@click.option("--host", default=None, help="Địa chỉ lắng nghe (mặc định DOCGEN_HOST hoặc 127.0.0.1).")
@click.option("--port", default=None, type=int, help="Cổng (mặc định DOCGEN_PORT hoặc 8000).")
def serve(host: str | None, port: int | None) -> None:
    """Chạy dịch vụ web (máy chủ phát triển; dùng gunicorn khi triển khai)."""
    from werkzeug.serving import run_simple

    from docgen.app import create_app

    config = settings()
    bind = host or config.host
    if not config.api_keys and not is_loopback(bind):
        click.echo(f"Cảnh báo: lắng nghe trên {bind} mà chưa đặt DOCGEN_API_KEYS — ai vào được "
                   "mạng này cũng gọi được API và mở được các trang (sổ đăng ký, cấp số). "
                   "Đặt khóa, hoặc dùng 127.0.0.1.", err=True)
    app = create_app(config)
    # SIGTERM (`kill`, service managers) exits like Ctrl-C, so exit handlers run and
    # the PDF pool stops its LibreOffice instances instead of orphaning them.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    run_simple(bind, port or config.port, app, threaded=True, request_handler=quiet_handler())


def quiet_handler() -> Any:
    """werkzeug's request handler without the request line in its log (see the module doc)."""
    from werkzeug.serving import WSGIRequestHandler

    class QuietRequestHandler(WSGIRequestHandler):
        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            pass  # docgen.access logs every request, path only

        def log_error(self, format: str, *args: Any) -> None:
            # send_error's message quotes the raw request line ("Bad request syntax ('GET
            # /?api_key=…')"): keep the status code only.
            code = args[0] if args and isinstance(args[0], int) else None
            self.log("error", "request refused (%s)", code if code is not None else "-")

    return QuietRequestHandler


def is_loopback(host: str) -> bool:
    """'127.0.0.1', '::1', 'localhost' — addresses only this machine reaches.

    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
