"""DOCGEN_LOG_FORMAT=json: every line the server prints is one JSON object; the
development server prints docgen's access line only, not werkzeug's as well."""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from docgen.logs import JsonFormatter

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve_and_get(tmp_path: Path, log_format: str) -> list[str]:
    """Start ``docgen serve``, GET /healthz and a 404, stop it; its stderr lines."""
    port = free_port()
    env = {**os.environ, "DOCGEN_INSTANCE_PATH": str(tmp_path / "instance"),
           "DOCGEN_LOG_FORMAT": log_format, "PYTHONWARNINGS": "ignore"}
    docgen = Path(sys.executable).with_name("docgen")
    server = subprocess.Popen([str(docgen), "serve", "--port", str(port)], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=1):
                    break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "no server"
                time.sleep(0.1)
        try:
            urllib.request.urlopen(base + "/no-such-page", timeout=5)
        except urllib.error.HTTPError as exc:
            assert exc.code == 404
    finally:
        server.send_signal(signal.SIGTERM)
        _, stderr = server.communicate(timeout=20)
    return [line for line in stderr.splitlines() if line.strip()]


def test_json_lines_and_a_single_access_line(tmp_path: Path) -> None:
    lines = serve_and_get(tmp_path, "json")
    records = [json.loads(line) for line in lines]  # every line parses
    assert all({"time", "level", "logger"} <= set(r) for r in records)
    access = [r for r in records if r["logger"] == "docgen.access"]
    assert [(r["path"], r["status"]) for r in access][-2:] == [("/healthz", 200),
                                                              ("/no-such-page", 404)]
    # werkzeug's records are JSON too, and none of them is a second access line
    werkzeug = [r for r in records if r["logger"] == "werkzeug"]
    assert werkzeug, "werkzeug's start-up lines should be there, as JSON"
    assert not [r for r in werkzeug if "/healthz" in r.get("message", "")]


def test_text_format_has_no_werkzeug_access_line(tmp_path: Path) -> None:
    lines = serve_and_get(tmp_path, "text")
    assert len([line for line in lines if '"path": "/healthz"' in line]) >= 1
    assert not [line for line in lines if '"GET /healthz HTTP/1.1"' in line]


def test_json_formatter_keeps_extras_and_exceptions() -> None:
    try:
        raise ValueError("hỏng")
    except ValueError:
        record = logging.LogRecord("docgen.pdf", logging.ERROR, __file__, 1, "lỗi %s", ("x",),
                                   sys.exc_info())
    record.job_id = "abc"
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "lỗi x" and entry["job_id"] == "abc"
    assert entry["level"] == "ERROR" and "ValueError: hỏng" in entry["exception"]
    access = logging.LogRecord("docgen.access", logging.INFO, __file__, 1,
                               '{"event": "request", "status": 200}', None, None)
    assert json.loads(JsonFormatter().format(access))["status"] == 200  # fields, not a string
