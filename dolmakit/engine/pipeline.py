"""A resolved pipeline config -> a Beam pipeline: read, steps, then documents, removed, errors."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
from apache_beam.options.pipeline_options import DirectOptions, PipelineOptions, StandardOptions
from apache_beam.runners.portability.fn_api_runner import FnApiRunner

from dolmakit.core.errors import ConfigError
from dolmakit.core.routing import ERRORS, REMOVED
from dolmakit.core.steps import CollectionStep
from dolmakit.engine.config import OutputConfig, ResolvedPipeline
from dolmakit.engine.prism import PRISM, use_prism
from dolmakit.engine.staging import stage_dolmakit
from dolmakit.engine.transforms import ApplySteps, MeasureLengths, ReadDocuments
from dolmakit.io.dolma import WriteDolma
from dolmakit.io.files import absolute
from dolmakit.io.inputs import InputFile, expand_inputs
from dolmakit.io.writers import WriteJsonLines, WriteParquet, in_sample

LOCAL = "local"


@dataclass
class Launch:
    """What a run needs besides the graph: where things go and how much input there is."""

    pipeline: beam.Pipeline
    files: list[InputFile]
    input_bytes: int
    runner_label: str


def make_pipeline(resolved: ResolvedPipeline, beam_args: list[str]) -> Launch:
    config = resolved.config
    files = expand_inputs(
        config.input.paths,
        config.input.listing,
        config.input.listing_prefix,
        config.input.format,
        resolved.source_file,
    )
    options = PipelineOptions(beam_args)
    runner, label = choose_runner(options, config.run.runner, config.run.workers)
    try:
        pipeline = beam.Pipeline(runner=runner, options=options)
    except ValueError as error:  # Beam's own validation of pipeline options
        raise ConfigError(str(error).strip(), source="pipeline options") from error
    added = datetime.now(UTC).isoformat(timespec="seconds")
    build(pipeline, resolved, files, added)
    return Launch(pipeline, files, _total_size(files), label)


def build(
    pipeline: beam.Pipeline, resolved: ResolvedPipeline, files: list[InputFile], added: str
) -> None:
    config = resolved.config
    read = pipeline | "Read" >> ReadDocuments(files, config.read, config.input.source, added)
    docs = read.kept | "Lengths before steps" >> MeasureLengths("before steps")
    removed, errors = [read[REMOVED]], [read[ERRORS]]
    for stage in _stages(resolved.steps):
        if isinstance(stage, CollectionStep):
            outputs = docs | f"Step {stage.name}" >> stage.transform()
        else:
            outputs = docs | f"Steps {', '.join(s.name for s in stage)}" >> ApplySteps(stage)
        docs = outputs.kept
        removed.append(outputs[REMOVED])
        errors.append(outputs[ERRORS])
    docs = docs | "Lengths after steps" >> MeasureLengths("after steps")
    _write(docs, removed, errors, config.output)


def _stages(steps: list) -> list:
    """Runs of consecutive per-document steps (one DoFn each) and collection steps alone."""
    stages: list = []
    for step in steps:
        if isinstance(step, CollectionStep):
            stages.append(step)
        elif stages and isinstance(stages[-1], list):
            stages[-1].append(step)
        else:
            stages.append([step])
    return stages


def _write(docs, removed: list, errors: list, output: OutputConfig) -> None:
    root = absolute(output.path.rstrip("/"))  # workers write from other folders
    if output.format == "parquet":
        docs | "Write documents" >> WriteParquet(f"{root}/documents/part", output.shards)
    elif output.format == "dolma":
        docs | "Write documents" >> WriteDolma(root, output.compression)
    else:
        docs | "Write documents" >> WriteJsonLines(
            f"{root}/documents/part", output.shards, output.compression
        )
    all_removed = removed | "Gather removed" >> beam.Flatten()
    if output.removed != "none":
        if output.removed == "sample":
            rate = output.removed_sample_rate
            all_removed = all_removed | "Sample removed" >> beam.Filter(in_sample, rate)
        all_removed | "Write removed" >> WriteJsonLines(
            f"{root}/removed/part", compression=output.compression
        )
    (
        errors
        | "Gather errors" >> beam.Flatten()
        | "Write errors" >> WriteJsonLines(f"{root}/errors/part", compression=output.compression)
    )


def choose_runner(options: PipelineOptions, configured: str, workers: int) -> tuple[object, str]:
    """The local runner unless --runner (or run.runner) names another one.

    Beam's DirectRunner would first try to download the Prism runner; FnApiRunner is the same
    local execution without that, and runs one worker process per core."""
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
    standard.runner = None
    return FnApiRunner(), f"local ({count} worker{'s' if count > 1 else ''})"


def _total_size(files: list[InputFile]) -> int:
    sizes = FileSystems.match([file.path for file in files])
    return sum(meta.size_in_bytes for result in sizes for meta in result.metadata_list)
