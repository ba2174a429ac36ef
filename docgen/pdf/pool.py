"""ConverterPool: N warm LibreOffice instances behind a bounded queue.

Supervision, as gotenberg does it: every conversion has a deadline; an instance
that hangs or dies is killed (its whole process group) and restarted, and the
request is retried once on the fresh instance; an instance is recycled after
``max_conversions``; requests wait in a queue of ``queue_size`` and are refused
with :class:`ConverterBusyError` beyond it. Users see Vietnamese messages; the
cause (LibreOffice's stderr, the bridge's error) goes to the ``docgen.pdf`` log.

See :mod:`docgen.pdf._instance` for one instance and README.md for the picture.
"""

from __future__ import annotations

import atexit
import logging
import math
import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Self

from docgen import metrics
from docgen.errors import (
    ConversionError,
    ConversionTimeoutError,
    ConverterBusyError,
    ConverterUnavailableError,
    UnreadableInputError,
    UnsupportedFormatError,
)
from docgen.pdf._discovery import Office, find_office
from docgen.pdf._instance import DocumentFailure, Instance, InstanceFailure
from docgen.pdf._profile import build_template

logger = logging.getLogger("docgen.pdf")

#: pdfa argument -> writer_pdf_Export "SelectPdfVersion" (PDF/A-1b, -2b, -3b).
PDFA_VERSIONS = {"1b": 1, "2b": 2, "3b": 3}

MSG_TIMEOUT = "Chuyển sang PDF quá {seconds:g} giây nên đã dừng; vui lòng thử lại sau."
MSG_CRASHED = "Bộ chuyển PDF gặp sự cố khi xử lý văn bản này; vui lòng thử lại sau."
MSG_DOCUMENT = "LibreOffice không đọc được văn bản Word này nên không tạo được PDF."
MSG_NOT_DOCX = "Dữ liệu gửi chuyển sang PDF không phải tệp Word (.docx)."
MSG_BUSY = "Bộ chuyển PDF đang xử lý quá nhiều yêu cầu; vui lòng thử lại sau {seconds} giây."
MSG_START = "Không khởi động được LibreOffice để xuất PDF; văn bản Word (.docx) vẫn dùng được."
MSG_CLOSED = "Bộ chuyển PDF đã dừng."


class _Slot:
    """One place in the pool: the instance running there (if any) and its counters."""

    def __init__(self, index: int) -> None:
        self.index = index
        self.state = "stopped"  # stopped | starting | idle | busy | restarting | failed
        self.instance: Instance | None = None
        self.generation = 0
        self.conversions = 0  # on the current instance, for recycling
        self.restarts = 0
        self.last_failure: str | None = None  # kind only: start, crash, timeout


