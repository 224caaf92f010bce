"""Finding the book between Gutenberg's header and footer (dolmakit.sources.books.markers)."""

from __future__ import annotations

from dolmakit.sources.books.markers import book_text, find_book

MODERN = """The Project Gutenberg eBook of Tide Tables, by A. Writer

Title: Tide Tables

*** START OF THE PROJECT GUTENBERG EBOOK TIDE TABLES ***



Produced by Jane Proofreader
and the Online Distributed Proofreading Team.


TIDE TABLES

First line of the book.
Last line of the book.



*** END OF THE PROJECT GUTENBERG EBOOK TIDE TABLES ***

Licence text."""

OLD = """**The Project Gutenberg Etext of Tide Tables**

small print
*END*THE SMALL PRINT! FOR PUBLIC DOMAIN ETEXTS*Ver.04.29.93*END*

The first line.
The last line.

End of Project Gutenberg's Etext of Tide Tables"""


def test_modern_header_credits_and_footer_are_cut() -> None:
    bounds = find_book(MODERN)
    assert bounds.has_start and bounds.has_end
    assert MODERN[: bounds.header_end].endswith("Title: Tide Tables\n\n")
    assert (
        book_text(MODERN, bounds)
        == "TIDE TABLES\n\nFirst line of the book.\nLast line of the book."
    )


def test_credits_are_kept_when_asked() -> None:
    text = book_text(MODERN, find_book(MODERN, strip_credits=False))
    assert text.startswith("Produced by Jane Proofreader\nand the Online")


def test_the_nineties_small_print_and_footer() -> None:
    bounds = find_book(OLD)
    assert book_text(OLD, bounds) == "The first line.\nThe last line."


def test_the_last_start_marker_ends_the_header_and_the_first_end_marker_the_book() -> None:
    text = (
        "*** START OF THIS PROJECT GUTENBERG EBOOK X ***\nmore header\n"
        "*END*THE SMALL PRINT! FOR PUBLIC DOMAIN ETEXTS\nBody.\n"
        "End of the Project Gutenberg EBook of X\n*** END OF THIS PROJECT GUTENBERG ***\n"
    )
    assert book_text(text, find_book(text)) == "Body."


def test_other_end_marker_spellings() -> None:
    for footer in ("END OF PROJECT GUTENBERG'S X", "  End of this Project Gutenberg Etext",
                   "*** END OF THE COPYRIGHTED PROJECT GUTENBERG EBOOK X ***",
                   "Ende dieses Projekt Gutenberg Etextes"):  # fmt: skip
        text = f"*** START OF THE PROJECT GUTENBERG EBOOK X ***\nBody.\n{footer}\nLicence.\n"
        assert book_text(text, find_book(text)) == "Body.", footer


def test_a_text_without_markers_is_all_book() -> None:
    text = "\n  A plain text.\n\nNot from Gutenberg.\n\n"
    bounds = find_book(text)
    assert not bounds.has_start and not bounds.has_end
    assert book_text(text, bounds) == "  A plain text.\n\nNot from Gutenberg."


def test_a_missing_footer_keeps_the_rest() -> None:
    text = "*** START OF THE PROJECT GUTENBERG EBOOK X ***\nBody.\nMore body."
    bounds = find_book(text)
    assert bounds.has_start and not bounds.has_end
    assert book_text(text, bounds) == "Body.\nMore body."


def test_words_like_the_markers_inside_the_book_do_not_cut_it() -> None:
    text = ("*** START OF THE PROJECT GUTENBERG EBOOK X ***\nProduced by the mill, flour\n\n"
            "He said: the end of the project gutenberg was near.\n"
            "*** END OF THE PROJECT GUTENBERG\n")  # fmt: skip
    assert book_text(text, find_book(text, strip_credits=False)) == (
        "Produced by the mill, flour\n\nHe said: the end of the project gutenberg was near."
    )


def test_markers_are_found_in_their_usual_casings_and_the_title_keeps_its_indent() -> None:
    text = (
        "header\n*** Start of the Project Gutenberg eBook X ***\n\n\n"
        "            THE TITLE\n\nBody.\n*** end of the project gutenberg ebook x ***\n"
    )
    assert book_text(text, find_book(text)) == "            THE TITLE\n\nBody."


def test_a_start_marker_past_the_header_zone_is_not_one() -> None:
    text = "x\n" * 60_000 + "*** START OF THE PROJECT GUTENBERG EBOOK X ***\nBody.\n"
    assert not find_book(text).has_start
