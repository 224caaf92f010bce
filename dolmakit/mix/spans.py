"""Dolma's mixer `span_replacement` for a mix source: the text of an attribute's spans scored in
[min_score, max_score) is replaced, `{}` in the replacement standing for the text it replaces.

Offsets are characters, as Dolma's (Rust chars, Python str indices). Where this differs from
Dolma's mixer, it is where Dolma's result depends on accidents of its loop:
- Overlapping spans (of one attribute or several) are replaced as one, their union, by the
  replacement of the one that starts first (the first listed among those starting together).
  Dolma drops a span that starts inside an earlier one, so the part of it past the earlier one's
  end stays in the text.
- Offsets are clipped to the text, and a span over no character replaces nothing. Dolma appends
  the replacement of a span that starts past the end, and an empty span there deletes the
  character it points at and ends all replacement in the document.
- A span that is not [start, end, score] numbers is an error record of the document (SpanError);
  Dolma's mixer stops on it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Real

from dolmakit.core.document import Document
from dolmakit.mix.config import SpanReplacementSpec


class SpanError(ValueError):
    """An attribute's spans are not a list of [start, end, score]."""


@dataclass(frozen=True)
class Replacement:
    start: int
    end: int
    text: str  # `{}` in it stands for the replaced text


def replace_spans(text: str, replacements: list[Replacement]) -> str:
    """`text` with each replacement's characters [start, end) replaced (see the module's notes
    on overlapping and out-of-range spans)."""
    pieces, kept_from = [], 0
    for start, end, template in _merged(replacements, len(text)):
        pieces += [text[kept_from:start], template.replace("{}", text[start:end])]
        kept_from = end
    return "".join(pieces) + text[kept_from:]


def _merged(replacements: list[Replacement], length: int) -> list[tuple[int, int, str]]:
    """Clipped to [0, length), empty ones left out, overlapping ones joined, by start."""
    clipped = [(max(r.start, 0), min(r.end, length), r.text) for r in replacements]
    merged: list[tuple[int, int, str]] = []
    for start, end, template in sorted((c for c in clipped if c[0] < c[1]), key=lambda c: c[0]):
        if merged and start < merged[-1][1]:
            first, last, kept = merged[-1]
            merged[-1] = (first, max(last, end), kept)
        else:
            merged.append((start, end, template))
    return merged


class SpanReplacer:
    """One `span_replacement` entry of a source, ready to find its spans in a document."""

    def __init__(self, spec: SpanReplacementSpec):
        self.attribute, self.text = spec.attribute, spec.replacement
        self.low = -math.inf if spec.min_score is None else spec.min_score
        self.high = math.inf if spec.max_score is None else spec.max_score

    def replacements(self, doc: Document) -> list[Replacement]:
        """The document's spans of the attribute in the score range; none when it lacks the
        attribute (Dolma: the JSONPath finds nothing)."""
        spans = doc.attributes.get(self.attribute)
        if spans is None:
            return []
        if not isinstance(spans, list):
            raise SpanError(f"{self.attribute} is not a list of spans: {spans!r}")
        checked = [_checked(span, self.attribute) for span in spans]
        return [Replacement(start, end, self.text) for start, end, score in checked
                if self.low <= score < self.high]  # fmt: skip


def _checked(span: object, attribute: str) -> tuple[int, int, float]:
    """[start, end, score] with whole-number offsets (floats such as 3.0 admitted: Span)."""
    if isinstance(span, list | tuple) and len(span) >= 3:
        start, end, score = span[:3]
        numbers = all(isinstance(x, Real) and not isinstance(x, bool) for x in (start, end, score))
        if numbers and float(start).is_integer() and float(end).is_integer():
            return int(start), int(end), float(score)
    raise SpanError(f"{attribute} has a span that is not [start, end, score]: {span!r}")


def edited_text(doc: Document, replacers: list[SpanReplacer]) -> str | None:
    """The document's text after every replacer's spans are replaced; None when its attributes
    give no span to replace. Raises SpanError on a malformed span."""
    found = [r for replacer in replacers for r in replacer.replacements(doc)]
    return replace_spans(doc.text, found) if found else None
