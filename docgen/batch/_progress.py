"""Progress of a batch on the command line: a bar on a terminal, plain lines otherwise.

On a terminal: click's bar with position, rows per second, errors and ETA. In a
pipe or a CI log: one line at every tenth of the rows (and at least every
``PLAIN_EVERY`` seconds), so a log shows the batch moving without a line per row.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import IO, Any

import click

from docgen.batch._runner import Progress

PLAIN_EVERY = 5.0


def _seconds(value: float | None) -> str:
    if value is None:
        return "?"
    value = round(value)
    return f"{value // 60} phút {value % 60:02d} giây" if value >= 60 else f"{value} giây"


def status_text(state: Progress) -> str:
    """'480 dòng/s · 3 lỗi'."""
    text = f"{state.rate:,.0f} dòng/s".replace(",", ".")
    if state.failed:
        text += f" · {state.failed} lỗi"
    return text


class ProgressReporter:
    """Call with each :class:`Progress`; ``close()`` when the batch is over."""

    def __init__(self, total: int, label: str, stream: IO[str], *, tty: bool | None = None,
                 enabled: bool = True) -> None:
        self.total = total
        self.label = label
        self.stream = stream
        self.enabled = enabled
        self.tty = stream.isatty() if tty is None else tty
        self._bar: Any = None
        show: Callable[[Any], str | None] = lambda s: status_text(s) if s is not None else None
        self._shown = 0
        self._next_step = max(1, total // 10)
        self._last_line = time.monotonic()
        if self.enabled and self.tty:
            self._bar = click.progressbar(  # type: ignore[call-overload]
                length=total, label=label, file=stream, show_eta=True, show_pos=True,
                item_show_func=show,
            )
            self._bar.__enter__()

    def __call__(self, state: Progress) -> None:
        if not self.enabled:
            return
        if self._bar is not None:
            self._bar.update(state.done - self._shown, state)
            self._shown = state.done
            return
        now = time.monotonic()
        if state.done >= self._next_step or now - self._last_line >= PLAIN_EVERY \
                or state.done == state.total:
            while self._next_step <= state.done:
                self._next_step += max(1, self.total // 10)
            self._last_line = now
            percent = 100 * state.done // max(1, state.total)
            click.echo(
                f"{self.label}: {state.done}/{state.total} dòng ({percent}%) · "
                f"{status_text(state)} · còn khoảng {_seconds(state.eta)}",
                file=self.stream,
            )

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


__all__ = ["ProgressReporter", "status_text"]
