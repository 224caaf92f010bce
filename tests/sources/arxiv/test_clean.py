import pytest

from dolmakit.sources.arxiv.checks import LatexProblem
from dolmakit.sources.arxiv.clean import CleanSettings, clean_paper, decode

PAPER = rb"""\documentclass{article}
\newcommand{\ours}{Brook}
\begin{document}
\title{\ours}\maketitle
%\input{old}
\section{Intro}
\ours{} works. % remark
\input{more}
\bibliography{refs}
\end{document}
"""


def test_whole_cleaning_of_a_small_paper():
    cleaned = clean_paper({"p.tex": PAPER, "more.tex": b"More text.\r\n"}, CleanSettings())
    assert cleaned.text == "\\section{Intro}\nBrook works.\nMore text."
    assert cleaned.main == "p.tex" and cleaned.missing_inputs == []
    assert cleaned.notes["macro_expanded"] == 2


def test_macros_can_be_left_alone():
    cleaned = clean_paper({"p.tex": PAPER}, CleanSettings(expand_macros=False))
    assert cleaned.text.startswith("\\section{Intro}\n\\ours{} works.")


def test_no_section_keeps_the_document_for_the_removed_output():
    paper = b"\\documentclass{article}\\begin{document}\nA note.\n\\end{document}"
    cleaned = clean_paper({"n.tex": paper}, CleanSettings())
    assert cleaned.text is None and cleaned.document == "A note."


def test_problems_have_kinds():
    kinds = {}
    for name, files in {
        "no_main": {"a.tex": b"\\section{x}"},
        "binary": {"a.tex": PAPER + b"\0"},
        "latin1": {"a.tex": PAPER.replace(b"works", b"w\xf6rks")},
        "braces": {"a.tex": PAPER.replace(b"\\section{Intro}", b"\\section{Intro")},
    }.items():
        with pytest.raises(LatexProblem) as caught:
            clean_paper(files, CleanSettings())
        kinds[name] = caught.value.kind
    assert kinds == {"no_main": "no_main_file", "binary": "binary_member",
                     "latin1": "undecodable", "braces": "unbalanced_braces"}  # fmt: skip


def test_decode_falls_back_to_the_next_encoding_and_drops_a_bom():
    assert decode("a.tex", b"\xef\xbb\xbfx\r\ny", ["utf-8"]) == "x\ny"
    assert decode("a.tex", b"w\xf6rks", ["utf-8", "latin-1"]) == "wörks"
    with pytest.raises(LatexProblem, match="byte 0xf6 at offset 1"):
        decode("a.tex", b"w\xf6rks", ["utf-8"])
