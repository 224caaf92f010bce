"""Connected components in Beam: alternating large-star and small-star rounds (Kiveris et al.,
"Connected Components in MapReduce and Beyond", 2014), the label of a node being the smallest
node of its component.

A Beam graph is fixed before it runs, so `rounds` rounds are unrolled; the operations converge
in O(log^2 n) rounds and a duplicate cluster's graph is small and shallow, so a handful leaves
almost every component a star. Convergence is then checked node by node: in a converged star a
node has at most one smaller neighbour, and a node with a smaller neighbour has no larger one.
What is not yet a star finishes there and then, whatever its depth: every edge of a node that
fails the check goes to one group (the residue: empty or a few nodes for duplicate clusters, a
long chain at worst), whose union-find gives the true root of each of its nodes; a star's
members then take their centre's root (a centre outside the residue is its own). Every
component is labelled with its smallest node, however many rounds it would have needed.

The residue is one group on one worker, so it is bounded (`max_residue_edges`): a graph that
leaves more unconverged edges than that after its rounds fails with an error that says so and
names the setting to raise (`rounds`), instead of running one worker out of memory.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator
from typing import Any

import apache_beam as beam

from dolmakit.core.routing import CountingDoFn

Node = Hashable
Edge = tuple[Node, Node]
# the residue's union-find holds every node of these edges in one worker: 1 to 2 GB at this
MAX_RESIDUE_EDGES = 10_000_000


class ResidueTooLarge(RuntimeError):
    """More unconverged edges after the rounds than one worker's union-find may take."""


def large_star(adjacency: tuple[Node, Iterable[Node]]) -> Iterator[Edge]:
    """Connects every larger neighbour of a node to the smallest node of its neighbourhood."""
    node, neighbours = adjacency[0], set(adjacency[1])
    smallest = min(neighbours | {node})
    for neighbour in neighbours:
        if neighbour > node:
            yield _edge(neighbour, smallest)


def small_star(adjacency: tuple[Node, Iterable[Node]]) -> Iterator[Edge]:
    """Connects a node and its smaller neighbours to the smallest of them."""
    node, neighbours = adjacency[0], set(adjacency[1])
    smaller = {neighbour for neighbour in neighbours if neighbour < node} | {node}
    smallest = min(smaller)
    for other in smaller:
        if other != smallest:
            yield _edge(other, smallest)


def label(adjacency: tuple[Node, Iterable[Node]]) -> tuple[Node, Node, bool]:
    """(node, its component's smallest node, whether the node's neighbourhood is a converged
    star)."""
    node, neighbours = adjacency[0], set(adjacency[1])
    smaller = [neighbour for neighbour in neighbours if neighbour < node]
    larger = len(neighbours) - len(smaller)
    converged = not smaller or (len(smaller) == 1 and larger == 0)
    return node, min(smaller, default=node), converged


def _edge(a: Node, b: Node) -> Edge:
    return (a, b) if a < b else (b, a)


def _both_ways(edge: Edge) -> Iterator[Edge]:
    yield edge
    yield edge[1], edge[0]


class _StarRound(beam.PTransform):
    def __init__(self, operation):
        super().__init__()
        self.operation = operation

    def expand(self, edges: beam.PCollection) -> beam.PCollection:
        return (
            edges
            | "Both directions" >> beam.FlatMap(_both_ways)
            | "Neighbours" >> beam.GroupByKey()
            | "Star" >> beam.FlatMap(self.operation)
            | "Distinct edges" >> beam.Distinct()
        )


class ConnectedComponents(beam.PTransform):
    """Edges (a, b) -> (node, smallest node of its component) for every node of an edge."""

    def __init__(self, rounds: int, counter_prefix: str,
                 max_residue_edges: int = MAX_RESIDUE_EDGES):  # fmt: skip
        super().__init__()
        self.rounds, self.counter_prefix = rounds, counter_prefix
        self.max_residue_edges = max_residue_edges

    def expand(self, edges: beam.PCollection) -> beam.PCollection:
        edges = edges | "Normalize edges" >> beam.Map(lambda e: _edge(*e)) | beam.Distinct()
        for round_number in range(self.rounds):
            edges = edges | f"Large star {round_number}" >> _StarRound(large_star)
            edges = edges | f"Small star {round_number}" >> _StarRound(small_star)
        stars = (
            edges
            | "Both directions" >> beam.FlatMap(_both_ways)
            | "Neighbours" >> beam.GroupByKey()
            | "Label" >> beam.ParDo(_LabelFn(self.counter_prefix)).with_outputs(RESIDUE, main=STAR)
        )
        finished = (
            stars[RESIDUE]
            | "Residue in one group" >> beam.GroupByKey()
            | "Union-find the residue"
            >> beam.FlatMap(
                finish_residue, self.max_residue_edges, self.rounds, self.counter_prefix
            )
        )
        return (
            {STAR: stars[STAR], RESIDUE: finished}
            | "Join labels to the residue's roots" >> beam.CoGroupByKey()
            | "Final labels" >> beam.FlatMap(final_labels)
        )


STAR, RESIDUE = "star", "residue"


def finish_residue(group: tuple[None, Iterable[Edge]], limit: int, rounds: int,
                   name: str) -> Iterator[tuple[Node, Node]]:  # fmt: skip
    """The residue's labels by union-find, failing past `limit` edges (see the module's note)."""
    return union_find(_bounded(group[1], limit, rounds, name))


def _bounded(edges: Iterable[Edge], limit: int, rounds: int, name: str) -> Iterator[Edge]:
    for count, edge in enumerate(edges, 1):
        if count > limit:
            raise ResidueTooLarge(
                f"{name}: more than {limit:,} edges of connected components had not converged "
                f"after {rounds} rounds, too many for the one worker that finishes them; raise "
                f"the step's `rounds` (each round is one more pass over the edges)"
            )
        yield edge


class _LabelFn(CountingDoFn):
    """A node's neighbourhood -> (its star's centre, node) when it is a converged star's leaf
    or centre; otherwise its edges, under one key, to the residue (counted)."""

    def __init__(self, counter_prefix: str):
        self.counter_prefix = counter_prefix

    def setup(self) -> None:
        self.stats = self.tally(self.counter_prefix)

    def process(self, adjacency: tuple[Node, Iterable[Node]]) -> Iterator[Any]:
        node, root, converged = label(adjacency)
        yield root, node
        if not converged:
            self.stats.inc("components_residue_nodes")
            for neighbour in adjacency[1]:
                yield beam.pvalue.TaggedOutput(RESIDUE, (None, (node, neighbour)))


def union_find(edges: Iterable[Edge]) -> Iterator[tuple[Node, Node]]:
    """(node, smallest node of its component) for every node of the edges."""
    parent: dict[Node, Node] = {}

    def find(node: Node) -> Node:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in edges:
        first, second = find(a), find(b)
        parent[max(first, second)] = min(first, second)
    return ((node, find(node)) for node in list(parent))


def final_labels(joined: tuple[Node, dict[str, Iterable[Node]]]) -> Iterator[tuple[Node, Node]]:
    """A centre's members labelled with the centre's root in the residue, or the centre."""
    centre, groups = joined
    roots = list(groups[RESIDUE])
    root = roots[0] if roots else centre
    for member in groups[STAR]:
        yield member, root
