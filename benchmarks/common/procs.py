"""A command timed by the wall clock, with the peak memory of its whole process tree.

Memory is measured two ways, both on Linux only:
- tree PSS: /proc is polled every `interval` seconds; each poll sums the proportional set size
  (/proc/PID/smaps_rollup) of the command and every descendant (found by parent pid), so pages
  that forked workers share are counted once, and the largest sum is kept. A peak shorter than
  the interval can be missed.
- max RSS: os.wait4's ru_maxrss, the largest resident set of the command or of any descendant
  it waited for (one process, not a sum; Beam's and datatrove's workers are separate processes).
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

MIB = 1 << 20


@dataclass
class Measured:
    seconds: float
    returncode: int
    peak_tree_mib: float  # largest sum of PSS over the process tree
    max_rss_mib: float  # largest single process (wait4)
    processes: int  # most processes seen in the tree at once
    log: Path
    cpu_seconds: float = 0.0  # user + system CPU of the command and the descendants it waited for
    # largest PSS of each process by role: "command" (the command itself), "python" (its Python
    # descendants, e.g. Beam's SDK workers: the largest of them) or a program's own name
    peak_by_role_mib: dict[str, float] = field(default_factory=dict)


def run_measured(
    command: list[str],
    log: Path,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    interval: float = 0.2,
) -> Measured:
    """Runs command to its end, stdout and stderr into log."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        poller = _TreePoller(process.pid, interval)
        poller.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        poller.stop()
    return Measured(
        seconds,
        process.returncode,
        poller.peak / MIB,
        usage.ru_maxrss / 1024,
        poller.most_processes,
        log,
        usage.ru_utime + usage.ru_stime,
        poller.peak_by_role(),
    )


class _TreePoller(threading.Thread):
    def __init__(self, root: int, interval: float):
        super().__init__(daemon=True)
        self.root, self.interval = root, interval
        self.peak, self.most_processes = 0, 0
        self.peaks: dict[int, tuple[str, int]] = {}  # pid -> (role, largest PSS)
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            pids = process_tree(self.root)
            sizes = {pid: _pss_bytes(pid) for pid in pids}
            self.peak = max(self.peak, sum(sizes.values()))
            self.most_processes = max(self.most_processes, len(pids))
            for pid, size in sizes.items():
                role, seen = self.peaks.get(pid) or (self._role(pid), 0)
                self.peaks[pid] = (role, max(seen, size))
            self._done.wait(self.interval)

    def _role(self, pid: int) -> str:
        if pid == self.root:
            return "command"
        name = _name(pid)
        return "python" if name.startswith("python") else name

    def peak_by_role(self) -> dict[str, float]:
        found: dict[str, float] = {}
        for role, size in self.peaks.values():
            found[role] = max(found.get(role, 0.0), size / MIB)
        return found

    def stop(self) -> None:
        self._done.set()
        self.join()


def process_tree(root: int) -> list[int]:
    """root and its living descendants."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            parent = _parent(int(entry.name))
            if parent is not None:
                children.setdefault(parent, []).append(int(entry.name))
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack += children.get(pid, [])
    return found


def _parent(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:  # gone meanwhile
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])  # the command name may hold spaces


def _name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return "?"


def _pss_bytes(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0
