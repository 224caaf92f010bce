"""The stable hash behind splits and samples: fixed values, so a change of it cannot go unseen."""

from __future__ import annotations

from dolmakit.core.hashing import in_fraction, stable_hash


def test_the_hash_of_a_fixed_key_is_its_blake2b_digest():
    # blake2b(b"doc-1", digest_size=8) = 56f47a285f34f541: the same in every process and version
    assert stable_hash("doc-1") == 0x56F47A285F34F541 == 6265767295393789249
    assert stable_hash("") == 0xE4A6A0577479B2B4
    assert stable_hash("é") == 0xCB1ABF8BEFF3192F  # its UTF-8 bytes


def test_a_lone_surrogate_is_hashed_not_refused():
    assert stable_hash("\ud800") == 0x4208783E927D0D68


def test_a_key_is_in_every_fraction_above_its_place_in_the_hash_range():
    # "doc-1" sits at 0x56F47A285F34F541 / 2**64 = 0.33967 of the range
    assert not in_fraction("doc-1", 0.3396) and in_fraction("doc-1", 0.3397)
    assert not in_fraction("doc-1", 0.0) and in_fraction("doc-1", 1.0)


def test_the_chosen_share_is_near_the_fraction():
    assert sum(in_fraction(f"k{i}", 0.1) for i in range(100_000)) == 10_135
