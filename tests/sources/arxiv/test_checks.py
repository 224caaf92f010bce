import pytest

from dolmakit.sources.arxiv.checks import LatexProblem, check_compiles, set_aside_verbatim


def problem(text: str) -> LatexProblem:
    with pytest.raises(LatexProblem) as caught:
        check_compiles(text)
    return caught.value


def test_balanced_source_passes():
    check_compiles(r"\begin{document}\begin{itemize}\item {a} \{ \end{itemize}\end{document}")


def test_closing_brace_without_opening_one():
    found = problem("a}\n{b}")
    assert found.kind == "unbalanced_braces" and "line 1" in found.cause


def test_opening_brace_never_closed_names_its_line():
    found = problem("{a}\n\\textbf{b\n{c}")
    assert found.kind == "unbalanced_braces" and found.cause == "'{' on line 2 is never closed"


def test_environment_closed_by_another():
    found = problem("\\begin{figure}\nx\n\\end{table}")
    assert found.kind == "unbalanced_environment"
    assert found.cause == "\\begin{figure} on line 1 is closed by \\end{table} on line 3"


def test_environment_never_closed_and_end_without_begin():
    assert "never closed" in problem("\\begin{document}\n\\section{a}").cause
    assert "has no \\begin" in problem("x\\end{proof}").cause


def test_after_end_document_is_ignored():
    check_compiles("\\begin{document}x\\end{document}\n} stray \\end{x}")


def test_verbatim_and_escapes_are_set_aside():
    check_compiles("\\verb|{| \\begin{verbatim}\n}}\\end{x}\n\\end{verbatim} \\\\{}")
    assert set_aside_verbatim("a\\{b") == "a  b"