class ConverterPool:
    """Thread-safe pool of warm LibreOffice instances converting .docx to PDF.

    >>> with ConverterPool(workers=1) as pool:              # doctest: +SKIP
    ...     pdf = pool.convert(docx_bytes, pdfa="2b")

    Instances start lazily on the first :meth:`convert` (or all at once with
    :meth:`start`). :meth:`close` (also run at exit) kills every process it started.
    """

    def __init__(
        self,
        workers: int | None = os.cpu_count(),
        timeout: float = 60,
        max_conversions: int = 200,
        queue_size: int = 16,
        start_timeout: float = 60,
        soffice: str | None = None,
        python: str | None = None,
    ) -> None:
        if workers is None:  # os.cpu_count() may not know
            workers = os.cpu_count() or 1
        if workers < 1 or timeout <= 0 or max_conversions < 1 or queue_size < 0:
            raise ValueError("workers, timeout, max_conversions must be positive; queue_size >= 0")
        self.workers = workers
        self.timeout = float(timeout)
        self.max_conversions = max_conversions
        self.queue_size = queue_size
        self.start_timeout = float(start_timeout)
        self.soffice = soffice
        self.python = python
        self._cond = threading.Condition(threading.Lock())
        self._slots = [_Slot(i) for i in range(workers)]
        self._waiting = 0
        self._conversions = 0
        self._avg_seconds = 1.0  # moving average, for Retry-After
        self._closed = False
        self._owner_pid = os.getpid()
        self._office: Office | None = None
        self._basedir: Path | None = None
        self._template: Path | None = None
        self._setup_lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        atexit.register(self.close)

    # -- public API ----------------------------------------------------------

    def start(self) -> None:
        """Start every instance now and wait until they answer.

        Raises :class:`ConverterUnavailableError` if none could start; a partial
        start leaves the pool ``degraded`` (logged) and the rest restart lazily.
        """
        self._setup()
        with self._cond:
            slots = [s for s in self._slots if s.state in ("stopped", "failed")]
            for slot in slots:
                slot.state = "starting"
        threads = [
            threading.Thread(target=self._start_slot_to_idle, args=(slot,), daemon=True)
            for slot in slots
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        with self._cond:
            if not any(s.state in ("idle", "busy") for s in self._slots):
                raise ConverterUnavailableError(MSG_CLOSED if self._closed else MSG_START)

    def convert(
        self, docx: bytes, *, pdfa: str | None = None, timeout: float | None = None
    ) -> bytes:
        """Convert a .docx to PDF (PDF/A-1b, -2b or -3b with ``pdfa="1b"|"2b"|"3b"``).

        ``timeout`` overrides the pool's per-attempt deadline for this call. Raises
        :class:`ConverterBusyError` (queue full), :class:`ConversionTimeoutError`
        (the retry timed out too), :class:`ConverterUnavailableError` (no
        LibreOffice), :class:`ConversionError` (LibreOffice refused the document).
        """
        if pdfa not in (None, *PDFA_VERSIONS):
            raise UnsupportedFormatError(f"PDF/A-{pdfa}", [f"PDF/A-{v}" for v in PDFA_VERSIONS])
        if not isinstance(docx, (bytes, bytearray)) or docx[:4] != b"PK\x03\x04":
            raise UnreadableInputError(MSG_NOT_DOCX)
        filter_data: dict[str, Any] = {"EmbedStandardFonts": True}
        if pdfa:
            filter_data["SelectPdfVersion"] = PDFA_VERSIONS[pdfa]
        deadline = self.timeout if timeout is None else float(timeout)
        self._setup()
        slot = self._acquire()
        began = time.monotonic()
        try:
            pdf = self._convert_on(slot, bytes(docx), filter_data, deadline)
        except BaseException:
            self._release(slot, success=False)
            metrics.observe_conversion(time.monotonic() - began, ok=False)
            raise
        self._release(slot, success=True, seconds=time.monotonic() - began)
        metrics.observe_conversion(time.monotonic() - began)
        return pdf

    def status(self) -> dict[str, Any]:
        """State for health checks: ``{"state", "workers", "queued", "conversions"}``."""
        with self._cond:
            workers = [
                {
                    "index": s.index,
                    "state": s.state,
                    "pid": s.instance.soffice_pid if s.instance else None,
                    "conversions": s.conversions,
                    "restarts": s.restarts,
                    "last_failure": s.last_failure,
                    "version": s.instance.version if s.instance else None,
                }
                for s in self._slots
            ]
            states = {s.state for s in self._slots}
            if self._closed or states <= {"stopped"}:
                state = "stopped"
            elif "failed" in states:
                state = "degraded"
            elif states & {"idle", "busy"}:
                state = "ready"
            else:
                state = "starting"
            return {
                "state": state,
                "workers": workers,
                "queued": self._waiting,
                "conversions": self._conversions,
                "queue_size": self.queue_size,
                "timeout": self.timeout,
            }

    def close(self) -> None:
        """Kill every LibreOffice this pool started and remove its temporary files.

        A conversion in flight fails with :class:`ConverterUnavailableError`.
        """
        if os.getpid() != self._owner_pid:  # a forked child must not kill its parent's
            return
        with self._cond:
            self._closed = True
            instances = [s.instance for s in self._slots if s.instance is not None]
            self._cond.notify_all()
        for instance in instances:
            instance.kill()
        for t in list(self._threads):
            t.join(timeout=self.start_timeout)
        with self._cond:  # requests in flight see their bridge's EOF and let go
            self._cond.wait_for(
                lambda: all(s.state in ("stopped", "failed", "idle") for s in self._slots),
                timeout=10,
            )
            for slot in self._slots:
                slot.state = "stopped"
            instances = [s.instance for s in self._slots if s.instance is not None]
        for instance in instances:
            instance.destroy()
        with self._setup_lock:
            if self._basedir is not None:
                shutil.rmtree(self._basedir, ignore_errors=True)
        atexit.unregister(self.close)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- internals -----------------------------------------------------------

    def _setup(self) -> None:
        """Find LibreOffice and build the template profile, once (again after a fork)."""
        with self._setup_lock:
            if os.getpid() != self._owner_pid:
                # A forked child (gunicorn --preload) shares the parent's pipes: forget
                # the parent's instances without touching them and start our own.
                with self._cond:
                    self._owner_pid = os.getpid()
                    self._slots = [_Slot(i) for i in range(self.workers)]
                    self._waiting = 0
                    self._threads = []
                    self._office = self._basedir = self._template = None
            if self._closed:
                raise ConverterUnavailableError(MSG_CLOSED)
            if self._template is not None:
                return
            found = find_office(self.soffice, self.python)
            if isinstance(found, str):
                logger.warning("PDF converter unavailable: %s", found)
                raise ConverterUnavailableError(found)
            basedir = Path(tempfile.mkdtemp(prefix="docgen-pdf-"))
            try:
                build_template(found, basedir / "template", self.start_timeout)
            except Exception as exc:
                shutil.rmtree(basedir, ignore_errors=True)
                logger.error("cannot prepare a LibreOffice profile: %s", exc)
                raise ConverterUnavailableError(MSG_START) from exc
            self._office, self._basedir, self._template = found, basedir, basedir / "template"

    def _ensure_template(self) -> None:
        """Rebuild the template profile if something (a /tmp cleaner) removed it."""
        assert self._office is not None and self._template is not None
        with self._setup_lock:
            if not (self._template / "user" / "registrymodifications.xcu").is_file():
                logger.warning("LibreOffice template profile vanished; rebuilding it")
                build_template(self._office, self._template, self.start_timeout)

    def _retry_after(self) -> int:
        per_slot = (self._waiting + 1) / self.workers
        return max(1, min(120, math.ceil(self._avg_seconds * per_slot)))

    def _acquire(self) -> _Slot:
        """Take a slot that can work now, waiting in the bounded queue if needed."""
        with self._cond:
            queued = False
            try:
                while True:
                    if self._closed:
                        raise ConverterUnavailableError(MSG_CLOSED)
                    slot = self._free_slot()
                    if slot is not None:
                        slot.state = "busy" if slot.state == "idle" else "starting"
                        return slot
                    if not queued:
                        if self._waiting >= self.queue_size:
                            seconds = self._retry_after()
                            raise ConverterBusyError(
                                MSG_BUSY.format(seconds=seconds), retry_after=seconds
                            )
                        self._waiting += 1
                        metrics.pdf_queue_changed(+1)
                        queued = True
                    self._cond.wait()
            finally:
                if queued:
                    self._waiting -= 1
                    metrics.pdf_queue_changed(-1)

    def _free_slot(self) -> _Slot | None:
        for wanted in ("idle", "stopped", "failed"):
            for slot in self._slots:
                if slot.state == wanted:
                    return slot
        return None

    def _release(self, slot: _Slot, *, success: bool, seconds: float = 0.0) -> None:
        with self._cond:
            if success:
                self._conversions += 1
                self._avg_seconds = 0.8 * self._avg_seconds + 0.2 * seconds
            if self._closed:
                slot.state = "stopped"
            elif slot.instance is not None and slot.instance.alive():
                if slot.conversions >= self.max_conversions:
                    slot.state = "restarting"
                    self._spawn(self._recycle, slot)
                else:
                    slot.state = "idle"
            elif slot.state != "failed":
                slot.state = "stopped"  # the next request starts it again
            self._cond.notify_all()

    def _spawn(self, target: Any, slot: _Slot) -> None:
        thread = threading.Thread(target=target, args=(slot,), daemon=True)
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()

    def _recycle(self, slot: _Slot) -> None:
        logger.info(
            "recycling LibreOffice instance %s after %d conversions", slot.index, slot.conversions
        )
        self._start_slot_to_idle(slot)

    def _start_slot_to_idle(self, slot: _Slot) -> None:
        """Background (re)start: the slot is not available until it answers."""
        try:
            self._restart(slot)
        except ConversionError:
            pass  # logged in _restart; the slot is "failed" and retried on demand
        except Exception:  # a thread must never leave its slot "restarting" for ever
            logger.exception("restarting LibreOffice instance %s failed", slot.index)
            with self._cond:
                slot.state = "failed"
        with self._cond:
            if slot.state != "failed":
                slot.state = "stopped" if self._closed else "idle"
            self._cond.notify_all()

    def _restart(self, slot: _Slot) -> Instance:
        """Kill the slot's instance (if any) and start a fresh one; caller owns the slot."""
        assert self._office is not None and self._template is not None and self._basedir
        old = slot.instance
        if old is not None:
            old.destroy()
            slot.restarts += 1
            metrics.pdf_restarted()
        with self._cond:
            if self._closed:
                raise ConverterUnavailableError(MSG_CLOSED)
            slot.generation += 1
            slot.conversions = 0
            label = f"{os.getpid()}-{slot.index}-{slot.generation}"
            instance = Instance(
                self._office,
                self._template,
                self._basedir / f"i{slot.index}-g{slot.generation}",
                label,
            )
            slot.instance = instance
        try:
            self._ensure_template()
            instance.start(self.start_timeout)
        except (InstanceFailure, OSError, RuntimeError, subprocess.SubprocessError) as exc:
            tail = instance.log_tail()
            instance.destroy()
            with self._cond:
                closed = self._closed
                slot.last_failure = "start"
                if not closed:
                    slot.state = "failed"
            if closed:
                raise ConverterUnavailableError(MSG_CLOSED) from exc
            logger.error("LibreOffice instance %s did not start: %s%s", slot.index, exc, tail)
            raise ConverterUnavailableError(MSG_START) from exc
        return instance

    def _convert_on(
        self, slot: _Slot, docx: bytes, filter_data: dict[str, Any], timeout: float
    ) -> bytes:
        """Convert on the slot's instance: restart it if dead, retry once after a failure."""
        instance = slot.instance
        if instance is None or not instance.alive():
            if instance is not None:
                logger.warning("LibreOffice instance %s died while idle; restarting", slot.index)
            instance = self._restart(slot)
            with self._cond:
                slot.state = "busy"
        for attempt in (1, 2):
            try:
                pdf = instance.convert(docx, filter_data, timeout)
            except DocumentFailure as exc:
                logger.warning("LibreOffice refused a document: %s", exc)
                raise ConversionError(MSG_DOCUMENT) from exc
            except InstanceFailure as exc:
                with self._cond:
                    slot.last_failure = exc.kind
                    closed = self._closed
                if closed:
                    raise ConverterUnavailableError(MSG_CLOSED) from exc
                logger.error(
                    "LibreOffice instance %s failed (attempt %d, %s): %s%s",
                    slot.index,
                    attempt,
                    exc.kind,
                    exc.detail,
                    instance.log_tail(),
                )
                instance.kill()
                if attempt == 2:
                    if exc.kind == "timeout":
                        raise ConversionTimeoutError(MSG_TIMEOUT.format(seconds=timeout)) from exc
                    raise ConversionError(MSG_CRASHED) from exc
                instance = self._restart(slot)
                with self._cond:
                    slot.state = "busy"
                continue
            slot.conversions += 1
            return pdf
        raise AssertionError("unreachable")  # pragma: no cover
