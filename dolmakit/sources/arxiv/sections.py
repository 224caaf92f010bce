"""Keeping a paper's body: from its first section-like command to its bibliography.

As RedPajama (and the LLaMA paper: "we removed everything before the first section, as well as the
bibliography"): the text starts at the first `\\part`, `\\chapter`, `\\section`, `\\subsection`,
`\\subsubsection`, `\\paragraph` or `\\subparagraph` (starred or with a short title in `[...]`),
searched after `\\begin{document}`, so title, authors, abstract and preamble go; a paper with none
has no body (the reader removes it as `no_section`). It ends at the first of `\\appendix` (as
RedPajama; `cut_appendix=False` keeps appendices), `\\begin{thebibliography}`,
`\\begin{references}`, `\\bibliographystyle{`, `\\bibliography{`, `\\printbibliography` and
`\\end{document}`. Two differences from RedPajama's code, both on purpose: its greedy pattern
kept the text from the *last* section header rather than the first, and it did not cut at
`\\printbibliography` (biblatex), `\\bibliographystyle` or `\\end{document}`.
"""

from __future__ import annotations

import re

from dolmakit.sources.arxiv.inputs import BEGIN_DOCUMENT, END_DOCUMENT

SECTION = re.compile(
    r"\\(?:part|chapter|section|subsection|subsubsection|paragraph|subparagraph)"
    r"\*?\s*(?:\[[^\]]*\]\s*)?\{"
)
_BIBLIOGRAPHY = (
    r"\\begin\s*\{(?:thebibliography|references|REFERENCES)\}|\\bibliographystyle\s*\{"
    r"|\\bibliography\s*\{|\\printbibliography(?![A-Za-z])|\\end\s*\{document\}"
)
_END = re.compile(_BIBLIOGRAPHY)
_END_OR_APPENDIX = re.compile(r"\\appendix(?![A-Za-z])|" + _BIBLIOGRAPHY)


def body_of(text: str, cut_appendix: bool = True) -> str | None:
    """The text from the first section-like command to the bibliography; None without one."""
    document = BEGIN_DOCUMENT.search(text)
    start = SECTION.search(text, document.end() if document else 0)
    if start is None:
        return None
    end = (_END_OR_APPENDIX if cut_appendix else _END).search(text, start.start())
    return text[start.start() : end.start() if end else len(text)]


def document_of(text: str) -> str:
    """What stands between \\begin{document} and \\end{document} (all of text without them)."""
    begin = BEGIN_DOCUMENT.search(text)
    end = END_DOCUMENT.search(text, begin.end() if begin else 0)
    return text[begin.end() if begin else 0 : end.start() if end else len(text)]


def tidy(text: str) -> str:
    """No trailing spaces, at most one blank line in a row, no blank lines at either end."""
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    while "\n\n\n" in text:  # str.replace: four times faster than re.sub(r"\n{3,}")
        text = text.replace("\n\n\n", "\n\n")
    return text.strip()
