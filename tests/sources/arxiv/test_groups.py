from dolmakit.sources.arxiv.groups import (
    group_end,
    line_of,
    read_argument,
    read_group,
    read_optional,
)


def test_group_end_skips_escaped_braces():
    text = r"{a{b}\}c}d"
    assert group_end(text, 0) == len(text) - 1


def test_group_end_of_an_unclosed_group_is_none():
    assert group_end("{a{b}", 0) is None


def test_read_group_after_spaces_and_one_line_end():
    assert read_group(" \n {x{y}} rest", 0) == ("x{y}", 9)


def test_optional_argument_ignores_a_bracket_inside_braces():
    assert read_optional("[{a]b}]c", 0) == ("{a]b}", 7)
    assert read_optional("{a}", 0) is None


def test_argument_is_a_group_a_control_word_or_one_character():
    assert read_argument("{ab}c", 0) == ("ab", 4)
    assert read_argument(r" \alpha x", 0) == (r"\alpha", 7)
    assert read_argument("xy", 0) == ("x", 1)
    assert read_argument("}", 0) is None
    assert read_argument("", 0) is None


def test_line_of():
    assert line_of("a\nb\nc", 4) == 3
