"""CCNet line dedup: a line already seen in an earlier document is removed from later ones.

Lines are compared after CCNet's normalize_for_dedup (lowercase, digits to 0, punctuation
removed). The shape is C4's (its released code does line dedup in Beam): every line occurrence is
keyed by its hash, one GroupByKey finds each line's first occurrence in a deterministic document
order, every later occurrence becomes a (document, line) to drop, and a CoGroupByKey brings the
drops back to their documents: lines travel as 8-byte hashes and node keys, documents only in that
join, packed (dolmakit.dedup.keys). The scope is the whole run, or groups of input shards as CCNet
deduplicated within groups of files. Documents left too short are removed with a reason.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

import apache_beam as beam

from dolmakit.core.document import Document, Removed
from dolmakit.core.routing import ERRORS, KEPT, REMOVED, CountingDoFn, route
from dolmakit.core.steps import CollectionStep, register_step
from dolmakit.dedup.keys import keyed_packed, node_key, unpack
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
class LineDedup(CollectionStep):
    """Removes lines already seen in an earlier document (CCNet); drops emptied documents."""

    type_name = "line_dedup"
    Config = LineDedupConfig

    def transform(self) -> beam.PTransform:
        return _LineDedup(self.name, self.config)


def line_occurrences(doc: Document, config: LineDedupConfig) -> Iterator[tuple[bytes, Occurrence]]:
    """(line hash, (document, line index)) for every line with text left after normalizing."""
    scope = b""
    if config.scope == "shard_groups":
        scope = b"%d:" % (int(doc.metadata.get("input_shard", 0)) // max(config.group_size, 1))
    key = node_key(doc)
    for index, line in enumerate(doc.text.split("\n")):
        if normalized := normalize_for_dedup(line):
            digest = hashlib.blake2b(scope + normalized.encode("utf-8", "surrogatepass"),
                                     digest_size=8).digest()  # fmt: skip
            yield digest, (key, index)


def later_occurrences(group: tuple[bytes, Iterable[Occurrence]]) -> Iterator[Occurrence]:
    """Every occurrence of a line but its first (two passes: memory holds one occurrence)."""
    occurrences = group[1]
    first = min(occurrences)
    yield from (occurrence for occurrence in occurrences if occurrence != first)


class _LineDedup(beam.PTransform):
    def __init__(self, step_name: str, config: LineDedupConfig):
        super().__init__()
        self.step_name, self.config = step_name, config

    def expand(self, docs: beam.PCollection) -> Any:
        config = self.config
        keyed = docs | "Pack documents" >> beam.Map(keyed_packed)
        drops = (
            docs
            | "Hash lines" >> beam.FlatMap(line_occurrences, config)
            | "Group equal lines" >> beam.GroupByKey()
            | "Later occurrences" >> beam.FlatMap(later_occurrences)
        )
        return (
            {"doc": keyed, "drop": drops}
            | "Join drops to documents" >> beam.CoGroupByKey()
            | "Remove lines"
            >> beam.ParDo(_RemoveLinesFn(self.step_name, config.min_chars)).with_outputs(
                REMOVED, ERRORS, main=KEPT
            )
        )


class _RemoveLinesFn(CountingDoFn):
    def __init__(self, step_name: str, min_chars: int):
        self.step_name, self.min_chars = step_name, min_chars

    def setup(self) -> None:
        self.counters = self.step_tally(self.step_name)
        self.stats = self.tally(self.step_name)

    def process(self, joined: tuple[bytes, dict[str, Iterable[Any]]]) -> Iterator[Any]:
        drop = set(joined[1]["drop"])
        for packed in joined[1]["doc"]:
            item = without_lines(unpack(packed), drop, self.step_name, self.min_chars, self.stats)
            yield route(item, self.counters)


def without_lines(
    doc: Document, drop: set[int], step_name: str, min_chars: int, stats: Any
) -> Document | Removed:
    """The document without the lines at `drop`; removed if fewer than min_chars are left."""
    if not drop:
        return doc
    lines = doc.text.split("\n")
    kept = [line for index, line in enumerate(lines) if index not in drop]
    stats.inc("lines_removed", len(lines) - len(kept))
    stats.inc("chars_removed", sum(len(lines[index]) for index in drop))
    doc.text = "\n".join(kept).strip()
    doc.metadata["line_dedup_removed_lines"] = len(lines) - len(kept)
    if len(doc.text) < min_chars:
        return Removed(doc, step_name, "line_dedup_too_short")
    return doc
