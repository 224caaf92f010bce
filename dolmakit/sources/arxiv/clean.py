"""One paper's LaTeX files to its cleaned text, in RedPajama's steps (see each module):

  decode (UTF-8 unless told otherwise; a NUL byte means a binary file)   -> LatexProblem
  remove comments, per file (a commented-out \\input is not followed)      comments.py
  find the main file and inline its \\input / \\include files              inputs.py
  take out user macro definitions and expand their uses                   macro_defs/_expand.py
  check that braces and environments balance                            checks.py
  keep from the first section-like command to the bibliography           sections.py

A LatexProblem (undecodable, binary, no main file, unbalanced) is the paper's error; a text of
None means the paper has no section (the reader removes it). Notes count what was worked around.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from dolmakit.sources.arxiv.checks import LatexProblem, check_compiles
from dolmakit.sources.arxiv.comments import strip_comments
from dolmakit.sources.arxiv.inputs import inline_main
from dolmakit.sources.arxiv.macro_defs import Definitions, extract_definitions
from dolmakit.sources.arxiv.macro_expand import Expander
from dolmakit.sources.arxiv.sections import body_of, document_of, tidy


@dataclass
class CleanSettings:
    # encodings tried in turn on each text file; RedPajama kept UTF-8 papers only (add latin-1 to
    # keep the older papers written in it: latin-1 decodes any bytes, so none is then an error)
    encodings: list[str] = field(default_factory=lambda: ["utf-8"])
    # \input nesting followed; deeper inputs are left out and counted (arxiv/input_too_deep)
    max_input_depth: int = 16
    # expand \newcommand / \def macros written by the authors (the LLaMA recipe does)
    expand_macros: bool = True
    # nesting of macro expansion: a recursive macro is left as written below this depth
    max_macro_depth: int = 16
    # expansion stops once it has added this many times the paper's length (runaway macros)
    max_macro_growth: float = 4.0
    # end the text at \appendix as RedPajama does; false keeps appendices (not the bibliography)
    cut_appendix: bool = True


@dataclass
class Cleaned:
    text: str | None  # None: the paper has no section-like command
    main: str  # the main file's path
    # the whole document environment, cleaned but not cut: what a removed paper shows
    document: str = ""
    notes: Counter[str] = field(default_factory=Counter)
    missing_inputs: list[str] = field(default_factory=list)


def clean_paper(files: dict[str, bytes], settings: CleanSettings) -> Cleaned:
    """The cleaned text of a paper's text files; raises LatexProblem for a broken source."""
    texts = {path: strip_comments(decode(path, data, settings.encodings))
             for path, data in files.items()}  # fmt: skip
    inlined = inline_main(texts, settings.max_input_depth)
    if inlined is None:
        names = ", ".join(sorted(files)[:10]) + (", ..." if len(files) > 10 else "") or "none"
        cause = f"no .tex file has \\documentclass and \\begin{{document}} (text files: {names})"
        raise LatexProblem("no_main_file", cause)
    definitions = (
        extract_definitions(inlined.text) if settings.expand_macros
        else Definitions(text=inlined.text)
    )  # fmt: skip
    expander = Expander(definitions.macros, settings.max_macro_depth, settings.max_macro_growth)
    text = expander.expand(definitions.text)
    check_compiles(text)
    body = body_of(text, settings.cut_appendix)
    notes = inlined.notes + definitions.notes + expander.notes
    cleaned = Cleaned(None, inlined.main, notes=notes, missing_inputs=inlined.missing)
    if body is None:
        cleaned.document = tidy(document_of(text))
    else:
        cleaned.text = tidy(body)
    return cleaned


def decode(path: str, data: bytes, encodings: list[str]) -> str:
    """The file's text in the first encoding that fits, line ends made `\\n`."""
    if b"\0" in data:
        raise LatexProblem("binary_member", f"{path} holds NUL bytes: not a text file")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    raise LatexProblem("undecodable", f"{path} is not {' or '.join(encodings)}: {_bad_byte(data)}")


def _bad_byte(data: bytes) -> str:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return f"byte {data[error.start]:#04x} at offset {error.start}"
    return "undecodable"
