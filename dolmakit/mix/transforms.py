"""The Beam side of a mix: read each source under its rules, tokenize, count, sample, write.

Every decision is counted so the mix can prove it lost nothing (mix/accounting.py): reading a
source as a step of its own name, `step/<source>/{in,kept,removed/<rule>,error/<kind>}`; the
sampler `sample/<source>/{train,unsampled,heldout}_documents` and `train_copies`; the writers
`mix/<source>/{train,heldout}_{documents,tokens}` (copies written).
"""

from __future__ import annotations

import logging
import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from typing import Any

import apache_beam as beam
import numpy as np

from dolmakit.core.document import Document
from dolmakit.core.routing import ERRORS, KEPT, REMOVED, CountingDoFn, route
from dolmakit.engine.progress import record_done
from dolmakit.io.inputs import InputFile
from dolmakit.io.writers import WriteJsonLines
from dolmakit.mix import plan as planning
from dolmakit.mix.config import MixConfig, SourceSpec
from dolmakit.mix.plan import HELD_OUT, TRAIN, MixPlan, SourceCounts
from dolmakit.mix.read import SourceRules, source_records
from dolmakit.mix.tokenizers import doc_tokens, load_tokenizer
from dolmakit.tokens.shards import dtype_for

LOG = logging.getLogger("dolmakit")
WRITTEN = "mix"  # what the writers wrote, per source and split
SAMPLED = "sample"  # what the sampler decided, per source


class ReadMixSources(beam.PTransform):
    """(source name, file) pairs -> (source name, doc id, token ids) of the documents that pass
    the source's include/exclude rules; records the readers could not read go to `errors_to`
    (a JSON lines prefix) with their cause, when given. Removed documents are counted only.
    Each file read leaves a completion record (engine/progress.py) in `done`: (the staging
    folder, the pass), when given."""

    def __init__(self, config: MixConfig, files: dict[str, list[InputFile]],
                 errors_to: str | None = None, done: tuple[str, int] | None = None):  # fmt: skip
        super().__init__()
        self.config, self.files, self.errors_to, self.done = config, files, errors_to, done

    def expand(self, pbegin: beam.pvalue.PBegin) -> beam.PCollection:
        pairs = [(name, f) for name, found in self.files.items() for f in found]
        read = (
            pbegin
            | "List files" >> beam.Create(pairs)
            | "Spread files" >> beam.Reshuffle()
            | "Read and apply rules"
            >> beam.ParDo(ReadSourceFn(self.config.sources, self.done)).with_outputs(
                ERRORS, REMOVED, main=KEPT
            )
        )
        if self.errors_to:
            _ = read[ERRORS] | "Write errors" >> WriteJsonLines(self.errors_to)
        return read[KEPT] | "Tokenize" >> beam.ParDo(TokenizeFn(self.config.tokenizer))


class ReadSourceFn(CountingDoFn):
    """Reads one file of a source and routes its records as a run's reader does, each source
    counted as a step of its own name: `step/<source>/{in,kept,removed/<rule>,error/<kind>}`."""

    def __init__(self, sources: list[SourceSpec], done: tuple[str, int] | None = None):
        self.sources, self.done = sources, done

    def setup(self) -> None:
        self.rules = {spec.name: SourceRules.of(spec) for spec in self.sources}
        self.attributes = {spec.name: spec.attributes for spec in self.sources}
        self.counters = {spec.name: self.step_tally(spec.name) for spec in self.sources}
        self.places = {spec.name: place for place, spec in enumerate(self.sources)}

    def process(self, element: tuple[str, InputFile]) -> Iterator[Any]:
        name, file = element
        started, records, before = time.monotonic(), 0, self.tallied()
        for item in source_records(name, file, self.rules[name], self.attributes[name]):
            records += 1
            routed = route(item, self.counters[name])
            yield (name, item) if isinstance(item, Document) else routed  # tagged when not kept
        if self.done is not None:
            record_done(*self.done, f"part-{self.places[name]}-{file.index:05d}", records,
                        self.counted_since(before))  # fmt: skip
        LOG.info("source %s: file %d of %d, %s, %d records in %.1f s", name, file.index + 1,
                 file.total, file.path, records, time.monotonic() - started)  # fmt: skip


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


def measure(item: tuple[str, str, np.ndarray], seed: int, fraction: float) -> tuple:
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


class SampleFn(CountingDoFn):
    """A document -> its copies, each keyed by (split, source, group) for the shard writers:
    held-out documents once into their source's groups, training documents `copies` times
    (none for a document the sampler leaves out)."""

    def __init__(self, plan: MixPlan, seed: int, fraction: float, groups: dict[str, int]):
        self.plan, self.seed, self.fraction, self.groups = plan, seed, fraction, groups

    def setup(self) -> None:
        self.counters = self.tally(SAMPLED)

    def process(self, item: tuple[str, str, np.ndarray]) -> Iterator[tuple[tuple, tuple]]:
        name, doc_id, ids = item
        if planning.is_held_out(self.seed, name, doc_id, self.fraction):
            self.counters.inc(f"{name}/{HELD_OUT}_documents")
            key = planning.shuffle_key(self.seed, name, doc_id, 0)
            yield (HELD_OUT, name, key % self.groups[name]), (key, name, doc_id, 0, ids)
            return
        copies = self.plan.sources[name].copies(planning.sample_bucket(self.seed, name, doc_id))
        self.counters.inc(f"{name}/{TRAIN}_documents" if copies else f"{name}/unsampled_documents")
        self.counters.inc(f"{name}/{TRAIN}_copies", copies)
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
        self.counters = self.tally(WRITTEN)

    def process(self, group: tuple[tuple, Iterable[tuple]]) -> None:
        (split, name, index), items = group
        out_dir = f"{self.root}/train" if split == TRAIN else f"{self.root}/heldout/{name}"
        with self.writer_class(out_dir, f"part-{index:05d}", self.vocab_size, self.max_tokens,
                               self.eos_id) as writer:  # fmt: skip
            for _, source, doc_id, _, ids in sorted(items, key=_order):
                writer.add(doc_id, source, ids)
                self.counters.inc(f"{source}/{split}_documents")
                self.counters.inc(f"{source}/{split}_tokens", doc_tokens(ids))
