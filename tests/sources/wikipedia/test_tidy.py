"""The final pass over rendered wikitext (dolmakit.sources.wikipedia.tidy)."""

from __future__ import annotations

import pytest

from dolmakit.sources.wikipedia.tidy import HEADING_MARK, drop_empty_sections, tidy, tidy_line


def heading(level: int, title: str) -> str:
    return f"{HEADING_MARK}{level}{HEADING_MARK}{title}"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("   indented  text\t here ", "indented text here"),
        ("word .", "word."),
        ("a , b ) c", "a, b) c"),
        ("born () in", "born in"),
        ("born ( ; 1900)", "born (1900)"),
        ("born ( 1900)", "born (1900)"),
        ("f() is code", "f() is code"),  # only a gap left after a space is closed
        ("Bonjour ! Ça va ?", "Bonjour ! Ça va ?"),  # French spacing stays
    ],
)
def test_tidy_line(line: str, expected: str) -> None:
    assert tidy_line(line) == expected


def test_magic_words_and_stray_quotes_go() -> None:
    assert tidy("__NOTOC__ a '''b'' c __NOEDITSECTION__") == "a b c"
    assert tidy("__ОГЛАВЛЕНИЕ__ текст") == "текст"
    assert tidy("keep __init__ and a's") == "keep __init__ and a's"


def test_blank_line_runs_collapse_to_one() -> None:
    assert tidy("\n\na\n\n\n\nb\n\n") == "a\n\nb"


def test_empty_sections_are_dropped_from_the_bottom_up() -> None:
    lines = [
        "Lead.",
        heading(2, "History"),
        heading(3, "Early"),
        "Text.",
        heading(3, "Late"),  # empty, then a heading of the same level
        heading(2, "See also"),
        heading(3, "Sub"),  # a subsection with nothing under it
        "",
        heading(2, "Notes"),  # empty at the end
    ]
    assert drop_empty_sections(lines) == ["Lead.", "History", "Early", "Text.", ""]


def test_a_heading_without_a_title_is_dropped() -> None:
    assert drop_empty_sections([heading(2, "  "), "Text."]) == ["Text."]
