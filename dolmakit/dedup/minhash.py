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
No step gathers the signatures, edges or labels of the run in one process. Everything up to the
last join moves node keys, band keys and edges; documents move once, packed, into the join with
their labels (dolmakit.dedup.keys).
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
from dolmakit.dedup.keys import keyed_packed, node_id, node_key, unpack
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
        packed = docs | "Pack documents" >> beam.Map(keyed_packed)
        signed = docs | "Signatures" >> beam.ParDo(_SignFn(config.minhash, name))
        if config.verify:  # members carry their signatures to be compared
            entries = signed | "Band keys" >> beam.FlatMap(_band_entries, self.bands, self.rows)
            to_edges = beam.FlatMap(verified_edges, config.minhash.threshold)
        else:  # members are node keys alone
            entries = signed | "Band keys" >> beam.FlatMap(_band_nodes, self.bands, self.rows)
            to_edges = beam.FlatMap(bucket_edges)
        edges = entries | "Group by band" >> beam.GroupByKey() | "Candidate edges" >> to_edges
        labels = edges | "Components" >> ConnectedComponents(config.max_rounds, name)
        _ = labels | "Cluster sizes" >> _ClusterSizes(name)
        return (
            {"doc": packed, "label": labels}
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
        self.keys: list[bytes] = []
        self.texts: list[str] = []

    def process(self, doc: Document) -> Iterator[tuple[bytes, Any]]:
        self.keys.append(node_key(doc))
        self.texts.append(doc.text)
        if len(self.keys) >= SIGN_BATCH:
            yield from self._sign()

    def finish_bundle(self) -> Iterator[WindowedValue]:
        for signed in self._sign():
            yield GlobalWindows.windowed_value(signed)
        super().finish_bundle()

    def _sign(self) -> Iterator[tuple[bytes, Any]]:
        signatures = self.hasher.signatures(self.texts)
        for key, signature in zip(self.keys, signatures, strict=True):
            if signature is None:
                self.stats.inc("too_short")
            else:
                yield key, signature
        self.keys, self.texts = [], []


def _band_nodes(signed: tuple[bytes, Any], bands: int, rows: int) -> Iterator[tuple[bytes, bytes]]:
    node, signature = signed
    for band_key in band_keys(signature, bands, rows):
        yield band_key, node


def _band_entries(signed: tuple[bytes, Any], bands: int, rows: int) -> Iterator:
    for band_key in band_keys(signed[1], bands, rows):
        yield band_key, signed


def bucket_edges(bucket: tuple[bytes, Iterable[bytes]]) -> Iterator[tuple[bytes, bytes]]:
    """Edges from the bucket's smallest node to each other one (two passes over it)."""
    nodes = bucket[1]
    first = min(nodes)
    for node in nodes:
        if node != first:
            yield first, node


def verified_edges(bucket: tuple[bytes, Iterable[tuple]], threshold: float) -> Iterator:
    """bucket_edges for members (node, signature), keeping only the edges whose estimated
    Jaccard reaches the threshold."""
    members = bucket[1]
    first, first_signature = min(members, key=lambda member: member[0])
    for node, signature in members:
        if node != first and estimated_jaccard(first_signature, signature) >= threshold:
            yield first, node


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

    def process(self, cluster: tuple[bytes, int]) -> Iterator[None]:
        self.counters.inc(counter_name(CLUSTER_SIZES, self.step_name, cluster[1]))
        self.stats.inc("clusters")
        return iter(())


class _ResolveFn(CountingDoFn):
    def __init__(self, step_name: str):
        self.step_name = step_name

    def setup(self) -> None:
        self.counters = self.step_tally(self.step_name)

    def process(self, joined: tuple[bytes, dict[str, Iterable[Any]]]) -> Iterator[Any]:
        key, groups = joined
        root = next(iter(groups["label"]), key)
        for copy, packed in enumerate(groups["doc"]):
            # the same document twice (same created, id and text): its second copy is a duplicate
            kept = root == key and copy == 0
            yield route(self._resolve(unpack(packed), kept, root), self.counters)

    def _resolve(self, doc: Document, kept: bool, root: bytes) -> Document | Removed:
        if kept:
            return doc
        doc.metadata["duplicate_of"] = node_id(root)
        return Removed(doc, self.step_name, "near_duplicate")
