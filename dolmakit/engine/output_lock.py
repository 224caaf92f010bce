"""One job at a time per output path: run, tag and mix hold a lock on the output folder for their
whole lifecycle, so a second job into the same path (the same command started twice, a tag while
a run publishes) stops before launch instead of resuming the first one's staging folder or
removing it when it publishes.

The lock is flock(2) on the folder itself: no file is added to the user's folder, and the kernel
releases it when the process ends however it ends (SIGKILL included), so a killed job never leaves
a stale lock behind. Object stores (gs://, s3://) have no such lock; there, one job per output
path is the user's to keep (the README says so).
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager

from dolmakit.core.errors import ConfigError


@contextmanager
def holding_output(root: str, source: str = "") -> Iterator[None]:
    """Holds the output folder `root` (made if missing, and removed again if the job leaves it
    empty) for the duration; a ConfigError when another job holds it."""
    if "://" in root:
        yield
        return
    made = _first_missing(os.path.abspath(root))
    os.makedirs(root, exist_ok=True)
    folder = os.open(root, os.O_RDONLY)
    try:
        _lock(folder, root, source)
    except ConfigError:
        os.close(folder)  # the holder may have made the folder too: it is the holder's to remove
        raise
    try:
        yield
    finally:
        if made:
            _remove_if_empty(os.path.abspath(root), made)
        os.close(folder)  # releases the lock, after the removal: no job starts in a folder going


def _first_missing(path: str) -> str | None:
    """The outermost folder of `path` that does not exist yet (None: path exists)."""
    missing = None
    while not os.path.isdir(path):
        missing, path = path, os.path.dirname(path)
    return missing


def _remove_if_empty(path: str, outermost: str) -> None:
    """The folders this job made, from `path` up to `outermost`, while they are empty."""
    while os.path.isdir(path) and not os.listdir(path):
        try:
            os.rmdir(path)
        except OSError:  # filled meanwhile (by someone else): it stays
            return
        if path == outermost:
            return
        path = os.path.dirname(path)


def _lock(folder: int, root: str, source: str) -> None:
    try:
        fcntl.flock(folder, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise ConfigError(
            f"another dolmakit job (a run, tag or mix) is writing into {root}/ now; wait for it "
            "to end, or choose another output path",
            source=source,
        ) from None
