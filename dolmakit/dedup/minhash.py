"""MinHash near-dedup in Beam: signatures, LSH bands, candidate edges, connected components.

1. Each document gets a MinHash signature (dolmakit.dedup.signatures, in batches); documents
   shorter than one shingle cannot be compared and pass through, counted as `too_short`.
2. Each signature is cut into bands; each band's key (band, 64-bit hash of its rows) and the
   document's address (file, line) make an 18-byte entry, and a file's entries travel packed,
   in `band_groups` groups by hash: memory is about 18 bytes per band per document, not a
   Python object per entry. Sorting a group finds the documents that share a band key.
3. A run of n documents with one key gives n-1 edges, from its smallest document to each other
   one (a star, not all pairs: 5,000 copies make 4,999 edges, not 12 million), optionally kept
   only when the signatures' estimated Jaccard reaches the threshold.
4. Connected components (dolmakit.dedup.components) find the clusters; the node keys of their
   members (each file's, packed, joined by file) choose the kept one: the earliest created, then
   smallest id. The others are removed as `near_duplicate` with `metadata.duplicate_of`.
No step gathers the signatures, edges or labels of the run in one process, and documents never
move: signatures are made in the pass that writes each document's file, and the labels of the
removed ones travel back to their files (dolmakit.engine.segments).
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import apache_beam as beam
import numpy as np

from dolmakit.core.document import Document, Removed, Span
from dolmakit.core.histograms import counter_name, register_histogram
from dolmakit.core.nodes import node_address, node_id
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
    # a star after them (rare: long chains) is finished in one group, so every cluster is whole;
    # a run whose rest is too large for one worker fails asking for more rounds
    rounds: int = 8
    # band keys travel packed in this many groups (each of about 1/band_groups of them); more
    # for more workers to share the candidate search
    band_groups: int = 256


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
    """The keys of one file, packed: for each of `band_groups` groups, one bytes value of its
    (band, band hash, document) entries (18 bytes each, with the signature in verify mode); and
    one value of the file's node keys by line, for choosing each cluster's kept document.
    Signatures are made SIGN_BATCH documents at a time (the hasher is vectorized)."""

    def __init__(self, step: MinHashDedup):
        self.step = step
        self.nodes: list[bytes] = []
        self.texts: list[str] = []
        self.entries: list[np.ndarray] = []
        self.signatures: list[np.ndarray] = []
        self.by_line: dict[int, bytes] = {}

    def add(self, doc: Document, node: bytes) -> Iterator[Any]:
        self.nodes.append(node)
        self.texts.append(doc.text)
        if len(self.nodes) >= SIGN_BATCH:
            self._sign()
        return iter(())

    def _sign(self) -> None:
        step = self.step
        signatures = step.hasher.signatures(self.texts) if self.texts else []
        for node, signature in zip(self.nodes, signatures, strict=True):
            if signature is None:
                step.stats["too_short"] += 1
                continue
            file, line = node_address(node)
            self.by_line[line] = node
            self.entries.append(band_entries(signature, step.bands, step.rows, file << 32 | line))
            if step.config.verify:
                self.signatures.append(np.tile(signature, (step.bands, 1)))
        self.nodes, self.texts = [], []

    def flush(self) -> Iterator[Any]:
        self._sign()
        if not self.entries:
            return
        file = next(iter(self.by_line.values()))
        yield (NODES, node_address(file)[0]), pickle.dumps(self.by_line, protocol=5)
        entries = np.concatenate(self.entries)
        signatures = np.concatenate(self.signatures) if self.signatures else None
        groups = entries["hash"] % self.step.config.band_groups
        for group in np.unique(groups).tolist():
            chosen = groups == group
            packed = entries[chosen].tobytes()
            if signatures is not None:
                packed = pickle.dumps((packed, signatures[chosen]), protocol=5)
            yield (BANDS, group), packed
        self.entries, self.signatures, self.by_line = [], [], {}


BANDS, NODES = "bands", "nodes"
ENTRY = np.dtype([("band", "<u2"), ("hash", "<u8"), ("node", "<u8")])


def band_entries(signature: np.ndarray, bands: int, rows: int, node: int) -> np.ndarray:
    """The document's (band, hash of the band's rows, document) entries."""
    entries = np.empty(bands, dtype=ENTRY)
    entries["band"] = np.arange(bands)
    entries["hash"] = [int.from_bytes(key[2:], "little") for key in band_keys(signature, bands,
                                                                             rows)]  # fmt: skip
    entries["node"] = node
    return entries


class _Clusters(beam.PTransform):
    """Packed band keys and node keys -> (node, id of its cluster's kept document) for every
    other member of a cluster."""

    def __init__(self, step_name: str, config: MinHashDedupConfig):
        super().__init__()
        self.step_name, self.config = step_name, config

    def expand(self, keys: beam.PCollection) -> beam.PCollection:
        name, config = self.step_name, self.config
        bands, nodes = keys | "Bands apart from nodes" >> beam.Partition(_kind, 2)
        edges = (
            bands
            | "Band group" >> beam.Map(lambda kv: (kv[0][1], kv[1]))
            | "Group band keys" >> beam.GroupByKey()
            | "Candidate edges"
            >> beam.FlatMap(group_edges, config.verify, config.minhash.threshold)  # fmt: skip
        )
        labels = edges | "Components" >> ConnectedComponents(config.rounds, name)
        members = (
            {"labels": labels | "Labels by file" >> beam.Map(_by_file),
             "nodes": nodes | "Node keys by file" >> beam.Map(lambda kv: (kv[0][1], kv[1]))}
            | "Join node keys" >> beam.CoGroupByKey()
            | "Members by cluster" >> beam.FlatMap(_members)
        )  # fmt: skip
        return (
            members
            | "Group clusters" >> beam.GroupByKey()
            | "Keep the first" >> beam.ParDo(_KeepFirstFn(name))
        )


def _kind(keyed: tuple[tuple[str, int], Any], count: int) -> int:
    return 0 if keyed[0][0] == BANDS else 1


def group_edges(group: tuple[int, Iterable[Any]], verify: bool, threshold: float) -> Iterator:
    """Edges from the smallest document of each run of equal band keys to each other one (a
    star, not all pairs: 5,000 copies make 4,999 edges), verified by estimated Jaccard when
    asked."""
    packed = list(group[1])
    signatures = None
    if verify:
        parts = [pickle.loads(blob) for blob in packed]
        packed = [part[0] for part in parts]
        signatures = np.concatenate([part[1] for part in parts])
    entries = np.frombuffer(b"".join(packed), dtype=ENTRY)
    order = np.lexsort((entries["node"], entries["hash"], entries["band"]))
    entries = entries[order]
    if signatures is not None:
        signatures = signatures[order]
    same = (entries["band"][1:] == entries["band"][:-1]) & (
        entries["hash"][1:] == entries["hash"][:-1]
    )
    starts = np.flatnonzero(np.concatenate(([True], ~same)))
    ends = np.append(starts[1:], len(entries))
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        for other in range(start + 1, end):
            if (
                signatures is None
                or estimated_jaccard(signatures[start], signatures[other]) >= threshold
            ):
                yield int(entries["node"][start]), int(entries["node"][other])


def _by_file(label: tuple[int, int]) -> tuple[int, tuple[int, int]]:
    node, root = label
    return node >> 32, (node & 0xFFFFFFFF, root)


def _members(joined: tuple[int, dict[str, Iterable[Any]]]) -> Iterator[tuple[int, bytes]]:
    """(cluster, node key) of each clustered document of one file."""
    _, groups = joined
    labels = list(groups["labels"])
    if not labels:
        return
    by_line: dict[int, bytes] = {}
    for blob in groups["nodes"]:
        by_line.update(pickle.loads(blob))
    for line, root in labels:
        yield root, by_line[line]


class _KeepFirstFn(CountingDoFn):
    """A cluster's node keys -> (node, id of the first) for every other one; its size to the
    cluster-size histogram."""

    def __init__(self, step_name: str):
        self.step_name = step_name

    def setup(self) -> None:
        self.counters = self.tally("")
        self.stats = self.tally(self.step_name)

    def process(self, cluster: tuple[int, Iterable[bytes]]) -> Iterator[tuple[bytes, str]]:
        nodes = list(cluster[1])
        self.counters.inc(counter_name(CLUSTER_SIZES, self.step_name, len(nodes)))
        self.stats.inc("clusters")
        first = min(nodes)
        kept = node_id(first)
        yield from ((node, kept) for node in nodes if node != first)
