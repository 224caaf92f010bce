"""Decoding Gutenberg texts (dolmakit.sources.books.decode) on literal bytes."""

from __future__ import annotations

import codecs

import pytest

from dolmakit.sources.books.decode import BookDecodeError, declared_charset, decode_book

HEADER = "Title: Le Moulin\r\nCharacter set encoding: {}\r\n\r\n*** START ***\r\n"


def book(charset: str, body: str, encoding: str) -> bytes:
    return (HEADER.format(charset) + body).encode(encoding)


def test_utf8_is_tried_first_and_a_bom_is_dropped() -> None:
    assert decode_book(codecs.BOM_UTF8 + "Vallée".encode()) == ("Vallée", "utf-8")
    assert decode_book(book("ISO-8859-1", "abc", "ascii"))[1] == "utf-8"  # ASCII is UTF-8


def test_the_declared_charset_decodes_what_utf8_cannot() -> None:
    text, codec = decode_book(book("ISO-8859-1", "Vallée, château", "latin-1"))
    assert text.endswith("Vallée, château") and codec == "iso8859-1"
    text, codec = decode_book(book("ISO-8859-7", "Ελλάδα", "iso-8859-7"))
    assert text.endswith("Ελλάδα") and codec == "iso8859-7"


def test_latin1_is_the_fallback_without_a_charset_or_for_ascii() -> None:
    assert decode_book("Noël".encode("latin-1")) == ("Noël", "iso8859-1")
    assert decode_book(book("ASCII", "Noël", "latin-1"))[0].endswith("Noël")


def test_a_declared_charset_that_does_not_fit_is_an_error() -> None:
    data = book("UTF-8", "caf", "ascii") + b"\xe9 cr\xe8me"
    with pytest.raises(BookDecodeError) as error:
        decode_book(data)
    assert error.value.kind == "undecodable" and "utf-8" in str(error.value)


def test_binary_content_is_refused() -> None:
    with pytest.raises(BookDecodeError) as error:
        decode_book(b"GIF89a\x01\x00\x01\x00\x80\x00\x00")
    assert error.value.kind == "binary_file" and "NUL byte at offset 7" in str(error.value)
    with pytest.raises(BookDecodeError):
        decode_book(bytes(range(1, 9)) * 50 + b"text" * 100)


def test_form_feeds_and_dos_end_of_file_are_text() -> None:
    assert decode_book(b"Chapter 1\r\n\x0cChapter 2\r\n\x1a")[0].startswith("Chapter 1")


def test_utf16_with_a_bom() -> None:
    assert decode_book("Über".encode("utf-16")) == ("Über", "utf-16")


@pytest.mark.parametrize(
    ("line", "codec"),
    [("ISO-8859-1", "iso8859-1"), ("ISO Latin-1", "iso8859-1"), ("UTF-8", "utf-8"),
     ("Unicode UTF-8", "utf-8"), ("ASCII", "ascii"), ("windows-1252", "cp1252"),
     ("something else", None)],
)  # fmt: skip
def test_declared_charset_spellings(line: str, codec: str | None) -> None:
    assert declared_charset(f"Title: X\nCharacter set encoding: {line}\n".encode()) == codec
