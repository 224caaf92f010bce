"""`dolmakit mix`: two Beam pipelines, then a report.

1. Count: read every source, apply its include/exclude rules (removals counted by rule),
   tokenize, split held-out documents off by hash, and sum training tokens per sample bucket.
2. Plan (dolmakit.mix.plan, on the driver): each source's target tokens, epochs and cut; a
   budget the sources cannot give stops the mix here, before anything is written.
3. Sample and write: read and tokenize again (tokens are not kept between the passes: a second
   read costs less than writing and reading every token), give each training document its
   copies, key each copy by hash(seed, source, id, copy) into one of N groups, sort each group by
   that key and write it with a ShardWriter; held-out documents go to heldout/<source>/.

The groups and their order depend on the seed and the data only, so 1 or 20 workers write the
same bytes. A group holds about one shard of tokens in memory (max_tokens_per_shard).
"""

from __future__ import annotations

import json
import logging
import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

import apache_beam as beam
import numpy as np
import yaml
from apache_beam.io.filesystems import FileSystems

from dolmakit.core.document import Document
from dolmakit.core.errors import ConfigError
from dolmakit.core.routing import ERRORS, KEPT, REMOVED, CountingDoFn, route
from dolmakit.engine.launch import clear_outputs, input_bytes, new_pipeline, run_to_end
from dolmakit.io.files import absolute
from dolmakit.io.inputs import InputFile
from dolmakit.io.writers import WriteJsonLines
from dolmakit.mix import plan as planning
from dolmakit.mix.config import MixConfig, SourceSpec, load_mix
from dolmakit.mix.plan import HELD_OUT, TRAIN, MixPlan, SourceCounts, plan_mix, shard_groups
from dolmakit.mix.read import SourceRules, expand_sources, source_records
from dolmakit.mix.report import PREFIX, build_mix_report
from dolmakit.report.build import counters_of, write_atomically, write_report
from dolmakit.tokens.shards import dtype_for

LOG = logging.getLogger("dolmakit")
_OUTPUTS = ("train", "heldout", "errors", "mix.yaml", "report.json", "report.html")


# --- tokenizers ------------------------------------------------------------------------------


class WhitespaceTokenizer:
    """Words split on whitespace, hashed to ids: for planning mixes and tests without a model."""

    vocab_size = 65_536
    eos_id = 0

    def encode_batch(self, texts: list[str], num_threads: int = 1) -> list[list[int]]:
        size = self.vocab_size - 1
        return [[1 + zlib.crc32(w.encode("utf-8", "surrogatepass")) % size for w in text.split()]
                for text in texts]  # fmt: skip


def load_tokenizer(spec: str) -> Any:
    if spec == "whitespace":
        return WhitespaceTokenizer()
    from dolmakit.tokens.tokenizer import Tokenizer

    return Tokenizer.load(spec)


def doc_tokens(ids: np.ndarray) -> int:
    """Tokens a document takes in a shard: its ids and the EOS after them."""
    return len(ids) + 1


# --- the run ---------------------------------------------------------------------------------


def run_mix(mix_file: str, overrides: list[str] = (), beam_args: list[str] = ()) -> dict:
    """Counts, plans, samples and writes a mix; returns the report (also report.json/.html)."""
    mix = load_mix(mix_file, overrides)
    # absolute: the workers that write shards and counts may run in other folders
    config, root = mix.config, absolute(mix.config.output.rstrip("/"))
    files = expand_sources(mix)
    tokenizer = load_tokenizer(config.tokenizer)  # a bad model fails here, before any work
    started, clock = datetime.now(UTC), time.monotonic()
    LOG.info("mix %s: counting tokens of %d sources", config.name, len(config.sources))
    counts, accounting, label = count_sources(config, files, beam_args, root)
    try:
        plan = plan_mix(config, counts, mix.source_file)
    except ConfigError:
        FileSystems.delete([f"{root}/_work"])  # a refused mix leaves the previous one alone
        raise
    clear_outputs(root, _OUTPUTS, "mix")
    write_atomically(f"{root}/mix.yaml", yaml.safe_dump(mix.to_data(), sort_keys=False))
    LOG.info("mix %s: sampling %s training tokens", config.name, f"{plan.budget_tokens:,.0f}")
    realized = write_mix(config, files, plan, counts, beam_args, root, tokenizer)
    _write_manifests(config, root, counts)
    FileSystems.delete([f"{root}/_work"])
    sizes = {name: input_bytes(found) for name, found in files.items()}
    report = build_mix_report(mix, plan, counts, accounting, realized, sizes)
    finished = datetime.now(UTC).isoformat(timespec="seconds")
    report.update(runner=label, started=started.isoformat(timespec="seconds"), finished=finished,
                  wall_seconds=round(time.monotonic() - clock, 3))  # fmt: skip
    write_report(report, root)
    return report


