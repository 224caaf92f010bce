"""What the reader benchmarks (read/*.py) share: draining a loop of records while sampling the
resident memory, so that a reader that streams shows a flat line and one that does not, a ramp."""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Iterable

MB = 1_000_000  # the dumps are sized in decimal megabytes


def rss_mb() -> float:
    """The resident memory of this process now, in MB (decimal, like the dump sizes)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def peak_rss_mb() -> float:
    """The largest resident memory of this process so far, in MB (ru_maxrss is in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6


def timed(name: str, items: Iterable[object], input_bytes: int, every: int,
          unit: str = "documents", of: str = "uncompressed input") -> float:  # fmt: skip
    """Drains `items`, printing records/s, MB/s of `input_bytes` by wall and CPU time, the RSS
    every `every` records and the peak RSS; returns the MB/s by the wall."""
    cpu, started, count, samples = time.process_time(), time.perf_counter(), 0, []
    for _ in items:
        count += 1
        if count % every == 0:
            samples.append(f"{rss_mb():.0f}")
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = peak_rss_mb()
    speed = input_bytes / MB / seconds
    print(f"{name}\n  {count:,} {unit} in {seconds:.1f} s: {count / seconds:,.1f} {unit}/s, "
          f"{speed:.1f} MB/s of {of}")  # fmt: skip
    print(f"  {cpu:.1f} s of CPU: {input_bytes / MB / max(cpu, 1e-9):.1f} MB/s by CPU time "
          "(less load-bound)")  # fmt: skip
    print(f"  RSS every {every:,} {unit} (MB): {' '.join(samples)}; peak RSS {peak:.0f} MB")
    return speed
