from dolmakit.sources.arxiv.macro_defs import Macro, extract_definitions


def test_newcommand_forms_are_parsed_and_taken_out():
    found = extract_definitions(
        "a\\newcommand{\\R}{\\mathbb{R}}b\\newcommand*\\pair[2]{(#1,#2)}c"
        "\\newcommand{\\opt} [2] [x] {f(#1,#2)}d"
    )
    assert found.text == "abcd"
    assert found.macros == {
        "R": Macro("R", 0, r"\mathbb{R}"),
        "pair": Macro("pair", 2, "(#1,#2)"),
        "opt": Macro("opt", 2, "f(#1,#2)", default="x"),
    }


def test_def_with_and_without_parameters():
    found = extract_definitions(r"\def\ours{Brook}\gdef\norm#1#2{|#1|_{#2}}rest")
    assert found.text == "rest"
    assert found.macros["ours"] == Macro("ours", 0, "Brook")
    assert found.macros["norm"] == Macro("norm", 2, "|#1|_{#2}")


def test_nested_braces_in_the_body():
    found = extract_definitions(r"\newcommand{\f}[1]{\frac{#1}{\sqrt{2}}}")
    assert found.macros["f"].body == r"\frac{#1}{\sqrt{2}}"


def test_a_def_inside_a_body_is_not_a_definition_of_its_own():
    found = extract_definitions(r"\newcommand{\setx}[1]{\def\x{#1}}")
    assert set(found.macros) == {"setx"}


def test_precedence_of_new_renew_and_provide():
    found = extract_definitions(
        r"\newcommand{\a}{1}\newcommand{\a}{2}\providecommand{\a}{3}"
        r"\renewcommand{\b}{1}\renewcommand{\b}{2}\providecommand{\c}{9}"
    )
    assert {name: m.body for name, m in found.macros.items()} == {"a": "1", "b": "2", "c": "9"}
    assert found.notes["macro_kept_earlier"] == 2


def test_removed_but_never_expanded():
    found = extract_definitions(r"\def\a#1.{x}\renewcommand{\section}{y}\def\@tmp{z}\def\?{w}keep")
    assert found.text == "keep" and found.macros == {}
    assert found.notes["macro_not_expanded"] == 4


def test_math_operator():
    found = extract_definitions(r"\DeclareMathOperator*{\argmax}{arg\,max}")
    assert found.macros["argmax"].body == r"\operatorname*{arg\,max}"


def test_malformed_definition_stays_in_the_text():
    found = extract_definitions(r"\newcommand{\broken}[x]{y} after")
    assert found.macros == {} and found.text.startswith(r"\newcommand")
    assert found.notes["macro_unparsed"] == 1
