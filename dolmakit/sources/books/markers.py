"""Finding the book inside a Project Gutenberg file: the lines between its header and footer.

Every Gutenberg file wraps the book in a header (title, author, release date, the licence or,
in old files, "the small print") and a footer (the full licence). The book starts after the
last start marker near the top and ends before the first end marker after that:

  start  *** START OF THE PROJECT GUTENBERG EBOOK PRIDE AND PREJUDICE ***   (since ~2006)
         *** START OF THIS PROJECT GUTENBERG EBOOK ... ***                  (2000s)
         *END*THE SMALL PRINT! FOR PUBLIC DOMAIN ETEXTS*Ver.04.29.93*END*   (1990s)
         *** START OF THE COPYRIGHTED PROJECT GUTENBERG EBOOK ... ***
  end    *** END OF THE PROJECT GUTENBERG EBOOK ... *** / *** END OF THIS ...
         End of the Project Gutenberg EBook of ... / End of Project Gutenberg's ...
         End of this Project Gutenberg Etext ... / END OF PROJECT GUTENBERG ...

These are the official markers among those of the `gutenberg` package's strip_headers (itself
a port of Johannes Krugel's strip_headers.cpp); its looser ones ("Produced by", "The Project
Gutenberg") end a header anywhere in the first 600 lines and can cut into a book's own text.
Instead, the one credits paragraph that follows the start marker ("Produced by ...",
"E-text prepared by ...", "Transcribed from ...") is dropped when asked. The matching is
case-insensitive and allows leading spaces. Only lines holding a keyword of the markers
("start of", "small print", "gutenberg"), found with str.find in lowercase or UPPERCASE after
their first letter, are matched: a regex (or a lowercase copy) over a whole book was most of the
reader's time, and a marker in odd casing ("GUTENberg") is not worth it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_START = re.compile(
    r"[ \t]*(?:\*{3}\s*START OF (?:THE|THIS) (?:COPYRIGHTED )?PROJECT GUTENBERG"
    r"|\*{3}\s*START OF THE COPYRIGHTED"
    r"|\*END\*?\s*THE SMALL PRINT)",
    re.IGNORECASE,
)
# the keywords without their first letter: one lower and one UPPER search covers Title Case too
_START_KEYWORDS = ("tart of", "mall print")
_END = re.compile(
    r"[ \t]*(?:\*{3}\s*END OF (?:THE|THIS) (?:COPYRIGHTED )?PROJECT GUTENBERG"
    r"|END OF (?:THE |THIS )?PROJECT GUTENBERG"
    r"|ENDE DIESES PROJE[CK]T GUTENBERG"
    r"|FIN DE (?:THE )?PROJECT GUTENBERG)",
    re.IGNORECASE,
)
_END_KEYWORDS = ("utenberg",)
_CREDITS = re.compile(
    r"[ \t]*(?:Produced by|E-?text prepared by|This e-?(?:text|book) was (?:prepared|produced) by"
    r"|Transcribed (?:from|by))",
    re.IGNORECASE,
)
_BLANK_LINES = re.compile(r"(?:[ \t]*\n)*")
_PARAGRAPH_END = re.compile(r"\n[ \t]*\n")
# a start marker further down is not a header's: old "small print" headers run to ~350 lines
MAX_HEADER_CHARS = 100_000
HEADERLESS_FIELD_CHARS = 4_000  # without a start marker, header fields are looked for here


@dataclass(frozen=True)
class BookBounds:
    """Character offsets in the text (lines end in "\\n"): the book is text[start:end], the
    header (its fields) text[:header_end]."""

    start: int
    end: int
    header_end: int
    has_start: bool
    has_end: bool


def find_book(text: str, strip_credits: bool = True) -> BookBounds:
    """Where the book lies in the text (all of it when there are no markers)."""
    marker = _last_start_marker(text)
    start = 0 if marker is None else _line_end(text, marker)
    if marker is not None and strip_credits:
        start = _after_credits(text, start)
    end = _first_end_marker(text, start)
    return BookBounds(
        start=start,
        end=len(text) if end is None else end,
        header_end=marker if marker is not None else min(end or len(text), HEADERLESS_FIELD_CHARS),
        has_start=marker is not None,
        has_end=end is not None,
    )


def book_text(text: str, bounds: BookBounds) -> str:
    """The book without the blank lines around it (the first line keeps its indent)."""
    start = _BLANK_LINES.match(text, bounds.start, bounds.end).end()
    return text[start : bounds.end].rstrip()


def _last_start_marker(text: str) -> int | None:
    """The offset of the line of the last start marker in the first MAX_HEADER_CHARS."""
    lines = _keyword_lines(text, _START_KEYWORDS, 0, min(len(text), MAX_HEADER_CHARS))
    return max((line for line in lines if _START.match(text, line)), default=None)


def _first_end_marker(text: str, start: int) -> int | None:
    """The offset of the line of the first end marker after start (the footer's licence names
    Gutenberg again and again: the search stops at the first marker)."""
    for line in _keyword_lines(text, _END_KEYWORDS, start, len(text)):
        if _END.match(text, line):
            return line
    return None


def _keyword_lines(text: str, keywords: tuple[str, ...], start: int, stop: int) -> Iterator[int]:
    """The offsets of the lines in text[start:stop] holding one of the keywords, in lower or
    UPPER case, in order."""
    variants = {variant for keyword in keywords for variant in (keyword, keyword.upper())}
    position = start
    while True:
        found = [at for v in variants if (at := text.find(v, position, stop)) >= 0]
        if not found:
            return
        line = text.rfind("\n", 0, min(found)) + 1
        if line >= start:
            yield line
        position = _line_end(text, min(found))


def _line_end(text: str, offset: int) -> int:
    """The offset just past the line holding offset (past its "\\n")."""
    end = text.find("\n", offset)
    return len(text) if end < 0 else end + 1


def _after_credits(text: str, start: int) -> int:
    """Past the credits paragraph if it is the first paragraph after the start marker."""
    first = _BLANK_LINES.match(text, start).end()
    if not _CREDITS.match(text, first):
        return start
    blank = _PARAGRAPH_END.search(text, first)
    return len(text) if blank is None else blank.start() + 1
