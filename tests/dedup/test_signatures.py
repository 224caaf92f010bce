import random

import numpy as np
import pytest
import xxhash
from datasketch import MinHash

from dolmakit.core.errors import ConfigError
from dolmakit.dedup import fast_shingles, signatures
from dolmakit.dedup.fast_shingles import fast_shingle_hashes
from dolmakit.dedup.signatures import (
    MinHashConfig,
    MinHasher,
    band_keys,
    estimated_jaccard,
    shingle_tokens,
    shingles,
)

TEXTS = [
    "The Congress shall have Power To lay and collect Taxes, Duties, Imposts and Excises, to pay "
    "the Debts and provide for the common Defence and general Welfare of the United States; but "
    "all Duties, Imposts and Excises shall be uniform throughout the United States.",
    "Café crème, naïve façade — Übermäßig große Straßen! 東京は日本の首都です。 Ünïcödé wörds "
    "and snake_case_names, v2.0.1 released on 2024-05-01 (see https://example.org/a?b=c).",
    "buy now buy now buy now buy now buy now buy now buy now buy now",  # repeated shingles
    "一二三四五六七八九十 中文没有空格所以每个汉字都是一个词",
    "Line one.\n\nLine two\twith tabs\r\nand CRLF... and — dashes -- and 'quotes' \"here\".",
    "broken \ud800 surrogates \udfff from JSON escapes 😀 emoji \U00020000 ext-b ok",
]
DATASKETCH_HASHFUNCS = {"sha1": None, "xxh32": xxhash.xxh32_intdigest}


def datasketch_signature(text: str, hash_name: str, num_perm: int, seed: int, ngram: int):
    hashfunc = DATASKETCH_HASHFUNCS[hash_name]
    extra = {"hashfunc": hashfunc} if hashfunc else {}
    minhash = MinHash(num_perm=num_perm, seed=seed, **extra)  # the default scheme: affine32
    minhash.update_batch(shingles(text, ngram))
    return minhash.hashvalues


@pytest.mark.parametrize("hash_name", ["sha1", "xxh32"])
@pytest.mark.parametrize(("num_perm", "seed", "ngram"), [(128, 1, 5), (64, 42, 3), (256, 7, 1)])
def test_bit_identical_to_datasketch(hash_name, num_perm, seed, ngram):
    config = MinHashConfig(num_perm=num_perm, seed=seed, ngram=ngram, hash=hash_name)
    hasher = MinHasher(config)
    for text, batched in zip(TEXTS, hasher.signatures(TEXTS), strict=True):
        expected = datasketch_signature(text, hash_name, num_perm, seed, ngram)
        assert expected.dtype == np.uint32
        np.testing.assert_array_equal(hasher.signature(text), expected)
        np.testing.assert_array_equal(batched, expected)


def test_tokens_lowercase_word_runs_and_single_cjk_characters():
    assert shingle_tokens("Hello, World!  東京abc_x1 naïve-ÉTÉ ½") == [
        "hello", "world", "東", "京", "abc_x1", "naïve", "été", "½",
    ]  # fmt: skip
    assert shingles("A b, c! D", ngram=3) == [b"a b c", b"b c d"]


@pytest.mark.parametrize("hash_name", signatures.HASHES)
def test_empty_and_too_short_documents_have_no_signature(hash_name):
    hasher = MinHasher(MinHashConfig(hash=hash_name))
    too_short = ["", "   \n\t", "!!! ??? ...", "one two three four", "一二三四", "a-b-c-d"]
    assert all(hasher.signature(text) is None for text in too_short)
    assert hasher.signature("one two three four five") is not None  # exactly one shingle
    single = MinHasher(MinHashConfig(hash=hash_name, ngram=1))
    assert single.signature("word") is not None and single.signature("...") is None


@pytest.mark.parametrize("hash_name", signatures.HASHES)
def test_batches_equal_single_documents(hash_name):
    hasher = MinHasher(MinHashConfig(hash=hash_name, num_perm=32))
    texts = ["", TEXTS[0], "too short", TEXTS[3], "x " * 3000, "", TEXTS[1]]
    assert hasher.signatures([]) == []
    for single, batched in zip(map(hasher.signature, texts), hasher.signatures(texts), strict=True):
        assert (single is None and batched is None) or np.array_equal(single, batched)


def test_fast_signatures_are_fixed_across_processes_and_versions():
    # pinned: "fast" has no datasketch to check against, so a change of its constants shows here
    signature = MinHasher().signature("the quick brown fox jumps over the lazy dog")
    assert signature.dtype == np.uint32 and signature.shape == (128,)
    assert signature[:4].tolist() == [383270969, 440306530, 128728523, 102170064]
    np.testing.assert_array_equal(MinHasher().signature(TEXTS[0]), MinHasher().signature(TEXTS[0]))


