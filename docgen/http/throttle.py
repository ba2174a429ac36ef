"""Wrong keys per client address: guessing a key is slowed to a few tries a window.

After ``DOCGEN_KEY_ATTEMPTS`` wrong keys (default 10) from one address within
``DOCGEN_KEY_ATTEMPTS_WINDOW`` seconds (default 300), every key check from that address —
an API call with a key, the pages' ``/login``, the administrators' login — is answered
429 ``too_many_attempts`` with ``Retry-After`` until the oldest of those failures is
older than the window; the right key is not even looked at meanwhile. A right key clears
the address's count. ``DOCGEN_KEY_ATTEMPTS=0`` turns it off.

The address is ``request.remote_addr``: behind a reverse proxy set ``DOCGEN_PROXY_HOPS``
so that it is the client's (``X-Forwarded-For``), not the proxy's, or every clerk shares
one count. Counts live in the process (each gunicorn worker keeps its own: at most
``workers × attempts`` tries a window), bounded to :data:`MAX_ADDRESSES` addresses.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable

from flask import Flask, current_app, request

from docgen.errors import TooManyAttemptsError

__all__ = ["EXTENSION", "MAX_ADDRESSES", "Attempts", "check", "failed", "init_app", "succeeded"]

EXTENSION = "docgen.key_attempts"
#: Addresses remembered at once; the least recently failing is forgotten first.
MAX_ADDRESSES = 10_000


class Attempts:
    """Failures per address in a sliding window."""

    def __init__(self, limit: int, window: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def _recent(self, address: str, now: float) -> deque[float] | None:
        times = self._failures.get(address)
        if times is None:
            return None
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            del self._failures[address]
            return None
        return times

    def retry_after(self, address: str) -> int | None:
        """Seconds until ``address`` may try again; None when it may now."""
        if self.limit <= 0:
            return None
        with self._lock:
            now = self.clock()
            times = self._recent(address, now)
            if times is None or len(times) < self.limit:
                return None
            return max(1, math.ceil(times[0] + self.window - now))

    def failed(self, address: str) -> None:
        if self.limit <= 0:
            return
        with self._lock:
            now = self.clock()
            times = self._recent(address, now)
            if times is None:
                times = self._failures[address] = deque(maxlen=self.limit)
            times.append(now)
            self._failures.move_to_end(address)
            while len(self._failures) > MAX_ADDRESSES:
                self._failures.popitem(last=False)

    def succeeded(self, address: str) -> None:
        with self._lock:
            self._failures.pop(address, None)


def _attempts() -> Attempts:
    return current_app.extensions[EXTENSION]  # type: ignore[no-any-return]


def _address() -> str:
    return request.remote_addr or "-"


def check() -> None:
    """Before a key is checked: :class:`TooManyAttemptsError` while the address waits."""
    wait = _attempts().retry_after(_address())
    if wait is not None:
        raise TooManyAttemptsError(wait)


def failed() -> None:
    _attempts().failed(_address())


def succeeded() -> None:
    _attempts().succeeded(_address())


def init_app(app: Flask) -> None:
    settings = app.config["DOCGEN"]
    app.extensions[EXTENSION] = Attempts(settings.key_attempts, settings.key_attempts_window)
