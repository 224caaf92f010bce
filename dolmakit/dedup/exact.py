"""Exact document dedup: one document per hash of its (normalized) text.

Documents are grouped by a 128-bit hash of their text with one GroupByKey, each as its node key
and packed bytes (dolmakit.dedup.keys): the one time this step moves documents. In each group
the first by (created, id) is kept, so the result is the same for any worker count or input
order, and each other one is removed as `exact_duplicate` with the kept id in
`metadata.duplicate_of`. Memory per group is one node key, whatever its size: 5,000 copies cost
no more than two.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import apache_beam as beam

from dolmakit.core.document import Document, Removed
from dolmakit.core.routing import ERRORS, KEPT, REMOVED, CountingDoFn, route
from dolmakit.core.steps import CollectionStep, register_step
from dolmakit.dedup.keys import keyed_packed, node_id, unpack

Member = tuple[bytes, bytes]  # (node key, packed document)


@dataclass
class ExactDedupConfig:
    # compare texts lowercased with whitespace collapsed; false compares them byte for byte
    normalize: bool = True


@register_step
class ExactDedup(CollectionStep):
    """Keeps one document per identical text (the earliest by created, then id)."""

    type_name = "exact_dedup"
    Config = ExactDedupConfig

    def transform(self) -> beam.PTransform:
        return _ExactDedup(self.name, self.config.normalize)


def text_key(text: str, normalize: bool) -> bytes:
    if normalize:
        text = " ".join(text.lower().split())
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class _ExactDedup(beam.PTransform):
    def __init__(self, step_name: str, normalize: bool):
        super().__init__()
        self.step_name, self.normalize = step_name, normalize

    def expand(self, docs: beam.PCollection) -> Any:
        normalize = self.normalize
        return (
            docs
            | "Key by text hash"
            >> beam.Map(lambda doc: (text_key(doc.text, normalize), keyed_packed(doc)))
            | "Group identical texts" >> beam.GroupByKey()
            | "Keep the first"
            >> beam.ParDo(_KeepFirstFn(self.step_name)).with_outputs(REMOVED, ERRORS, main=KEPT)
        )


class _KeepFirstFn(CountingDoFn):
    def __init__(self, step_name: str):
        self.step_name = step_name

    def setup(self) -> None:
        self.counters = self.step_tally(self.step_name)

    def process(self, group: tuple[bytes, Iterable[Member]]) -> Iterator[Any]:
        for item in keep_first(group[1], self.step_name):
            yield route(item, self.counters)


def keep_first(members: Iterable[Member], step_name: str) -> Iterator[Document | Removed]:
    """Yields every document of a group of duplicates once: the first by node key kept, the rest
    removed pointing at it. Two passes over the group (Beam's grouped values can be re-read), so
    that memory holds one node key and one document, never the group."""
    first = min((node for node, _ in members), default=None)
    kept = False
    for node, packed in members:
        doc = unpack(packed)
        if not kept and node == first:
            kept = True  # the same document twice: the second copy is a duplicate too
            yield doc
        else:
            yield duplicate(doc, node_id(first), step_name)


def duplicate(doc: Document, kept_id: str, step_name: str) -> Removed:
    doc.metadata["duplicate_of"] = kept_id
    return Removed(doc, step_name, "exact_duplicate")
