"""CCNet line dedup: a line already seen in an earlier document is removed from later ones.

Lines are compared after CCNet's normalize_for_dedup (lowercase, digits to 0, punctuation
removed). The shape is C4's (its released code does line dedup in Beam): every line occurrence is
keyed by its hash, one GroupByKey finds each line's first occurrence in a deterministic document
order, and every later occurrence becomes a (document, line) to drop, which the pass over the
document's file applies: lines travel as 8-byte hashes and node keys, documents never. The scope
is the whole run, or groups of input shards as CCNet deduplicated within groups of files.
Documents left too short are removed with a reason.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

import apache_beam as beam

from dolmakit.core.document import Document, Removed, Span
from dolmakit.core.steps import GlobalStep, KeyMaker, register_step
from dolmakit.text.normalize import normalize_for_dedup

Occurrence = tuple[bytes, int]  # (document's node key, line index)


@dataclass
class LineDedupConfig:
    # "run": a line seen anywhere earlier in the run is removed; "shard_groups": only within
    # groups of `group_size` consecutive input files, as CCNet did
    scope: Literal["run", "shard_groups"] = "run"
    group_size: int = 1
    # documents left with fewer characters are removed as line_dedup_too_short
    min_chars: int = 1


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


def line_hashes(doc: Document, config: LineDedupConfig) -> Iterator[tuple[bytes, int]]:
    """(line hash, line index) for every line with text left after normalizing."""
    scope = b""
    if config.scope == "shard_groups":
        scope = b"%d:" % (int(doc.metadata.get("input_shard", 0)) // max(config.group_size, 1))
    for index, line in enumerate(doc.text.split("\n")):
        if normalized := normalize_for_dedup(line):
            digest = hashlib.blake2b(scope + normalized.encode("utf-8", "surrogatepass"),
                                     digest_size=8).digest()  # fmt: skip
            yield digest, index


class LineKeys(KeyMaker):
    def __init__(self, config: LineDedupConfig):
        self.config = config

    def add(self, doc: Document, node: bytes) -> Iterator[tuple[bytes, Occurrence]]:
        return ((digest, (node, index)) for digest, index in line_hashes(doc, self.config))


class LaterOccurrences(beam.PTransform):
    """(line hash, (node, line index)) -> (node, line index) of every occurrence of a line
    but its first."""

    def expand(self, keys: beam.PCollection) -> beam.PCollection:
        return (
            keys
            | "Group equal lines" >> beam.GroupByKey()
            | "Later occurrences" >> beam.FlatMap(later_occurrences)
        )


def later_occurrences(group: tuple[bytes, Iterable[Occurrence]]) -> Iterator[Occurrence]:
    """Every occurrence of a line but its first (two passes: memory holds one occurrence)."""
    occurrences = group[1]
    first = min(occurrences)
    yield from (occurrence for occurrence in occurrences if occurrence != first)


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
