"""Length and character statistics: cheap document-level scores any pipeline can filter on."""

from __future__ import annotations

from dataclasses import dataclass

from dolmakit.document import Document, Span, whole_document
from dolmakit.steps import Tagger, register_step


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
        words = text.split()
        lines = [line for line in text.split("\n") if line.strip()]
        visible = len(text) - sum(ch.isspace() for ch in text)
        short = sum(len(line.strip()) <= self.config.short_line_chars for line in lines)
        stats = {
            "chars": len(text),
            "words": len(words),
            "lines": len(lines),
            "mean_word_length": sum(map(len, words)) / len(words) if words else 0.0,
            "alpha_fraction": _fraction(sum(ch.isalpha() for ch in text), visible),
            "digit_fraction": _fraction(sum(ch.isdigit() for ch in text), visible),
            "short_line_fraction": _fraction(short, len(lines)),
        }
        return {key: whole_document(doc, value) for key, value in stats.items()}


def _fraction(part: int, whole: int) -> float:
    return part / whole if whole else 0.0
