"""Gutenberg header fields (dolmakit.sources.books.header) on literal headers."""

from __future__ import annotations

import pytest

from dolmakit.sources.books.header import iso_date, parse_header


def test_modern_fields_with_a_continued_title() -> None:
    header = parse_header([
        "The Project Gutenberg eBook of Tide Tables, by A. Writer", "",
        "Title: Tide Tables", "       and Other Reckonings", "", "Author: A. Writer", "",
        "Release Date: August 26, 2008 [eBook #11001]", "Most recently updated: June 1, 2021",
        "", "Language: English", "Character set encoding: UTF-8",
    ])  # fmt: skip
    assert header.title == "Tide Tables and Other Reckonings"
    assert header.author == "A. Writer" and header.ebook_number == 11001
    assert header.release_date == "August 26, 2008" and header.created == "2008-08-26"
    assert header.language == "English" and header.language_code == "en"


def test_old_headers_give_title_author_number_and_date_from_free_lines() -> None:
    header = parse_header([
        "**The Project Gutenberg Etext of The Ivory Lantern, by Mildred Ashcombe**",
        "#4 in our series by Mildred Ashcombe", "", "August, 1998  [Etext #11003]",
    ])  # fmt: skip
    assert (header.title, header.author) == ("The Ivory Lantern", "Mildred Ashcombe")
    assert header.ebook_number == 11003 and header.created == "1998-08-01"


def test_missing_fields_stay_empty() -> None:
    header = parse_header(["Just a text.", "Language: Klingon"])
    assert header.title == "" and header.ebook_number is None and header.created == ""
    assert header.language_code == "klingon"


@pytest.mark.parametrize(
    ("text", "date"),
    [("March 3, 2004", "2004-03-03"), ("Mar 3, 2004", "2004-03-03"), ("June, 1998", "1998-06-01"),
     ("2011-01-02", "2011-01-02"), ("1999", "1999-01-01"), ("someday", "")],
)  # fmt: skip
def test_iso_dates(text: str, date: str) -> None:
    assert iso_date(text) == date
