"""Every `docgen …` and `curl …` line of the README, run as a newcomer would.

A live `docgen serve` on a free port stands in for http://127.0.0.1:8000, the commands run
in the README's order in one folder (with the repository's examples/ and schemas/ in it)
and share one instance folder with the server, as they would on a newcomer's machine.

- A line that shows its output (``$ docgen …`` / ``$ curl …`` followed by what it prints)
  must still print it: every error code in the shown output (``[counts_sum]``,
  ``"code": "validation_failed"``) and any HTTP status line must be in what it prints now.
- Every other line must succeed (exit 0; a curl line must not get a 5xx).
- A line with a placeholder (``<id>``, ``…``) is a pattern, not a command: it is skipped;
  so are the server itself and the Celery worker (they run until stopped). Optional flags
  in brackets (``[--register]``) are given; ``$DOCGEN_KEY`` is set (the server has no
  keys, so any key passes). The count of runnable lines is asserted, so the parser
  cannot silently stop finding them.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .conftest import ROOT, require_programs

README = ROOT / "README.md"
COMMAND = re.compile(r"^    (?P<prompt>\$ )?(?P<text>(?:docgen|curl) .*)$")
COMMENT = re.compile(r"\s+#\s.*$")
#: ``[--register]``: an optional flag, shown in brackets; the line runs with it.
OPTIONAL = re.compile(r"\[(--[^\]]*)\]")
PLACEHOLDER = re.compile(r"<[a-z_]+>|…|\.\.\.")
CODES = re.compile(r"\[([a-z_]+)\]|\"code\": \"([a-z_]+)\"")
STATUS_LINE = re.compile(r"^HTTP/1\.1 (\d{3})")
#: Lines that start something which runs until stopped.
LONG_RUNNING = re.compile(r"^docgen (serve|worker|batch worker)\b")


@dataclass
class Command:
    line: int
    text: str
    shown: list[str] = field(default_factory=list)
    prompt: bool = False

    @property
    def skipped(self) -> bool:
        return bool(PLACEHOLDER.search(self.text) or LONG_RUNNING.match(self.text))


def readme_commands() -> list[Command]:
    lines = README.read_text(encoding="utf-8").splitlines()
    found: list[Command] = []
    i = 0
    while i < len(lines):
        match = COMMAND.match(lines[i])
        if not match:
            i += 1
            continue
        start, text = i + 1, match["text"]
        while text.rstrip().endswith("\\") and i + 1 < len(lines):
            i += 1
            text = text.rstrip()[:-1] + " " + lines[i].strip()
        text = OPTIONAL.sub(r"\1", COMMENT.sub("", text)).strip()
        command = Command(start, text, prompt=bool(match["prompt"]))
        i += 1
        if command.prompt:  # what it prints, up to the next command or the block's end
            while i < len(lines) and lines[i].startswith("    ") and not COMMAND.match(lines[i]):
                command.shown.append(lines[i].strip())
                i += 1
        found.append(command)
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def newcomer(tmp_path_factory):
    """A working folder with examples/ and schemas/, and `docgen serve` answering in it."""
    require_programs("curl", package="curl")
    folder = tmp_path_factory.mktemp("newcomer")
    for name in ("examples", "schemas"):
        (folder / name).symlink_to(ROOT / name)
    port = free_port()
    env = {**os.environ, "DOCGEN_INSTANCE_PATH": str(folder / "instance"),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("DOCGEN_API_KEYS", None)
    env["DOCGEN_KEY"] = "khoa-thu"  # the README's $DOCGEN_KEY; the server is open
    server = subprocess.Popen([sys.executable, "-c", "from docgen.cli import main; main()",
                               "serve", "--port", str(port)], cwd=folder, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2):
                break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("docgen serve did not start: " + server.stderr.read().decode()[-2000:])
            time.sleep(0.2)
    yield folder, env, base
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    assert server.stderr is not None
    server.stderr.close()


def test_the_readme_has_commands_to_run():
    commands = readme_commands()
    runnable = [c for c in commands if not c.skipped]
    assert len(runnable) >= 40, [c.text for c in runnable]
    assert any(c.prompt and c.shown for c in commands)


def test_every_readme_command_works_as_written(newcomer):
    require_programs("soffice", package="libreoffice-writer-nogui")
    folder, env, base = newcomer
    failures = []
    for command in readme_commands():
        if command.skipped:
            continue
        text = command.text.replace("http://127.0.0.1:8000", base)
        if text.startswith("curl "):
            text = "curl --max-time 120 -sS -w '\\n%{http_code}\\n' " + text[len("curl "):]
        done = subprocess.run(["bash", "-c", text], cwd=folder, env=env, capture_output=True,
                              check=False, timeout=300)
        out = done.stdout.decode("utf-8", "replace") + done.stderr.decode("utf-8", "replace")
        brief = out[:300].replace("\n", " ⏎ ") if out.isprintable() or "%PDF" not in out \
            else "(binary output)"
        where = f"README.md:{command.line}: {command.text}"
        if text.startswith("curl "):
            status = out.rstrip().rsplit("\n", 1)[-1]
            if done.returncode != 0 or status.startswith("5"):
                failures.append(f"{where}\n  -> curl exit {done.returncode}, HTTP {status}: "
                                f"{brief}")
                continue
        expects_error = bool(command.shown) and command.shown[0].startswith("Lỗi")
        if not text.startswith("curl ") and (done.returncode != 0) != expects_error:
            failures.append(f"{where}\n  -> exit {done.returncode}: {brief}")
            continue
        shown = "\n".join(command.shown)
        for match in CODES.finditer(shown):
            code = match[1] or match[2]
            if code not in out:
                failures.append(f"{where}\n  -> the README shows [{code}], not printed now: "
                                f"{brief}")
        for line in command.shown:
            status_line = STATUS_LINE.match(line)
            if status_line and f" {status_line[1]}" not in out:
                failures.append(f"{where}\n  -> the README shows {line}: {brief}")
    assert not failures, "\n\n".join(failures)
