"""The two Beam passes of a mix, each built and run to its end.

1. Count: read every source, apply its include/exclude rules, tokenize, split held-out documents
   off by hash, and sum training tokens per sample bucket.
2. Sample and write: read and tokenize again (tokens are not kept between the passes: a second
   read costs less than writing and reading every token), give each training document its
   copies, key each copy by hash(seed, source, id, copy) into one of N groups, sort each group by
   that key and write it with a ShardWriter; held-out documents go to heldout/<source>/.

The groups and their order depend on the seed and the data only, so 1 or 20 workers write the
same bytes. A group holds about one shard of tokens in memory (max_tokens_per_shard).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems

from dolmakit.engine.launch import new_pipeline, run_to_end
from dolmakit.engine.ownership import delete_folder
from dolmakit.engine.segments import recorded_counters
from dolmakit.io.inputs import InputFile
from dolmakit.mix.config import MixConfig
from dolmakit.mix.plan import TRAIN, MixPlan, SourceCounts, shard_groups
from dolmakit.mix.transforms import (
    CountTokensFn,
    ReadMixSources,
    SampleFn,
    WriteGroupFn,
    measure,
)
from dolmakit.report.build import counters_of


def sizes_of(files: dict[str, list[InputFile]]) -> list[int]:
    """Every source file's bytes, for run.workers' default."""
    return [file.size for source in files.values() for file in source]


def count_sources(
    config: MixConfig, files: dict[str, list[InputFile]], beam_args: list[str], work: str
) -> tuple[dict[str, SourceCounts], dict[str, int], str]:
    """The count pass (its counts written under `work`): per-source counts, the read/rules
    counters and the runner's label."""
    pipeline, label = new_pipeline(
        beam_args, config.run.runner, config.run.workers, sizes_of(files)
    )
    path = f"{work}/_work/counts.jsonl"
    (
        pipeline
        | "Read" >> ReadMixSources(config, files, done=(work, 0))
        | "Measure" >> beam.Map(measure, config.seed, config.held_out_fraction)
        | "Count per source" >> beam.CombinePerKey(CountTokensFn())
        | "As JSON" >> beam.MapTuple(lambda name, c: json.dumps({"source": name, **asdict(c)}))
        | "Write counts" >> beam.io.WriteToText(path, shard_name_template="")
    )
    result = run_to_end(pipeline, "mix")
    counts = {spec.name: SourceCounts() for spec in config.sources}
    with FileSystems.open(path) as stream:
        for line in stream.read().decode("utf-8").splitlines():
            row = json.loads(line)
            name, buckets = row.pop("source"), row.pop("buckets")
            counts[name] = SourceCounts(**row, buckets={int(k): v for k, v in buckets.items()})
    delete_folder(f"{work}/_work")
    return counts, counters_of(result), label


def write_mix(
    config: MixConfig,
    files: dict[str, list[InputFile]],
    plan: MixPlan,
    counts: dict[str, SourceCounts],
    beam_args: list[str],
    root: str,
    tokenizer: Any,
) -> dict[str, int]:
    """The sample-and-write pass into `root`; returns its counters."""
    pipeline, _ = new_pipeline(beam_args, config.run.runner, config.run.workers, sizes_of(files))
    groups = {TRAIN: shard_groups(sum(p.planned_tokens for p in plan.sources.values()),
                                  config.max_tokens_per_shard)}  # fmt: skip
    for name, c in counts.items():
        groups[name] = shard_groups(c.held_out_tokens, config.max_tokens_per_shard)
    writer = WriteGroupFn(root, tokenizer.vocab_size, tokenizer.eos_id, config.max_tokens_per_shard)
    (
        pipeline
        | "Read" >> ReadMixSources(config, files, f"{root}/errors/part", done=(root, 1))
        | "Sample" >> beam.ParDo(SampleFn(plan, config.seed, config.held_out_fraction, groups))
        | "Group by shard" >> beam.GroupByKey()
        | "Sort and write" >> beam.ParDo(writer)
    )
    result = run_to_end(pipeline, "mix")
    # the sources' read counts from each file's completion record, exactly once whatever the
    # runner did with its metrics (engine/segments.recorded_counters)
    return {**counters_of(result), **recorded_counters(root, index=1)}
