"""Length and character statistics: cheap document-level scores any pipeline can filter on."""

from __future__ import annotations

from dataclasses import dataclass

from dolmakit.core.document import Document, Span, whole_document
from dolmakit.core.steps import Tagger, register_step
from dolmakit.text.chars import char_class_counts, char_classes, words_of


@dataclass
class TextStatsConfig:
    # a line of at most this many characters counts as short (FineWeb's 30)
    short_line_chars: int = 30


@register_step
class TextStats(Tagger):
    """chars, words, lines, mean word length; fractions of letters, digits and short lines."""

    type_name = "text_stats_v1"
    Config = TextStatsConfig

    def setup(self) -> None:
        char_classes()

    def predict(self, doc: Document) -> dict[str, list[Span]]:
        text = doc.text
        words = words_of(text)
        lines = [line for line in text.split("\n") if line.strip()]
        spaces, letters, digits = char_class_counts(text)
        visible = len(text) - spaces
        short = sum(len(line.strip()) <= self.config.short_line_chars for line in lines)
        stats = {
            "chars": len(text),
            "words": len(words),
            "lines": len(lines),
            "mean_word_length": sum(map(len, words)) / len(words) if words else 0.0,
            "alpha_fraction": _fraction(letters, visible),
            "digit_fraction": _fraction(digits, visible),
            "short_line_fraction": _fraction(short, len(lines)),
        }
        return {key: whole_document(doc, value) for key, value in stats.items()}


def _fraction(part: int, whole: int) -> float:
    return part / whole if whole else 0.0
