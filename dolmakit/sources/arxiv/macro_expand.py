"""Expanding user macros inline, the way TeX substitutes them, with bounds.

A use `\\name` takes its arguments as TeX does (a `{...}` group or a single token each, spaces
skipped; an optional first argument in `[...]`), `#1`..`#9` in the body become the arguments and
`##` becomes `#`, and the result is expanded again, so macros that use other macros work. Two
bounds keep a bad definition from hanging a worker: expansion stops at `max_depth` nested levels
(`\\def\\a{\\a x}` is left as `\\a` there) and once the expanded text has grown by `max_growth`
times the input (`\\def\\a{\\b\\b}\\def\\b{\\c\\c}...` doubles at each level); what is not
expanded is left as written and counted in `notes`.

Unlike TeX, the text after a macro is kept as it is: `\\ours is` becomes `Ours is`, not
`Oursis`, which is what a reader of the cleaned text expects (and what RedPajama does). A `{}`
right after a macro without arguments (`\\ours{} is`) is dropped, as TeX typesets nothing there.
"""

from __future__ import annotations

import re
from collections import Counter

from dolmakit.sources.arxiv.groups import read_argument, read_optional
from dolmakit.sources.arxiv.macro_defs import Macro

_PARAMETER = re.compile(r"#(#|[1-9])")
# a body as pieces: text, or the index of the argument that goes there
Template = list[str | int]


class Expander:
    def __init__(self, macros: dict[str, Macro], max_depth: int = 16, max_growth: float = 4.0):
        self.macros = macros
        self.max_depth = max_depth
        self.max_growth = max_growth
        self.notes: Counter[str] = Counter()
        self._budget = 0
        self._uses = _uses_pattern(macros)
        self._templates = {name: _template(macro) for name, macro in macros.items()}
        # expansions of argument-less macros, computed once (most macros are constants)
        self._constants: dict[str, str] = {}

    def expand(self, text: str) -> str:
        """text with every use of a known macro replaced by its expansion."""
        if not self.macros:
            return text
        self._budget = int(len(text) * self.max_growth) + 10_000
        return self._expand(text, 0)

    def _expand(self, text: str, depth: int) -> str:
        pieces, pos = [], 0
        for match in self._uses.finditer(text):
            if match.start() < pos or match.group(1) is None:  # in arguments just used, or \\
                continue
            use = self._use(self.macros[match.group(1)], text, match.end(), depth)
            if use is not None:
                pieces += [text[pos : match.start()], use[0]]
                pos = use[1]
        pieces.append(text[pos:])
        return "".join(pieces)

    def _use(self, macro: Macro, text: str, pos: int, depth: int) -> tuple[str, int] | None:
        """The expansion of one use whose name ends at pos, and where the use ends."""
        if depth >= self.max_depth:
            self.notes["macro_depth_exceeded"] += 1
            return None
        arguments = _arguments(macro, text, pos)
        if arguments is None:
            self.notes["macro_missing_argument"] += 1
            return None
        values, end = arguments
        expanded = self._constants.get(macro.name)
        if expanded is None:
            expanded = self._expansion(macro, values, depth)
        elif not self._charge(len(expanded)):
            expanded = None
        if expanded is None:
            return None
        if macro.n_args == 0 and text.startswith("{}", end) and not _ends_in_word(expanded):
            end += 2
        self.notes["macro_expanded"] += 1
        return expanded, end

    def _expansion(self, macro: Macro, values: list[str], depth: int) -> str | None:
        body = "".join(p if isinstance(p, str) else values[p] for p in self._templates[macro.name])
        if not self._charge(len(body)):
            return None
        if "\\" not in body or self._uses.search(body) is None:  # nothing left to expand
            return body
        truncated = self.notes["macro_depth_exceeded"]
        expanded = self._expand(body, depth + 1)
        if macro.n_args == 0 and self.notes["macro_depth_exceeded"] == truncated:
            self._constants[macro.name] = expanded
        return expanded

    def _charge(self, size: int) -> bool:
        """Takes size from what expansion may still add; False (and a note) when it is spent."""
        if size > self._budget:
            self.notes["macro_growth_exceeded"] += 1
            return False
        self._budget -= size
        return True


def _uses_pattern(macros: dict[str, Macro]) -> re.Pattern[str]:
    """A use of any of the macros, or `\\\\` (a line break, so `\\\\x` is no use of `\\x`)."""
    names = "|".join(re.escape(name) for name in sorted(macros, key=len, reverse=True))
    return re.compile(rf"\\(?:\\|({names})(?![A-Za-z]))")


def _template(macro: Macro) -> Template:
    pieces: Template = []
    for i, piece in enumerate(_PARAMETER.split(macro.body)):
        if i % 2 == 0:
            pieces.append(piece)
        elif piece == "#":
            pieces.append("#")
        else:
            index = int(piece) - 1
            pieces.append(index if index < macro.n_args else "#" + piece)
    return pieces


def _arguments(macro: Macro, text: str, pos: int) -> tuple[list[str], int] | None:
    values: list[str] = []
    if macro.default is not None and macro.n_args > 0:
        optional = read_optional(text, pos)
        values.append(macro.default if optional is None else optional[0])
        pos = pos if optional is None else optional[1]
    while len(values) < macro.n_args:
        argument = read_argument(text, pos)
        if argument is None:
            return None
        values.append(argument[0])
        pos = argument[1]
    return values, pos


def _ends_in_word(body: str) -> bool:
    """Whether the body ends with a control word (`\\alpha`), which `{}` keeps apart from text."""
    return re.search(r"\\[A-Za-z]+$", body) is not None
