"""The last pass over rendered wikitext: what is left of markup once the nodes are rendered.

Removed templates and references leave gaps (`born ( 1900)`, `word .`); magic words such as
`__TOC__` are plain text to the parser; quotes of unbalanced bold or italic markup stay; a
heading whose section held only templates or references would stand alone. These are regular
expressions over the text, as WikiExtractor's final cleaning is.
"""

from __future__ import annotations

import re

# the renderer puts a heading on its own line as MARK<level>MARK<title>; NUL cannot occur in
# XML text, so no page can contain it
HEADING_MARK = "\x00"
_HEADING = re.compile(r"^\x00(\d)\x00(.*)$")

_MAGIC_WORD = re.compile(r"__(?:[A-Z]+|[^\W\d_a-zA-Z]+)__")  # __TOC__, __NOTOC__, __ОГЛАВЛЕНИЕ__
_STRAY_QUOTES = re.compile(r"'{2,}")  # bold/italic markup the parser could not pair
_SPACES = re.compile(r"[ \t]{2,}")
_SPACE_BEFORE = re.compile(r" +([,.)])")  # `word {{cn}}.` -> `word .`; not ;:!? (French spacing)
_EMPTY_PARENTHESES = re.compile(r" \(\s*[,;]?\s*\)")  # `born ({{date}})` -> `born ()`
_OPEN_PARENTHESIS = re.compile(r"\(\s*[,;]\s*|\( +")  # `( ; 1900)`, `( 1900)` -> `(1900)`
_BLANK_LINES = re.compile(r"\n{3,}")


def tidy(text: str) -> str:
    text = _MAGIC_WORD.sub("", text)
    text = _STRAY_QUOTES.sub("", text)
    lines = [tidy_line(line) for line in text.split("\n")]
    text = "\n".join(drop_empty_sections(lines))
    return _BLANK_LINES.sub("\n\n", text).strip()


def tidy_line(line: str) -> str:
    """A line without the gaps removed markup leaves; indentation (list items, preformatted
    text) goes too."""
    line = _SPACES.sub(" ", line.strip())
    line = _EMPTY_PARENTHESES.sub("", line)
    line = _OPEN_PARENTHESIS.sub("(", line)
    return _SPACE_BEFORE.sub(r"\1", line)


def drop_empty_sections(lines: list[str]) -> list[str]:
    """Heading lines as plain text, without the headings of sections that have no text left
    (nor subsections with text): `References` over a removed `<references/>`, for one."""
    kept: list[str] = []
    # what follows the current line, reading upwards: None (the end), 0 (text), or the level of
    # the next kept heading
    below: int | None = None
    for line in reversed(lines):
        heading = _HEADING.match(line)
        if heading is None:
            kept.append(line)
            if line:
                below = 0
            continue
        level, title = int(heading[1]), heading[2].strip()
        if title and (below == 0 or (below is not None and below > level)):
            while kept and not kept[-1]:  # its text starts on the next line
                kept.pop()
            kept.append(title)
            below = level
    kept.reverse()
    return kept
