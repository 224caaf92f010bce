from collections import Counter

import pytest

from dolmakit.text.chars import words_of
from dolmakit.text.units import (
    PUNCTUATION,
    TERMINAL_PUNCTUATION,
    TextUnits,
    duplicate_ngram_chars,
    duplicates,
    ordered_words,
    top_ngram_chars,
    units_of,
    word_stats,
)

TEXTS = [
    "",
    " \n\t ",
    "plain words, and punctuation ... - | #tag",
    "Grüße 東京 trip，ok 我们喝茶 ٣ ²½ Ⅻ",
    "مرحبا بالعالم، هذا نص. שלום עולם!",
    "\U00031350\U0001d7d8x \U00011a42 \ud800 lone",
    "!!! ??? ... --- •",
    "tab\tseparated\x0bvertical\x1cfile\u2028line\u3000ideographic",
]


def reference_word_stats(text: str) -> tuple[int, int, int, int, int]:
    """What text_units counts with numpy, counted word by word in Python."""
    words = words_of(text)
    symbols = [w for w in words if all(c in PUNCTUATION for c in w)]
    alpha = sum(any(c.isalpha() for c in w) for w in words)
    return len(words), sum(map(len, words)), alpha, len(symbols), sum(map(len, symbols))


@pytest.mark.parametrize("text", TEXTS)
def test_word_stats_match_a_python_count(text):
    stats = word_stats(text)
    counted = (stats.words, stats.word_chars, stats.alpha_words, stats.symbol_words,
               stats.symbol_chars)  # fmt: skip
    assert counted == reference_word_stats(text)


@pytest.mark.parametrize("text", TEXTS)
def test_ordered_words_are_words_of_in_text_order(text):
    assert Counter(ordered_words(text)) == Counter(words_of(text))
    assert ordered_words("Tokyo 東京 trip") == ["Tokyo", "東", "京", "trip"]


def test_punctuation_sets_are_datatroves():
    assert {".", "!", "?", "。", "؟", "।", "\U00011a42"} <= TERMINAL_PUNCTUATION
    assert '"' not in TERMINAL_PUNCTUATION and "," not in TERMINAL_PUNCTUATION
    assert len(TERMINAL_PUNCTUATION) == 159
    assert {"-", "…", "|", "»", "\x00", "\r", "►"} <= PUNCTUATION
    assert not {"\t", "\n", "a", "1", " ", "•"} & PUNCTUATION  # datatrove's list has no bullet


def test_duplicates_count_items_and_chars_after_the_first():
    assert duplicates(["a", "bb", "a", "bb", "bb", "c"]) == (3, 5)
    assert duplicates([]) == (0, 0)


def datatrove_top(words: list[str], n: int) -> int:
    grams = Counter(" ".join(words[i : i + n]) for i in range(len(words) - n + 1))
    if not grams:
        return 0
    gram, count = grams.most_common(1)[0]
    return len(gram) * count


def datatrove_all_duplicate(words: list[str], n: int) -> int:
    seen, chars, index = set(), 0, 0
    while index < len(words) - n + 1:
        gram = "".join(words[index : index + n])
        if gram in seen:
            chars += len(gram)
            index += n
        else:
            seen.add(gram)
            index += 1
    return chars


NGRAM_TEXTS = [
    "a b c a b c a b c d e f a b c d e f g",
    "one two three four five six one two three four five six seven one two three",
    "x y x y x y x y x y x y x y x y x y x y",
    "aa b aa bb aa b aa b aa bb",  # a tie for the top 2-gram: the first seen wins
    "only four words here",
    "",
]


@pytest.mark.parametrize("text", NGRAM_TEXTS)
def test_ngram_fractions_follow_datatroves_algorithms(text):
    units, words = TextUnits(text), text.split()
    for n in (1, 2, 3, 4):
        assert top_ngram_chars(units, n) == datatrove_top(words, n), n
    for n in range(1, 11):
        assert duplicate_ngram_chars(units, n) == datatrove_all_duplicate(words, n), n


def test_units_are_shared_for_the_same_text_object():
    text = "some text here"
    assert units_of(text) is units_of(text)
    other = "".join(["some text", " here"])  # equal, but another object: computed again
    assert units_of(other) is not units_of(text)
