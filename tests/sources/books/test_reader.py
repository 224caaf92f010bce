"""The gutenberg reader (dolmakit.sources.books.reader) on book files written in tmp_path."""

from __future__ import annotations

import bz2
import gzip
import zipfile
from pathlib import Path

import pytest

from dolmakit.core.document import Document, ErrorRecord, Removed
from dolmakit.io.readers import ReadConfig
from dolmakit.sources.books.reader import GutenbergReader

ADDED = "2026-01-01T00:00:00+00:00"
BODY = "TIDE TABLES\r\n\r\nThe first line of the book.\r\nThe last line of the book.\r\n"
BOOK = (
    "The Project Gutenberg eBook of Tide Tables, by A. Writer\r\n\r\nTitle: Tide Tables\r\n"
    "Author: A. Writer\r\nRelease Date: May 5, 2005 [eBook #4242]\r\nLanguage: French\r\n"
    "Character set encoding: ISO-8859-1\r\n\r\n"
    "*** START OF THE PROJECT GUTENBERG EBOOK TIDE TABLES ***\r\n\r\nProduced by J. P.\r\n\r\n"
    + BODY
    + "\r\n*** END OF THE PROJECT GUTENBERG EBOOK TIDE TABLES ***\r\nLicence.\r\n"
)
TEXT = "TIDE TABLES\n\nThe first line of the book.\nThe last line of the book."


def read(path: Path, **options: object) -> list:
    reader = GutenbergReader(ReadConfig(options=dict(options)), source="books", added=ADDED)
    return list(reader.read(str(path)))


def test_a_book_becomes_one_document_with_its_header_as_metadata(tmp_path: Path) -> None:
    path = tmp_path / "4242-8.txt"
    path.write_bytes(BOOK.replace("book.", "bóók.").encode("latin-1"))
    (doc,) = read(path)
    assert doc == Document(
        id="4242-8.txt",
        text=TEXT.replace("book.", "bóók."),
        source="books",
        added=ADDED,
        created="2005-05-05",
        metadata={"title": "Tide Tables", "author": "A. Writer", "language": "fr",
                  "release_date": "May 5, 2005", "charset": "iso8859-1",
                  "license": "public-domain-us", "gutenberg_id": 4242,
                  "url": "https://www.gutenberg.org/ebooks/4242"},
    )  # fmt: skip


@pytest.mark.parametrize(("suffix", "compress"), [(".gz", gzip.compress), (".bz2", bz2.compress)])
def test_compressed_books_are_named_without_the_compression(tmp_path, suffix, compress) -> None:
    path = tmp_path / f"pg4242.txt{suffix}"
    path.write_bytes(compress(BOOK.encode("utf-8")))
    (doc,) = read(path)
    assert doc.id == "pg4242.txt" and doc.text == TEXT and doc.metadata["charset"] == "utf-8"


def test_each_txt_member_of_a_zip_is_a_book(tmp_path: Path) -> None:
    path = tmp_path / "4242-0.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("4242-0/4242-0.txt", BOOK)
        archive.writestr("4242-0/cover.jpg", b"\xff\xd8\xff\x00")
    reader = GutenbergReader(ReadConfig(), source="books", added="")
    (doc,) = reader.read(str(path))
    assert doc.id == "4242-0.zip/4242-0.txt" and doc.text == TEXT
    assert reader.stats["zip_members_skipped"] == 1  # the cover: counted, not a record


def test_a_zip_without_a_txt_member_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "4242-h.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("4242-h/4242-h.htm", "<html>a book</html>")
    (error,) = read(path)
    assert isinstance(error, ErrorRecord) and error.kind == "no_text_member"


def test_the_ebook_number_falls_back_to_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "777-0.txt"
    path.write_text(BOOK.replace(" [eBook #4242]", ""), encoding="utf-8")
    (doc,) = read(path)
    assert doc.metadata["gutenberg_id"] == 777
    assert doc.metadata["url"] == "https://www.gutenberg.org/ebooks/777"


def test_a_text_without_markers_is_kept_whole_or_removed(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("My own notes.\nNothing from Gutenberg.\n", encoding="utf-8")
    reader = GutenbergReader(ReadConfig(), source="books", added=ADDED)
    (doc,) = reader.read(str(path))
    assert (
        doc.text == "My own notes.\nNothing from Gutenberg." and "gutenberg_id" not in doc.metadata
    )
    assert reader.stats["markers/none"] == 1
    (removed,) = read(path, without_markers="remove")
    assert isinstance(removed, Removed) and removed.reason == "gutenberg_no_markers"


def test_a_book_with_nothing_between_the_markers_is_removed(tmp_path: Path) -> None:
    path = tmp_path / "1.txt"
    path.write_text(BOOK.replace(BODY, "\r\n\r\n"), encoding="utf-8")
    (removed,) = read(path)  # the credits paragraph is all there is, and it goes
    assert isinstance(removed, Removed) and removed.reason == "empty_text"
    (kept,) = read(path, strip_credits=False)
    assert kept.text == "Produced by J. P."


def test_binary_and_undecodable_files_are_errors(tmp_path: Path) -> None:
    binary, wrong = tmp_path / "cover.txt", tmp_path / "2.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    wrong.write_bytes(BOOK.replace("ISO-8859-1", "UTF-8").encode("utf-8") + b"caf\xe9\r\n")
    (error,) = read(binary)
    assert isinstance(error, ErrorRecord) and error.kind == "binary_file"
    assert error.location == {"file": str(binary), "name": "cover.txt"}
    (error,) = read(wrong)
    assert isinstance(error, ErrorRecord) and error.kind == "undecodable"


def test_damaged_archives_and_streams_are_errors(tmp_path: Path) -> None:
    cut_gzip, bad_zip = tmp_path / "3.txt.gz", tmp_path / "4.zip"
    cut_gzip.write_bytes(gzip.compress(BOOK.encode() * 50)[:300])
    bad_zip.write_bytes(b"PK\x03\x04 not really a zip")
    for path in (cut_gzip, bad_zip):
        (error,) = read(path)
        assert isinstance(error, ErrorRecord) and error.kind == "corrupt_file", path


def test_a_corrupt_zip_member_is_its_own_error_and_the_others_are_read(tmp_path: Path) -> None:
    path = tmp_path / "5.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("a.txt", BOOK)
        archive.writestr("b.txt", BOOK)
    data = bytearray(path.read_bytes())
    first = data.index(b"TIDE TABLES\r\n\r\nThe first")
    data[first] ^= 0x20  # a flipped byte: the CRC of a.txt no longer matches
    path.write_bytes(bytes(data))
    error, doc = read(path)
    assert isinstance(error, ErrorRecord) and error.location["member"] == "a.txt"
    assert isinstance(doc, Document) and doc.id == "5.zip/b.txt"


def test_files_over_max_bytes_are_errors(tmp_path: Path) -> None:
    path = tmp_path / "6.txt"
    path.write_text(BOOK, encoding="utf-8")
    (error,) = read(path, max_bytes=100)
    assert isinstance(error, ErrorRecord) and error.kind == "too_large"
