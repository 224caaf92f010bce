"""FineWeb's quality signals (Penedo et al. 2024), as datatrove 0.10's FineWebQualityFilter
computes them; the thresholds are the `fineweb_quality` preset of dolmakit/presets/filter.yaml,
which says how the datatrove that built FineWeb in 2024 differed (blank lines, end marks)."""

from __future__ import annotations

from dataclasses import dataclass

from dolmakit.core.document import Document, Span, whole_document
from dolmakit.core.steps import Tagger, register_step
from dolmakit.text.units import (
    TERMINAL_PUNCTUATION,
    duplicates,
    fraction,
    prepare,
    units_of,
)


@dataclass
class FineWebQualityConfig:
    # a line of at most this many characters is short (FineWeb's 30)
    short_line_chars: int = 30


@register_step
class FineWebQuality(Tagger):
    """FineWeb quality signals: line punctuation, short lines, duplicated lines, newlines/word.

    Over non-blank lines: how many, the fraction ending in terminal punctuation, the fraction of
    short lines, characters of repeated lines per character (newlines not counted), and newlines
    per word.
    """

    type_name = "fineweb_quality_v1"
    Config = FineWebQualityConfig

    def setup(self) -> None:
        prepare()

    def predict(self, doc: Document) -> dict[str, list[Span]]:
        text, units = doc.text, units_of(doc.text)
        lines = units.nonblank_lines
        newlines = text.count("\n")
        limit = self.config.short_line_chars
        scores = {
            "lines": len(lines),
            "line_punct_fraction": fraction(
                sum(line[-1] in TERMINAL_PUNCTUATION for line in lines), len(lines)
            ),
            "short_line_fraction": fraction(sum(len(line) <= limit for line in lines), len(lines)),
            "duplicate_line_char_fraction": fraction(duplicates(lines)[1], len(text) - newlines),
            "newline_word_ratio": fraction(newlines, len(units.words)),
        }
        return {key: whole_document(doc, value) for key, value in scores.items()}
