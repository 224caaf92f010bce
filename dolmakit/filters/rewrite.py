"""Text edits that keep every attribute pointing at the same characters: the steps that rewrite
a text (PII masking, licence headers) run after taggers whose spans point into it."""

from __future__ import annotations

from bisect import bisect_right

from dolmakit.core.document import Document


def rewrite_text(doc: Document, edits: list[tuple[int, int, str]]) -> None:
    """Applies sorted, non-overlapping (start, end, replacement) edits to the text and moves
    every attribute span to the new offsets (a span edge inside an edit goes to its edge)."""
    pieces, starts, ends, new_starts, new_ends, position, shift = [], [], [], [], [], 0, 0
    for start, end, replacement in edits:
        pieces += [doc.text[position:start], replacement]
        starts.append(start)
        ends.append(end)
        new_starts.append(start + shift)
        shift += len(replacement) - (end - start)
        new_ends.append(end + shift)
        position = end
    pieces.append(doc.text[position:])
    doc.text = "".join(pieces)

    def move(offset: int, is_end: bool) -> int:
        i = bisect_right(ends, offset)  # edits that end at or before the offset
        inside = i < len(starts) and (starts[i] < offset or (not is_end and starts[i] == offset))
        if inside:
            return new_ends[i] if is_end else new_starts[i]
        return offset + (new_ends[i - 1] - ends[i - 1] if i else 0)

    for name, spans in doc.attributes.items():
        doc.attributes[name] = [
            [move(int(s[0]), False), move(int(s[1]), True), *s[2:]] for s in spans
        ]
