"""Reading TeX arguments: a balanced `{...}` group, an optional `[...]`, a single token.

TeX escapes a brace with a backslash (`\\{`), and a backslash pair (`\\\\`) is a line break
followed by whatever comes next, so every scan skips a backslash together with the character
after it before looking at braces.
"""

from __future__ import annotations

import re

_BRACE_OR_ESCAPE = re.compile(r"\\.|[{}]", re.DOTALL)
_BRACKET_OR_ESCAPE = re.compile(r"\\.|[{}\]]", re.DOTALL)
# spaces before an undelimited argument, one line end included (a blank line is a paragraph)
_SPACES = re.compile(r"[ \t]*(?:\r?\n[ \t]*)?")
_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|[^{}\s\\]", re.DOTALL)


def skip_spaces(text: str, pos: int) -> int:
    return _SPACES.match(text, pos).end()


def group_end(text: str, start: int) -> int | None:
    """With text[start] == '{': the index after its matching '}', None when it is never closed."""
    depth = 0
    for match in _BRACE_OR_ESCAPE.finditer(text, start):
        token = match.group()
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
            if depth == 0:
                return match.end()
    return None


def read_group(text: str, pos: int) -> tuple[str, int] | None:
    """The contents of the `{...}` group at pos (after spaces) and the index after it."""
    pos = skip_spaces(text, pos)
    if not text.startswith("{", pos):
        return None
    end = group_end(text, pos)
    return None if end is None else (text[pos + 1 : end - 1], end)


def read_optional(text: str, pos: int) -> tuple[str, int] | None:
    """The contents of a `[...]` at pos (after spaces; a `]` inside braces does not close it)."""
    pos = skip_spaces(text, pos)
    if not text.startswith("[", pos):
        return None
    depth = 0
    for match in _BRACKET_OR_ESCAPE.finditer(text, pos + 1):
        token = match.group()
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        elif token == "]" and depth <= 0:
            return text[pos + 1 : match.start()], match.end()
    return None


def read_argument(text: str, pos: int) -> tuple[str, int] | None:
    """One undelimited TeX argument: a `{...}` group's contents, else one token (a control
    sequence or a character); None at the end of the text or of the enclosing group."""
    pos = skip_spaces(text, pos)
    if text.startswith("{", pos):
        return read_group(text, pos)
    match = _TOKEN.match(text, pos)
    return None if match is None else (match.group(), match.end())


def line_of(text: str, pos: int) -> int:
    """1-based line number of a position, for messages."""
    return text.count("\n", 0, pos) + 1
