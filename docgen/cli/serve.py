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

import click

from docgen.cli._common import settings


@click.command()
@click.option("--host", default=None, help="Địa chỉ lắng nghe (mặc định DOCGEN_HOST hoặc 127.0.0.1).")
@click.option("--port", default=None, type=int, help="Cổng (mặc định DOCGEN_PORT hoặc 8000).")
def serve(host: str | None, port: int | None) -> None:
    """Chạy dịch vụ web (máy chủ phát triển; dùng gunicorn khi triển khai)."""
    from werkzeug.serving import run_simple

    from docgen.app import create_app
    from docgen.logs import QuietRequestHandler

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
    run_simple(bind, port or config.port, app, threaded=True,
               request_handler=QuietRequestHandler)  # docgen's access log is the one


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
