"""How well a removed set agrees with the planted clusters.

Within a planted cluster any one member may be the kept one, so the truth is per cluster: a
correct system removes exactly size - 1 members of each cluster and nothing else.
- Document level: of the r members a system removes from a cluster of n, min(r, n - 1) are
  true positives; removing all n loses the cluster's text, and that last one is a false positive,
  as is every removed document of no cluster (a distinct base). precision = TP / removed,
  recall = TP / (planted duplicates = sum of n - 1).
- Cluster level: a cluster is resolved when exactly one member is left, partly resolved when
  some but not all copies went, missed when none went, wiped when none is left.
- Pairs: in clusters of two, the copy is found iff exactly one of the pair is removed; by the
  copy's true Jaccard, next to what the LSH curve 1 - (1 - J**r)**b predicts on average.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from benchmarks.dedup.corpus import Truth
from dolmakit.dedup.lsh import detection_probability

PAIR_BANDS = ((0.85, 0.90), (0.90, 0.95), (0.95, 1.0), (1.0, 1.01))


@dataclass
class Agreement:
    removed: int = 0
    true_positives: int = 0
    unrelated: int = 0  # removed documents of no planted cluster
    duplicates: int = 0  # planted: the sum of size - 1 over the clusters
    clusters: int = 0
    resolved: int = 0
    partial: int = 0
    missed: int = 0
    wiped: int = 0
    # (low, high) -> (pairs found, pairs, LSH-expected found)
    pairs: dict[tuple[float, float], list[float]] = field(default_factory=dict)

    @property
    def precision(self) -> float:
        return self.true_positives / self.removed if self.removed else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.duplicates if self.duplicates else 1.0

    @property
    def cluster_recall(self) -> float:
        return self.resolved / self.clusters if self.clusters else 1.0


def agreement(removed: set[str], truth: Truth, bands: int, rows: int) -> Agreement:
    score = Agreement(removed=len(removed), clusters=len(truth.clusters))
    score.pairs = {band: [0, 0, 0.0] for band in PAIR_BANDS}
    clustered = 0
    for members in truth.clusters:
        n, r = len(members), sum(member in removed for member in members)
        clustered += r
        score.duplicates += n - 1
        score.true_positives += min(r, n - 1)
        if r == n - 1:
            score.resolved += 1
        elif r == n:
            score.wiped += 1
        elif r == 0:
            score.missed += 1
        else:
            score.partial += 1
        if n == 2:
            _count_pair(score, truth.jaccard[members[1]], r == 1, bands, rows)
    score.unrelated = len(removed) - clustered
    return score


def _count_pair(score: Agreement, jaccard: float, found: bool, bands: int, rows: int) -> None:
    for low, high in PAIR_BANDS:
        if low <= jaccard < high:
            counts = score.pairs[(low, high)]
            counts[0] += found
            counts[1] += 1
            counts[2] += float(detection_probability(jaccard, bands, rows))


def describe(score: Agreement) -> list[str]:
    pairs = "; ".join(
        f"J {'1 (exact)' if low == 1.0 else f'{low:.2f}-{high:.2f}'}: {found}/{count} "
        f"(LSH curve {expected / count:.0%})"
        for (low, high), (found, count, expected) in score.pairs.items()
        if count
    )
    return [
        f"removed {score.removed:,} = {score.true_positives:,} planted duplicates + "
        f"{score.removed - score.true_positives:,} false ({score.unrelated:,} of no cluster, "
        f"{score.wiped:,} last members of wiped clusters); planted {score.duplicates:,}",
        f"clusters {score.clusters:,}: resolved {score.resolved:,}, partly {score.partial:,}, "
        f"missed {score.missed:,}, wiped {score.wiped:,}",
        f"pairs found by true Jaccard: {pairs}",
    ]
