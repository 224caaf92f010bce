"""The fields of a Project Gutenberg header: title, author, release date, language, EBook #.

Headers since the 2000s hold "Field: value" lines (a long title continues on indented lines):

    Title: Pride and Prejudice
    Author: Jane Austen
    Release Date: August 26, 2008 [EBook #1342]      (or "Release date: ... [eBook #1342]")
    Language: English
    Character set encoding: ISO-8859-1

Older ones have only a first line "The Project Gutenberg Etext of <title>, by <author>" and a
line "August, 1998 [Etext #1342]"; those are used when the fields are missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

_FIELD = re.compile(r"\s*(Title|Author|Release Date|Posting Date|Language):\s*(.*)", re.I)
_EBOOK_NUMBER = re.compile(r"\[\s*(?:E-?Book|E-?text)\s*(?:No\.|#)\s*(\d+)\s*\]", re.IGNORECASE)
_OLD_TITLE = re.compile(
    r".*Project Gutenberg(?:'s)? E-?(?:Book|text) of (?P<title>.+?)(?:, by (?P<author>.+?))?\**$",
    re.IGNORECASE,
)
_DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%d %B %Y", "%Y-%m-%d", "%B, %Y", "%B %Y",
                 "%b, %Y", "%b %Y", "%Y")  # fmt: skip
# the names Gutenberg's "Language:" uses most -> ISO 639-1
LANGUAGE_CODES = {
    "english": "en", "french": "fr", "german": "de", "finnish": "fi", "dutch": "nl",
    "italian": "it", "spanish": "es", "portuguese": "pt", "chinese": "zh", "swedish": "sv",
    "danish": "da", "latin": "la", "hungarian": "hu", "esperanto": "eo", "greek": "el",
    "polish": "pl", "norwegian": "no", "czech": "cs", "catalan": "ca", "japanese": "ja",
    "russian": "ru", "welsh": "cy", "icelandic": "is", "tagalog": "tl", "irish": "ga",
}  # fmt: skip


@dataclass
class BookHeader:
    title: str = ""
    author: str = ""
    release_date: str = ""  # as written
    language: str = ""  # as written ("English")
    ebook_number: int | None = None

    @property
    def language_code(self) -> str:
        """ISO 639-1 for the common names, else the name lowercased ("" when unknown)."""
        name = self.language.strip().lower()
        return LANGUAGE_CODES.get(name, name)

    @property
    def created(self) -> str:
        """The release date as YYYY-MM-DD (day 01 or month 01 when not given), or ""."""
        return iso_date(self.release_date)


def parse_header(lines: list[str]) -> BookHeader:
    header, last = BookHeader(), None
    for line in lines:
        if match := _FIELD.match(line):
            last = _field_name(match.group(1))
            if not getattr(header, last):
                setattr(header, last, match.group(2).strip())
        elif last in ("title", "author") and line[:1].isspace() and line.strip():
            setattr(header, last, f"{getattr(header, last)} {line.strip()}")  # continued
        else:
            last = None
        if header.ebook_number is None and (number := _EBOOK_NUMBER.search(line)):
            header.ebook_number = int(number.group(1))
            if not header.release_date and iso_date(line):  # old: "August, 1998 [Etext #9]"
                header.release_date = line.strip()
    _fill_from_first_line(header, lines)
    header.release_date = _EBOOK_NUMBER.sub("", header.release_date).strip()
    return header


def iso_date(text: str) -> str:
    text = re.sub(r"\s+", " ", _EBOOK_NUMBER.sub("", text)).strip().rstrip(".")
    for date_format in _DATE_FORMATS:
        try:
            return datetime.strptime(text, date_format).date().isoformat()
        except ValueError:
            continue
    return ""


def _field_name(label: str) -> str:
    label = label.lower()
    return "release_date" if label in ("release date", "posting date") else label


def _fill_from_first_line(header: BookHeader, lines: list[str]) -> None:
    """Old headers: "The Project Gutenberg Etext of <title>, by <author>"."""
    if header.title:
        return
    for line in lines[:10]:
        if match := _OLD_TITLE.match(line.strip()):
            header.title = match.group("title").strip()
            header.author = header.author or (match.group("author") or "").strip()
            return
