"""The live progress line of a running job, drawn by a thread of the launching process while
the pipeline runs (Beam's local runner blocks it and gives no metrics before the end).

On a terminal: one line, redrawn every second, that log lines scroll above (a log record clears
it first, and the next draw puts it back below). Otherwise: a log line every 30 s. Nothing where
dolmakit's INFO lines are off (`--quiet`). The line never fails the job: a failed count is
logged once, at DEBUG, and the next one is tried.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import TextIO

from dolmakit.engine.progress import Snapshot, progress_line

LOG = logging.getLogger("dolmakit")
TERMINAL_EVERY, LOG_EVERY = 1.0, 30.0  # seconds between two lines
REMOTE_EVERY = 5.0  # at least, on an object store: each count lists the staging folder
CLEAR = "\r\x1b[K"  # back to the line's start, and erase it


@contextmanager
def watching(
    count: Callable[[], Snapshot | None],
    remote: bool = False,
    every: float | None = None,
    stream: TextIO | None = None,
) -> Iterator[None]:
    """Shows `count()` (None: the job counts no progress) every `every` seconds while the block
    runs; `remote`: the count lists an object store, so it runs at most every 5 s."""
    stream = stream or sys.stderr
    if not LOG.isEnabledFor(logging.INFO):
        yield
        return
    terminal = stream if stream.isatty() else None
    every = every or (TERMINAL_EVERY if terminal else LOG_EVERY)
    watcher = Watcher(count, max(every, REMOTE_EVERY) if remote else every, terminal)
    with ExitStack() as stack:
        if terminal is not None:
            stack.enter_context(watcher.below_logs())
        watcher.start()
        try:
            yield
        finally:
            watcher.stop()


class Watcher(threading.Thread):
    """Counts and shows the job's progress until stopped; a daemon thread, so a job that ends
    any other way is never held up by it."""

    def __init__(self, count: Callable[[], Snapshot | None], every: float,
                 terminal: TextIO | None, clock: Callable[[], float] = time.monotonic):  # fmt: skip
        super().__init__(name="dolmakit progress", daemon=True)
        self.count, self.every, self.terminal, self.clock = count, every, terminal, clock
        self.stopping = threading.Event()
        self.failed = False  # a count failed: said once
        self.drawn = False  # the terminal's last line is the progress line
        self.shown = False  # a line was shown
        self.handlers: list[logging.Handler] = []  # the terminal's log handlers

    def run(self) -> None:
        began = self.clock()
        start = last = self.look()
        if start is None and not self.failed:  # the job counts no progress
            return
        while not self.stopping.wait(self.every):
            now = self.look()
            if now is None:
                continue
            start, last = (now if start is None else start), now
            self.show(progress_line(now, start, self.clock() - began))
        if self.terminal is not None and last is not None and self.shown:  # ended as it was left
            now = self.look() or last
            self.show(progress_line(now, start or last, self.clock() - began) + "\n")

    def stop(self) -> None:
        self.stopping.set()
        if self.is_alive():
            self.join(timeout=30)  # a last count of an object store may take a few seconds

    def look(self) -> Snapshot | None:
        try:
            return self.count()
        except Exception as error:  # a listing that fails now may work at the next look
            if not self.failed:
                LOG.debug("progress: could not count what is done: %s", error, exc_info=True)
            self.failed = True
            return None

    def show(self, line: str) -> None:
        self.shown = True
        if self.terminal is None:
            LOG.info(line)
            return
        for handler in self.handlers:  # no log record half written where the line goes
            handler.acquire()
        try:
            self.terminal.write(CLEAR + line)
            self.terminal.flush()
            self.drawn = not line.endswith("\n")
        finally:
            for handler in self.handlers:
                handler.release()

    def take_line(self) -> str:
        """What clears the progress line, if it is drawn; called under the handler's lock."""
        if not self.drawn:
            return ""
        self.drawn = False
        return CLEAR

    @contextmanager
    def below_logs(self) -> Iterator[None]:
        """Log records to the terminal clear the progress line before they are written: a
        formatter runs under the handler's lock, as the line is drawn (no record in between)."""
        handlers = [h for h in logging.getLogger().handlers
                    if getattr(h, "stream", None) is self.terminal]  # fmt: skip
        formatters = [handler.formatter for handler in handlers]
        for handler, formatter in zip(handlers, formatters, strict=True):
            handler.setFormatter(_AboveTheLine(formatter, self))
        self.handlers = handlers
        try:
            yield
        finally:
            for handler, formatter in zip(handlers, formatters, strict=True):
                handler.setFormatter(formatter)


class _AboveTheLine(logging.Formatter):
    def __init__(self, inner: logging.Formatter | None, watcher: Watcher):
        super().__init__()
        self.inner, self.watcher = inner or logging.Formatter(), watcher

    def format(self, record: logging.LogRecord) -> str:
        return self.watcher.take_line() + self.inner.format(record)
