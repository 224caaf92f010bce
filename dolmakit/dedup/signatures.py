"""MinHash signatures of word n-gram shingles, LSH band keys and estimated Jaccard: pure numpy.

Shingles: `shingle_tokens` lowercases a text and keeps runs of word characters (the `\\w` of
Python's re: letters, digits, underscore), with every Han or Kana character a token of its own
(the idea of dolmakit.text.chars.words_of), so punctuation and spacing never make two copies
of a page differ. A shingle is `ngram` consecutive tokens; its bytes are
`" ".join(window).encode("utf-8", "surrogatepass")` (see `shingles`). A document of fewer than
`ngram` tokens has no shingle and no signature.

Three hashes of a shingle, all followed by datasketch 2.x's "affine32" permutations
(`a * h + b` in wrapping uint32, a and b from `np.random.RandomState(seed)`):
- "sha1" and "xxh32": bit-identical to `datasketch.MinHash(num_perm, seed, hashfunc=...)`
  (its default scheme) updated with the shingle bytes, so signatures can be checked against and
  mixed with datasketch's. Hashing runs in C, one call per shingle, but no Python loop.
- "fast" (the default): each token is hashed once, vectorized over the whole text, and the
  windows are mixed numerically; the signatures estimate the Jaccard of the same shingle sets
  but are not datasketch's. Its constants are fixed: changing them changes every signature.

Memory: about 40 bytes a character of the text at hand ("fast" works on 1M-character pieces of
longer texts; "sha1"/"xxh32" hold a whole document, so cap document sizes upstream).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from operator import methodcaller
from typing import Literal

import numpy as np
import xxhash

from dolmakit.core.errors import ConfigError
from dolmakit.dedup.fast_shingles import (
    char_classes,
    fast_shingle_hashes,
    token_ends,
    tokenize_code_points,
)
from dolmakit.dedup.lsh import optimal_params

HashName = Literal["fast", "xxh32", "sha1"]
HASHES = ("fast", "xxh32", "sha1")
MAX_HASH = np.uint32(0xFFFFFFFF)  # datasketch's value for "no shingle yet"

# Han and Kana (as in dolmakit.taggers.stats): written without spaces, one token per character
_UNSPACED = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(f"[{_UNSPACED}]|[^\\W{_UNSPACED}]+")
# texts tokenized together: the arrays of a group (~40 bytes a character) stay in L2 cache
_GROUP_CHARS = 1 << 16
# shingles x permutations computed at a time: three such uint32 blocks (768 KB) stay in L2 cache
_BLOCK_VALUES = 512 * 128


def shingle_tokens(text: str) -> list[str]:
    """The tokens shingles are made of: lowercase word-character runs, CJK characters alone."""
    return _TOKEN.findall(text.lower())


def shingles(text: str, ngram: int = 5) -> list[bytes]:
    """The shingle bytes that "sha1" and "xxh32" hash (datasketch's update_batch input)."""
    tokens = shingle_tokens(text)
    windows = (" ".join(tokens[i : i + ngram]) for i in range(len(tokens) - ngram + 1))
    return [window.encode("utf-8", "surrogatepass") for window in windows]  # lone surrogates too


@dataclass(frozen=True)
class MinHashConfig:
    num_perm: int = 128
    ngram: int = 5  # words per shingle
    seed: int = 1  # of the permutations, as datasketch's seed
    hash: HashName = "fast"
    # LSH: bands x rows when both are given, else optimal_params(threshold, num_perm, weights)
    threshold: float = 0.8
    bands: int | None = None
    rows: int | None = None
    false_positive_weight: float = 0.5
    false_negative_weight: float = 0.5

    def __post_init__(self) -> None:
        if self.hash not in HASHES:
            raise ConfigError(f"must be one of {', '.join(HASHES)}, got {self.hash!r}", key="hash")
        for key in ("num_perm", "ngram"):
            if getattr(self, key) < 1:
                raise ConfigError(f"must be positive, got {getattr(self, key)}", key=key)
        if not 0.0 < self.threshold < 1.0:
            raise ConfigError(f"must be between 0 and 1, got {self.threshold}", key="threshold")
        if (self.bands is None) != (self.rows is None):
            raise ConfigError("give both bands and rows, or neither", key="bands")
        if self.bands is not None and not 1 <= self.bands * self.rows <= self.num_perm:
            raise ConfigError(
                f"bands * rows = {self.bands} * {self.rows} must be in 1..num_perm "
                f"({self.num_perm})",
                key="bands",
            )
        if self.bands is not None and not 1 <= self.bands < 1 << 16:
            raise ConfigError(f"must be in 1..65535, got {self.bands}", key="bands")

    def lsh_params(self) -> tuple[int, int]:
        """(bands, rows): as given, or the optimum for the threshold and weights."""
        if self.bands is not None and self.rows is not None:
            return self.bands, self.rows
        weights = (self.false_positive_weight, self.false_negative_weight)
        return optimal_params(self.threshold, self.num_perm, *weights)


class MinHasher:
    """Signatures under one config; the permutations are prepared once, so build one per worker
    in DoFn.setup(). It reuses a scratch block between calls: one per thread, never shared."""

    def __init__(self, config: MinHashConfig = MinHashConfig()) -> None:
        self.config = config
        self.a, self.b = permutations(config.num_perm, config.seed)
        # tiled to full blocks: numpy multiplies same-shape arrays about 8x faster than it
        # broadcasts a column of hashes against a row of multipliers
        rows = max(16, _BLOCK_VALUES // config.num_perm)
        self._a_block = np.tile(self.a, (rows, 1))
        self._b_block = np.tile(self.b, (rows, 1))
        self._block = np.empty_like(self._a_block)
        char_classes()  # built once per process (~0.2 s), not inside the first bundle

    def signature(self, text: str) -> np.ndarray | None:
        """The uint32 signature (num_perm values) of text, or None when text has fewer than
        `ngram` tokens: no shingle, nothing to compare. Such documents cannot be near
        duplicates by this measure; pass them through untouched (and count them)."""
        return self.signatures([text])[0]

    def signatures(self, texts: Sequence[str]) -> list[np.ndarray | None]:
        """signature() of each text, in groups of up to _GROUP_CHARS characters: the fixed
        numpy costs are paid once per group (1.5x faster on 1,000-word documents)."""
        results: list[np.ndarray | None] = []
        for group in _groups(texts):
            hashes, counts = self._shingle_hashes(group)
            minima = self._permuted_minima(hashes, counts)
            results += [row if n else None for row, n in zip(minima, counts.tolist(), strict=True)]
        return results

    def _shingle_hashes(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(uint32 hash of every shingle, document after document; shingles per document)."""
        if self.config.hash == "fast":
            return fast_shingle_hashes(texts, self.config.ngram)
        hash_many = _xxh32_many if self.config.hash == "xxh32" else _sha1_many
        parts = [_byte_shingle_hashes(text, self.config.ngram, hash_many) for text in texts]
        counts = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts))
        return fmix32(np.concatenate(parts)), counts

    def _permuted_minima(self, hashes: np.ndarray, counts: np.ndarray) -> np.ndarray:
        """min over each document's shingles of a * h + b, per permutation: (docs, num_perm)."""
        minima = np.full((len(counts), self.config.num_perm), MAX_HASH, dtype=np.uint32)
        ends = np.cumsum(counts)
        for doc, (start, end) in enumerate(
            zip((ends - counts).tolist(), ends.tolist(), strict=True)
        ):
            for first in range(start, end, len(self._block)):
                block = self._permuted(hashes[first : min(end, first + len(self._block))])
                # min(axis=0) per piece: np.minimum.reduceat over rows is 5x slower
                np.minimum(minima[doc], block.min(axis=0), out=minima[doc])
        return minima

    def _permuted(self, hashes: np.ndarray) -> np.ndarray:
        """a * h + b for up to a block of hashes, in the reused block: (len(hashes), num_perm)."""
        block = self._block[: len(hashes)]
        np.copyto(block, hashes[:, None])
        np.multiply(block, self._a_block[: len(hashes)], out=block)
        return np.add(block, self._b_block[: len(hashes)], out=block)


def _groups(texts: Sequence[str]) -> Iterator[Sequence[str]]:
    """Consecutive texts of at most _GROUP_CHARS characters together (or one longer text)."""
    first, size = 0, 0
    for i, text in enumerate(texts):
        if size and size + len(text) > _GROUP_CHARS:
            yield texts[first:i]
            first, size = i, 0
        size += len(text) + 1
    if first < len(texts):
        yield texts[first:]


def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch 2.x affine32: odd multipliers a and offsets b, drawn in this order."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def band_keys(signature: np.ndarray, bands: int, rows: int) -> list[bytes]:
    """One 10-byte key per band: the band index (2 bytes, big-endian) and the 64-bit XXH3 of
    that band's rows as little-endian uint32, the same on every process and machine."""
    if not 1 <= bands < 1 << 16 or rows < 1 or bands * rows > len(signature):
        raise ValueError(f"{bands} bands x {rows} rows do not fit {len(signature)} values")
    table = np.ascontiguousarray(signature[: bands * rows], dtype="<u4").reshape(bands, rows)
    return [
        band.to_bytes(2, "big") + xxhash.xxh3_64_digest(values.tobytes())
        for band, values in enumerate(table)
    ]


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """The fraction of permutations on which two signatures agree (datasketch's jaccard)."""
    if len(a) != len(b) or not len(a):
        raise ValueError(f"signatures of {len(a)} and {len(b)} values cannot be compared")
    return float(np.count_nonzero(a == b)) / len(a)


# --- "sha1" and "xxh32": the shingle bytes, hashed one C call each, the rest vectorized ---


def _byte_shingle_hashes(
    text: str, ngram: int, hash_many: Callable[[Iterator[bytes]], np.ndarray]
) -> np.ndarray:
    code_points, classes, starts = tokenize_code_points(text.lower())
    count = len(starts) - ngram + 1
    if count < 1:
        return np.zeros(0, dtype=np.uint32)
    data, firsts, lasts = _joined_tokens(code_points, classes, starts, token_ends(classes))
    # every shingle is a slice of the space-joined tokens: no join per shingle
    bounds = map(slice, firsts[:count].tolist(), lasts[ngram - 1 :].tolist())
    return hash_many(map(data.__getitem__, bounds))


def _joined_tokens(
    code_points: np.ndarray, classes: np.ndarray, starts: np.ndarray, ends: np.ndarray
) -> tuple[bytes, np.ndarray, np.ndarray]:
    """The UTF-8 of " ".join(tokens) and the byte offsets where each token starts and ends."""
    lengths = ends - starts
    joined_starts = np.concatenate(([0], np.cumsum(lengths[:-1] + 1)))
    joined = np.full(joined_starts[-1] + lengths[-1], ord(" "), dtype=np.uint32)
    # the characters of tokens are the classified ones, in order; each token moves as a block
    joined[np.flatnonzero(classes) + np.repeat(joined_starts - starts, lengths)] = code_points[
        classes != 0
    ]
    text = joined.tobytes().decode("utf-32-le", "surrogatepass")
    data = text.encode("utf-8", "surrogatepass")
    if len(data) == len(joined):  # ASCII: a character is a byte
        return data, joined_starts, joined_starts + lengths
    widths = 1 + (joined >= 0x80) + (joined >= 0x800) + (joined >= 0x10000)
    offsets = np.concatenate(([0], np.cumsum(widths)))
    return data, offsets[joined_starts], offsets[joined_starts + lengths]


def _xxh32_many(chunks: Iterator[bytes]) -> np.ndarray:
    return np.fromiter(map(xxhash.xxh32_intdigest, chunks), dtype=np.uint32)


def _sha1_many(chunks: Iterator[bytes]) -> np.ndarray:
    # datasketch's sha1_hash32: the first 4 of sha1's 20 bytes, little-endian
    digests = b"".join(map(methodcaller("digest"), map(hashlib.sha1, chunks)))
    return np.frombuffer(digests, dtype="<u4")[::5].astype(np.uint32)


def fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, which datasketch applies before the permutations."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))
