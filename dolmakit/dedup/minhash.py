"""MinHash near-dedup in Beam: signatures, LSH bands, candidate edges, connected components.

1. Each document gets a MinHash signature (dolmakit.dedup.signatures, in batches); documents
   shorter than one shingle cannot be compared and pass through, counted as `too_short`.
2. Each signature is cut into bands; one GroupByKey per band key finds documents that share it.
3. A bucket of n documents gives n-1 edges, from its smallest document to each other one (a
   star, not all pairs: 5,000 copies make 4,999 edges, not 12 million), optionally kept only
   when the signatures' estimated Jaccard reaches the threshold.
4. Connected components (dolmakit.dedup.components) label every document of a cluster with
   its smallest member: the earliest created, then smallest id. That one is kept; the others are
   removed as `near_duplicate` with `metadata.duplicate_of`.
No step gathers the signatures, edges or labels of the run in one process.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import apache_beam as beam
from apache_beam.transforms.window import GlobalWindows
from apache_beam.utils.windowed_value import WindowedValue

from dolmakit.core.document import Document, Removed
from dolmakit.core.histograms import counter_name, register_histogram
from dolmakit.core.routing import ERRORS, KEPT, REMOVED, CountingDoFn, route
from dolmakit.core.steps import CollectionStep, register_step
from dolmakit.dedup.components import ConnectedComponents
from dolmakit.dedup.lines import DocKey, doc_key
from dolmakit.dedup.signatures import MinHashConfig, MinHasher, band_keys, estimated_jaccard

SIGN_BATCH = 256  # documents hashed together
CLUSTER_SIZES = register_histogram("cluster_size", "Near-duplicate cluster sizes (documents)")


@dataclass
class MinHashDedupConfig:
    minhash: MinHashConfig = field(default_factory=MinHashConfig)
    # keep a candidate pair only if its signatures' estimated Jaccard reaches the threshold
    verify: bool = False
    # large-star/small-star rounds built into the job; a graph that needs more stops the run
    # with an error saying so (never a silently incomplete dedup)
    max_rounds: int = 8


@register_step
class MinHashDedup(CollectionStep):
    """Removes near-duplicates (MinHash LSH + connected components), one kept per cluster."""

    type_name = "minhash_dedup"
    Config = MinHashDedupConfig

    def __init__(self, name: str, config: MinHashDedupConfig):
        super().__init__(name, config)
        self.bands, self.rows = config.minhash.lsh_params()

    def transform(self) -> beam.PTransform:
        return _MinHashDedup(self.name, self.config, self.bands, self.rows)


class _MinHashDedup(beam.PTransform):
    def __init__(self, step_name: str, config: MinHashDedupConfig, bands: int, rows: int):
        super().__init__()
        self.step_name, self.config, self.bands, self.rows = step_name, config, bands, rows

    def expand(self, docs: beam.PCollection) -> Any:
        name, config = self.step_name, self.config
        keyed = docs | "Key documents" >> beam.Map(lambda doc: (doc_key(doc), doc))
        signed = keyed | "Signatures" >> beam.ParDo(_SignFn(config.minhash, name))
        threshold = config.minhash.threshold if config.verify else None
        edges = (
            signed
            | "Band keys" >> beam.FlatMap(_band_entries, self.bands, self.rows, config.verify)
            | "Group by band" >> beam.GroupByKey()
            | "Candidate edges" >> beam.FlatMap(bucket_edges, threshold)
        )
        labels = edges | "Components" >> ConnectedComponents(config.max_rounds, name)
        _ = labels | "Cluster sizes" >> _ClusterSizes(name)
        return (
            {"doc": keyed, "label": labels}
            | "Join labels" >> beam.CoGroupByKey()
            | "Keep one per cluster"
            >> beam.ParDo(_ResolveFn(name)).with_outputs(REMOVED, ERRORS, main=KEPT)
        )


class _SignFn(CountingDoFn):
    """Signatures of SIGN_BATCH documents at a time (the hasher is vectorized over a batch).

    It batches within a bundle itself rather than through beam.BatchElements: with its adaptive,
    timing-driven batch sizes, Beam 2.77's local multi-process runner lost documents of the
    later join under CPU load (reproduced on 200,000 documents; fixed sizes did not)."""

    def __init__(self, config: MinHashConfig, step_name: str):
        self.config, self.step_name = config, step_name

    def setup(self) -> None:
        self.hasher = MinHasher(self.config)
        self.stats = self.tally(self.step_name)

    def start_bundle(self) -> None:
        self.keys: list[DocKey] = []
        self.texts: list[str] = []

    def process(self, keyed: tuple[DocKey, Document]) -> Iterator[tuple[DocKey, Any]]:
        self.keys.append(keyed[0])
        self.texts.append(keyed[1].text)
        if len(self.keys) >= SIGN_BATCH:
            yield from self._sign()

    def finish_bundle(self) -> Iterator[WindowedValue]:
        for signed in self._sign():
            yield GlobalWindows.windowed_value(signed)
        super().finish_bundle()

    def _sign(self) -> Iterator[tuple[DocKey, Any]]:
        signatures = self.hasher.signatures(self.texts)
        for key, signature in zip(self.keys, signatures, strict=True):
            if signature is None:
                self.stats.inc("too_short")
            else:
                yield key, signature
        self.keys, self.texts = [], []


def _band_entries(signed: tuple[DocKey, Any], bands: int, rows: int, verify: bool) -> Iterator:
    key, signature = signed
    value = (key, signature) if verify else (key, None)
    for band_key in band_keys(signature, bands, rows):
        yield band_key, value


def bucket_edges(bucket: tuple[bytes, Iterable[tuple]], threshold: float | None) -> Iterator:
    """Edges from the bucket's smallest document to each other one (two passes over it);
    with a threshold, only those whose estimated Jaccard reaches it."""
    members = bucket[1]
    first_key, first_signature = min(members, key=lambda member: member[0])
    for key, signature in members:
        if key == first_key:
            continue
        if threshold is None or estimated_jaccard(first_signature, signature) >= threshold:
            yield first_key, key


class _ClusterSizes(beam.PTransform):
    def __init__(self, step_name: str):
        super().__init__()
        self.step_name = step_name

    def expand(self, labels: beam.PCollection) -> beam.PCollection:
        return (
            labels
            | "Per root" >> beam.Map(lambda label: (label[1], 1))
            | "Count members" >> beam.CombinePerKey(sum)
            | "Into histogram" >> beam.ParDo(_CountClusterFn(self.step_name))
        )


class _CountClusterFn(CountingDoFn):
    def __init__(self, step_name: str):
        self.step_name = step_name

    def setup(self) -> None:
        self.counters = self.tally("")
        self.stats = self.tally(self.step_name)

    def process(self, cluster: tuple[DocKey, int]) -> Iterator[None]:
        self.counters.inc(counter_name(CLUSTER_SIZES, self.step_name, cluster[1]))
        self.stats.inc("clusters")
        return iter(())


class _ResolveFn(CountingDoFn):
    def __init__(self, step_name: str):
        self.step_name = step_name

    def setup(self) -> None:
        self.counters = self.step_tally(self.step_name)

    def process(self, joined: tuple[DocKey, dict[str, Iterable[Any]]]) -> Iterator[Any]:
        key, groups = joined
        root = next(iter(groups["label"]), key)
        for doc in groups["doc"]:
            yield route(self._resolve(doc, key, root), self.counters)

    def _resolve(self, doc: Document, key: DocKey, root: DocKey) -> Document | Removed:
        if root == key:
            return doc
        doc.metadata["duplicate_of"] = root[1]
        return Removed(doc, self.step_name, "near_duplicate")
