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
No step gathers the signatures, edges or labels of the run in one process, and documents never
move: signatures are made in the pass that writes each document's file, and the labels of the
removed ones travel back to their files (dolmakit.engine.segments).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import apache_beam as beam

from dolmakit.core.document import Document, Removed, Span
from dolmakit.core.histograms import counter_name, register_histogram
from dolmakit.core.nodes import node_id
from dolmakit.core.routing import CountingDoFn
from dolmakit.core.steps import GlobalStep, KeyMaker, register_step
from dolmakit.dedup.components import ConnectedComponents
from dolmakit.dedup.signatures import MinHashConfig, MinHasher, band_keys, estimated_jaccard

SIGN_BATCH = 256  # documents hashed together
CLUSTER_SIZES = register_histogram("cluster_size", "Near-duplicate cluster sizes (documents)")


@dataclass
class MinHashDedupConfig:
    minhash: MinHashConfig = field(default_factory=MinHashConfig)
    # keep a candidate pair only if its signatures' estimated Jaccard reaches the threshold
    verify: bool = False
    # large-star/small-star rounds of connected components spread over the workers; what is not
    # a star after them (rare: long chains) is finished in one group, so every cluster is whole
    rounds: int = 8


@register_step
class MinHashDedup(GlobalStep):
    """Removes near-duplicates (MinHash LSH + connected components), one kept per cluster."""

    type_name = "minhash_dedup"
    Config = MinHashDedupConfig

    def __init__(self, name: str, config: MinHashDedupConfig):
        super().__init__(name, config)
        self.bands, self.rows = config.minhash.lsh_params()

    def setup(self) -> None:
        self.hasher = MinHasher(self.config.minhash)

    def key_maker(self) -> KeyMaker:
        return BandKeys(self)

    def decide(self) -> beam.PTransform:
        return _Clusters(self.name, self.config)

    def apply(self, doc: Document, labels: list[Any]) -> Document | Removed:
        if not labels:
            return doc
        doc.metadata["duplicate_of"] = labels[0]
        return Removed(doc, self.name, "near_duplicate")

    def tag(self, doc: Document, labels: list[Any]) -> dict[str, list[Span]]:
        """`near_duplicate`: one span over a document that is not its cluster's kept one."""
        return {"near_duplicate": [[0, len(doc.text), 1.0]]} if labels else {}


class BandKeys(KeyMaker):
    """(band key, node) for each band of each signature, or (band key, (node, signature)) to be
    verified; signatures made SIGN_BATCH documents at a time (the hasher is vectorized)."""

    def __init__(self, step: MinHashDedup):
        self.step = step
        self.nodes: list[bytes] = []
        self.texts: list[str] = []

    def add(self, doc: Document, node: bytes) -> Iterator[tuple[bytes, Any]]:
        self.nodes.append(node)
        self.texts.append(doc.text)
        if len(self.nodes) >= SIGN_BATCH:
            yield from self.flush()

    def flush(self) -> Iterator[tuple[bytes, Any]]:
        step = self.step
        signatures = step.hasher.signatures(self.texts) if self.texts else []
        for node, signature in zip(self.nodes, signatures, strict=True):
            if signature is None:
                step.stats["too_short"] += 1
                continue
            member = (node, signature) if step.config.verify else node
            for band_key in band_keys(signature, step.bands, step.rows):
                yield band_key, member
        self.nodes, self.texts = [], []


class _Clusters(beam.PTransform):
    """Band keys -> (node, id of its cluster's kept document) for every other member."""

    def __init__(self, step_name: str, config: MinHashDedupConfig):
        super().__init__()
        self.step_name, self.config = step_name, config

    def expand(self, entries: beam.PCollection) -> beam.PCollection:
        name, config = self.step_name, self.config
        if config.verify:  # members carry their signatures to be compared
            to_edges = beam.FlatMap(verified_edges, config.minhash.threshold)
        else:  # members are node keys alone
            to_edges = beam.FlatMap(bucket_edges)
        edges = entries | "Group by band" >> beam.GroupByKey() | "Candidate edges" >> to_edges
        labels = edges | "Components" >> ConnectedComponents(config.rounds, name)
        _ = labels | "Cluster sizes" >> _ClusterSizes(name)
        return labels | "Members but the first" >> beam.FlatMap(_duplicates)


def _duplicates(label: tuple[bytes, bytes]) -> Iterator[tuple[bytes, str]]:
    node, root = label
    if node != root:
        yield node, node_id(root)


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