def test_fast_tokenizer_is_shingle_tokens():
    """The vectorized tokenizer finds exactly the tokens of the regex, on random unicode."""
    rng = random.Random(0)
    pool = [*"abcXYZ019_ .,;-\n\t'", "é", "ß", "İ", "Σ", "½", "٣", "\u0301", "東", "ア", "・", "😀",
            "\U00020000", "\ud800", "\u3000", "\u200b"]  # fmt: skip
    for _ in range(500):
        text = "".join(rng.choices(pool, k=rng.randint(0, 30)))
        code_points, classes, starts = fast_shingles.tokenize_code_points(text.lower())
        hashes = fast_shingles.token_hashes(code_points, classes, starts)
        assert list(hashes) == [_reference_token_hash(t) for t in shingle_tokens(text)]
        _, counts = fast_shingle_hashes([text, text], ngram=2)
        assert counts.tolist() == [len(shingles(text, 2))] * 2
        # "sha1" and "xxh32" hash exactly the bytes of shingles()
        assert list(signatures._byte_shingle_hashes(text, 2, list)) == shingles(text, 2)


def _reference_token_hash(token: str) -> int:
    mask, value, power = (1 << 64) - 1, 0, 1
    for char in token:
        value = (value + ord(char) * power) & mask
        power = power * int(fast_shingles.BASE) & mask
    for shift, multiplier in ((33, 0xFF51AFD7ED558CCD), (33, 0xC4CEB9FE1A85EC53)):
        value = (value ^ value >> shift) * multiplier & mask
    return value ^ value >> 33


def _edited(words: list[str], edits: int, rng: random.Random) -> list[str]:
    words = list(words)
    for _ in range(edits):
        words[rng.randrange(len(words))] = f"edit{rng.randrange(10**6)}"
    return words


def _jaccard(a: str, b: str) -> float:
    sa, sb = set(shingles(a)), set(shingles(b))
    return len(sa & sb) / len(sa | sb)


@pytest.mark.parametrize("hash_name", ["fast", "xxh32"])
def test_estimated_jaccard_is_close_to_the_true_one(hash_name):
    rng = random.Random(1)
    hasher = MinHasher(MinHashConfig(hash=hash_name))
    vocabulary = sorted({word for text in TEXTS for word in shingle_tokens(text)})
    errors = []
    for _ in range(200):  # a new base each time: pairs sharing one base share their errors
        base = rng.choices(vocabulary, k=150)
        a, b = " ".join(base), " ".join(_edited(base, rng.randint(0, 12), rng))
        errors.append(estimated_jaccard(hasher.signature(a), hasher.signature(b)) - _jaccard(a, b))
    # one estimate has a standard deviation of at most 0.5 / sqrt(128) = 0.044
    assert np.mean(np.abs(errors)) < 0.045
    assert abs(np.mean(errors)) < 0.015  # 5 standard errors of the mean: no bias


def test_cjk_documents():
    hasher = MinHasher()
    text = "中文没有空格所以每个汉字都是一个词这是一个很长的句子用来测试去重"
    similar = text.replace("测试", "检查")
    assert hasher.signature("东京都") is None  # three tokens
    assert estimated_jaccard(hasher.signature(text), hasher.signature(similar)) > 0.5


def test_band_keys_are_deterministic_compact_and_distinct_per_band():
    signature = np.full(128, 7, dtype=np.uint32)  # every band holds the same values
    keys = band_keys(signature, bands=9, rows=13)
    assert len(keys) == 9 and all(len(key) == 10 for key in keys)
    assert len(set(keys)) == 9  # the band index keeps equal rows of different bands apart
    assert keys == band_keys(signature.astype(">u4"), 9, 13)  # any byte order, same keys
    assert keys[0].hex() == "0000" + xxhash.xxh3_64_hexdigest(np.full(13, 7, "<u4").tobytes())
    other = signature.copy()
    other[13] = 8  # differs in band 1 only
    assert [a == b for a, b in zip(keys, band_keys(other, 9, 13), strict=True)] == [
        True, False, True, True, True, True, True, True, True,
    ]  # fmt: skip
    with pytest.raises(ValueError):
        band_keys(signature, bands=10, rows=13)


def test_estimated_jaccard():
    a = np.arange(128, dtype=np.uint32)
    b = a.copy()
    b[:32] = 0
    assert estimated_jaccard(a, a) == 1.0
    assert estimated_jaccard(a, b) == pytest.approx(97 / 128)  # a[0] is already 0
    with pytest.raises(ValueError):
        estimated_jaccard(a, a[:64])


def test_config_validation_and_lsh_params():
    assert MinHashConfig().lsh_params() == (9, 13)  # datasketch's choice for 0.8 and 128
    assert MinHashConfig(bands=20, rows=5).lsh_params() == (20, 5)
    bad = [
        ({"hash": "md5"}, "hash"),
        ({"num_perm": 0}, "num_perm"),
        ({"ngram": 0}, "ngram"),
        ({"threshold": 1.5}, "threshold"),
        ({"bands": 4}, "bands"),
        ({"bands": 20, "rows": 7}, "bands"),
    ]
    for fields, key in bad:
        with pytest.raises(ConfigError) as error:
            MinHashConfig(**fields)
        assert error.value.key == key


def test_long_texts_are_hashed_in_pieces_with_the_same_result(monkeypatch):
    text = " ".join(TEXTS * 40)
    unbroken = "x" * 5000 + " " + text  # no place to cut in the first 5000 characters
    wholes = [MinHasher().signature(t) for t in (text, unbroken)]
    monkeypatch.setattr(fast_shingles, "_PIECE_CHARS", 1000)  # ~30 pieces, cut at non-word chars
    for whole, pieces in zip(wholes, MinHasher().signatures([text, unbroken]), strict=True):
        np.testing.assert_array_equal(pieces, whole)
