"""LSH banding for MinHash: the S-curve and the bands x rows that fit a Jaccard threshold.

Two documents of shingle Jaccard s agree on one signature row with probability s, on all r rows
of a band with s**r, and share at least one of b band keys with 1 - (1 - s**r)**b. The
parameters are chosen as datasketch's MinHashLSH and text-dedup choose them: among all b * r <=
num_perm, the pair minimizing the weighted areas of false positives (the curve below the
threshold) and false negatives (one minus the curve above it).
"""

from __future__ import annotations

import math

import numpy as np

from dolmakit.core.errors import ConfigError

_MAX_NODES = 257


def detection_probability(s: float | np.ndarray, bands: int, rows: int) -> float | np.ndarray:
    """The chance that two documents of Jaccard s share at least one of `bands` band keys."""
    return 1.0 - (1.0 - np.power(s, rows)) ** bands


def optimal_params(
    threshold: float,
    num_perm: int,
    false_positive_weight: float = 0.5,
    false_negative_weight: float = 0.5,
) -> tuple[int, int]:
    """(bands, rows) with bands * rows <= num_perm minimizing the weighted sum of
    integral_0^t P(s) ds (false positives) and integral_t^1 1 - P(s) ds (false negatives).

    Candidates are tried in datasketch's order (bands, then rows, ascending) and the first
    minimum wins, so the answer is datasketch's `_optimal_param` wherever the integrals differ
    by more than rounding.
    """
    _check(threshold, num_perm, false_positive_weight, false_negative_weight)
    nodes, weights = _gauss_legendre(num_perm)
    below = threshold / 2 * (nodes + 1)  # the nodes mapped onto [0, t] and [t, 1]
    above = threshold + (1 - threshold) / 2 * (nodes + 1)
    best, best_error = (1, 1), math.inf
    for bands in range(1, num_perm + 1):
        rows = np.arange(1, num_perm // bands + 1)[:, None]
        fp = threshold / 2 * (detection_probability(below, bands, rows) @ weights)
        fn = (1 - threshold) / 2 * ((1 - detection_probability(above, bands, rows)) @ weights)
        errors = false_positive_weight * fp + false_negative_weight * fn
        i = int(np.argmin(errors))
        if errors[i] < best_error:
            best, best_error = (bands, i + 1), float(errors[i])
    return best


def _gauss_legendre(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and weights on [-1, 1]. P(s) is a polynomial of degree bands * rows <= num_perm,
    and n Gauss-Legendre nodes integrate degree 2n - 1 exactly: no quadrature error at all up
    to num_perm 512; above, 257 nodes of a smooth S-curve still agree with datasketch's quad
    (tested at 1024) and keep this under a second."""
    return np.polynomial.legendre.leggauss(min(num_perm // 2 + 1, _MAX_NODES))


def _check(threshold: float, num_perm: int, fp_weight: float, fn_weight: float) -> None:
    if not 0.0 < threshold < 1.0:
        raise ConfigError(f"must be strictly between 0 and 1, got {threshold}", key="threshold")
    if num_perm < 1:
        raise ConfigError(f"must be positive, got {num_perm}", key="num_perm")
    for key, weight in (("false_positive_weight", fp_weight), ("false_negative_weight", fn_weight)):
        if weight < 0:
            raise ConfigError(f"must not be negative, got {weight}", key=key)
    if fp_weight + fn_weight <= 0:
        raise ConfigError("the two weights must not both be 0", key="false_positive_weight")
