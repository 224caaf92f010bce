"""Launching a Beam pipeline, the one way every command that runs one does it (`dolmakit run`,
`dolmakit tag`, `dolmakit mix`): the runner from the options, a run to its end, and the
input's size for the report's throughput. What happens around a run (staging, judging,
publishing) is engine/lifecycle.py's.

A change to how pipelines are launched (a runner, a filesystem) lands here and nowhere else.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Sequence

import apache_beam as beam
from apache_beam.options.pipeline_options import DirectOptions, PipelineOptions, StandardOptions
from apache_beam.runners.portability.fn_api_runner import FnApiRunner
from apache_beam.runners.runner import PipelineResult

from dolmakit.core.errors import ConfigError, FatalError
from dolmakit.engine.data_plane import guard_timed_flushes
from dolmakit.engine.prism import PRISM, use_prism
from dolmakit.engine.staging import stage_dolmakit
from dolmakit.io.inputs import InputFile

LOG = logging.getLogger("dolmakit")
LOCAL = "local"
# Input bytes per worker process below which another one does not pay: workers take CPU seconds
# to start (Beam, dolmakit, then the models of their steps). benchmarks/engine/cores.py, the
# shipped pipeline on real pages: 14 MB took 0.95x the wall of one process with two workers,
# 70 MB 0.78x, 141 MB 0.70x
WORKER_BYTES = 32_000_000


def new_pipeline(beam_args: Iterable[str], runner: str, workers: int,
                 sizes: Sequence[int] = ()) -> tuple[beam.Pipeline, str]:  # fmt: skip
    """An empty pipeline on the runner --runner (or the config's `runner`) names, and the
    runner's label for logs and the report; bad Beam options are a ConfigError. `sizes`: the
    bytes of each input file (-1 where not known), for run.workers' default."""
    options = PipelineOptions(list(beam_args))
    chosen, label = choose_runner(options, runner, local_workers(workers, sizes))
    try:
        return beam.Pipeline(runner=chosen, options=options), label
    except ValueError as error:  # Beam's own validation of pipeline options
        raise ConfigError(str(error).strip(), source="pipeline options") from error


def choose_runner(options: PipelineOptions, configured: str, workers: int) -> tuple[object, str]:
    """The local runner unless --runner (or run.runner) names another one.

    Beam's DirectRunner would first try to download the Prism runner; FnApiRunner is the same
    local execution without that: in this process for one worker, in worker processes for
    more (Prism runs one SDK worker per environment, so one core of Python work; see
    benchmarks/engine/cores.py)."""
    standard = options.view_as(StandardOptions)
    name = standard.runner or configured
    if name in (PRISM, "PrismRunner"):  # in-process SDK harness: nothing to stage
        return use_prism(options)
    if name not in (LOCAL, "DirectRunner", "FnApiRunner"):
        stage_dolmakit(options)
        return name, name
    direct = options.view_as(DirectOptions)
    direct.direct_num_workers = workers
    direct.direct_running_mode = "multi_processing" if workers > 1 else "in_memory"
    # The workers inherit this: glibc's default of 8 malloc arenas per core lets gRPC's threads
    # fragment a worker's heap (measured: a 50k-document minhash run's process tree 1,581 MiB
    # with the default, 1,351 MiB with 2); a value the user set is kept.
    os.environ.setdefault("MALLOC_ARENA_MAX", "2")
    guard_timed_flushes()  # Beam's race that lost documents between worker processes
    standard.runner = None
    return FnApiRunner(), f"local ({workers} worker{'s' if workers > 1 else ''})"


def local_workers(configured: int, sizes: Sequence[int]) -> int:
    """run.workers when set; for 0 (its default) one worker process per core this process may
    use, but no more than input files (a pass gives each worker whole files) and than one per
    WORKER_BYTES of input where the sizes are known (a small input finishes first in one)."""
    if configured < 0:
        raise ConfigError(f"{configured} workers: 0 (one per core) or more", key="run.workers")
    if configured > 0:
        return configured
    count = min(cores(), max(len(sizes), 1))
    known = [size for size in sizes if size >= 0]
    if known:
        count = min(count, max(1, sum(known) // WORKER_BYTES))
    return count


def cores() -> int:
    """The cores this process may run on (a container's or taskset's share, not the machine's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run_to_end(pipeline: beam.Pipeline, what: str) -> PipelineResult:
    """Runs the pipeline and waits for its end; any failure is a FatalError that names `what`
    ran ("the pipeline failed: ...", "the mix failed: ...") and the cause."""
    try:
        result = pipeline.run()
        result.wait_until_finish()
    except Exception as error:
        raise FatalError(f"the {what} failed: {type(error).__name__}: {error}") from error
    return result


def input_bytes(files: Iterable[InputFile]) -> int:
    """The bytes of the input files together, for the report's MB/s: the sizes their globs
    found (a listing's files, whose sizes are not asked for one by one, count 0)."""
    return sum(max(file.size, 0) for file in files)
