"""Through real servers: keys never in the log, chunked bodies over the limit refused,
the login and CSRF with a real HTTP client (issue 13, points 6–8 and 14).

``docgen serve`` (the development server) and gunicorn with the Dockerfile's command run
as subprocesses on free loopback ports; requests go over real sockets — chunks written
by hand, cookies kept by :mod:`http.cookiejar`.

Before: werkzeug's request line put ``?api_key=…`` in the log; a chunked JSON body over
the limit answered 400 "not valid JSON"; a 50 MiB chunked form was cut at the limit and
processed.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from .conftest import ROOT
from .test_dockerfile import DOCKERFILE, exec_form, of, parse_dockerfile

KEY = "server-key-0123456789abcdef"
MIB = 1024 * 1024
EXAMPLE = (ROOT / "schemas" / "examples" / "minutes.json").read_bytes()


@dataclass
class Server:
    base: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def stop(self) -> str:
        """Stop the server and return everything it wrote to stderr."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.log.read_text(encoding="utf-8", errors="replace")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(command: list[str], tmp_path: Path, port: int, **env: str) -> Server:
    log = tmp_path / f"server-{port}.log"
    environ = {**os.environ, "DOCGEN_TEMPLATE_DIR": str(ROOT / "templates"),
               "DOCGEN_INSTANCE_PATH": str(tmp_path / "instance"), **env}
    if "DOCGEN_API_KEYS" not in env:
        environ.pop("DOCGEN_API_KEYS", None)
    with log.open("wb") as err:
        process = subprocess.Popen(command, cwd=ROOT, env=environ, stdout=err, stderr=err)
    server = Server(f"http://127.0.0.1:{port}", port, process, log)
    for _ in range(200):
        try:
            with urllib.request.urlopen(server.base + "/healthz", timeout=1):
                return server
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.1)
    raise AssertionError("server did not start:\n" + server.stop())


def docgen_serve(tmp_path: Path, **env: str) -> Server:
    port = free_port()
    docgen = Path(sys.executable).with_name("docgen")
    return start([str(docgen), "serve", "--port", str(port)], tmp_path, port, **env)


def gunicorn(tmp_path: Path, **env: str) -> Server:
    """The image's CMD, on a free loopback port with one worker (as test_dockerfile runs it)."""
    (cmd,) = of(parse_dockerfile(DOCKERFILE.read_text(encoding="utf-8")), "CMD")
    words = exec_form(cmd)
    port = free_port()
    words[words.index("0.0.0.0:8000")] = f"127.0.0.1:{port}"
    words[words.index("-w") + 1] = "1"
    binary = Path(sys.executable).with_name("gunicorn")
    return start([str(binary), *words[1:]], tmp_path, port, **env)


@pytest.fixture(params=["docgen serve", "gunicorn"])
def server(request, tmp_path: Path) -> Iterator[Server]:
    running = (docgen_serve if request.param == "docgen serve" else gunicorn)(tmp_path)
    yield running
    running.stop()


# --- a request written by hand -------------------------------------------------------------

@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def _read_answer(sock: socket.socket, into: bytearray) -> None:
    """Read until one whole response (by its Content-Length) is in; errors end the read."""
    try:
        while True:
            data = sock.recv(65536)
            if not data:
                return
            into.extend(data)
            head, sep, body = bytes(into).partition(b"\r\n\r\n")
            if sep:
                lengths = [int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                           if line.lower().startswith(b"content-length:")]
                if lengths and len(body) >= lengths[0]:
                    return
    except OSError:
        return


def chunked_post(server: Server, path: str, content_type: str, first: bytes, total: int,
                 headers: dict[str, str] | None = None) -> Answer:
    """POST ``first`` then ``x`` up to ``total`` bytes, in 64 KiB chunks, with no length.

    The answer is read while the body is still going out: a server that refuses early
    stops reading, and the client must still see why.
    """
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=60)
    received = bytearray()
    reader = threading.Thread(target=_read_answer, args=(sock, received))
    reader.start()
    lines = [f"POST {path} HTTP/1.1", f"Host: 127.0.0.1:{server.port}",
             f"Content-Type: {content_type}", "Transfer-Encoding: chunked",
             *(f"{k}: {v}" for k, v in (headers or {}).items())]
    try:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        sock.sendall(b"%x\r\n%s\r\n" % (len(first), first))
        sent, block = len(first), b"x" * 65536
        while sent < total:
            piece = block[: min(len(block), total - sent)]
            sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
            sent += len(piece)
        sock.sendall(b"0\r\n\r\n")
    except OSError:
        pass  # the server stopped reading: its answer says why
    reader.join(timeout=60)
    sock.close()
    head, _, body = bytes(received).partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    fields = dict(line.split(": ", 1) for line in header_lines if ": " in line)
    return Answer(int(status_line.split()[1]), fields, body)


