"""MinHash near-dedup as a Beam transform: clusters, chains, copies, determinism."""

from __future__ import annotations

import pickle
import random

import numpy as np

from dedup.dedup_helpers import doc, run_step
from dolmakit.dedup.minhash import ENTRY, MinHashDedup, MinHashDedupConfig, group_edges
from dolmakit.dedup.signatures import MinHashConfig, estimated_jaccard

WORDS = (  # noqa: SIM905  (prose reads better as a string)
    "the river ran past the old mill where the miller kept his stones and his sacks of grain "
    "every morning the carts came down from the hills loaded with wheat barley and oats and the "
    "children followed them along the lane to watch the great wheel turn in the dark water while "
    "their parents argued about prices and the weather and the coming harvest festival"
).split()


def article(seed: int, length: int = 300) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) + str(rng.randrange(50)) for _ in range(length))


def edited(text: str, changes: int, seed: int) -> str:
    rng = random.Random(seed)
    words = text.split()
    for index in rng.sample(range(len(words)), changes):
        words[index] = f"edit{seed}x{index}"
    return " ".join(words)


def step(**config) -> MinHashDedup:
    minhash = MinHashConfig(**{"threshold": 0.8, **config.pop("minhash", {})})
    return MinHashDedup("near", MinHashDedupConfig(minhash=minhash, **config))


def test_near_duplicates_are_removed_one_kept_per_cluster():
    base = article(1)
    docs = [doc("a", base), doc("b", edited(base, 3, 2)), doc("c", article(3)), doc("d", "short")]
    run_step(step(), docs, kept=[("a", base), ("c", docs[2].text), ("d", "short")],
             removed=[("b", "near_duplicate", "a")])  # fmt: skip


def test_transitive_chain_ends_in_one_cluster():
    a = article(5)
    b = edited(a, 4, 6)
    c = edited(b, 4, 7)
    # a ~ b and b ~ c, but a and c are below the threshold: only the chain joins them
    assert estimated_jaccard(_sig(a), _sig(b)) >= 0.8 <= estimated_jaccard(_sig(b), _sig(c))
    assert estimated_jaccard(_sig(a), _sig(c)) < 0.8
    docs = [doc("c", c), doc("b", b), doc("a", a)]
    run_step(step(verify=True), docs, kept=[("a", a)],
             removed=[("b", "near_duplicate", "a"), ("c", "near_duplicate", "a")])  # fmt: skip


def test_verification_drops_candidates_below_the_threshold():
    base = article(9)
    far = edited(base, 120, 10)  # shares some bands by chance at most
    near = edited(base, 3, 10)
    # three documents (nodes 2, 1, 3) that share one band key, and one alone (node 9)
    entries = np.zeros(4, dtype=ENTRY)
    entries["band"], entries["hash"], entries["node"] = [0, 0, 0, 1], [7, 7, 7, 7], [2, 1, 3, 9]
    signatures = np.stack([_sig(far), _sig(base), _sig(near), _sig(base)])
    verified = [pickle.dumps((entries.tobytes(), signatures))]
    assert list(group_edges((0, verified), True, 0.8)) == [(1, 3)]
    plain = [entries[:2].tobytes(), entries[2:].tobytes()]  # from two files
    assert list(group_edges((0, plain), False, 0.8)) == [(1, 2), (1, 3)]


def _sig(text):
    from dolmakit.dedup.signatures import MinHasher

    return MinHasher(MinHashConfig()).signature(text)


def test_five_thousand_copies_keep_one_without_quadratic_edges():
    text = article(11)
    docs = [doc(f"{i:05d}", text) for i in range(5000)]
    removed = [(f"{i:05d}", "near_duplicate", "00000") for i in range(1, 5000)]
    run_step(step(verify=True), docs, kept=[("00000", text)], removed=removed)


def test_empty_and_too_short_documents_pass_through():
    docs = [doc("e", ""), doc("s", "only four words here"), doc("t", "only four words here")]
    run_step(step(), docs, kept=[("e", ""), ("s", "only four words here"),
                                 ("t", "only four words here")], removed=[])  # fmt: skip


def test_the_same_record_twice_keeps_one_copy():
    text = article(12)
    docs = [doc("same", text), doc("same", text), doc("other", article(13))]
    run_step(step(), docs, kept=[("same", text), ("other", article(13))],
             removed=[("same", "near_duplicate", "same")])  # fmt: skip
