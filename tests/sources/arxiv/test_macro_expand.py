from dolmakit.sources.arxiv.macro_defs import extract_definitions
from dolmakit.sources.arxiv.macro_expand import Expander


def expand(definitions: str, text: str, **bounds) -> tuple[str, Expander]:
    expander = Expander(extract_definitions(definitions).macros, **bounds)
    return expander.expand(text), expander


def test_macro_with_two_arguments():
    text, _ = expand(r"\newcommand{\inner}[2]{\langle #1, #2 \rangle}", r"$\inner{x}{y}$")
    assert text == r"$\langle x, y \rangle$"


def test_arguments_with_nested_braces_and_single_tokens():
    text, _ = expand(r"\newcommand{\pair}[2]{(#1;#2)}", r"\pair{\frac{a}{b}}{\{c\}} \pair x\y")
    assert text == r"(\frac{a}{b};\{c\}) (x;\y)"


def test_optional_first_argument_and_its_default():
    text, _ = expand(r"\newcommand{\loss}[1][\theta]{L(#1)}", r"\loss, \loss[\phi]")
    assert text == r"L(\theta), L(\phi)"


def test_def_with_parameters_and_without():
    text, _ = expand(r"\def\ours{Brook}\def\norm#1{|#1|}", r"\ours{} uses \norm{v} and \ours.")
    assert text == r"Brook uses |v| and Brook."


def test_macros_using_other_macros():
    text, _ = expand(r"\newcommand{\R}{\mathbb{R}}\newcommand{\Rd}{\R^{d}}", r"$x \in \Rd$")
    assert text == r"$x \in \mathbb{R}^{d}$"


def test_longer_names_and_line_breaks_are_not_uses():
    text, _ = expand(r"\def\a{X}", r"\alpha \a \\a")
    assert text == r"\alpha X \\a"


def test_empty_group_after_a_control_word_body_is_kept():
    text, _ = expand(r"\def\bs{\backslash}", r"\bs{}x")
    assert text == r"\backslash{}x"


def test_double_hash_becomes_one():
    text, _ = expand(r"\newcommand{\h}[1]{##1 and #1}", r"\h{a}")
    assert text == "#1 and a"


def test_recursive_macro_stops_at_the_depth_bound():
    text, expander = expand(r"\def\loop{\loop x}", r"\loop", max_depth=5)
    assert text == r"\loop" + " x" * 5
    assert expander.notes["macro_depth_exceeded"] == 1


def test_runaway_growth_stops():
    definitions = r"\def\a{\b\b}\def\b{\c\c}\def\c{\d\d}\def\d{\e\e}\def\e{xxxxxxxxxx}"
    text, expander = expand(definitions, r"\a" * 2000, max_growth=1.0)
    assert expander.notes["macro_growth_exceeded"] > 0
    assert len(text) < 2 * (2 * 2000 * 1.0 + 10_000)


def test_missing_argument_leaves_the_use_as_written():
    text, expander = expand(r"\newcommand{\two}[2]{#1#2}", r"{\two{a}}")
    assert text == r"{\two{a}}"
    assert expander.notes["macro_missing_argument"] == 1
