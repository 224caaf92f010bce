"""Comments and references cut out before parsing (dolmakit.sources.wikipedia.prepass)."""

from __future__ import annotations

import pytest

from dolmakit.sources.wikipedia.prepass import strip_comments_and_references


@pytest.mark.parametrize(
    ("wikitext", "expected"),
    [
        ("a<!-- note -->b<!--\nmulti\nline-->c", "abc"),
        ("kept <!-- an unclosed comment hides the rest", "kept "),
        ('x<ref name="a">{{cite web|url=u|title=<b>t</b>}}</ref>y', "xy"),
        ('x<ref name="a" />y<ref name=b/>z', "xyz"),
        ('x<ref name="a/b">t</ref>y', "xy"),  # a slash inside the name is no self-closing tag
        ("x<REF>t</REF >y<Ref group=n>u\nv</ref>z", "xyz"),
        ("x<ref>one</ref> y <ref>two</ref>", "x y "),  # each reference alone, not greedy
        (
            "<references/>\n<references>\n</references>",
            "<references/>\n<references>\n</references>",
        ),
        ("x<refx>not a reference</refx>", "x<refx>not a reference</refx>"),
    ],
)
def test_comments_and_references_are_cut(wikitext: str, expected: str) -> None:
    assert strip_comments_and_references(wikitext) == expected


def test_a_reference_opened_inside_a_comment_is_no_reference() -> None:
    text = "a <!-- <ref> --> visible text <ref>note</ref> end"
    assert strip_comments_and_references(text) == "a  visible text  end"