def count_sources(
    config: MixConfig, files: dict[str, list[InputFile]], beam_args: list[str], root: str
) -> tuple[dict[str, SourceCounts], dict[str, int], str]:
    """The count pass: per-source counts and the read/rules counters."""
    pipeline, label = new_pipeline(beam_args, config.run.runner, config.run.workers)
    path = f"{root}/_work/counts.jsonl"
    (
        pipeline
        | "Read" >> ReadMixSources(config, files)
        | "Measure" >> beam.Map(_measure, config.seed, config.held_out_fraction)
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
    """The sample-and-write pass; returns its counters (what was written, per source)."""
    pipeline, _ = new_pipeline(beam_args, config.run.runner, config.run.workers)
    groups = {TRAIN: shard_groups(sum(p.planned_tokens for p in plan.sources.values()),
                                  config.max_tokens_per_shard)}  # fmt: skip
    for name, c in counts.items():
        groups[name] = shard_groups(c.held_out_tokens, config.max_tokens_per_shard)
    writer = WriteGroupFn(root, tokenizer.vocab_size, tokenizer.eos_id, config.max_tokens_per_shard)
    (
        pipeline
        | "Read" >> ReadMixSources(config, files, errors_to=f"{root}/errors/part")
        | "Sample" >> beam.ParDo(SampleFn(plan, config.seed, config.held_out_fraction, groups))
        | "Group by shard" >> beam.GroupByKey()
        | "Sort and write" >> beam.ParDo(writer)
    )
    counters = counters_of(run_to_end(pipeline, "mix"))
    return {k.removeprefix(f"{PREFIX}/"): v for k, v in counters.items() if k.startswith(PREFIX)}


def _write_manifests(config: MixConfig, root: str, counts: dict[str, SourceCounts]) -> None:
    from dolmakit.tokens.shards import write_manifest

    write_manifest(f"{root}/train")
    for name, c in counts.items():
        if c.held_out_documents:
            write_manifest(f"{root}/heldout/{name}")


# --- Beam ------------------------------------------------------------------------------------


class ReadMixSources(beam.PTransform):
    """(source name, file) pairs -> (source name, doc id, token ids) of the documents that pass
    the source's include/exclude rules; records the readers could not read go to `errors_to`
    (a JSON lines prefix) with their cause, when given. Removed documents are counted only."""

    def __init__(self, config: MixConfig, files: dict[str, list[InputFile]],
                 errors_to: str | None = None):  # fmt: skip
        super().__init__()
        self.config, self.files, self.errors_to = config, files, errors_to

    def expand(self, pbegin: beam.pvalue.PBegin) -> beam.PCollection:
        pairs = [(name, f) for name, found in self.files.items() for f in found]
        read = (
            pbegin
            | "List files" >> beam.Create(pairs)
            | "Spread files" >> beam.Reshuffle()
            | "Read and apply rules"
            >> beam.ParDo(ReadSourceFn(self.config.sources)).with_outputs(
                ERRORS, REMOVED, main=KEPT
            )
        )
        if self.errors_to:
            _ = read[ERRORS] | "Write errors" >> WriteJsonLines(self.errors_to)
        return read[KEPT] | "Tokenize" >> beam.ParDo(TokenizeFn(self.config.tokenizer))


class ReadSourceFn(CountingDoFn):
    """Reads one file of a source and routes its records as a run's reader does, each source
    counted as a step of its own name: `step/<source>/{in,kept,removed/<rule>,error/<kind>}`."""

    def __init__(self, sources: list[SourceSpec]):
        self.sources = sources

    def setup(self) -> None:
        self.rules = {spec.name: SourceRules.of(spec) for spec in self.sources}
        self.attributes = {spec.name: spec.attributes for spec in self.sources}
        self.counters = {spec.name: self.step_tally(spec.name) for spec in self.sources}

    def process(self, element: tuple[str, InputFile]) -> Iterator[Any]:
        name, file = element
        for item in source_records(name, file, self.rules[name], self.attributes[name]):
            routed = route(item, self.counters[name])
            yield (name, item) if isinstance(item, Document) else routed  # tagged when not kept


class TokenizeFn(beam.DoFn):
    def __init__(self, tokenizer: str):
        self.spec = tokenizer

    def setup(self) -> None:
        self.tokenizer = load_tokenizer(self.spec)
        self.dtype = dtype_for(self.tokenizer.vocab_size)

    def process(self, item: tuple[str, Document]) -> Iterator[tuple[str, str, np.ndarray]]:
        name, doc = item
        (ids,) = self.tokenizer.encode_batch([doc.text], num_threads=1)
        yield name, doc.id, np.asarray(ids, dtype=self.dtype)


def _measure(item: tuple[str, str, np.ndarray], seed: int, fraction: float) -> tuple:
    name, doc_id, ids = item
    held_out = planning.is_held_out(seed, name, doc_id, fraction)
    return name, (doc_tokens(ids), held_out, planning.sample_bucket(seed, name, doc_id))


class CountTokensFn(beam.CombineFn):
    """(tokens, held out, sample bucket) of each document -> SourceCounts of the source."""

    def create_accumulator(self) -> SourceCounts:
        return SourceCounts()

    def add_input(self, counts: SourceCounts, item: tuple[int, bool, int]) -> SourceCounts:
        tokens, held_out, bucket = item
        counts.documents += 1
        counts.tokens += tokens
        if held_out:
            counts.held_out_documents += 1
            counts.held_out_tokens += tokens
        else:
            counts.train_documents += 1
            counts.train_tokens += tokens
            counts.buckets[bucket] = counts.buckets.get(bucket, 0) + tokens
        return counts

    def merge_accumulators(self, accumulators: Iterable[SourceCounts]) -> SourceCounts:
        merged = SourceCounts()
        for counts in accumulators:
            for key, value in asdict(counts).items():
                if key != "buckets":
                    setattr(merged, key, getattr(merged, key) + value)
            for bucket, tokens in counts.buckets.items():
                merged.buckets[bucket] = merged.buckets.get(bucket, 0) + tokens
        return merged

    def extract_output(self, counts: SourceCounts) -> SourceCounts:
        return counts


class SampleFn(beam.DoFn):
    """A document -> its copies, each keyed by (split, source, group) for the shard writers:
    held-out documents once into their source's groups, training documents `copies` times."""

    def __init__(self, plan: MixPlan, seed: int, fraction: float, groups: dict[str, int]):
        self.plan, self.seed, self.fraction, self.groups = plan, seed, fraction, groups

    def process(self, item: tuple[str, str, np.ndarray]) -> Iterator[tuple[tuple, tuple]]:
        name, doc_id, ids = item
        if planning.is_held_out(self.seed, name, doc_id, self.fraction):
            key = planning.shuffle_key(self.seed, name, doc_id, 0)
            yield (HELD_OUT, name, key % self.groups[name]), (key, name, doc_id, 0, ids)
            return
        copies = self.plan.sources[name].copies(planning.sample_bucket(self.seed, name, doc_id))
        for repeat in range(copies):
            key = planning.shuffle_key(self.seed, name, doc_id, repeat)
            yield (TRAIN, "", key % self.groups[TRAIN]), (key, name, doc_id, repeat, ids)


def _order(item: tuple) -> tuple:
    """The shuffle key, then fields that break its (astronomically rare) ties the same way on
    every run; the content hash settles two documents that share an id."""
    key, name, doc_id, repeat, ids = item
    return key, name, doc_id, repeat, len(ids), zlib.crc32(ids.tobytes())


class WriteGroupFn(CountingDoFn):
    """One group of copies -> its shards, in shuffle-key order; counts what it wrote."""

    def __init__(self, root: str, vocab_size: int, eos_id: int, max_tokens_per_shard: int):
        self.root, self.vocab_size, self.eos_id = root, vocab_size, eos_id
        self.max_tokens = max_tokens_per_shard

    def setup(self) -> None:
        from dolmakit.tokens.shards import ShardWriter

        self.writer_class = ShardWriter
        self.counters = self.tally(PREFIX)

    def process(self, group: tuple[tuple, Iterable[tuple]]) -> None:
        (split, name, index), items = group
        out_dir = f"{self.root}/train" if split == TRAIN else f"{self.root}/heldout/{name}"
        with self.writer_class(out_dir, f"part-{index:05d}", self.vocab_size, self.max_tokens,
                               self.eos_id) as writer:  # fmt: skip
            for _, source, doc_id, _, ids in sorted(items, key=_order):
                writer.add(doc_id, source, ids)
                self.counters.inc(f"{source}/{split}_documents")
                self.counters.inc(f"{source}/{split}_tokens", doc_tokens(ids))
