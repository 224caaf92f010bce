"""The progress line's thread: log lines off a terminal, one redrawn line on it, nothing under
--quiet, and never a failure of its own."""

from __future__ import annotations

import io
import itertools
import logging
import threading
import time
from collections.abc import Callable

from dolmakit.engine.progress import PassDone, Snapshot
from dolmakit.engine.watcher import CLEAR, Watcher, watching

NOTHING = Snapshot((PassDone(),), files=2)
ONE = Snapshot((PassDone(1, 500, 500),), files=2)
BOTH = Snapshot((PassDone(2, 1_000, 1_000),), files=2)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def counts(*snapshots: Snapshot) -> tuple[Callable[[], Snapshot], threading.Event]:
    """A count giving the snapshots one by one, then failing (as a listing can), and the event
    set once it has failed."""
    given, failed = iter(snapshots), threading.Event()

    def count() -> Snapshot:
        try:
            return next(given)
        except StopIteration:
            failed.set()
            raise OSError("listing refused") from None

    return count, failed


def watch_until_it_fails(watcher: Watcher, failed: threading.Event) -> None:
    watcher.start()
    assert failed.wait(10)
    time.sleep(0.05)  # more looks that fail: no more lines
    watcher.stop()


def test_off_a_terminal_a_log_line_every_interval_and_a_failed_count_said_once(caplog):
    caplog.set_level(logging.DEBUG, logger="dolmakit")
    count, failed = counts(NOTHING, ONE, BOTH)
    clock = itertools.count(0, 10).__next__  # each line 10 s after the last
    watch_until_it_fails(Watcher(count, 0.001, None, clock), failed)
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        ("INFO", "files 1/2  records 500  50 records/s  ETA 10s"),
        ("INFO", "files 2/2  records 1,000  50 records/s  ETA 0s"),
        ("DEBUG", "progress: could not count what is done: listing refused"),
    ]


def test_on_a_terminal_one_line_redrawn_and_ended_when_the_job_ends():
    terminal = Terminal()
    count, failed = counts(NOTHING, ONE, BOTH)
    clock = itertools.count(0, 10).__next__
    watch_until_it_fails(Watcher(count, 0.001, terminal, clock), failed)
    assert terminal.getvalue() == (
        f"{CLEAR}files 1/2  records 500  50 records/s  ETA 10s"
        f"{CLEAR}files 2/2  records 1,000  50 records/s  ETA 0s"
        f"{CLEAR}files 2/2  records 1,000  33 records/s  ETA 0s\n"  # the last count, at 30 s
    )


def test_log_records_clear_the_line_and_it_comes_back_below_them():
    terminal = Terminal()
    handler = logging.StreamHandler(terminal)
    root = logging.getLogger()
    root.addHandler(handler)
    watcher = Watcher(lambda: NOTHING, 1.0, terminal)
    try:
        with watcher.below_logs():
            watcher.show("line")
            logging.getLogger("dolmakit").warning("a record")
            logging.getLogger("dolmakit").warning("another")
            watcher.show("line again")
    finally:
        root.removeHandler(handler)
    assert terminal.getvalue() == f"{CLEAR}line{CLEAR}a record\nanother\n{CLEAR}line again"
    assert handler.formatter is None  # as it was


def test_quiet_shows_nothing_and_counts_nothing(caplog):
    caplog.set_level(logging.WARNING, logger="dolmakit")
    looked = []
    with watching(lambda: looked.append(1), every=0.001, stream=Terminal()):
        time.sleep(0.05)
    assert looked == []


def test_a_job_that_counts_no_progress_shows_nothing(caplog):
    caplog.set_level(logging.INFO, logger="dolmakit")
    looked = []
    with watching(lambda: looked.append(1), every=0.001, stream=io.StringIO()):
        time.sleep(0.05)
    assert looked == [1] and caplog.records == []


def test_watching_logs_off_a_terminal(caplog):
    caplog.set_level(logging.INFO, logger="dolmakit")
    with watching(lambda: NOTHING, every=0.001, stream=io.StringIO()):
        deadline = time.monotonic() + 10
        while len(caplog.records) < 2 and time.monotonic() < deadline:
            time.sleep(0.005)
    lines = {record.getMessage() for record in caplog.records}
    assert lines == {"files 0/2  records 0  0 records/s  ETA --"}
