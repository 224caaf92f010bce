from dolmakit.sources.arxiv.sections import body_of, document_of, tidy

PAPER = r"""\documentclass{article}
\newcommand{\x}{\section{Not this}}
\begin{document}
\title{T}\maketitle
\begin{abstract}Abstract.\end{abstract}
\section*[Short]{Introduction}
Body one.
\subsection{More}
Body two.
\appendix
\section{Proof}
Proof.
\bibliography{refs}
\end{document}
"""


def test_body_runs_from_the_first_section_after_begin_document_to_the_appendix():
    body = body_of(PAPER)
    assert body.startswith(r"\section*[Short]{Introduction}")
    assert body.endswith("Body two.\n")


def test_appendix_is_kept_when_asked_and_the_bibliography_still_goes():
    body = body_of(PAPER, cut_appendix=False)
    assert "Proof." in body and "refs" not in body


def test_each_bibliography_form_ends_the_body():
    endings = [r"\begin{thebibliography}{9}", r"\printbibliography", r"\bibliography{a}"]
    endings += [r"\bibliographystyle{plain}", r"\begin{references}", r"\end{document}"]
    for ending in endings:
        text = "\\begin{document}\n\\section{A}\nkept\n" + ending + "\ngone"
        assert body_of(text) == "\\section{A}\nkept\n", ending


def test_paragraph_and_chapter_count_as_sections_but_sectionmark_does_not():
    assert body_of(r"\begin{document}x\sectionmark{a} \paragraph{P} y").startswith(r"\paragraph")
    assert body_of(r"\chapter{C} z") == r"\chapter{C} z"


def test_no_section_is_none():
    assert body_of("\\begin{document}\nJust a note.\n\\end{document}") is None


def test_document_of_and_tidy():
    text = "pre\\begin{document}\n a  \n\n\n\nb\t\n\\end{document}post"
    assert tidy(document_of(text)) == "a\n\nb"
