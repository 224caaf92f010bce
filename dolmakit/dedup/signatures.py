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
from functools import cache
from operator import methodcaller
from typing import Literal

import numpy as np
import xxhash

from dolmakit.core.errors import ConfigError
from dolmakit.dedup.lsh import optimal_params

HashName = Literal["fast", "xxh32", "sha1"]
HASHES = ("fast", "xxh32", "sha1")
MAX_HASH = np.uint32(0xFFFFFFFF)  # datasketch's value for "no shingle yet"

# Han and Kana (as in dolmakit.taggers.stats): written without spaces, one token per character
_UNSPACED = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(f"[{_UNSPACED}]|[^\\W{_UNSPACED}]+")
_UNSPACED_RANGES = ((0x3040, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
_WORD, _SINGLE = 1, 2  # character classes of the vectorized tokenizer; 0 separates tokens
_NON_WORD = re.compile(r"\W")

# "fast" constants: a polynomial base for code points, one odd multiplier per window position
_BASE = np.uint64(0x9E3779B97F4A7C15)
_POSITION_SEED = 0x5EED_D01A
# texts tokenized together: the arrays of a group (~40 bytes a character) stay in L2 cache
_GROUP_CHARS = 1 << 16
_PIECE_CHARS = 1 << 20  # "fast" tokenizes longer texts piece by piece
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
        _char_classes()  # built once per process (~0.2 s), not inside the first bundle

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


# --- the tokenizer of shingle_tokens, as array operations on code points ---


def _tokenize(text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(code points, their classes, where each token starts) of a lowercase text; the tokens
    are exactly those of shingle_tokens(text) (a test checks it on random unicode)."""
    code_points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    classes = _char_classes()[code_points]
    # a token starts at a single (CJK) character, or a word character not after another one
    word = classes == _WORD
    is_start = classes == _SINGLE
    is_start[1:] |= word[1:] & ~word[:-1]
    is_start[:1] |= word[:1]
    return code_points, classes, np.flatnonzero(is_start)


def _token_ends(classes: np.ndarray) -> np.ndarray:
    """One past the last character of each token."""
    word = classes == _WORD
    is_last = classes == _SINGLE
    is_last[:-1] |= word[:-1] & ~word[1:]
    is_last[-1:] |= word[-1:]
    return np.flatnonzero(is_last) + 1


# --- "sha1" and "xxh32": the shingle bytes, hashed one C call each, the rest vectorized ---


def _byte_shingle_hashes(
    text: str, ngram: int, hash_many: Callable[[Iterator[bytes]], np.ndarray]
) -> np.ndarray:
    code_points, classes, starts = _tokenize(text.lower())
    count = len(starts) - ngram + 1
    if count < 1:
        return np.zeros(0, dtype=np.uint32)
    data, firsts, lasts = _joined_tokens(code_points, classes, starts, _token_ends(classes))
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


# --- "fast": tokens hashed as polynomials of their code points, windows mixed numerically ---


def fast_shingle_hashes(texts: Sequence[str], ngram: int) -> tuple[np.ndarray, np.ndarray]:
    """(uint32 hash of every shingle, document after document; shingles per document).

    The texts are lowercased and joined by newlines (a separator, so no token spans two
    documents); a token hashes to fmix64(sum of code point * BASE**i), a shingle to the high 32
    bits of fmix64(sum of token hash * multiplier of its position)."""
    lowered = [text.lower() for text in texts]
    token_hashes, starts = _token_hashes_in_pieces("\n".join(lowered))
    count = len(starts) - ngram + 1
    if count < 1:
        return np.zeros(0, dtype=np.uint32), np.zeros(len(texts), dtype=np.int64)
    multipliers = _position_multipliers(ngram)
    mixed = token_hashes[:count] * multipliers[0]
    for i in range(1, ngram):
        mixed += token_hashes[i : i + count] * multipliers[i]
    if len(texts) == 1:
        return (_fmix64(mixed) >> np.uint64(32)).astype(np.uint32), np.array([count])
    sizes = np.fromiter(map(len, lowered), dtype=np.int64, count=len(lowered))
    token_docs = np.searchsorted(np.cumsum(sizes + 1), starts, side="right")
    within = token_docs[:count] == token_docs[ngram - 1 :]  # windows inside one document
    hashes = (_fmix64(mixed[within]) >> np.uint64(32)).astype(np.uint32)
    return hashes, np.bincount(token_docs[:count][within], minlength=len(texts))


def _token_hashes_in_pieces(text: str) -> tuple[np.ndarray, np.ndarray]:
    """(token hashes, token starts) of a lowercase text, in pieces of about _PIECE_CHARS cut
    before a non-word character: a token's hash does not depend on where it is, and the
    arrays of a huge document (~40 bytes a character) stay bounded."""
    hashes, starts = [], []
    for offset, piece in _pieces(text):
        code_points, classes, piece_starts = _tokenize(piece)
        hashes.append(_token_hashes(code_points, classes, piece_starts))
        starts.append(piece_starts + offset)
    return np.concatenate(hashes), np.concatenate(starts)


def _pieces(text: str) -> Iterator[tuple[int, str]]:
    start = 0
    while len(text) - start > _PIECE_CHARS:
        cut = _NON_WORD.search(text, start + _PIECE_CHARS)
        if cut is None:
            break
        yield start, text[start : cut.start()]
        start = cut.start()
    yield start, text[start:]


def _token_hashes(code_points: np.ndarray, classes: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """fmix64(sum of c_j * BASE**j over the characters j of each token) in wrapping uint64."""
    if not len(starts):
        return np.zeros(0, dtype=np.uint64)
    # c_i * BASE**i over the whole text, separators counting 0, summed from each token's start
    # to the next one's, then shifted back by BASE**-start
    powers, inverses = _powers(len(code_points))
    terms = np.multiply(code_points, classes != 0, dtype=np.uint64)
    terms *= powers
    sums = np.add.reduceat(terms, starts)
    sums *= inverses[starts]
    return _fmix64(sums)


def _fmix64(h: np.ndarray) -> np.ndarray:
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xFF51AFD7ED558CCD)
    h ^= h >> np.uint64(33)
    h *= np.uint64(0xC4CEB9FE1A85EC53)
    return h ^ (h >> np.uint64(33))


@cache
def _char_classes() -> np.ndarray:
    """_WORD (str.isalnum or "_", exactly re's \\w), _SINGLE (Han, Kana) or 0, per code point."""
    classes = np.fromiter(
        (c.isalnum() for c in map(chr, range(0x110000))), dtype=np.uint8, count=0x110000
    )
    classes[ord("_")] = _WORD
    for first, last in _UNSPACED_RANGES:
        classes[first : last + 1] = _SINGLE
    return classes


_CACHED_POWERS = _PIECE_CHARS  # 16 MB of powers, kept per process
_powers_cache: list[tuple[np.ndarray, np.ndarray]] = []


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """BASE**i and BASE**-i for i < n in wrapping uint64 (BASE is odd, so invertible mod 2**64)."""
    if _powers_cache and len(_powers_cache[0][0]) >= n:
        powers, inverses = _powers_cache[0]
        return powers[:n], inverses[:n]
    size = max(n, min(_CACHED_POWERS, 2 * n))
    inverse = pow(int(_BASE), -1, 1 << 64)
    powers, inverses = (np.cumprod(_repeated(base, size), dtype=np.uint64)
                        for base in (int(_BASE), inverse))  # fmt: skip
    if size <= _CACHED_POWERS:
        _powers_cache[:] = [(powers, inverses)]
    return powers[:n], inverses[:n]


def _repeated(base: int, size: int) -> np.ndarray:
    values = np.full(size, base, dtype=np.uint64)
    values[0] = 1
    return values


@cache
def _position_multipliers(ngram: int) -> np.ndarray:
    """Odd 64-bit multipliers, one per position in a window, so word order matters."""
    gen = np.random.RandomState(_POSITION_SEED)
    return gen.randint(0, 1 << 63, ngram, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
