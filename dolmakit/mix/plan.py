"""From counted tokens to per-document decisions: held out or not, and how many copies.

Pure functions, no Beam. Every decision hangs on a 64-bit hash of (seed, purpose, source, id), so
it is the same on every worker and in every run with the same seed.

A source with `epochs` e over T training tokens contributes floor(e) whole copies of every
training document plus a sample of (e - floor(e)) * T tokens. The sample is a prefix of the
source's documents ordered by hash, cut where its tokens come closest to the target: the count
pass sums tokens per hash bucket (2^16 buckets), so the cut needs no sort of the documents and
misses the target by at most half a bucket. Independent coin flips per document would land
within a standard deviation of sqrt(sum t_i^2 * f(1 - f)) tokens, a few percent of a source with
a few thousand documents of skewed lengths: too loose for 2% on epochs over 1M tokens.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from dolmakit.core.errors import ConfigError
from dolmakit.core.hashing import in_fraction, stable_hash
from dolmakit.mix.config import MixConfig

BUCKET_BITS = 16
TRAIN, HELD_OUT = "train", "heldout"


def doc_hash(seed: int, purpose: str, source: str, doc_id: str, repeat: int = 0) -> int:
    """A 64-bit hash, stable across processes, platforms and Python versions."""
    return stable_hash(_doc_key(seed, purpose, source, doc_id, repeat))


def is_held_out(seed: int, source: str, doc_id: str, fraction: float) -> bool:
    return in_fraction(_doc_key(seed, HELD_OUT, source, doc_id), fraction)


def _doc_key(seed: int, purpose: str, source: str, doc_id: str, repeat: int = 0) -> str:
    return f"{seed}\x1f{purpose}\x1f{source}\x1f{doc_id}\x1f{repeat}"


def sample_bucket(seed: int, source: str, doc_id: str) -> int:
    """The document's place in its source's sampling order, coarsened to a bucket."""
    return doc_hash(seed, "sample", source, doc_id) >> (64 - BUCKET_BITS)


def shuffle_key(seed: int, source: str, doc_id: str, repeat: int) -> int:
    return doc_hash(seed, "shuffle", source, doc_id, repeat)


@dataclass
class SourceCounts:
    """What the count pass saw of one source after its include/exclude rules; tokens count the
    EOS that ends each document in the shards."""

    documents: int = 0
    tokens: int = 0
    train_documents: int = 0
    train_tokens: int = 0
    held_out_documents: int = 0
    held_out_tokens: int = 0
    # training tokens per sample bucket
    buckets: dict[int, int] = field(default_factory=dict)


@dataclass
class SourcePlan:
    name: str
    proportion: float  # of the mix's training tokens
    epochs: float
    target_tokens: float
    repeats: int  # whole copies of every training document
    cut: int  # documents with sample_bucket < cut get one copy more
    planned_tokens: int  # what the cut realizes: repeats * train_tokens + tokens below the cut

    def copies(self, bucket: int) -> int:
        return self.repeats + (bucket < self.cut)


@dataclass
class MixPlan:
    budget_tokens: float
    sources: dict[str, SourcePlan]


def plan_mix(config: MixConfig, counts: dict[str, SourceCounts], source_file: str) -> MixPlan:
    """Targets and cuts for every source; a ConfigError when a source has no training tokens or
    needs more than max_epochs to reach its target."""
    for i, spec in enumerate(config.sources):
        if counts[spec.name].train_tokens <= 0:
            raise ConfigError(
                f"source {spec.name!r} has no training documents after its include/exclude "
                f"rules and the held-out split ({counts[spec.name].documents} documents)",
                source=source_file,
                key=f"sources[{i}]",
            )
    budget = _budget(config, counts)
    plans = {}
    for i, spec in enumerate(config.sources):
        tokens = counts[spec.name].train_tokens
        target = spec.epochs * tokens if spec.epochs is not None else spec.proportion * budget
        epochs = target / tokens
        if epochs > config.max_epochs * (1 + 1e-9):
            raise ConfigError(_too_many_epochs(spec.name, epochs, tokens, budget, config, counts),
                              source=source_file, key=f"sources[{i}].proportion")  # fmt: skip
        plans[spec.name] = _source_plan(spec.name, target / budget, epochs, counts[spec.name])
    return MixPlan(budget, plans)


def _budget(config: MixConfig, counts: dict[str, SourceCounts]) -> float:
    if config.budget_tokens is not None:
        return float(config.budget_tokens)
    fixed = math.fsum(s.epochs * counts[s.name].train_tokens for s in config.sources
                      if s.epochs is not None)  # fmt: skip
    shared = math.fsum(s.proportion for s in config.sources if s.proportion is not None)
    return fixed / (1 - shared)  # config validation keeps `shared` below 1 here


def _too_many_epochs(name: str, epochs: float, tokens: int, budget: float, config,
                     counts: dict[str, SourceCounts]) -> str:  # fmt: skip
    largest = largest_budget(config, counts)
    at_most = f" (at most {largest:,} tokens with these proportions)" if largest else ""
    return (
        f"a budget of {budget:,.0f} tokens needs {epochs:.2f} epochs of {name!r} "
        f"({tokens:,} training tokens counted), above max_epochs {config.max_epochs}: the "
        f"sources cannot give this budget{at_most}; lower budget_tokens or this source's "
        "proportion, or raise max_epochs"
    )


def largest_budget(config: MixConfig, counts: dict[str, SourceCounts]) -> int | None:
    """The largest budget_tokens that takes no source given a proportion past max_epochs
    (None when no source gives a proportion)."""
    limits = [config.max_epochs * counts[s.name].train_tokens / s.proportion
              for s in config.sources if s.proportion]  # fmt: skip
    return math.floor(min(limits)) if limits else None


def _source_plan(name: str, proportion: float, epochs: float, counts: SourceCounts) -> SourcePlan:
    target = epochs * counts.train_tokens
    repeats = math.floor(epochs)
    cut, below = best_cut(counts.buckets, target - repeats * counts.train_tokens)
    planned = repeats * counts.train_tokens + below
    return SourcePlan(name, proportion, epochs, target, repeats, cut, planned)


def best_cut(buckets: dict[int, int], target: float) -> tuple[int, int]:
    """The cut c (documents in buckets below c are taken) whose tokens come closest to target,
    and those tokens."""
    best, best_tokens, below = 0, 0, 0
    for bucket in sorted(buckets):
        below += buckets[bucket]
        if abs(below - target) < abs(best_tokens - target):
            best, best_tokens = bucket + 1, below
    return best, best_tokens


# the most tokens one group holds: a worker sorts a whole group in memory (~2 bytes a token
# plus ~150 bytes a document), so this, not max_tokens_per_shard, bounds a worker's memory
MAX_GROUP_TOKENS = 1 << 25


def shard_groups(tokens: float, max_tokens_per_shard: int) -> int:
    """Groups that documents are spread over by hash, each sorted and written by one worker:
    about one shard's worth each, and never more than MAX_GROUP_TOKENS, so a group fits in a
    worker's memory whatever max_tokens_per_shard is (a group then writes smaller shards)."""
    return max(1, math.ceil(tokens / min(max_tokens_per_shard, MAX_GROUP_TOKENS)))
