"""CCNet line dedup: a line already seen in an earlier document is removed from later ones.

"Earlier" is CCNet's order, the input's: by input file, then by place in the file (the same for
any worker count). Lines are compared after CCNet's normalize_for_dedup (lowercase, digits to 0,
punctuation removed). Every line occurrence is a 20-byte entry (64-bit hash of the line, the
document's address, the line's index); a file's entries travel packed, in `hash_groups` groups
by hash, and sorting a group finds each line's first occurrence: every later one becomes a
(document, line) to drop, which the pass over the document's file applies. Documents never
move. The scope is the whole run, or groups of input shards as CCNet deduplicated within groups
of files. Documents left too short are removed with a reason.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

import apache_beam as beam
import numpy as np

from dolmakit.core.document import Document, Removed, Span
from dolmakit.core.nodes import address_key, node_address
from dolmakit.core.steps import GlobalStep, KeyMaker, register_step
from dolmakit.text.normalize import normalize_for_dedup

ENTRY = np.dtype([("hash", "<u8"), ("node", "<u8"), ("index", "<u4")])


@dataclass
class LineDedupConfig:
    # "run": a line seen anywhere earlier in the run is removed; "shard_groups": only within
    # groups of `group_size` consecutive input files, as CCNet did
    scope: Literal["run", "shard_groups"] = "run"
    group_size: int = 1
    # documents left with fewer characters are removed as line_dedup_too_short
    min_chars: int = 1
    # line hashes travel packed in this many groups (each of about 1/hash_groups of them)
    hash_groups: int = 256


@register_step
class LineDedup(GlobalStep):
    """Removes lines already seen in an earlier document (CCNet); drops emptied documents."""

    type_name = "line_dedup"
    Config = LineDedupConfig

    def key_maker(self) -> KeyMaker:
        return LineKeys(self.config)

    def decide(self) -> beam.PTransform:
        return LaterOccurrences()

    def apply(self, doc: Document, labels: list[Any]) -> Document | Removed:
        return without_lines(doc, set(labels), self.name, self.config.min_chars, self.stats)

    def tag(self, doc: Document, labels: list[Any]) -> dict[str, list[Span]]:
        """`duplicate_lines`: a span over each line seen in an earlier document (Dolma's
        duplicate paragraph spans), by character offsets."""
        drop, spans, start = set(labels), [], 0
        for index, line in enumerate(doc.text.split("\n")):
            if index in drop:
                spans.append([start, start + len(line), 1.0])
            start += len(line) + 1
        return {"duplicate_lines": spans} if spans else {}


def line_hashes(doc: Document, config: LineDedupConfig) -> Iterator[tuple[int, int]]:
    """(64-bit line hash, line index) for every line with text left after normalizing."""
    scope = b""
    if config.scope == "shard_groups":
        scope = b"%d:" % (int(doc.metadata.get("input_shard", 0)) // max(config.group_size, 1))
    for index, line in enumerate(doc.text.split("\n")):
        if normalized := normalize_for_dedup(line):
            digest = hashlib.blake2b(scope + normalized.encode("utf-8", "surrogatepass"),
                                     digest_size=8).digest()  # fmt: skip
            yield int.from_bytes(digest, "little"), index


class LineKeys(KeyMaker):
    """A file's line entries, packed per hash group at the file's end."""

    def __init__(self, config: LineDedupConfig):
        self.config = config
        self.entries: list[tuple[int, int, int]] = []

    def add(self, doc: Document, node: bytes) -> Iterator[Any]:
        file, line = node_address(node)
        address = file << 32 | line
        self.entries += [
            (digest, address, index) for digest, index in line_hashes(doc, self.config)
        ]
        return iter(())

    def flush(self) -> Iterator[tuple[int, bytes]]:
        entries = np.array(self.entries, dtype=ENTRY)
        self.entries = []
        groups = entries["hash"] % self.config.hash_groups
        for group in np.unique(groups).tolist():
            yield group, entries[groups == group].tobytes()


class LaterOccurrences(beam.PTransform):
    """Packed line entries -> (document, line index) of every occurrence of a line but its
    first."""

    def expand(self, keys: beam.PCollection) -> beam.PCollection:
        return (
            keys
            | "Group line hashes" >> beam.GroupByKey()
            | "Later occurrences" >> beam.FlatMap(later_occurrences)
        )


def later_occurrences(group: tuple[int, Iterable[bytes]]) -> Iterator[tuple[bytes, int]]:
    entries = np.frombuffer(b"".join(group[1]), dtype=ENTRY)
    entries = entries[np.lexsort((entries["index"], entries["node"], entries["hash"]))]
    later = np.flatnonzero(entries["hash"][1:] == entries["hash"][:-1]) + 1
    for node, index in zip(entries["node"][later].tolist(), entries["index"][later].tolist(),
                           strict=True):  # fmt: skip
        yield address_key(node >> 32, node & 0xFFFFFFFF), index


def without_lines(
    doc: Document, drop: set[int], step_name: str, min_chars: int, stats: Counter
) -> Document | Removed:
    """The document without the lines at `drop`; removed if fewer than min_chars are left."""
    if not drop:
        return doc
    lines = doc.text.split("\n")
    kept = [line for index, line in enumerate(lines) if index not in drop]
    stats["lines_removed"] += len(lines) - len(kept)
    stats["chars_removed"] += sum(len(lines[index]) for index in drop)
    doc.text = "\n".join(kept).strip()
    doc.metadata["line_dedup_removed_lines"] = len(lines) - len(kept)
    if len(doc.text) < min_chars:
        return Removed(doc, step_name, "line_dedup_too_short")
    return doc
