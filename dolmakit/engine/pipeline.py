"""A resolved pipeline config -> a Beam pipeline: read, steps, then documents, removed, errors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import apache_beam as beam

from dolmakit.core.routing import ERRORS, REMOVED
from dolmakit.core.steps import CollectionStep, fused
from dolmakit.engine.config import OutputConfig, ResolvedPipeline
from dolmakit.engine.launch import input_bytes, new_pipeline
from dolmakit.engine.transforms import ApplySteps, MeasureLengths, ReadDocuments
from dolmakit.io.dolma import WriteDolma
from dolmakit.io.files import absolute
from dolmakit.io.inputs import InputFile, expand_inputs
from dolmakit.io.writers import WriteJsonLines, WriteParquet, in_sample


@dataclass
class Launch:
    """What a run needs besides the graph: where things go and how much input there is."""

    pipeline: beam.Pipeline
    files: list[InputFile]
    input_bytes: int
    runner_label: str


def make_pipeline(
    resolved: ResolvedPipeline, beam_args: list[str], output_root: str | None = None
) -> Launch:
    """The launch of the resolved pipeline; its outputs go under output_root (a run's staging
    folder) instead of output.path when given."""
    config = resolved.config
    files = expand_inputs(
        config.input.paths,
        config.input.listing,
        config.input.listing_prefix,
        config.input.format,
        resolved.source_file,
    )
    pipeline, label = new_pipeline(beam_args, config.run.runner, config.run.workers)
    added = datetime.now(UTC).isoformat(timespec="seconds")
    build(pipeline, resolved, files, added, output_root or config.output.path)
    return Launch(pipeline, files, input_bytes(files), label)


def build(
    pipeline: beam.Pipeline,
    resolved: ResolvedPipeline,
    files: list[InputFile],
    added: str,
    root: str,
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
    _write(docs, removed, errors, config.output, root)


def _stages(steps: list) -> list:
    """Runs of consecutive per-document steps (one DoFn each) and collection steps alone, or
    fused with the collection step before them where a fusion is registered (one shuffle of
    documents for two steps)."""
    stages: list = []
    for step in steps:
        if stages and (both := fused(stages[-1], step)):
            stages[-1] = both
        elif isinstance(step, CollectionStep):
            stages.append(step)
        elif stages and isinstance(stages[-1], list):
            stages[-1].append(step)
        else:
            stages.append([step])
    return stages


def _write(docs, removed: list, errors: list, output: OutputConfig, root: str) -> None:
    root = absolute(root.rstrip("/"))  # workers write from other folders
    if output.format == "parquet":
        docs | "Write documents" >> WriteParquet(f"{root}/documents/part", output.shards)
    elif output.format == "dolma":
        docs | "Write documents" >> WriteDolma(root, output.compression)
    else:
        docs | "Write documents" >> WriteJsonLines(
            f"{root}/documents/part", output.shards, output.compression
        )
    # with removed: none the removed outputs get no consumer at all: a Flatten of them, even
    # unread, is a stage boundary on the local runner, where every removed document would be
    # pickled, sent to the runner process and held there until the run ends
    if output.removed != "none":
        all_removed = removed | "Gather removed" >> beam.Flatten()
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
