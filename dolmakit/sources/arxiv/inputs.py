"""A paper's main file, and its `\\input` / `\\include` files inlined into it.

The main file is a .tex file whose text (comments removed) has `\\documentclass` (or LaTeX 2.09's
`\\documentstyle`) and `\\begin{document}`. When several files qualify (a paper and its
supplement, a reply letter, a copy of an old version), the one that is longest once its inputs are
inlined wins, then the first by path: the full paper is nearly always the largest, and the rule
depends on nothing but the files' contents and names, so a paper is read the same way every time.
(RedPajama did not choose: it joined every .tex file of the paper.)

Inlining follows TeX: `\\input{x}`, `\\input x`, `\\include{x}` (and the subfiles package's
`\\subfile{x}`) name a file relative to the main file's folder, with or without `.tex`; the
including file's own folder is tried next (the `import` package's rule). A cycle or a nesting
deeper than the limit stops there, and a missing file leaves nothing in the text: each is
counted in `notes` and the missing names are kept.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from dataclasses import dataclass, field

_DOCUMENTCLASS = re.compile(r"\\document(?:class|style)(?![A-Za-z])")
BEGIN_DOCUMENT = re.compile(r"\\begin\s*\{document\}")
END_DOCUMENT = re.compile(r"\\end\s*\{document\}")
# \input{name}, \input name (TeX's form, ended by a space), \include{name}, \subfile{name}
_INPUT = re.compile(
    r"\\(input|include|subfile)(?![A-Za-z@])(?:\s*\{([^{}]*)\}|[ \t]+([^\s{}\\%]+))"
)
MAIN_SUFFIXES = (".tex", ".ltx", ".latex")


def normalize_path(path: str) -> str:
    """A member path as tar files spell it in many ways (`./a/b.tex`, `a//b.tex`) made one."""
    return posixpath.normpath(path.replace("\\", "/")).lstrip("/")


def is_main_candidate(text: str) -> bool:
    return bool(_DOCUMENTCLASS.search(text)) and bool(BEGIN_DOCUMENT.search(text))


@dataclass
class Inlined:
    main: str  # the main file's path
    text: str
    notes: Counter[str] = field(default_factory=Counter)
    missing: list[str] = field(default_factory=list)


def inline_main(files: dict[str, str], max_depth: int) -> Inlined | None:
    """The main file with its inputs inlined; None when no file qualifies as the main file."""
    candidates = sorted(
        path for path, text in files.items()
        if path.lower().endswith(MAIN_SUFFIXES) and is_main_candidate(text)
    )  # fmt: skip
    best: Inlined | None = None
    for path in candidates:
        inlined = _Inliner(files, path, max_depth).run()
        if best is None or len(inlined.text) > len(best.text):
            best = inlined
    return best


class _Inliner:
    def __init__(self, files: dict[str, str], main: str, max_depth: int):
        self.files, self.main, self.max_depth = files, main, max_depth
        self.main_dir = posixpath.dirname(main)
        self.result = Inlined(main, "")

    def run(self) -> Inlined:
        self.result.text = self._inline(self.main, (self.main,))
        return self.result

    def _inline(self, path: str, stack: tuple[str, ...]) -> str:
        def replace(match: re.Match[str]) -> str:
            name = (match.group(2) or match.group(3) or "").strip()
            target = self._resolve(name, posixpath.dirname(path))
            if target is None:
                self.result.notes["missing_input"] += 1
                self.result.missing.append(name)
                return ""
            if target in stack:
                self.result.notes["input_cycle"] += 1
                return ""
            if len(stack) > self.max_depth:
                self.result.notes["input_too_deep"] += 1
                return ""
            self.result.notes["inlined_input"] += 1
            return self._inline(target, (*stack, target))

        return _INPUT.sub(replace, self.files[path])

    def _resolve(self, name: str, including_dir: str) -> str | None:
        name = name.strip('"')
        for folder in dict.fromkeys((self.main_dir, including_dir)):
            for candidate in (name, name + ".tex"):
                path = normalize_path(posixpath.join(folder, candidate))
                if path in self.files:
                    return path
        return None
