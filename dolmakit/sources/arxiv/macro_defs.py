"""User macro definitions: found, parsed, and taken out of the text.

Understood forms (a starred `*` variant of each too):
  \\newcommand{\\name}{body}            \\newcommand\\name[2]{... #1 ... #2 ...}
  \\newcommand{\\name}[2][default]{...} (#1 optional, `default` when absent)
  \\renewcommand, \\providecommand, \\DeclareRobustCommand: the same arguments
  \\def\\name{body}   \\def\\name#1#2{body}   (\\gdef, \\edef, \\xdef alike)
  \\DeclareMathOperator{\\name}{text}   (becomes \\operatorname{text})

Definitions are read left to right and a definition's body is skipped whole, so a `\\def` inside
a macro body is not taken for one of the paper's own. TeX's precedence is kept where it can be
without running TeX: `\\newcommand` and `\\providecommand` do not replace an earlier definition,
`\\renewcommand` and `\\def` do. Every definition is expanded everywhere (the last one wins), not
only after it, as RedPajama does. `\\def` with delimited parameters (`\\def\\a#1.{...}`), control
symbols (`\\def\\?{...}`), internal `@` names and the commands the cleaning itself looks for
(sections, environments, the bibliography) are removed from the text but never expanded.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from dolmakit.sources.arxiv.groups import read_group, read_optional, skip_spaces

_DEFINITION = re.compile(
    r"\\(newcommand|renewcommand|providecommand|DeclareRobustCommand|DeclareMathOperator"
    r"|def|gdef|edef|xdef)(?![A-Za-z@])(\*?)"
)
_NAME = re.compile(r"\\([A-Za-z@]+|.)", re.DOTALL)
_UNDELIMITED_PARAMETERS = re.compile(r"(?:#[1-9])*")
# a \def's parameter text: what stands between the name and the body's `{`
_PARAMETER_TEXT = re.compile(r"[^{}]{0,100}(?=\{)")
_KEEPS_EARLIER = ("newcommand", "providecommand")
# never expanded: what the cleaning finds after expansion, and LaTeX's structure
PROTECTED = frozenset(
    ("part", "chapter", "section", "subsection", "subsubsection", "paragraph", "subparagraph",
     "begin", "end", "document", "documentclass", "documentstyle", "input", "include",
     "appendix", "bibliography", "bibliographystyle", "printbibliography", "thebibliography")
)  # fmt: skip


@dataclass(frozen=True)
class Macro:
    name: str
    n_args: int
    body: str
    # the value of #1 when the first argument is optional (`\newcommand\x[2][default]{...}`)
    default: str | None = None


@dataclass
class Definitions:
    macros: dict[str, Macro] = field(default_factory=dict)
    text: str = ""  # the input without the definitions
    notes: Counter[str] = field(default_factory=Counter)


def extract_definitions(text: str) -> Definitions:
    """The macros defined in text, and the text without their definitions."""
    found, pieces, pos = Definitions(), [], 0
    while match := _DEFINITION.search(text, pos):
        parsed = _parse(match, text)
        if parsed is None:  # not a well-formed definition: left in the text
            pieces.append(text[pos : match.end()])
            pos = match.end()
            found.notes["macro_unparsed"] += 1
            continue
        macro, end = parsed
        pieces.append(text[pos : match.start()])
        pos = end
        _register(found, macro, match.group(1))
    pieces.append(text[pos:])
    found.text = "".join(pieces)
    return found


def _register(found: Definitions, macro: Macro | None, command: str) -> None:
    if macro is None or not re.fullmatch(r"[A-Za-z]+", macro.name) or macro.name in PROTECTED:
        found.notes["macro_not_expanded"] += 1
    elif command in _KEEPS_EARLIER and macro.name in found.macros:
        found.notes["macro_kept_earlier"] += 1
    else:
        found.macros[macro.name] = macro
        found.notes["macro_defined"] += 1


def _parse(match: re.Match[str], text: str) -> tuple[Macro | None, int] | None:
    command, star = match.group(1), match.group(2)
    if command == "DeclareMathOperator":
        return _parse_math_operator(text, match.end(), star)
    if command.endswith("def"):
        return _parse_def(text, match.end())
    return _parse_newcommand(text, match.end())


def _read_name(text: str, pos: int) -> tuple[str, int] | None:
    """`\\name` or `{\\name}` at pos: the name without its backslash."""
    braced = read_group(text, pos)
    if braced is not None:
        inner = braced[0].strip()
        match = _NAME.fullmatch(inner)
        return None if match is None else (match.group(1), braced[1])
    match = _NAME.match(text, skip_spaces(text, pos))
    return None if match is None else (match.group(1), match.end())


def _parse_newcommand(text: str, pos: int) -> tuple[Macro, int] | None:
    name = _read_name(text, pos)
    if name is None:
        return None
    n_args, default, pos = 0, None, name[1]
    if (count := read_optional(text, pos)) is not None:
        if not count[0].strip().isdigit():
            return None
        n_args, pos = int(count[0]), count[1]
        if (optional := read_optional(text, pos)) is not None:
            default, pos = optional
    body = read_group(text, pos)
    if body is None:
        return None
    return Macro(name[0], n_args, body[0], default), body[1]


def _parse_def(text: str, pos: int) -> tuple[Macro | None, int] | None:
    if text.startswith("{", skip_spaces(text, pos)):  # \def{\x}... is not TeX
        return None
    name = _read_name(text, pos)
    parameters = None if name is None else _PARAMETER_TEXT.match(text, name[1])
    body = None if parameters is None else read_group(text, parameters.end())
    if name is None or parameters is None or body is None:
        return None
    parameter_text = parameters.group().strip()
    if not _UNDELIMITED_PARAMETERS.fullmatch(parameter_text):
        return None, body[1]  # delimited parameters: removed, not expanded
    return Macro(name[0], parameter_text.count("#"), body[0]), body[1]


def _parse_math_operator(text: str, pos: int, star: str) -> tuple[Macro, int] | None:
    name = _read_name(text, pos)
    operator = None if name is None else read_group(text, name[1])
    if name is None or operator is None:
        return None
    return Macro(name[0], 0, f"\\operatorname{star}{{{operator[0]}}}"), operator[1]
