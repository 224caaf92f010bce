import random

import apache_beam as beam
import pytest
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from dolmakit.dedup.components import ConnectedComponents


def expected_labels(edges):
    """Union-find: the reference answer."""
    parent = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        parent[max(ra, rb)] = min(ra, rb)
    return [(node, find(node)) for node in parent]


def check(edges, max_rounds=6):
    with TestPipeline() as pipeline:
        labels = pipeline | beam.Create(edges) | ConnectedComponents(max_rounds, "cc")
        assert_that(labels, equal_to(expected_labels(edges)))


def test_transitive_chain_is_one_component():
    check([("b", "c"), ("a", "b")])  # A~B, B~C, A not ~ C


def test_long_chain_and_separate_components():
    chain = [(f"n{i:03d}", f"n{i + 1:03d}") for i in range(60)]
    check(chain + [("x", "y"), ("z", "y")])


@pytest.mark.parametrize("seed", [1, 2])
def test_random_graphs_match_union_find(seed):
    rng = random.Random(seed)
    nodes = [f"{i:04d}" for i in range(300)]
    edges = [tuple(rng.sample(nodes, 2)) for _ in range(260)]
    check(edges)


def test_one_huge_star_of_copies():
    check([("0000", f"{i:04d}") for i in range(1, 5000)], max_rounds=2)


@pytest.mark.parametrize("rounds", [0, 1, 8])
def test_a_chain_longer_than_the_rounds_can_reach_still_converges(rounds):
    """One round leaves a 65-node path as two paths meeting at n000 (62 nodes not converged);
    none leaves it as it is: the residue's union-find finishes either."""
    chain = [(f"n{i:03d}", f"n{i + 1:03d}") for i in range(64)]
    check(chain, max_rounds=rounds)


def test_a_long_shuffled_chain_and_stars_beside_it():
    rng = random.Random(7)
    names = [f"c{i:05d}" for i in range(2000)]
    rng.shuffle(names)  # the path's order is not the nodes' order: many rounds to converge
    chain = list(zip(names, names[1:], strict=False))
    stars = [("s0000", f"s{i:04d}") for i in range(1, 50)]
    check(chain + stars, max_rounds=2)


def test_a_residue_over_its_bound_fails_naming_the_setting():
    chain = [(f"n{i:03d}", f"n{i + 1:03d}") for i in range(64)]
    message = (r"cc: more than 20 edges of connected components had not converged after 1 "
               r"rounds.*raise the step's `rounds`")  # fmt: skip
    with pytest.raises(Exception, match=message), TestPipeline() as pipeline:
        _ = pipeline | beam.Create(chain) | ConnectedComponents(1, "cc", max_residue_edges=20)


def test_a_residue_within_its_bound_converges():
    chain = [(f"n{i:03d}", f"n{i + 1:03d}") for i in range(64)]
    with TestPipeline() as pipeline:
        labels = pipeline | beam.Create(chain) | ConnectedComponents(1, "cc", max_residue_edges=200)
        assert_that(labels, equal_to(expected_labels(chain)))
