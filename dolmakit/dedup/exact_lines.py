"""exact_dedup directly followed by line_dedup, with one join of documents instead of two.

Run one after the other, each step moves every document once (exact's group, then line dedup's
join). Fused, documents move once: the exact group carries each document's node key and its
line hashes (8 bytes a line), not the document; its first member per text sends its line
occurrences on to line dedup's group, and the others become exact decisions; one CoGroupByKey
then brings each document its exact decision or its lines to drop. The results are those of
the two steps in sequence: an exact duplicate's lines never count as a line's first occurrence,
and each step's counters count what that step saw.
"""

from __future__ import annotations

import array
from collections.abc import Iterable, Iterator
from typing import Any

import apache_beam as beam
from apache_beam import pvalue

from dolmakit.core.document import Document
from dolmakit.core.routing import ERRORS, KEPT, REMOVED, CountingDoFn, route
from dolmakit.core.steps import CollectionStep, register_fusion
from dolmakit.dedup.exact import ExactDedup, duplicate, text_key
from dolmakit.dedup.keys import keyed_packed, node_id, node_key, unpack
from dolmakit.dedup.lines import (
    LineDedup,
    LineDedupConfig,
    later_occurrences,
    line_occurrences,
    without_lines,
)

OCCURRENCES = "occurrences"
# (node key, line hashes joined, their line indexes as array('I') bytes)
Member = tuple[bytes, bytes, bytes]


@register_fusion(ExactDedup, LineDedup)
class ExactThenLineDedup(CollectionStep):
    """The two steps as one stage; each keeps its own name, counters and removal reasons."""

    def __init__(self, exact: ExactDedup, lines: LineDedup):
        super().__init__(f"{exact.name}+{lines.name}", None)
        self.exact, self.lines = exact, lines

    def transform(self) -> beam.PTransform:
        return _ExactThenLines(self.exact.name, self.exact.config.normalize, self.lines)


def member(doc: Document, normalize: bool, config: LineDedupConfig) -> tuple[bytes, Member]:
    """(text hash, the document's node key and line hashes) for the exact group."""
    digests, indexes = bytearray(), array.array("I")
    for digest, (_, index) in line_occurrences(doc, config):
        digests += digest
        indexes.append(index)
    return text_key(doc.text, normalize), (node_key(doc), bytes(digests), indexes.tobytes())


def first_and_the_rest(group: tuple[bytes, Iterable[Member]]) -> Iterator[Any]:
    """The group's first node sends its line occurrences on (tagged); every other member is an
    exact decision (node, kept id). A node twice in a group (the same record read twice) is
    resolved at the join, where its copies meet."""
    members = group[1]
    first = min(node for node, _, _ in members)
    for other in members:
        if other[0] != first:
            yield other[0], node_id(first)
    _, digests, indexes = next(m for m in members if m[0] == first)
    for position, index in enumerate(array.array("I", indexes)):
        line = digests[position * 8 : position * 8 + 8]
        yield pvalue.TaggedOutput(OCCURRENCES, (line, (first, index)))


class _ExactThenLines(beam.PTransform):
    def __init__(self, exact_name: str, normalize: bool, lines: LineDedup):
        super().__init__()
        self.exact_name, self.normalize, self.lines = exact_name, normalize, lines

    def expand(self, docs: beam.PCollection) -> Any:
        normalize, config = self.normalize, self.lines.config
        decided = (
            docs
            | "Key by text hash" >> beam.Map(member, normalize, config)
            | "Group identical texts" >> beam.GroupByKey()
            | "Keep the first"
            >> beam.FlatMap(first_and_the_rest).with_outputs(OCCURRENCES, main="duplicates")
        )
        drops = (
            decided[OCCURRENCES]
            | "Group equal lines" >> beam.GroupByKey()
            | "Later occurrences" >> beam.FlatMap(later_occurrences)
        )
        packed = docs | "Pack documents" >> beam.Map(keyed_packed)
        resolve = _ResolveFn(self.exact_name, self.lines.name, config.min_chars)
        return (
            {"doc": packed, "duplicate_of": decided.duplicates, "drop": drops}
            | "Join decisions to documents" >> beam.CoGroupByKey()
            | "Resolve" >> beam.ParDo(resolve).with_outputs(REMOVED, ERRORS, main=KEPT)
        )


class _ResolveFn(CountingDoFn):
    def __init__(self, exact_name: str, lines_name: str, min_chars: int):
        self.exact_name, self.lines_name, self.min_chars = exact_name, lines_name, min_chars

    def setup(self) -> None:
        self.exact = self.step_tally(self.exact_name)
        self.lines = self.step_tally(self.lines_name)
        self.stats = self.tally(self.lines_name)

    def process(self, joined: tuple[bytes, dict[str, Iterable[Any]]]) -> Iterator[Any]:
        node, groups = joined
        kept_id = next(iter(groups["duplicate_of"]), None)
        drop = set(groups["drop"])
        for copy, packed in enumerate(groups["doc"]):
            doc = unpack(packed)
            if kept_id is not None or copy > 0:  # a later copy of the same record: its own id
                yield route(duplicate(doc, kept_id or node_id(node), self.exact_name), self.exact)
                continue
            self.exact.inc("in")
            self.exact.inc("kept")
            item = without_lines(doc, drop, self.lines_name, self.min_chars, self.stats)
            yield route(item, self.lines)
