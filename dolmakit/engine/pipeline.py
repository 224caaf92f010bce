"""A resolved pipeline config -> a Beam pipeline: passes over the files, one per segment of
steps between global steps (dolmakit.engine.segments), each writing its documents, removed and
errors file by file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import apache_beam as beam

from dolmakit.engine.config import ResolvedPipeline
from dolmakit.engine.dolma_parts import FillAttributesFn
from dolmakit.engine.launch import input_bytes, new_pipeline
from dolmakit.engine.segments import KEYS, ApplyPassFn, Outputs, ReadPassFn, by_file, plan_segments
from dolmakit.engine.transforms import check_read_options
from dolmakit.io.files import absolute
from dolmakit.io.inputs import InputFile, expand_inputs
from dolmakit.io.readers import READERS

STAGED, LABELS = "staged", "labels"  # the two sides of a pass's join


@dataclass
class Launch:
    """What a run needs besides the graph: where things go and how much input there is."""

    pipeline: beam.Pipeline
    files: list[InputFile]
    input_bytes: int
    runner_label: str


def make_pipeline(
    resolved: ResolvedPipeline,
    beam_args: list[str],
    output_root: str | None = None,
    added: str | None = None,
    resumed: bool = False,
    files: list[InputFile] | None = None,
) -> Launch:
    """The launch of the resolved pipeline; its outputs go under output_root (a run's staging
    folder) instead of output.path when given, its documents' `added` is `added` (now when
    not given); `resumed`: the staging folder is an unfinished run's, whose finished passes are
    not decided again; `files`: the inputs when the caller listed them already."""
    config = resolved.config
    files = list_inputs(resolved) if files is None else files
    pipeline, label = new_pipeline(beam_args, config.run.runner, config.run.workers,
                                   [file.size for file in files])  # fmt: skip
    added = added or datetime.now(UTC).isoformat(timespec="seconds")
    build(pipeline, resolved, files, added, output_root or config.output.path, resumed)
    return Launch(pipeline, files, input_bytes(files), label)


def list_inputs(resolved: ResolvedPipeline) -> list[InputFile]:
    config = resolved.config.input
    return expand_inputs(config.paths, config.listing, config.listing_prefix, config.format,
                         resolved.source_file)  # fmt: skip


def build(
    pipeline: beam.Pipeline,
    resolved: ResolvedPipeline,
    files: list[InputFile],
    added: str,
    root: str,
    resumed: bool = False,
) -> None:
    """The passes over the files (dolmakit.engine.segments), one per segment: the first reads
    the inputs, each later one a global step's labels with the staged files they belong to."""
    config = resolved.config
    check_read_options(files, config.read)
    segments = plan_segments(resolved.steps)
    # absolute: workers write from other folders
    outputs = Outputs.of(absolute(root.rstrip("/")), config.output, len(segments), resumed)
    readers = {fmt: READERS.get(fmt) for fmt in sorted({file.format for file in files})}
    first = ReadPassFn(outputs, segments[0], config.read, config.input.source, added, readers)
    passed = (
        pipeline
        | "List files" >> beam.Create(files)
        | "Spread files" >> beam.Reshuffle()
        | "Read files" >> beam.ParDo(first).with_outputs(KEYS, main=STAGED)
    )
    for index, segment in enumerate(segments[1:], 1):
        step = segment.before
        if resumed and outputs.all_done(index, len(files)):  # the pass replays its records
            labels = pipeline | f"No labels for {step.name}: its pass is done" >> beam.Create([])
        else:
            labels = (
                passed[KEYS]
                | f"Decide {step.name}" >> step.decide()
                | f"{step.name} labels by file" >> beam.Map(by_file)
            )
        passed = (
            {STAGED: passed[STAGED], LABELS: labels}
            | f"Join {step.name} labels to files" >> beam.CoGroupByKey()
            | f"Apply {step.name}"
            >> beam.ParDo(ApplyPassFn(outputs, index, segment)).with_outputs(KEYS, main=STAGED)
        )
    if config.output.format == "dolma":
        _ = (
            passed[STAGED]
            | "Attribute folders" >> beam.combiners.ToList()
            | "Every folder has every part" >> beam.ParDo(FillAttributesFn(outputs))
        )
