"""Removing LaTeX comments: `%` to the end of the line, and `comment` environments.

A `%` starts a comment unless it is escaped: `\\%` is a percent sign, while `\\\\%` is an
escaped backslash (a line break) followed by a comment. So a `%` is a comment when an even
number of backslashes (zero included) stands right before it. A line that holds only a comment
goes away with its line end, as RedPajama's cleaning does; after text, the comment goes and the
line end stays (RedPajama also keeps it), so words on either side stay apart.
"""

from __future__ import annotations

import re

# the `comment` package's environment (verbatim-like: its body is never typeset)
_COMMENT_ENV = re.compile(r"\\begin\{comment\}.*?\\end\{comment\}[ \t]*", re.DOTALL)


def strip_comments(text: str) -> str:
    """The text without comments (see the module docstring for what counts as one)."""
    if "%" in text:
        text = _strip_percent_comments(text)
    return _COMMENT_ENV.sub("", text) if "\\begin{comment}" in text else text


def _strip_percent_comments(text: str) -> str:
    # a loop over the `%` signs: a regex with a look-behind, tried at every character, was
    # ten times slower
    pieces, pos = [], 0
    while (percent := text.find("%", pos)) >= 0:
        if _escaped(text, percent):
            pieces.append(text[pos : percent + 1])
            pos = percent + 1
            continue
        line_end = text.find("\n", percent)
        line_end = len(text) if line_end < 0 else line_end
        line_start = text.rfind("\n", 0, percent) + 1
        if line_start >= pos and not text[line_start:percent].strip():  # a comment-only line
            pieces.append(text[pos:line_start])
            pos = line_end + 1
        else:
            pieces.append(text[pos:percent])
            pos = line_end
    pieces.append(text[pos:])
    return "".join(pieces)


def _escaped(text: str, pos: int) -> bool:
    """Whether an odd number of backslashes stands right before pos."""
    start = pos
    while start > 0 and text[start - 1] == "\\":
        start -= 1
    return (pos - start) % 2 == 1
