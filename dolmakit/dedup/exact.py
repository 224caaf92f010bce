"""Exact document dedup: one document per hash of its (normalized) text.

Each document's key is a 128-bit hash of its text with its node key (dolmakit.core.nodes); one
GroupByKey over those finds identical texts. In each group the first by (created, id) is kept,
so the result is the same for any worker count or input order, and every other one is removed
as `exact_duplicate` with the kept id in `metadata.duplicate_of`. Memory per group is the
group's node keys, never its documents.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import apache_beam as beam

from dolmakit.core.document import Document, Removed, Span
from dolmakit.core.nodes import node_id
from dolmakit.core.steps import GlobalStep, KeyMaker, register_step


@dataclass
class ExactDedupConfig:
    # compare texts lowercased with whitespace collapsed; false compares them byte for byte
    normalize: bool = True


@register_step
class ExactDedup(GlobalStep):
    """Keeps one document per identical text (the earliest by created, then id)."""

    type_name = "exact_dedup"
    Config = ExactDedupConfig

    def key_maker(self) -> KeyMaker:
        return TextKeys(self.config.normalize)

    def decide(self) -> beam.PTransform:
        return KeepFirst()

    def apply(self, doc: Document, labels: list[Any]) -> Document | Removed:
        if not labels:
            return doc
        doc.metadata["duplicate_of"] = labels[0]
        return Removed(doc, self.name, "exact_duplicate")

    def tag(self, doc: Document, labels: list[Any]) -> dict[str, list[Span]]:
        """`duplicate`: one span over a document that is not its text's first copy."""
        return {"duplicate": [[0, len(doc.text), 1.0]]} if labels else {}


def text_key(text: str, normalize: bool) -> bytes:
    if normalize:
        text = " ".join(text.lower().split())
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class TextKeys(KeyMaker):
    def __init__(self, normalize: bool):
        self.normalize = normalize

    def add(self, doc: Document, node: bytes) -> Iterable[tuple[bytes, bytes]]:
        return [(text_key(doc.text, self.normalize), node)]


class KeepFirst(beam.PTransform):
    """(text hash, node) -> (node, id of the node kept) for every copy but the first."""

    def expand(self, keys: beam.PCollection) -> beam.PCollection:
        return (
            keys
            | "Group identical texts" >> beam.GroupByKey()
            | "Later copies" >> beam.FlatMap(later_copies)
        )


def later_copies(group: tuple[bytes, Iterable[bytes]]) -> Iterator[tuple[bytes, str]]:
    """Every node of a group but its first, labelled with the first's id (two passes over the
    group: Beam's grouped values can be re-read, and memory holds one node key)."""
    nodes = group[1]
    first = min(nodes)
    kept = node_id(first)
    yield from ((node, kept) for node in nodes if node != first)
