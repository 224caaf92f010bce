"""The one deterministic hash behind every split, sample and shuffle order.

Python's hash() of a str is salted per process (PYTHONHASHSEED), so a split made with it moves
between runs and differs between Beam workers. These hashes are 64 bits of BLAKE2b over the
key's UTF-8 bytes: the same in every process, on every machine and runner, and in every Python
version. A lone surrogate (JSON input can carry one) is hashed by its surrogatepass bytes, so
no key raises.

A split compares the integer with fraction * 2**64: exact (a float in [0, 1) would round near
its ends), and a key chosen at a fraction stays chosen at every larger one. Orders sort by the
integer itself.
"""

from __future__ import annotations

import hashlib


def stable_hash(key: str) -> int:
    """A 64-bit integer of key, uniformly spread over [0, 2**64)."""
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8)
    return int.from_bytes(digest.digest(), "big")


def in_fraction(key: str, fraction: float) -> bool:
    """Whether key falls in the first `fraction` of the hash range: never at 0, always at 1."""
    return stable_hash(key) < fraction * 2**64
