"""Connected components in Beam: alternating large-star and small-star rounds (Kiveris et al.,
"Connected Components in MapReduce and Beyond", 2014), the label of a node being the smallest
node of its component.

A Beam graph is fixed before it runs, so the rounds are unrolled up to `max_rounds`; the
operations converge in O(log^2 n) rounds and a duplicate cluster's graph is small and shallow,
so a handful is plenty. Convergence is then checked node by node: in a converged graph every
component is a star, so a node has at most one smaller neighbour, and a node with a smaller
neighbour has no larger one. A node where that fails stops the job with an error that says to
raise `max_rounds`: its label could split a component, and a dedup that silently keeps
duplicates is worse than one that fails (the run then publishes nothing).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator
from typing import Any

import apache_beam as beam

from dolmakit.core.errors import FatalError
from dolmakit.core.routing import CountingDoFn

Node = Hashable
Edge = tuple[Node, Node]


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

    def __init__(self, max_rounds: int, counter_prefix: str):
        super().__init__()
        self.max_rounds, self.counter_prefix = max_rounds, counter_prefix

    def expand(self, edges: beam.PCollection) -> beam.PCollection:
        edges = edges | "Normalize edges" >> beam.Map(lambda e: _edge(*e)) | beam.Distinct()
        rounds = self.max_rounds
        for round_number in range(self.max_rounds):
            edges = edges | f"Large star {round_number}" >> _StarRound(large_star)
            edges = edges | f"Small star {round_number}" >> _StarRound(small_star)
        return (
            edges
            | "Both directions" >> beam.FlatMap(_both_ways)
            | "Neighbours" >> beam.GroupByKey()
            | "Label" >> beam.ParDo(_LabelFn(rounds, self.counter_prefix))
        )


class NotConverged(FatalError):
    """Connected components needed more rounds than the graph was built with."""


class _LabelFn(CountingDoFn):
    def __init__(self, rounds: int, counter_prefix: str):
        self.rounds, self.counter_prefix = rounds, counter_prefix

    def process(self, adjacency: tuple[Node, Iterable[Node]]) -> Iterator[Any]:
        node, root, converged = label(adjacency)
        if not converged:
            raise NotConverged(
                f"{self.counter_prefix}: connected components did not converge in {self.rounds} "
                f"rounds (node {node!r} is not yet a star's leaf or centre): raise max_rounds"
            )
        yield node, root
