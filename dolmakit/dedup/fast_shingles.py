"""Shingle tokens as array operations on code points, and the "fast" shingle hashes of
dolmakit.dedup.signatures (see its docstring): each token hashed once as a polynomial of its
code points, vectorized over the whole text, and the windows mixed numerically."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import cache

import numpy as np

# Han and Kana (signatures._UNSPACED): written without spaces, one token per character
_UNSPACED_RANGES = ((0x3040, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
_WORD, _SINGLE = 1, 2  # character classes of the vectorized tokenizer; 0 separates tokens
_NON_WORD = re.compile(r"\W")

# "fast" constants: a polynomial base for code points, one odd multiplier per window position
BASE = np.uint64(0x9E3779B97F4A7C15)
_POSITION_SEED = 0x5EED_D01A
_PIECE_CHARS = 1 << 20  # "fast" tokenizes longer texts piece by piece


# --- the tokenizer of shingle_tokens, as array operations on code points ---


def tokenize_code_points(text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(code points, their classes, where each token starts) of a lowercase text; the tokens
    are exactly those of signatures.shingle_tokens(text) (a test checks it on random unicode)."""
    code_points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    classes = char_classes()[code_points]
    # a token starts at a single (CJK) character, or a word character not after another one
    word = classes == _WORD
    is_start = classes == _SINGLE
    is_start[1:] |= word[1:] & ~word[:-1]
    is_start[:1] |= word[:1]
    return code_points, classes, np.flatnonzero(is_start)


def token_ends(classes: np.ndarray) -> np.ndarray:
    """One past the last character of each token."""
    word = classes == _WORD
    is_last = classes == _SINGLE
    is_last[:-1] |= word[:-1] & ~word[1:]
    is_last[-1:] |= word[-1:]
    return np.flatnonzero(is_last) + 1


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
        code_points, classes, piece_starts = tokenize_code_points(piece)
        hashes.append(token_hashes(code_points, classes, piece_starts))
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


def token_hashes(code_points: np.ndarray, classes: np.ndarray, starts: np.ndarray) -> np.ndarray:
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
def char_classes() -> np.ndarray:
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
    inverse = pow(int(BASE), -1, 1 << 64)
    powers, inverses = (np.cumprod(_repeated(base, size), dtype=np.uint64)
                        for base in (int(BASE), inverse))  # fmt: skip
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
