"""How a job runs: the runner, its workers and the errors it may have. Its own module, so a
mix or tag config uses it without importing the engine's registered readers and steps."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class RunConfig:
    # local (Beam's FnApiRunner, no download), prism (Beam's portable local runner, built by
    # scripts/build_prism.sh) or any Beam runner name, e.g. DataflowRunner
    runner: str = "local"
    # local: 0 (the default) one worker process per core, at most one per input file and per
    # 32 MB of input (engine/launch.local_workers); 1 every stage in this process (Beam's
    # in-memory FnApiRunner); N > 1 N worker processes. Worker processes are lossless since
    # engine/data_plane.py guards the Beam race that lost documents between them
    workers: int = 0
    # the run exits 1 when errors / records in is above this
    max_error_fraction: float = 0.01
