"""Project Gutenberg plain-text books (.txt, .txt.gz, .txt.bz2, .zip): one document per book.

A book is one document, so a file is read whole (up to `max_bytes`; a Project Gutenberg text is
rarely over 10 MB): decoded (dolmakit.sources.books.decode), cut out of its header and footer
(.markers), its header fields parsed into metadata (.header). A `.zip` (Gutenberg's mirrors
carry `1342-0.zip` beside `1342-0.txt`) gives one document per `.txt` member. The document id is
the file name without its compression suffix (`1342-0.txt`; `1342-0.zip/1342-0.txt` for a zip
member): unique in a Gutenberg mirror, where the `-0` (UTF-8) and `-8` (8-bit) files of one book
are different files, and readable. The reader claims no suffix (`.txt` is too generic): set
`input.format: gutenberg`.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from dolmakit.core.document import Document, Removed
from dolmakit.io.files import DECOMPRESSION_ERRORS, open_decompressed
from dolmakit.io.readers import READ_STEP, Item, Reader, register_reader
from dolmakit.sources.books.decode import BookDecodeError, decode_book
from dolmakit.sources.books.header import BookHeader, parse_header
from dolmakit.sources.books.markers import BookBounds, book_text, find_book

_COMPRESSION = re.compile(r"\.(gz|bz2|zst|zstd)$", re.IGNORECASE)
_NUMBER_IN_NAME = re.compile(r"^(?:pg)?(\d+)(?:-\d)?(?:\.txt)?$", re.IGNORECASE)
EBOOK_URL = "https://www.gutenberg.org/ebooks/{}"


@dataclass
class GutenbergOptions:
    # a text without START/END markers (not a Gutenberg file, or a damaged one): "keep" it whole
    # (counted as markers/none) or "remove" it as gutenberg_no_markers
    without_markers: Literal["keep", "remove"] = "keep"
    # drop the "Produced by ..." credits paragraph that follows the start marker
    strip_credits: bool = True
    # larger files (or zip members) are errors (too_large): a book is held in memory whole
    max_bytes: int = 64 << 20


@register_reader
class GutenbergReader(Reader):
    format_name = "gutenberg"
    suffixes = ()  # .txt and .zip are too generic to claim: set input.format: gutenberg
    Options = GutenbergOptions

    def read(self, path: str) -> Iterator[Item]:
        if path.lower().endswith(".zip"):
            yield from self._read_zip(path)
            return
        try:
            with open_decompressed(path) as stream:
                data = stream.read(self.options.max_bytes + 1)
        except DECOMPRESSION_ERRORS as error:  # a corrupt or cut compressed stream
            yield self.error("corrupt_file", f"{type(error).__name__}: {error}", path)
            return
        yield self.book(data, path, _COMPRESSION.sub("", posixpath.basename(path)))

    def _read_zip(self, path: str) -> Iterator[Item]:
        try:
            with (
                open_decompressed(path) as raw,  # a .zip is opened as it is
                zipfile.ZipFile(raw) as archive,
            ):
                books = 0
                for member in archive.infolist():
                    if member.filename.lower().endswith(".txt"):
                        books += 1
                        yield self._zip_member(archive, member, path)
                    elif not member.is_dir():  # images, HTML copies: not records, but counted
                        self.stats["zip_members_skipped"] += 1
                if not books:
                    yield self.error("no_text_member", "the zip holds no .txt file", path)
        except (zipfile.BadZipFile, *DECOMPRESSION_ERRORS) as error:
            yield self.error("corrupt_file", f"{type(error).__name__}: {error}", path)

    def _zip_member(self, archive: zipfile.ZipFile, member: zipfile.ZipInfo, path: str) -> Item:
        name = f"{posixpath.basename(path)}/{posixpath.basename(member.filename)}"
        if member.file_size > self.options.max_bytes:
            return self._too_large(path, member=member.filename)
        try:
            data = archive.read(member)
        except (zipfile.BadZipFile, *DECOMPRESSION_ERRORS) as error:  # CRC errors included
            cause = f"{type(error).__name__}: {error}"
            return self.error("corrupt_file", cause, path, member=member.filename)
        return self.book(data, path, name)

    def book(self, data: bytes, path: str, name: str) -> Item:
        """The document of one book file's bytes, named `name` (its id)."""
        if len(data) > self.options.max_bytes:
            return self._too_large(path)
        try:
            text, charset = decode_book(data)
        except BookDecodeError as error:
            return self.error(error.kind, str(error), path, name=name)
        self.stats[f"charset/{charset}"] += 1
        return self._document(text, charset, name)

    def _document(self, text: str, charset: str, name: str) -> Document | Removed:
        text = text.replace("\r\n", "\n")
        if "\r" in text:  # old Macintosh line ends (rare; the check is a fast scan)
            text = text.replace("\r", "\n")
        bounds = find_book(text, self.options.strip_credits)
        header = parse_header(text[: bounds.header_end].split("\n"))
        doc = Document(
            id=name,
            text=book_text(text, bounds),
            source=self.source,
            added=self.added,
            created=header.created,
            metadata=_metadata(header, charset, name, "COPYRIGHTED" in text[: bounds.start]),
        )
        missing = _missing_markers(bounds)
        if missing:
            self.stats[f"markers/{missing}"] += 1
        if missing == "none" and self.options.without_markers == "remove":
            return Removed(doc, READ_STEP, "gutenberg_no_markers")
        if not doc.text.strip():
            return Removed(doc, READ_STEP, "empty_text")
        return doc

    def _too_large(self, path: str, **where: str) -> Item:
        cause = f"over read.options.max_bytes ({self.options.max_bytes:,} bytes)"
        return self.error("too_large", cause, path, **where)


def _metadata(header: BookHeader, charset: str, name: str, copyrighted: bool) -> dict:
    number = header.ebook_number or _number_from_name(name)
    metadata = {
        "title": header.title,
        "author": header.author,
        "language": header.language_code,
        "release_date": header.release_date,
        "charset": charset,
        # Gutenberg's texts are public domain in the USA, but for the few it marks copyrighted
        "license": "copyrighted" if copyrighted else "public-domain-us",
    }
    if number is not None:
        metadata |= {"gutenberg_id": number, "url": EBOOK_URL.format(number)}
    return metadata


def _missing_markers(bounds: BookBounds) -> str:
    """ "" when both markers were found, else no_start, no_end or none."""
    if bounds.has_start and bounds.has_end:
        return ""
    if bounds.has_start or bounds.has_end:
        return "no_end" if bounds.has_start else "no_start"
    return "none"


def _number_from_name(name: str) -> int | None:
    """1342 from Gutenberg's own names: 1342.txt, 1342-0.txt, 1342-8.txt, pg1342.txt."""
    match = _NUMBER_IN_NAME.match(posixpath.basename(name))
    return int(match.group(1)) if match else None
