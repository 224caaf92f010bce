"""Length and character statistics: cheap document-level scores any pipeline can filter on."""

from __future__ import annotations

import re
from dataclasses import dataclass

from dolmakit.document import Document, Span, whole_document
from dolmakit.steps import Tagger, register_step

# Chinese and Japanese are written without spaces: each Han or Kana character counts as one word,
# as BERT's tokenizer splits them, so those pages are not all "too short" by whitespace counting.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def words_of(text: str) -> list[str]:
    """Whitespace-separated words, with every Han or Kana character a word of its own."""
    return _UNSPACED.findall(text) + _UNSPACED.sub(" ", text).split()


@dataclass
class TextStatsConfig:
    # a line of at most this many characters counts as short (FineWeb's 30)
    short_line_chars: int = 30


@register_step
class TextStats(Tagger):
    """chars, words, lines, mean word length; fractions of letters, digits and short lines."""

    type_name = "text_stats_v1"
    Config = TextStatsConfig

    def predict(self, doc: Document) -> dict[str, list[Span]]:
        text = doc.text
        words = words_of(text)
        lines = [line for line in text.split("\n") if line.strip()]
        visible = len(text) - sum(map(str.isspace, text))
        short = sum(len(line.strip()) <= self.config.short_line_chars for line in lines)
        stats = {
            "chars": len(text),
            "words": len(words),
            "lines": len(lines),
            "mean_word_length": sum(map(len, words)) / len(words) if words else 0.0,
            "alpha_fraction": _fraction(sum(map(str.isalpha, text)), visible),
            "digit_fraction": _fraction(sum(map(str.isdigit, text)), visible),
            "short_line_fraction": _fraction(short, len(lines)),
        }
        return {key: whole_document(doc, value) for key, value in stats.items()}


def _fraction(part: int, whole: int) -> float:
    return part / whole if whole else 0.0
