"""Gopher's quality and repetition signals (Rae et al. 2021, appendix A.1.1 and table A1).

Taggers only: thresholds live in the `gopher_quality` and `gopher_repetition` presets of
presets/filter.yaml. Every number is computed the way datatrove's GopherQualityFilter and
GopherRepetitionFilter compute it, over the words `words` names (dolmakit.text.units):
- `datatrove` (the default): spaCy's English tokens, as datatrove counts them, so the filter
  presets, which carry datatrove's thresholds, decide as datatrove does;
- `whitespace`: whitespace-separated words (each Han or Kana character a word), the Gopher
  paper's plain reading (presets `gopher` of gopher_quality_v1 and gopher_repetition_v1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from dolmakit.core.document import Document, Span, whole_document
from dolmakit.core.steps import Tagger, register_step
from dolmakit.text.units import (
    WordSequence,
    duplicate_ngram_chars,
    duplicates,
    fraction,
    prepare,
    top_ngram_chars,
    units_of,
)

STOP_WORDS = ["the", "be", "to", "of", "and", "that", "have", "with"]
_BULLETS = ("•", "-")
_ELLIPSES = ("...", "…")
# what a word is: spaCy's English tokens as datatrove counts them, or whitespace-separated words
Words = Literal["datatrove", "whitespace"]


@dataclass
class GopherQualityConfig:
    # a document needs some of these (distinct, case-sensitive, as whole words)
    stop_words: list[str] = field(default_factory=lambda: list(STOP_WORDS))
    words: Words = "datatrove"


@register_step
class GopherQuality(Tagger):
    """Gopher quality signals: words, word length, symbols, bullets, letters, stop words.

    Words (symbol-only words left out), mean word length, # and ellipses per word, bullet and
    ellipsis line fractions, the fraction of words with a letter, distinct stop words.
    """

    type_name = "gopher_quality_v1"
    Config = GopherQualityConfig

    def __init__(self, name: str, config: GopherQualityConfig):
        super().__init__(name, config)
        # whole words as spaCy would split them off ("the," and "(the" count; "they" does not)
        alternatives = "|".join(map(re.escape, config.stop_words)) or r"(?!x)x"
        self._stop_words = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")

    def setup(self) -> None:
        prepare()

    def predict(self, doc: Document) -> dict[str, list[Span]]:
        units = units_of(doc.text)
        words = units.split(self.config.words)
        scores = {**_word_scores(words), **_line_scores(units.lines)}
        scores["stop_words"] = self._count_stop_words(words)
        return {key: whole_document(doc, value) for key, value in scores.items()}

    def _count_stop_words(self, words: WordSequence) -> int:
        """Distinct stop words among the words (datatrove) or present as whole words."""
        if words.splitting == "datatrove":
            return len(set(self.config.stop_words).intersection(words.words))
        return self._count_whole_stop_words(words.text)

    def _count_whole_stop_words(self, text: str) -> int:
        """Distinct stop words present; stops reading once it has seen all of them."""
        found: set[str] = set()
        for match in self._stop_words.finditer(text):
            found.add(match.group())
            if len(found) == len(self.config.stop_words):
                break
        return len(found)


def _word_scores(words: WordSequence) -> dict[str, float]:
    stats, text = words.stats, words.text
    words = stats.words - stats.symbol_words  # datatrove counts words with a non-symbol char
    return {
        "words": words,
        "mean_word_length": fraction(stats.word_chars - stats.symbol_chars, words),
        "hash_word_ratio": fraction(text.count("#"), stats.words),
        "ellipsis_word_ratio": fraction(text.count("...") + text.count("…"), stats.words),
        "alpha_words_fraction": fraction(stats.alpha_words, stats.words),
    }


def _line_scores(lines: list[str]) -> dict[str, float]:
    """Over str.splitlines(), blank lines included, as datatrove counts them."""
    bullets = sum(line.lstrip().startswith(_BULLETS) for line in lines)
    ellipses = sum(line.rstrip().endswith(_ELLIPSES) for line in lines)
    return {
        "bullet_lines_fraction": fraction(bullets, len(lines)),
        "ellipsis_lines_fraction": fraction(ellipses, len(lines)),
    }


@dataclass
class GopherRepetitionConfig:
    # n for the "most frequent n-gram" character fractions (table A1: 2, 3 and 4)
    top_ngrams: list[int] = field(default_factory=lambda: [2, 3, 4])
    # n for the "duplicated n-grams" character fractions (table A1: 5 to 10)
    duplicate_ngrams: list[int] = field(default_factory=lambda: [5, 6, 7, 8, 9, 10])
    words: Words = "datatrove"


_PARAGRAPH_BREAK = re.compile(r"\n{2,}")
_LINE_BREAK = re.compile(r"\n+")


@register_step
class GopherRepetition(Tagger):
    """Gopher repetition signals: duplicated lines and paragraphs, repeated n-grams.

    Fractions of duplicated paragraphs and lines (by count and by characters), of characters in
    the most frequent 2- to 4-gram, and of characters in repeated 5- to 10-grams.
    """

    type_name = "gopher_repetition_v1"
    Config = GopherRepetitionConfig

    def setup(self) -> None:
        prepare()

    def predict(self, doc: Document) -> dict[str, list[Span]]:
        units = units_of(doc.text)
        scores = {
            **_duplicate_scores("paragraph", _PARAGRAPH_BREAK.split(doc.text.strip()), doc.text),
            **_duplicate_scores("line", _LINE_BREAK.split(doc.text), doc.text),
            **self._ngram_scores(units.split(self.config.words)),
        }
        return {key: whole_document(doc, value) for key, value in scores.items()}

    def _ngram_scores(self, units: WordSequence) -> dict[str, float]:
        chars = len(units.text)
        scores = {
            f"top_{n}_gram_char_fraction": fraction(top_ngram_chars(units, n), chars)
            for n in self.config.top_ngrams
        }
        repeated = True  # no repeated n-gram means no repeated longer one either
        for n in sorted(self.config.duplicate_ngrams):
            repeated_chars = duplicate_ngram_chars(units, n) if repeated else 0
            repeated = repeated_chars > 0
            scores[f"duplicate_{n}_gram_char_fraction"] = fraction(repeated_chars, chars)
        return scores


def _duplicate_scores(unit: str, items: list[str], text: str) -> dict[str, float]:
    count, chars = duplicates(items)
    return {
        f"duplicate_{unit}_fraction": fraction(count, len(items)),
        f"duplicate_{unit}_char_fraction": fraction(chars, len(text)),
    }
