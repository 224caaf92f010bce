"""A global step that merges documents: its labels name the others by address (GlobalStep.wanted)
and the pass over the file reads them from the staged files, so only addresses cross a shuffle."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import apache_beam as beam
from dedup.dedup_helpers import doc, run_engine

from dolmakit.core.document import Document, Removed
from dolmakit.core.nodes import node_address
from dolmakit.core.steps import Address, GlobalStep, KeyMaker
from dolmakit.dedup.exact import ExactDedup, ExactDedupConfig
from dolmakit.engine.segments import wanted_lines
from dolmakit.engine.staged import StagedWriter, read_lines


class NodeKeys(KeyMaker):
    def add(self, doc: Document, node: bytes) -> Iterable[tuple[str, bytes]]:
        return [("all", node)]


def label_all(group: tuple[str, Iterable[bytes]]) -> Iterable[tuple[bytes, Any]]:
    """The first document (node order) gets the others' addresses; they are dropped."""
    first, *others = sorted(group[1])
    yield first, ("join", [node_address(node) for node in others])
    yield from ((node, ("drop",)) for node in others)


class JoinAll(GlobalStep):
    """Every document's text joined into the first's, in node order: a toy threads step."""

    type_name = "join_all"

    def key_maker(self) -> KeyMaker:
        return NodeKeys()

    def decide(self) -> beam.PTransform:
        return beam.GroupByKey() | beam.FlatMap(label_all)

    def wanted(self, label: Any) -> list[Address]:
        return [tuple(address) for address in label[1]] if label[0] == "join" else []

    def apply_with(self, doc: Document, labels: list[Any],
                   fetched: Mapping[Address, Document]) -> Document | Removed:  # fmt: skip
        (label,) = labels
        if label[0] == "drop":
            return Removed(doc, self.name, "joined")
        doc.text = " + ".join([doc.text, *(fetched[a].text for a in self.wanted(label))])
        return doc

    def apply(self, doc: Document, labels: list[Any]) -> Document | Removed:
        return self.apply_with(doc, labels, {})


def test_a_step_gets_the_documents_its_labels_name_from_any_file(tmp_path):
    """Ids order the nodes (no dates): a, b, c, d spread over two files, in no order."""
    docs = [doc("c", "third", input_shard=0), doc("a", "first", input_shard=1),
            doc("d", "fourth", input_shard=1), doc("b", "second", input_shard=0)]  # fmt: skip
    kept, removed, errors = run_engine([JoinAll("join", None)], docs, tmp_path)
    assert [(row["id"], row["text"]) for row in kept] == [("a", "first + second + third + fourth")]
    assert sorted((row["id"], row["removed"]["reason"]) for row in removed) == [
        ("b", "joined"), ("c", "joined"), ("d", "joined")
    ]  # fmt: skip
    assert errors == []


def test_a_file_wants_the_lines_its_labels_name_by_file():
    step = JoinAll("join", None)
    labels = {0: [("join", [(1, 4), (0, 2), (1, 0)])], 3: [("drop",)]}
    assert wanted_lines(step, labels.values()) == {1: {0, 4}, 0: {2}}


def test_global_steps_want_nothing_by_default():
    dedup = ExactDedup("exact", ExactDedupConfig())
    assert list(dedup.wanted(("anything", [(0, 1)]))) == []
    assert wanted_lines(dedup, [[("anything", [(0, 1)])]]) == {}


def test_read_lines_gives_the_lines_asked_for_and_no_others(tmp_path):
    writer = StagedWriter(str(tmp_path / "part.staged"), str(tmp_path / "tmp"))
    for line in range(5):
        writer.write(doc(f"d{line}", f"text {line}"))
    writer.close()
    read = read_lines(str(tmp_path / "part.staged"), {3, 1, 9})
    assert [(line, found.id, found.text) for line, found in read] == [
        (1, "d1", "text 1"), (3, "d3", "text 3")
    ]  # fmt: skip
    assert list(read_lines(str(tmp_path / "part.staged"), set())) == []
