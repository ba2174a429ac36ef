"""The pool survives what LibreOffice does in production: crashes, hangs, load,
slow leaks; and it leaves nothing running behind it."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from docgen.errors import (
    ConversionError,
    ConversionTimeoutError,
    ConverterBusyError,
    ConverterUnavailableError,
)
from docgen.pdf import ConverterPool
from docgen.pdf._profile import pipe_paths
from docgen.pdf.pool import MSG_DOCUMENT, MSG_TIMEOUT

from .support import alive, office_children, requires_libreoffice, wait_for

pytestmark = requires_libreoffice


def soffice_pid(pool: ConverterPool, index: int = 0) -> int:
    pid = pool.status()["workers"][index]["pid"]
    assert pid is not None
    return pid


class Background:
    """Run ``pool.convert`` in a thread; keep its result or exception."""

    def __init__(self, pool: ConverterPool, docx: bytes) -> None:
        self.result: bytes | None = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(pool, docx), daemon=True)
        self.thread.start()

    def _run(self, pool: ConverterPool, docx: bytes) -> None:
        try:
            self.result = pool.convert(docx)
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            self.error = exc

    def join(self, timeout: float = 60) -> bytes:
        self.thread.join(timeout)
        assert not self.thread.is_alive(), "conversion did not finish"
        if self.error is not None:
            raise self.error
        assert self.result is not None
        return self.result


def test_lazy_start_then_ready(make_pool, docx_bytes) -> None:
    pool = make_pool()
    assert pool.status()["state"] == "stopped"
    assert pool.convert(docx_bytes).startswith(b"%PDF")
    status = pool.status()
    assert status["state"] == "ready"
    assert status["conversions"] == 1
    assert status["workers"][0]["state"] == "idle"


def test_killed_between_conversions_is_restarted(make_pool, docx_bytes) -> None:
    pool = make_pool()
    pool.start()
    first = soffice_pid(pool)
    os.kill(first, signal.SIGKILL)
    assert wait_for(lambda: not alive(first), 5)
    assert pool.convert(docx_bytes).startswith(b"%PDF")
    assert soffice_pid(pool) != first
    assert pool.status()["workers"][0]["restarts"] == 1


def test_killed_during_a_conversion_is_retried(make_pool, docx_bytes) -> None:
    pool = make_pool(timeout=30)
    pool.start()
    first = soffice_pid(pool)
    # Freeze soffice so the request is certainly in flight, then kill it.
    os.kill(first, signal.SIGSTOP)
    job = Background(pool, docx_bytes)
    assert wait_for(lambda: pool.status()["workers"][0]["state"] == "busy", 5)
    threading.Event().wait(0.3)  # the request reaches the bridge
    os.kill(first, signal.SIGKILL)
    assert job.join().startswith(b"%PDF")
    assert soffice_pid(pool) != first
    assert pool.status()["workers"][0]["last_failure"] == "crash"


def test_hung_instance_is_killed_and_the_request_retried(make_pool, docx_bytes) -> None:
    pool = make_pool(timeout=2)
    pool.start()
    hung = soffice_pid(pool)
    os.kill(hung, signal.SIGSTOP)
    assert pool.convert(docx_bytes).startswith(b"%PDF")  # second attempt, new instance
    assert not alive(hung)
    status = pool.status()
    assert status["workers"][0]["last_failure"] == "timeout"
    assert status["state"] == "ready"


def test_timeout_after_the_retry_raises_then_the_pool_recovers(
    make_pool, docx_bytes, caplog
) -> None:
    pool = make_pool()
    pool.start()
    with (
        caplog.at_level(logging.ERROR, logger="docgen.pdf"),
        pytest.raises(ConversionTimeoutError) as info,
    ):
        pool.convert(docx_bytes, timeout=0.001)
    assert info.value.code == "conversion_timeout"
    assert info.value.message == MSG_TIMEOUT.format(seconds=0.001)  # Vietnamese, fixed text
    assert isinstance(info.value.__cause__, Exception)  # chained, not hidden
    logged = [r.getMessage() for r in caplog.records]
    assert any("attempt 1, timeout" in m for m in logged)
    assert any("attempt 2, timeout" in m for m in logged)
    assert pool.convert(docx_bytes).startswith(b"%PDF")
    assert pool.status()["state"] == "ready"


def test_a_document_libreoffice_cannot_read_is_refused_without_restart(
    make_pool, docx_bytes, caplog
) -> None:
    pool = make_pool()
    pool.convert(docx_bytes)
    pid = soffice_pid(pool)
    with (
        caplog.at_level(logging.WARNING, logger="docgen.pdf"),
        pytest.raises(ConversionError) as info,
    ):
        pool.convert(b"PK\x03\x04 a zip header, then nothing")
    assert info.value.code == "conversion_failed"
    assert info.value.message == MSG_DOCUMENT  # LibreOffice's own words go to the log only
    assert any("refused a document" in r.getMessage() for r in caplog.records)
    assert pool.convert(docx_bytes).startswith(b"%PDF")
    assert soffice_pid(pool) == pid
    assert pool.status()["workers"][0]["restarts"] == 0


def test_full_queue_refuses_with_retry_after(make_pool, docx_bytes) -> None:
    pool = make_pool(queue_size=1, timeout=30)
    pool.start()
    frozen = soffice_pid(pool)
    os.kill(frozen, signal.SIGSTOP)
    try:
        running = Background(pool, docx_bytes)
        assert wait_for(lambda: pool.status()["workers"][0]["state"] == "busy", 5)
        queued = Background(pool, docx_bytes)
        assert wait_for(lambda: pool.status()["queued"] == 1, 5)
        with pytest.raises(ConverterBusyError) as info:
            pool.convert(docx_bytes)
        assert info.value.retry_after >= 1
        assert info.value.status == 503
    finally:
        os.kill(frozen, signal.SIGCONT)
    assert running.join().startswith(b"%PDF")
    assert queued.join().startswith(b"%PDF")
    assert soffice_pid(pool) == frozen  # thawed in time: no restart was needed
    assert pool.status()["queued"] == 0


def test_recycled_after_max_conversions(make_pool, docx_bytes) -> None:
    pool = make_pool(max_conversions=2)
    pool.convert(docx_bytes)
    first = soffice_pid(pool)
    pool.convert(docx_bytes)  # the second conversion triggers the recycle
    assert pool.convert(docx_bytes).startswith(b"%PDF")
    second = soffice_pid(pool)
    assert second != first
    assert not alive(first)
    assert pool.status()["workers"][0]["restarts"] == 1


def test_two_workers_convert_in_parallel(make_pool, docx_bytes) -> None:
    pool = make_pool(workers=2)
    pool.start()
    pids = {soffice_pid(pool, 0), soffice_pid(pool, 1)}
    assert len(pids) == 2
    jobs = [Background(pool, docx_bytes) for _ in range(6)]
    assert all(job.join().startswith(b"%PDF") for job in jobs)
    assert pool.status()["conversions"] == 6


def test_close_leaves_no_libreoffice_behind(docx_bytes) -> None:
    pool = ConverterPool(workers=2)
    pool.start()
    pool.convert(docx_bytes)
    pids = [soffice_pid(pool, 0), soffice_pid(pool, 1)]
    assert len(office_children()) == 4  # two soffice.bin, two bridges
    basedir = pool._basedir
    assert basedir is not None and basedir.is_dir()
    pool.close()
    assert office_children() == []
    assert not any(alive(pid) for pid in pids)
    assert not basedir.exists()
    assert not list(Path("/tmp").glob(f"OSL_PIPE_{os.getuid()}_docgen-{os.getpid()}-*"))
    assert pool.status()["state"] == "stopped"
    with pytest.raises(ConverterUnavailableError):
        pool.convert(docx_bytes)
    pool.close()  # idempotent


def test_close_during_a_conversion(docx_bytes) -> None:
    pool = ConverterPool(workers=1, timeout=30)
    pool.start()
    frozen = soffice_pid(pool)
    os.kill(frozen, signal.SIGSTOP)
    job = Background(pool, docx_bytes)
    assert wait_for(lambda: pool.status()["workers"][0]["state"] == "busy", 5)
    pool.close()
    with pytest.raises(ConverterUnavailableError):
        job.join()
    assert office_children() == []


def test_instances_die_with_the_app_process(tmp_path, docx_bytes) -> None:
    """A SIGKILLed web worker cannot run close(): the bridges kill their own group."""
    (tmp_path / "in.docx").write_bytes(docx_bytes)
    script = textwrap.dedent(
        f"""
        import os, sys
        from docgen.pdf import ConverterPool
        pool = ConverterPool(workers=1)
        pool.convert(open({str(tmp_path / "in.docx")!r}, "rb").read())
        w = pool.status()["workers"][0]
        print(w["pid"], flush=True)
        sys.stdin.read()  # wait to be killed
        """
    )
    env = {**os.environ, "TMPDIR": str(tmp_path)}  # its pool's files land in tmp_path
    app = subprocess.Popen(
        [sys.executable, "-c", script],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        pid = int(app.stdout.readline())  # type: ignore[union-attr]
        assert alive(pid)
    finally:
        app.kill()
        app.wait()
        app.stdin.close()  # type: ignore[union-attr]
        app.stdout.close()  # type: ignore[union-attr]
    assert wait_for(lambda: not alive(pid), 10), "soffice.bin outlived its app process"
    # Nobody ran close(): remove the sockets the killed soffice left in /tmp.
    for profile in tmp_path.glob("docgen-pdf-*/i*/profile"):
        for sock in pipe_paths(f"docgen-{app.pid}-0-1", profile):
            sock.unlink(missing_ok=True)
    for sock in Path("/tmp").glob(f"OSL_PIPE_{os.getuid()}_docgen-{app.pid}-*"):
        sock.unlink(missing_ok=True)