def register_total(server: Server, **headers: str) -> int:
    request = urllib.request.Request(server.base + "/api/v1/register", headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return int(json.load(response)["total"])


# --- 14. chunked bodies over the limit -----------------------------------------------------------

def test_chunked_json_over_the_limit_is_413(server):
    answer = chunked_post(server, "/api/v1/documents/minutes", "application/json",
                          b'{"summary": "', 6 * MIB)
    assert answer.status == 413, answer.body[:300]
    body = answer.json()
    assert body["code"] == "payload_too_large"
    assert "5.242.880 byte" in body["detail"]


def test_chunked_json_under_the_limit_still_renders(server):
    answer = chunked_post(server, "/api/v1/documents/minutes", "application/json", EXAMPLE,
                          len(EXAMPLE))
    assert answer.status == 200, answer.body[:300]
    assert answer.body[:2] == b"PK"


def test_a_50_mib_chunked_form_is_refused_not_cut(server):
    origin = {"Origin": server.base, "Accept": "application/json"}
    answer = chunked_post(server, "/forms/minutes", "application/x-www-form-urlencoded",
                          b"_register=1&number=1&summary=", 50 * MIB, origin)
    assert answer.status == 413, answer.body[:300]
    assert answer.json()["code"] == "payload_too_large"
    assert register_total(server) == 0


# --- 8. a key in the query string: refused, and never in the log --------------------------------

def test_keys_outside_headers_are_refused_and_never_logged(tmp_path):
    server = docgen_serve(tmp_path, DOCGEN_API_KEYS=KEY)
    try:
        for query in (f"api_key={KEY}", f"key={KEY}", f"access_token={KEY}",
                      f"X-API-Key={KEY}"):
            url = f"{server.base}/api/v1/document-types?{query}"
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(url, timeout=10)
            with refused.value as answer:
                assert answer.code == 401
                assert json.load(answer)["code"] == "unauthorized"
        request = urllib.request.Request(f"{server.base}/api/v1/document-types",
                                         headers={"X-API-Key": KEY})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200  # the same key, in its header
        # A request line the server cannot parse: its error message would quote it.
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
            sock.sendall(f"GET /api/v1/document-types?api_key={KEY} HTTP/1.1 x\r\n\r\n".encode())
            assert b" 400 " in sock.recv(4096).split(b"\r\n", 1)[0]
    finally:
        log = server.stop()
    assert KEY not in log and "api_key" not in log
    # docgen's access log is the request log: the path, no query string.
    lines = [json.loads(line.split("docgen.access ", 1)[1]) for line in log.splitlines()
             if "docgen.access " in line]
    assert [line["status"] for line in lines].count(401) == 4
    assert {line["path"] for line in lines} == {"/healthz", "/api/v1/document-types"}


# --- 6 and 7 with a real HTTP client: cookies, Origin --------------------------------------------

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def test_login_register_download_and_csrf_over_http(tmp_path):
    server = gunicorn(tmp_path, DOCGEN_API_KEYS=KEY)
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)

    def call(path: str, data: dict[str, str] | None = None, **headers: str) -> Answer:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(server.base + path, data=body,
                                         headers={"Accept": "text/html", **headers})
        try:
            response = browser.open(request, timeout=30)
        except urllib.error.HTTPError as refused:
            response = refused
        with response:
            return Answer(response.status, dict(response.headers), response.read())

    try:
        issued = urllib.request.Request(server.base + "/api/v1/register/documents/minutes",
                                        data=EXAMPLE, headers={
                                            "Content-Type": "application/json",
                                            "Authorization": f"Bearer {KEY}"})
        with urllib.request.urlopen(issued, timeout=30) as response:
            entry = response.headers["X-Docgen-Register-Entry"]
        assert call("/register").status == 303
        login = call("/login?next=/register")
        cookie_header = login.headers["Set-Cookie"]
        assert "HttpOnly" in cookie_header and "SameSite=Lax" in cookie_header
        assert "Secure" not in cookie_header  # plain HTTP on loopback
        token = lxml.html.fromstring(login.body).forms[0].fields["_csrf"]
        # The login itself is a page POST: from another origin it is refused.
        forged = call("/login", {"key": KEY, "_csrf": token}, Origin="http://evil.example")
        assert forged.status == 403 and b"csrf_failed" in forged.body
        done = call("/login", {"key": KEY, "next": "/register", "_csrf": token},
                    Origin=server.base)
        assert (done.status, done.headers["Location"]) == (303, "/register")
        page = lxml.html.fromstring(call("/register").body)
        (link,) = [a.get("href") for a in page.xpath("//tbody//a")]
        assert link == f"/register/entries/{entry}/file"
        download = call(link)
        assert download.status == 200 and download.body[:2] == b"PK"
        # Another origin submitting the form with the register box: refused, no number.
        form_token = lxml.html.fromstring(call("/forms/minutes").body).xpath(
            "//form[@data-docgen-form]//input[@name='_csrf']/@value")[0]
        attack = call("/forms/minutes", {"_register": "1", "_csrf": form_token},
                      Origin="http://evil.example", Accept="application/json")
        assert attack.status == 403 and attack.json()["code"] == "csrf_failed"
        assert register_total(server, Authorization=f"Bearer {KEY}") == 1
    finally:
        server.stop()
