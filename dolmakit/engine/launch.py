"""Launching a Beam pipeline, the one way every command that runs one does it (`dolmakit run`,
`dolmakit mix`): the runner from the options, a run to its end, the previous run's outputs
cleared first, and the input's size for the report's throughput.

A change to how pipelines are launched (a runner, a filesystem) lands here and nowhere else.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
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
INCOMPLETE = "_incomplete-"  # the name a run's staging folder starts with
TAG_REPORTS = "_tag"  # under a dataset: `dolmakit tag` runs' reports, errors and configs


def new_pipeline(beam_args: Iterable[str], runner: str, workers: int) -> tuple[beam.Pipeline, str]:
    """An empty pipeline on the runner --runner (or the config's `runner`) names, and the
    runner's label for logs and the report; bad Beam options are a ConfigError."""
    options = PipelineOptions(list(beam_args))
    chosen, label = choose_runner(options, runner, workers)
    try:
        return beam.Pipeline(runner=chosen, options=options), label
    except ValueError as error:  # Beam's own validation of pipeline options
        raise ConfigError(str(error).strip(), source="pipeline options") from error


def choose_runner(options: PipelineOptions, configured: str, workers: int) -> tuple[object, str]:
    """The local runner unless --runner (or run.runner) names another one.

    Beam's DirectRunner would first try to download the Prism runner; FnApiRunner is the same
    local execution without that: in this process for one worker (run.workers' default; see
    RunConfig for why), in worker processes for more."""
    standard = options.view_as(StandardOptions)
    name = standard.runner or configured
    if name in (PRISM, "PrismRunner"):  # in-process SDK harness: nothing to stage
        return use_prism(options)
    if name not in (LOCAL, "DirectRunner", "FnApiRunner"):
        stage_dolmakit(options)
        return name, name
    direct = options.view_as(DirectOptions)
    count = workers or os.cpu_count() or 1
    direct.direct_num_workers = count
    direct.direct_running_mode = "multi_processing" if count > 1 else "in_memory"
    # The workers inherit this: glibc's default of 8 malloc arenas per core lets gRPC's threads
    # fragment a worker's heap (measured: a 50k-document minhash run's process tree 1,581 MiB
    # with the default, 1,351 MiB with 2); a value the user set is kept.
    os.environ.setdefault("MALLOC_ARENA_MAX", "2")
    guard_timed_flushes()  # Beam's race that lost documents between worker processes
    standard.runner = None
    return FnApiRunner(), f"local ({count} worker{'s' if count > 1 else ''})"


def run_to_end(pipeline: beam.Pipeline, what: str) -> PipelineResult:
    """Runs the pipeline and waits for its end; any failure is a FatalError that names `what`
    ran ("the pipeline failed: ...", "the mix failed: ...") and the cause."""
    try:
        result = pipeline.run()
        result.wait_until_finish()
    except Exception as error:
        raise FatalError(f"the {what} failed: {type(error).__name__}: {error}") from error
    return result


def clear_outputs(root: str, names: Iterable[str], what: str) -> list[str]:
    """Removes the outputs `names` (files or folders) an earlier run wrote under root, so no
    stale shard mixes with this run's; returns the paths it removed."""
    existing = [f"{root}/{name}" for name in names if FileSystems.exists(f"{root}/{name}")]
    if existing:
        LOG.info("replacing the previous %s's outputs under %s", what, root)
        FileSystems.delete(existing)
    return existing


def staging_folder(root: str) -> str:
    """A new run's folder for its outputs until they add up: `_incomplete-<time>-<random>`
    under root (a `_` name, which `documents/*` globs and Hadoop-style readers pass over)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    return f"{root}/{INCOMPLETE}{stamp}-{uuid.uuid4().hex[:8]}"


def stale_staging(root: str) -> list[str]:
    """The staging folders earlier runs left under root (killed, or not published)."""
    # files, not folders, are what every filesystem matches (object stores have no folders);
    # a staging folder always holds config.yaml, written before the run starts
    matched = FileSystems.match([f"{root}/{INCOMPLETE}*/**"])[0].metadata_list
    return sorted({_child_of(root, meta.path) for meta in matched})


def promote(staging: str, root: str, names: Iterable[str]) -> None:
    """Moves each of `names` (a file or folder) from the staging folder to root, then removes
    the staging folder. A local folder is renamed whole; on object stores (gs://, s3://), which
    have no folders, every object is renamed."""
    for name in names:
        source, target = f"{staging}/{name}", f"{root}/{name}"
        if not FileSystems.exists(source):
            continue
        files = [] if "://" not in source else _files_under(source)
        if not files:  # a local file or folder, or an object
            FileSystems.rename([source], [target])
        else:
            FileSystems.rename(files, [target + path[len(source) :] for path in files])
    if FileSystems.exists(staging):
        FileSystems.delete([staging])


def _files_under(prefix: str) -> list[str]:
    return [meta.path for meta in FileSystems.match([f"{prefix}/**"])[0].metadata_list]


def _child_of(root: str, path: str) -> str:
    return f"{root}/{path[len(root) + 1 :].split('/', 1)[0]}"


def input_bytes(files: Iterable[InputFile]) -> int:
    """The bytes of the input files together, for the report's MB/s: the sizes their globs
    found (a listing's files, whose sizes are not asked for one by one, count 0)."""
    return sum(max(file.size, 0) for file in files)
