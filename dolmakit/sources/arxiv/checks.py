"""Signs that a LaTeX source would not compile, found without running TeX.

Two checks, on the text with comments removed and user macros expanded (so a `\\be` defined as
`\\begin{equation}` counts as one), verbatim material set aside first (`\\verb|{|` is no brace):
  - braces: every `{` closed, no `}` without its `{` (`\\{`, `\\}` are characters);
  - environments: every `\\begin{x}` closed by an `\\end{x}` in the right order, up to
    `\\end{document}` (TeX ignores what follows it).
A failure raises LatexProblem, which the reader turns into an ErrorRecord with the cause.
"""

from __future__ import annotations

import re

import numpy as np

from dolmakit.sources.arxiv.groups import line_of
from dolmakit.sources.arxiv.inputs import END_DOCUMENT


class LatexProblem(Exception):
    """A paper that cannot be read or would not compile: `kind` names the case for the report."""

    def __init__(self, kind: str, cause: str):
        super().__init__(cause)
        self.kind, self.cause = kind, cause


_VERBATIM_ENV = re.compile(
    r"\\begin\{(verbatim\*?|Verbatim|lstlisting|minted|alltt)\}.*?\\end\{\1\}", re.DOTALL
)
_VERB = re.compile(r"\\(?:verb\*?|lstinline)([^A-Za-z\s{])[^\n]*?\1")
_ESCAPED = re.compile(r"\\[\\{}]")
_ENVIRONMENT = re.compile(r"\\(begin|end)\s*\{([^{}]*)\}")


def set_aside_verbatim(text: str) -> str:
    """text with verbatim material blanked out (same length, so line numbers hold)."""
    text = _VERB.sub(_blank, _VERBATIM_ENV.sub(_blank, text))
    return _ESCAPED.sub("  ", text)  # every escape is two characters on one line


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group())


def check_compiles(text: str) -> None:
    """Raises LatexProblem when braces or environments do not balance."""
    end = END_DOCUMENT.search(text)
    plain = set_aside_verbatim(text[: end.end()] if end else text)
    check_braces(plain)
    check_environments(plain)


def check_braces(text: str) -> None:
    """Braces balance in text (escapes already blanked out); a vectorized running depth."""
    data = np.frombuffer(text.encode("utf-8", "surrogatepass"), dtype=np.uint8)
    steps = (data == ord("{")).astype(np.int32) - (data == ord("}")).astype(np.int32)
    depth = np.cumsum(steps)
    if depth.size and depth.min() < 0:
        at = int(np.argmax(depth < 0))
        line = data[:at].tobytes().count(b"\n") + 1
        raise LatexProblem("unbalanced_braces", f"'}}' without a matching '{{' on line {line}")
    if depth.size and depth[-1] > 0:
        at = int(np.flatnonzero(depth == 0)[-1]) + 1 if (depth == 0).any() else 0
        at = at + int(np.argmax(steps[at:] > 0))
        line = data[:at].tobytes().count(b"\n") + 1
        raise LatexProblem("unbalanced_braces", f"'{{' on line {line} is never closed")


def check_environments(text: str) -> None:
    """Every \\begin{x} has its \\end{x}, nested properly."""
    open_envs: list[tuple[str, int]] = []  # name, position
    for match in _ENVIRONMENT.finditer(text):
        name = match.group(2).strip()
        if match.group(1) == "begin":
            open_envs.append((name, match.start()))
            continue
        opened = open_envs.pop() if open_envs else None
        if opened is None or opened[0] != name:
            raise _mismatch(text, name, match.start(), opened)
    if open_envs:
        name, start = open_envs[-1]
        cause = f"\\begin{{{name}}} on line {line_of(text, start)} is never closed"
        raise LatexProblem("unbalanced_environment", cause)


def _mismatch(text: str, name: str, pos: int, opened: tuple[str, int] | None) -> LatexProblem:
    end = f"\\end{{{name}}} on line {line_of(text, pos)}"
    if opened is None:
        return LatexProblem("unbalanced_environment", f"{end} has no \\begin")
    begin = f"\\begin{{{opened[0]}}} on line {line_of(text, opened[1])}"
    return LatexProblem("unbalanced_environment", f"{begin} is closed by {end}")
