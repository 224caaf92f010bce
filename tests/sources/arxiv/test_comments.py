from dolmakit.sources.arxiv.comments import strip_comments


def test_comment_to_end_of_line_goes_and_the_line_end_stays():
    assert strip_comments("one % two\nthree\n") == "one \nthree\n"


def test_line_of_only_a_comment_goes_with_its_line_end():
    assert strip_comments("a\n  % note\nb\n% last") == "a\nb\n"


def test_escaped_percent_is_text_and_a_comment_after_it_goes():
    assert strip_comments(r"up 5\% today % was 4\%") == r"up 5\% today "


def test_escaped_backslash_then_percent_is_a_comment():
    assert strip_comments("end\\\\% gone\nnext") == "end\\\\\nnext"


def test_three_backslashes_escape_the_percent():
    assert strip_comments(r"a\\\% kept") == r"a\\\% kept"


def test_comment_environment_goes():
    text = "a\n\\begin{comment}\nhidden % x\n\\end{comment}\nb"
    assert strip_comments(text) == "a\n\nb"
