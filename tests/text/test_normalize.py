import pytest

from dolmakit.text.normalize import normalize, normalize_for_dedup, strip_accents


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("  Hello World  ", "hello world"),
        ("Café déjà vu", "cafe deja vu"),
        ("Born in 1984, died 2021.", "born in 0000, died 0000."),
        ("«Quoted» — “this”…", '"quoted"  -  "this"...'),  # CCNet keeps the doubled spaces
        ("她说：“你好！”", '她说:"你好!"'),
        ("tab\there\x7fdel\x85nel", "tabheredelnel"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_normalize_like_ccnet(line, expected):
    assert normalize(line) == expected


def test_punct_modes():
    assert normalize("a–b", punct=0) == "a–b"
    assert normalize("a–b", punct=1) == "a-b"
    assert normalize("a–b", punct=2) == "ab"
    assert normalize("Ünïcödé 42", accent=False, case=False, numbers=False) == "Ünïcödé 42"


def test_normalize_for_dedup_removes_punctuation_keeps_accents():
    assert normalize_for_dedup("  Café, 12 “rue” …  ") == "café, 00 rue "
    assert normalize_for_dedup("Cookie Policy 2024") == normalize_for_dedup("cookie policy 1999")


def test_strip_accents():
    assert strip_accents("naïve façade") == "naive facade"
    assert strip_accents("plain") == "plain"
