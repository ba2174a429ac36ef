"""One warm LibreOffice: a soffice.bin and its UNO bridge, in one process group.

The pool starts both as its own children:

    soffice.bin --headless ... -env:UserInstallation=file:///tmp/docgen-pdf-*/i0-g3/profile
                --accept=pipe,name=docgen-<pid>-0-3-<rand>;urp;StarOffice.ComponentContext
    /usr/bin/python3 -I docgen/pdf/_uno_bridge.py --pipe docgen-<pid>-0-3-<rand>

soffice.bin leads a new process group; the bridge joins it, so one
``killpg(SIGKILL)`` ends the instance, whatever state it is in. The pool talks to
the bridge over its stdin/stdout (JSON lines, file paths inside the instance's
work directory), and owns every timeout: a ``select`` on the bridge's stdout with
a deadline, and a liveness check of soffice.bin while it waits.

An ``Instance`` is started once: a restart is a new ``Instance`` with a fresh copy
of the profile. It is used by one thread at a time (the pool's slot owner); only
:meth:`kill` may be called from another thread (``close()``), and it is idempotent.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import secrets
import select
import shutil
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from docgen.pdf._discovery import Office
from docgen.pdf._profile import HEADLESS_FLAGS, copy_template, pipe_paths, soffice_env

logger = logging.getLogger("docgen.pdf")

BRIDGE = Path(__file__).with_name("_uno_bridge.py")
_LOG_TAIL = 2000


class InstanceFailure(Exception):
    """The instance is unusable (``kind``: start, crash, timeout): kill and restart it."""

    def __init__(self, kind: str, detail: str) -> None:
        self.kind = kind
        self.detail = detail
        super().__init__(f"{kind}: {detail}")


class DocumentFailure(Exception):
    """LibreOffice is fine but refused this document (unreadable, export error)."""


@dataclass
class _Procs:
    soffice: subprocess.Popen[bytes]
    bridge: subprocess.Popen[bytes] | None
    pipe: str
    profile: Path


class Instance:
    """A started (or startable) LibreOffice instance with its own profile and pipe."""

    def __init__(self, office: Office, template: Path, workdir: Path, label: str) -> None:
        self.office = office
        self.template = template
        self.workdir = workdir
        self.label = label
        self.version = ""
        self.started_at: float | None = None
        self._procs: _Procs | None = None
        self._buf = b""
        self._ids = itertools.count(1)
        self._kill_lock = threading.Lock()
        self._killed = False

    # -- lifecycle ---------------------------------------------------------

    def start(self, timeout: float) -> None:
        """Start soffice.bin and the bridge; return when LibreOffice answers."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        profile = self.workdir / "profile"
        copy_template(self.template, profile)
        pipe = f"docgen-{self.label}-{secrets.token_hex(4)}"
        env = soffice_env(self.workdir / "tmp")
        soffice_log = open(self.workdir / "soffice.log", "ab")  # noqa: SIM115
        bridge_log = open(self.workdir / "bridge.log", "ab")  # noqa: SIM115
        try:
            # Under the kill lock, so a concurrent close() either prevents the start
            # or sees the processes it has to kill.
            with self._kill_lock:
                if self._killed:
                    raise InstanceFailure("start", "the pool is closing")
                soffice = subprocess.Popen(
                    [
                        str(self.office.soffice_bin),
                        *HEADLESS_FLAGS,
                        f"-env:UserInstallation={profile.as_uri()}",
                        f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
                    ],
                    stdin=subprocess.DEVNULL,
                    stdout=soffice_log,
                    stderr=subprocess.STDOUT,
                    cwd=self.workdir,
                    env=env,
                    process_group=0,  # its own group, which the bridge joins
                )
                self._procs = _Procs(soffice, None, pipe, profile)
                try:
                    self._procs.bridge = subprocess.Popen(
                        [
                            self.office.python,
                            "-I",
                            str(BRIDGE),
                            "--pipe",
                            pipe,
                            "--connect-timeout",
                            str(timeout),
                        ],
                        stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE,
                        stderr=bridge_log,
                        cwd=self.workdir,
                        env=env,
                        process_group=soffice.pid,
                    )
                except OSError as exc:  # soffice.bin died before the bridge joined its group
                    raise InstanceFailure("start", f"cannot start the UNO bridge: {exc}") from exc
        finally:
            soffice_log.close()
            bridge_log.close()
        self._buf = b""
        reply = self._read_reply(time.monotonic() + timeout, phase="start")
        if reply.get("event") != "ready":
            raise InstanceFailure("start", f"bridge could not connect: {reply.get('error')}")
        self.version = str(reply.get("version") or "")
        self.started_at = time.time()
        logger.info(
            "LibreOffice %s instance %s ready (soffice.bin pid %s)",
            self.version,
            self.label,
            soffice.pid,
        )

    def alive(self) -> bool:
        procs = self._procs
        return (
            procs is not None
            and procs.bridge is not None
            and procs.soffice.poll() is None
            and procs.bridge.poll() is None
        )

    @property
    def soffice_pid(self) -> int | None:
        return self._procs.soffice.pid if self._procs else None

    @property
    def bridge_pid(self) -> int | None:
        return self._procs.bridge.pid if self._procs and self._procs.bridge else None

    def kill(self) -> None:
        """SIGKILL the whole process group, reap it, remove its profile and pipes.

        Leaves the bridge's pipe file objects open: a thread still waiting on them
        sees end-of-file, never a closed (or reused) descriptor. :meth:`destroy`
        closes them once nobody uses the instance.
        """
        with self._kill_lock:
            procs, already = self._procs, self._killed
            self._killed = True
        if procs is None or already:
            return
        running = [p for p in (procs.soffice, procs.bridge) if p is not None and p.poll() is None]
        if running:  # the group still exists while one of them is unreaped
            try:
                os.killpg(procs.soffice.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for proc in (procs.soffice, procs.bridge):
            if proc is None:
                continue
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:  # pragma: no cover - the kernel owes us this
                logger.error("pid %s survived SIGKILL for 10 s", proc.pid)
        for path in pipe_paths(procs.pipe, procs.profile):
            try:
                path.unlink(missing_ok=True)
            except OSError:
                pass
        shutil.rmtree(procs.profile, ignore_errors=True)

    def destroy(self) -> None:
        """Kill, close the bridge's pipes, remove the work directory with its logs."""
        self.kill()
        procs = self._procs
        if procs is not None and procs.bridge is not None:
            for stream in (procs.bridge.stdin, procs.bridge.stdout):
                if stream is None:
                    continue
                try:
                    stream.close()
                except OSError:  # flushing into a dead bridge
                    pass
        shutil.rmtree(self.workdir, ignore_errors=True)

    def log_tail(self) -> str:
        """The end of soffice's and the bridge's stderr (each on a new line), for the
        server log only: never shown to users."""
        parts = []
        for name in ("soffice.log", "bridge.log"):
            try:
                data = (self.workdir / name).read_bytes()[-_LOG_TAIL:]
            except OSError:
                continue
            if data.strip():
                parts.append(f"[{name}] {data.decode(errors='replace').strip()}")
        return "".join("\n" + part for part in parts)

    # -- work --------------------------------------------------------------

    def convert(self, docx: bytes, filter_data: dict[str, Any], timeout: float) -> bytes:
        """Convert one document; raise InstanceFailure or DocumentFailure."""
        procs = self._procs
        if procs is None or procs.bridge is None or not self.alive():
            raise InstanceFailure("crash", "instance is not running")
        deadline = time.monotonic() + timeout
        rid = next(self._ids)
        src = self.workdir / f"job-{rid}.docx"
        out = self.workdir / f"job-{rid}.pdf"
        try:
            src.write_bytes(docx)
        except OSError as exc:  # work directory removed by a concurrent close()
            raise InstanceFailure("crash", f"cannot write the input: {exc}") from exc
        try:
            request = {"id": rid, "in": str(src), "out": str(out), "filter_data": filter_data}
            self._send(procs.bridge.stdin, request)
            reply = self._read_reply(deadline, phase="convert")
            if reply.get("id") != rid:
                raise InstanceFailure("crash", f"out-of-order reply {reply!r}")
            if reply.get("ok"):
                try:
                    return out.read_bytes()
                except OSError as exc:
                    raise DocumentFailure(f"no output file: {exc}") from exc
            if reply.get("kind") == "fatal" or not self.alive():
                raise InstanceFailure("crash", str(reply.get("error")))
            raise DocumentFailure(str(reply.get("error")))
        finally:
            src.unlink(missing_ok=True)
            out.unlink(missing_ok=True)

    @staticmethod
    def _send(stream: IO[bytes] | None, obj: dict[str, Any]) -> None:
        assert stream is not None
        try:
            stream.write(json.dumps(obj).encode() + b"\n")
            stream.flush()
        except (BrokenPipeError, ValueError, OSError) as exc:
            raise InstanceFailure("crash", f"bridge pipe closed: {exc}") from exc

    def _read_reply(self, deadline: float, *, phase: str) -> dict[str, Any]:
        """One JSON line from the bridge before ``deadline``, watching soffice meanwhile."""
        procs = self._procs
        assert procs is not None and procs.bridge is not None and procs.bridge.stdout
        fd = procs.bridge.stdout.fileno()
        while b"\n" not in self._buf:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                kind = "start" if phase == "start" else "timeout"
                raise InstanceFailure(kind, f"no answer from LibreOffice ({phase})")
            if procs.soffice.poll() is not None:
                raise InstanceFailure(
                    "start" if phase == "start" else "crash",
                    f"soffice.bin exited with {procs.soffice.returncode} ({phase})",
                )
            try:
                ready, _, _ = select.select([fd], [], [], min(remaining, 0.2))
            except (OSError, ValueError) as exc:  # fd closed by a concurrent kill()
                raise InstanceFailure("crash", f"bridge pipe closed: {exc}") from exc
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError as exc:
                raise InstanceFailure("crash", f"bridge pipe closed: {exc}") from exc
            if not chunk:
                code = procs.bridge.poll()
                raise InstanceFailure(
                    "start" if phase == "start" else "crash",
                    f"bridge exited ({code}) during {phase}",
                )
            self._buf += chunk
        line, self._buf = self._buf.split(b"\n", 1)
        try:
            reply = json.loads(line)
        except ValueError as exc:
            raise InstanceFailure("crash", f"unreadable bridge reply {line[:200]!r}") from exc
        if not isinstance(reply, dict):
            raise InstanceFailure("crash", f"unexpected bridge reply {reply!r}")
        return reply
