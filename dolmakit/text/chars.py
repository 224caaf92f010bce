"""Character classes and words, shared by the taggers, the dedup tokenizer and the text units.

Chinese and Japanese are written without spaces: each Han or Kana character counts as one word,
as BERT's tokenizer splits them, so those pages are not all "too short" by whitespace counting.
"""

from __future__ import annotations

import re
from functools import cache

import numpy as np

UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


_SPACE, _LETTER, _DIGIT = 1, 2, 3


def words_of(text: str) -> list[str]:
    """Whitespace-separated words, with every Han or Kana character a word of its own."""
    if UNSPACED.search(text) is None:
        return text.split()
    return UNSPACED.findall(text) + UNSPACED.sub(" ", text).split()


# planes 0-2 hold every script in use; rarer code points are classified one by one
_TABLE_SIZE = 0x30000


@cache
def char_classes() -> np.ndarray:
    """Space, letter or digit (str.isspace/isalpha/isdigit) for each code point below
    _TABLE_SIZE, built once per process: a lookup is ten times faster than a Python loop."""
    table = np.zeros(_TABLE_SIZE + 1, dtype=np.uint8)  # the last slot: "look it up yourself"
    characters = [chr(cp) for cp in range(_TABLE_SIZE)]
    for value, test in ((_SPACE, str.isspace), (_LETTER, str.isalpha), (_DIGIT, str.isdigit)):
        table[[cp for cp, ch in enumerate(characters) if test(ch)]] = value
    return table


def char_class_counts(text: str) -> tuple[int, int, int]:
    """(spaces, letters, digits) in text, as str.isspace, isalpha and isdigit count them."""
    code_points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    counts = np.bincount(char_classes()[np.minimum(code_points, _TABLE_SIZE)], minlength=4)
    spaces, letters, digits = int(counts[_SPACE]), int(counts[_LETTER]), int(counts[_DIGIT])
    for cp in code_points[code_points >= _TABLE_SIZE].tolist():
        letters += chr(cp).isalpha()
        digits += chr(cp).isdigit()
    return spaces, letters, digits
