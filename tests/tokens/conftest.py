"""Fixtures of the token tests: a tiny tokenizer trained once on text that needs no download."""

from __future__ import annotations

import inspect
import json
import pathlib
import textwrap
from pathlib import Path

import pytest

from dolmakit.tokens.tokenizer import Tokenizer, train_tokenizer

# text that tokenizers get wrong: CJK, emoji (ZWJ sequences, flags, skin tones), long digit runs,
# PII mask tokens, unusual whitespace, SentencePiece's own space symbol, NUL and controls
TRICKY = [
    "東京都の人口は約1400万人です。北京是中国的首都。서울은 한국의 수도입니다.",
    "Family: 👨\u200d👩\u200d👧\u200d👦, flag 🇯🇵, wave 👋🏽, heart ❤️\u200d🔥 done",
    "pi = 3.14159265358979323846264338327950288419716939937510582097494459230781640628",
    "order 00000000000000000000123 and 9999999999999999999999999999",
    "Write to |||EMAIL_ADDRESS||| or call |||PHONE_NUMBER|||, IBAN |||IBAN|||.",
    "|||IP_ADDRESS||||||CREDIT_CARD_NUMBER|||",
    "non\u00a0breaking\u2003em\u2002en\u3000ideographic\u200bzero-width",
    "\t\tindented with tabs\r\nwindows line\r\nend\r\n",
    "trailing spaces   ",
    "\n\n\nleading newlines",
    " one leading space",
    "   three leading spaces\n  and two",
    "sparkline ▁▂▃▅▇ and ▁▁ twice, ▁ alone",
    "▁starts with the space symbol",
    "nul\x00byte and bell\x07 and escape\x1b[0m",
    "line\u2028separator\u2029paragraph\x85next line\x0cform feed\x0bvertical tab",
    "combining e\u0301 vs é, Hangul jamo \u1100\u1161, BOM \ufeff inside",
    "Ω ℃ ﬁ ① ｶﾀｶﾅ (NFKC would change these)",
    "",
    " ",
    "\n",
    "x",
    "\U0010fffd private plane, \U0001f9ff nazar, 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
]


def prose() -> list[str]:
    """A few hundred KB of English: the docstrings of some standard-library modules."""
    import argparse
    import collections
    import logging
    import shutil
    import subprocess
    import unittest

    texts = []
    for module in (argparse, json, collections, pathlib, shutil, subprocess, logging, textwrap,
                   unittest, inspect):  # fmt: skip
        for _, obj in sorted(vars(module).items()):
            doc = inspect.getdoc(obj) if callable(obj) or inspect.isclass(obj) else None
            if doc and len(doc) > 40:
                texts.append(doc)
    return texts


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("tokenizer")
    return train_tokenizer(prose() + TRICKY, out, vocab_size=1000, seed=1)


@pytest.fixture(scope="session")
def tokenizer(tiny_model: Path) -> Tokenizer:
    return Tokenizer.load(tiny_model)
