"""A guard for a race in Beam's data plane that lost documents on the local multi-process runner.

Beam's FnApiRunner writes each bundle's input to its gRPC workers through a data-plane stream
that is flushed by a timer thread every second (worker_handlers.DATA_BUFFER_TIME_LIMIT_MS).
The timer's flush takes the buffer (get()), hands it to the send queue and then empties it
(_clear()); the runner's own thread writes into the same buffer without a lock. When the send
queue is full, the hand-off blocks, the writing thread runs, and what it wrote in that moment is
wiped by _clear(): never sent, no error. A stage that reads a plain (not grouped) input gets it
in many writes, one per chunk the previous stage produced, so whole chunks vanished: the loss
benchmarks/engine/zero_loss.py measured (2,428 to 21,013 of 200,000 under CPU load). Beam 2.77.0;
benchmarks/engine/beam_data_plane_race.py reproduces it with Beam alone, on a quiet machine.

The guard makes each write hold the stream's flush lock, which the timer's flush holds from
get() to _clear(). A write then waits while a flush's hand-off blocks: back-pressure from the send
queue, which the gRPC thread drains on its own; Beam's close() already waited on that flush.
Beam's runner-side streams are only written through write() (bundle inputs and timers), so that
one method is enough; the SDK workers' own streams are size-based (no timer) on the
multi-process runner.

The patch is on a private class, for the whole process (the runner's streams are made deep in
Beam's worker handlers; there is no option to pass a stream class). It was read against Beam's
data_plane.py and checked by tests/engine/test_data_plane.py on the versions in CHECKED_WITH; on
any other version the guard still installs (taking a lock cannot lose data) but says so once, and
tests/engine/test_data_plane.py fails until the version is checked and added here.
"""

from __future__ import annotations

import logging

import apache_beam
from apache_beam.runners.worker import data_plane

LOG = logging.getLogger("dolmakit")
# Beam versions whose data plane this guard was read against and its tests passed on.
CHECKED_WITH = ("2.77.0",)

_TIMED_STREAM = data_plane.TimeBasedBufferingClosableOutputStream
_UNGUARDED_WRITE = data_plane.SizeBasedBufferingClosableOutputStream.write


def _write_under_flush_lock(self, b: bytes, nested: bool = False) -> None:
    with self._flush_lock:
        _UNGUARDED_WRITE(self, b, nested)


def guard_timed_flushes() -> None:
    """Installs the guard (idempotent): from now on a write and a timed flush never interleave."""
    if not guarded() and apache_beam.__version__ not in CHECKED_WITH:
        LOG.warning("Beam %s: dolmakit's guard of the data plane's timed flush was checked on "
                    "Beam %s only; run tests/engine/test_data_plane.py on this version",
                    apache_beam.__version__, ", ".join(CHECKED_WITH))  # fmt: skip
    _TIMED_STREAM.write = _write_under_flush_lock


def guarded() -> bool:
    return _TIMED_STREAM.write is _write_under_flush_lock
