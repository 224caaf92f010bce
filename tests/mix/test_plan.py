"""Plans from counted tokens: derived epochs and budgets, cuts, and realized mixes of 1M+ tokens
within 0.5 percentage points of proportion and 2% of epochs."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from dolmakit.core.errors import ConfigError
from dolmakit.mix.config import load_mix, resolve_mix
from dolmakit.mix.plan import (
    SourceCounts,
    best_cut,
    doc_hash,
    is_held_out,
    largest_budget,
    plan_mix,
    sample_bucket,
)

REPO = Path(__file__).resolve().parents[2]
# LLaMA-1, Table 1: sampling proportion and epochs per source
LLAMA = {"commoncrawl": (0.67, 1.10), "c4": (0.15, 1.06), "github": (0.045, 0.64),
         "wikipedia": (0.045, 2.45), "books": (0.045, 2.23), "arxiv": (0.025, 1.06),
         "stackexchange": (0.02, 1.03)}  # fmt: skip


def config(sources: list[dict], **fields):
    data = {"name": "t", "tokenizer": "whitespace", "output": "out/t", "sources": sources}
    return resolve_mix({**data, **fields}, "t.yaml").config


def counted(train_tokens: int) -> SourceCounts:
    """A source of 100-token documents, one per bucket."""
    buckets = {i * 7: 100 for i in range(train_tokens // 100)}
    return SourceCounts(len(buckets), train_tokens, len(buckets), train_tokens, 0, 0, buckets)


def generated(name: str, tokens: int, seed: int, held_out: float, rng: random.Random) -> tuple:
    """Documents (id, tokens) of log-normal lengths, and their counts as the count pass sums
    them: the long tail is what makes independent coin flips miss."""
    docs, total = [], 0
    while total < tokens:
        length = max(2, int(rng.lognormvariate(0, 1.0) * 200))
        docs.append((f"{name}-{len(docs)}", length))
        total += length
    counts = SourceCounts()
    for doc_id, length in docs:
        counts.documents += 1
        counts.tokens += length
        if is_held_out(seed, name, doc_id, held_out):
            counts.held_out_documents += 1
            counts.held_out_tokens += length
        else:
            counts.train_documents += 1
            counts.train_tokens += length
            bucket = sample_bucket(seed, name, doc_id)
            counts.buckets[bucket] = counts.buckets.get(bucket, 0) + length
    return docs, counts


def realize(plan, docs: dict[str, list], seed: int, held_out: float) -> dict[str, int]:
    """Tokens each source contributes when every document takes its planned copies."""
    tokens = {}
    for name, source_docs in docs.items():
        tokens[name] = sum(
            length * plan.sources[name].copies(sample_bucket(seed, name, doc_id))
            for doc_id, length in source_docs
            if not is_held_out(seed, name, doc_id, held_out)
        )
    return tokens


def test_proportion_gives_epochs_and_epochs_give_tokens():
    sources = [{"name": "a", "paths": ["x"], "proportion": 0.75},
               {"name": "b", "paths": ["y"], "proportion": 0.25}]  # fmt: skip
    mix = config(sources, budget_tokens=40_000)
    plan = plan_mix(mix, {"a": counted(20_000), "b": counted(20_000)}, "t.yaml")
    assert plan.sources["a"].epochs == pytest.approx(1.5)
    assert plan.sources["b"].epochs == pytest.approx(0.5)
    assert (plan.sources["a"].repeats, plan.sources["b"].repeats) == (1, 0)
    assert plan.sources["a"].planned_tokens == 30_000 and plan.sources["b"].planned_tokens == 10_000


def test_all_epochs_derive_the_budget():
    mix = config([{"name": "a", "paths": ["x"], "epochs": 2.0},
                  {"name": "b", "paths": ["y"], "epochs": 0.5}])  # fmt: skip
    plan = plan_mix(mix, {"a": counted(10_000), "b": counted(20_000)}, "t.yaml")
    assert plan.budget_tokens == 30_000
    assert plan.sources["a"].proportion == pytest.approx(2 / 3)
    assert plan.sources["b"].target_tokens == 10_000


def test_epochs_and_proportions_together_derive_the_budget():
    """Fixed epochs of `b` are the 40% that the proportion of `a` leaves."""
    mix = config([{"name": "a", "paths": ["x"], "proportion": 0.6},
                  {"name": "b", "paths": ["y"], "epochs": 2.0}])  # fmt: skip
    plan = plan_mix(mix, {"a": counted(50_000), "b": counted(10_000)}, "t.yaml")
    assert plan.budget_tokens == pytest.approx(50_000)
    assert plan.sources["a"].epochs == pytest.approx(0.6)


def test_a_budget_beyond_max_epochs_is_refused():
    mix = config([{"name": "a", "paths": ["x"], "proportion": 0.5},
                  {"name": "small", "paths": ["y"], "proportion": 0.5}],
                 budget_tokens=100_000, max_epochs=4)  # fmt: skip
    with pytest.raises(ConfigError) as caught:
        plan_mix(mix, {"a": counted(100_000), "small": counted(10_000)}, "t.yaml")
    assert caught.value.key == "sources[1].proportion"
    assert "needs 5.00 epochs of 'small'" in str(caught.value)
    # 4 epochs of small's 10,000 tokens at half the mix: 80,000
    assert "cannot give this budget (at most 80,000 tokens with these proportions)" in str(
        caught.value
    )
    assert largest_budget(mix, {"a": counted(100_000), "small": counted(10_000)}) == 80_000


def test_a_source_emptied_by_its_rules_is_refused():
    mix = config([{"name": "a", "paths": ["x"], "epochs": 1.0}])
    with pytest.raises(ConfigError, match="'a' has no training documents"):
        plan_mix(mix, {"a": SourceCounts(documents=3, held_out_documents=3)}, "t.yaml")


def test_best_cut_comes_closest():
    buckets = {0: 10, 5: 10, 9: 30}
    assert best_cut(buckets, 0) == (0, 0)
    assert best_cut(buckets, 14) == (1, 10)
    assert best_cut(buckets, 16) == (6, 20)
    assert best_cut(buckets, 1000) == (10, 50)


def test_hashes_are_stable_across_runs_and_platforms():
    assert doc_hash(0, "sample", "web", "doc-1") == doc_hash(0, "sample", "web", "doc-1")
    assert doc_hash(0, "sample", "web", "doc-1") != doc_hash(1, "sample", "web", "doc-1")
    assert (
        doc_hash(7, "shuffle", "web", "doc-1", 2) == 6244829385805152804
    )  # pinned: a change reshuffles every mix


def test_held_out_takes_its_fraction_of_documents():
    held = sum(is_held_out(3, "web", f"d{i}", 0.1) for i in range(20_000))
    assert held == 2028  # of the 2000 asked; pinned, as the hash is
    assert not any(is_held_out(3, "web", f"d{i}", 0.0) for i in range(1000))


def test_llama_table_is_realized_on_a_million_tokens():
    """mixes/llama.yaml over sources sized as LLaMA's (tokens = proportion * budget / epochs),
    1.2M training tokens: every realized proportion within 0.5 points, every epoch count within
    2%, with whole documents of skewed lengths."""
    budget, seed, held_out, rng = 1_200_000, 1234, 0.001, random.Random(0)
    mix = load_mix(REPO / "mixes" / "llama.yaml",
                   ["tokenizer=whitespace", f"budget_tokens={budget}"]).config  # fmt: skip
    docs, counts = {}, {}
    for name, (proportion, epochs) in LLAMA.items():
        docs[name], counts[name] = generated(name, int(proportion * budget / epochs), seed,
                                             held_out, rng)  # fmt: skip
    plan = plan_mix(mix, counts, "llama.yaml")
    realized = realize(plan, docs, seed, held_out)
    total = sum(realized.values())
    assert total == 1_199_827
    for name, (proportion, epochs) in LLAMA.items():
        planned = plan.sources[name].epochs
        assert planned == pytest.approx(epochs, rel=0.05)  # sizes are LLaMA's, to a document
        assert abs(realized[name] / total - proportion) < 0.005, name
        assert realized[name] / counts[name].train_tokens == pytest.approx(planned, rel=0.02), name


def test_a_group_never_outgrows_a_workers_memory():
    from dolmakit.mix.plan import MAX_GROUP_TOKENS, shard_groups

    assert shard_groups(1_000_000, 300_000) == 4  # about one shard each
    assert shard_groups(0, 300_000) == 1
    # a shard cap above the group cap: groups stay at MAX_GROUP_TOKENS (2**25) tokens
    assert shard_groups(10 * MAX_GROUP_TOKENS, 1 << 32) == 10
    assert shard_groups(10 * MAX_GROUP_TOKENS + 1, 1 << 32) == 11
