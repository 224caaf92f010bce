"""Post bodies to text, on literal HTML as Stack Exchange renders it."""

from __future__ import annotations

import pytest

from dolmakit.sources.stackexchange.html_text import HtmlToText, html_to_text


def test_code_block_keeps_newlines_indentation_and_trailing_spaces():
    html = (
        "<p>Try:</p>\n\n<pre><code>def f(a, b):\n    if a &lt; b &amp;&amp; b:\n"
        '\treturn "&lt;tag&gt;"  \n\n\n    return 1\n</code></pre>\n'
    )
    expected = 'Try:\n\ndef f(a, b):\n    if a < b && b:\n\treturn "<tag>"  \n\n\n    return 1'
    assert html_to_text(html) == expected


def test_code_block_drops_blank_lines_at_its_ends_and_normalizes_carriage_returns():
    assert html_to_text("<pre>\n\n  first\r\nsecond\rthird\n\n</pre>") == "  first\nsecond\nthird"


def test_tags_inside_a_code_block_add_nothing():
    html = "<pre><code><b>bold</b> <span>x</span><br>next</code></pre>"
    assert html_to_text(html) == "bold x\nnext"


def test_inline_code_links_and_emphasis_are_their_text():
    html = (
        '<p>Use <code>x &lt; y</code> as <a href="https://a.example">the <em>docs</em></a> say.</p>'
    )
    assert html_to_text(html) == "Use x < y as the docs say."


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>it&#39;s &quot;q&quot; &amp; &lt;b&gt;</p>", 'it\'s "q" & <b>'),
        ("<p>dash &mdash; &#8212; &#x2014; caf&eacute;</p>", "dash — — — café"),
        ("<p>a&nbsp;&nbsp;b</p>", "a b"),  # no-break spaces are spaces outside code
        ("<pre>a&nbsp;b</pre>", "a\xa0b"),  # and kept verbatim inside it
        ("<p>&bogus; stays</p>", "&bogus; stays"),
    ],
)
def test_entities_are_decoded(html, text):
    assert html_to_text(html) == text


def test_paragraphs_are_lines_separated_by_a_blank_line():
    html = "<p>one\n  two   three</p>\n\n<h2>Head</h2><p>a<br>b<br/>c</p><hr><p>end</p>"
    assert html_to_text(html) == "one two three\n\nHead\n\na\nb\nc\n\nend"


def test_lists_are_lines_with_markers_and_nested_lists_indented():
    html = (
        "<p>Steps:</p><ol><li>first<ul><li>detail</li></ul></li><li>second</li></ol>"
        '<ol start="4"><li>fourth</li></ol>'
    )
    assert html_to_text(html) == "Steps:\n\n1. first\n   - detail\n2. second\n\n4. fourth"


def test_items_left_open_end_where_the_next_begins():
    assert (
        html_to_text("<ul><li>a<li>b<ol><li>x<li>y</ol><li>c</ul>")
        == "- a\n- b\n  1. x\n  2. y\n- c"
    )


def test_code_block_in_a_list_item_keeps_its_relative_indentation():
    html = (
        "<ul><li><p>Run:</p><pre><code>for x in y:\n    print(x)\n</code></pre></li>"
        "<li>done</li></ul>"
    )
    assert html_to_text(html) == "- Run:\n\n  for x in y:\n      print(x)\n\n- done"


def test_blockquotes_are_prefixed_and_end_before_what_follows():
    html = "<ul><li>item</li></ul><blockquote>\n  <p>q1</p><p>q2</p>\n</blockquote><p>after</p>"
    assert html_to_text(html) == "- item\n\n> q1\n>\n> q2\n\nafter"


def test_tables_are_rows_of_cells():
    html = "<table><tr><th>k</th><th>v</th></tr><tr><td>a</td><td>1</td></tr></table>"
    assert html_to_text(html) == "k | v\na | 1"


def test_images_scripts_and_styles_give_no_text():
    html = '<p>x<img src="a.png" alt="enter image description here"> y</p><script>var a;</script>'
    assert html_to_text(html + "<style>p{}</style><p>z</p>") == "x y\n\nz"


def test_broken_markup_keeps_its_text():
    assert html_to_text("<p>unclosed <b>bold <p>next") == "unclosed bold\n\nnext"
    assert html_to_text("<pre><code>  open\n    code") == "  open\n    code"
    assert html_to_text("plain text, no tags") == "plain text, no tags"
    assert html_to_text("") == ""


def test_a_converter_is_reusable_and_forgets_the_last_body():
    converter = HtmlToText()
    assert converter.convert("<blockquote><ul><li>a") == "> - a"
    assert converter.convert("<p>b</p>") == "b"


def test_unknown_marked_section_raises_for_the_reader_to_report():
    with pytest.raises(AssertionError):
        html_to_text("<p>x</p><![bogus section")
