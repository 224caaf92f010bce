"""WARC responses to documents with fastwarc and resiliparse.

Every response record becomes exactly one of: a document; a Removed (HTTP status, non-HTML
content, binary or empty body, oversized, no text); or an ErrorRecord (truncated record,
unparseable HTML). A corrupt stretch of a file becomes one ErrorRecord and reading resumes at the
next gzip member (or WARC header in an uncompressed file), so one bad byte loses one record. A
file cut inside a gzip member, or holding no WARC record at all, is reported too.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import BinaryIO

from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems
from fastwarc.warc import ArchiveIterator, WarcRecord, WarcRecordType

from dolmakit.core.document import Document, ErrorRecord, Removed
from dolmakit.extract.charset import decode_html
from dolmakit.extract.html import (
    HTML_TYPES,
    HtmlConfig,
    html_to_text,
    looks_like_html,
    sniff_binary,
)
from dolmakit.extract.http import BodyTooLarge, decode_payload
from dolmakit.io.readers import READ_STEP, Item, Reader, register_reader

_GZIP_MAGIC = b"\x1f\x8b\x08"
_WARC_MAGIC = b"WARC/"
_HEADER_END = b"\r\n\r\n"
_MAX_HEADER = 1 << 16
_MAX_TRAILER = 64  # blank bytes a file may have after its last record
_SHOWN = 40  # bytes of a damaged header line an error shows
_SCAN_CHUNK = 1 << 20
# a header without WARC-Type, or with a value no WARC version defines (e.g. a flipped byte)
_DAMAGED_TYPES = (WarcRecordType.no_type, WarcRecordType.unknown)


@dataclass
class WarcFileOptions:
    """`read.options` of the WARC and WET readers."""

    # tolerate malformed WARC headers (WARC/0.18, LF-only HTTP headers in ClueWeb)
    quirks_mode: bool = True


@dataclass
class WarcOptions(WarcFileOptions):
    """`read.options` of the WARC reader: which HTTP responses become documents, and how their
    HTML becomes text."""

    html: HtmlConfig = field(default_factory=HtmlConfig)
    # HTTP content types extracted as HTML; other responses are removed as non_html
    content_types: list[str] = field(default_factory=lambda: list(HTML_TYPES))
    # larger responses are removed unread (Common Crawl itself truncates at 1 MiB)
    max_body_bytes: int = 10 << 20
    # only these HTTP status codes become documents; others are removed as http_status_<code>
    http_statuses: list[int] = field(default_factory=lambda: [200])


class WarcFileReader(Reader):
    """Shared record loop of WARC and WET: typed records, resync after corruption, truncation."""

    Options = WarcFileOptions
    record_types: WarcRecordType = WarcRecordType.response

    def read(self, path: str) -> Iterator[Item]:
        with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as stream:
            gzipped = stream.read(2) == _GZIP_MAGIC[:2]
            if gzipped:
                yield from self._read_stream(stream, path, None)
                return
            with _RecordBoundaries(path) as boundaries:
                yield from self._read_stream(stream, path, boundaries)

    def _read_stream(
        self, stream: BinaryIO, path: str, boundaries: _RecordBoundaries | None
    ) -> Iterator[Item]:
        gzipped = boundaries is None
        magic = _GZIP_MAGIC if gzipped else _WARC_MAGIC
        start, failure, last = 0, None, None  # last: (offset, item) of the latest record
        declared = None  # the latest record's Content-Length, while it is still to be checked
        expected = None  # where reading resumed after a bad boundary: a record must start there
        while start is not None:
            stream.seek(start)
            read_any = False
            try:
                for record in self._records(stream):
                    read_any = True
                    if failure is not None:  # the first good record after a corrupt stretch
                        yield self._corrupt(path, failure, record.stream_pos)
                        failure = None
                    if expected is not None and record.stream_pos > expected:
                        yield self._skipped_stretch(path, boundaries, expected, record.stream_pos)
                    expected = None
                    damage = self._check_end(boundaries, last, declared, record.stream_pos)
                    if damage is not None:
                        if damage.whole:  # fastwarc passed over the record after this one
                            yield from ([last[1]] if last[1] is not None else [])
                            last = (last[0], None)
                        else:
                            last = (last[0], self._bad_length(path, last, damage))
                        declared, expected = None, damage.resume
                        raise _Resume(damage.resume)
                    if last is not None and last[1] is not None:
                        yield last[1]
                    declared = record.content_length
                    last = (record.stream_pos, self._item(record, path))
                if expected is not None:  # nothing readable from where reading resumed
                    yield self._skipped_stretch(path, boundaries, expected, None)
                    expected = None
                damage = self._check_end(boundaries, last, declared, None)
                if damage is not None:  # the file's last record
                    last = (last[0], self._bad_length(path, last, damage))
                    declared, expected = None, damage.resume
                    raise _Resume(damage.resume)
                start = None
            except _Resume as resume:  # a wrong Content-Length: read again from the next record
                start = resume.offset
            except OSError as error:  # fastwarc's decompression and parse errors
                damage = self._check_end(boundaries, last, declared, None)
                declared, expected = None, None
                if damage is not None:  # the error is where a wrong Content-Length led it
                    last = (last[0], self._bad_length(path, last, damage))
                    start = expected = damage.resume
                    continue
                if last is not None and last[1] is not None:  # not the file's tail: let it go
                    yield last[1]
                    last = (last[0], None)
                damaged, start = self._resync(stream, magic, start if not read_any else None, last)
                failure = failure or (damaged, str(error))
        yield from self._finish(stream, path, gzipped, failure, last)

    def _resync(self, stream, magic, damaged, last) -> tuple[int, int | None]:
        """(where the damage starts, where to resume). The damage is the member after the last
        good record (or `damaged`, when nothing was read since the last restart)."""
        if damaged is None:
            damaged = _find_next(stream, magic, last[0] + 1)
            if damaged is None:  # nothing after the last good record starts a record
                return last[0], None
        return damaged, _find_next(stream, magic, damaged + 1)

    def _finish(self, stream, path, gzipped, failure, last) -> Iterator[Item]:
        """The held-back last item, checked against the file's tail, and any final damage."""
        offset, item = last if last is not None else (0, None)
        cut = _first_cut_member(stream, offset) if gzipped and failure is None else None
        if cut == offset and item is not None and not isinstance(item, ErrorRecord):
            cause = f"file ends inside this record (gzip member at byte {offset} is cut)"
            item = self.error("truncated_record", cause, path, offset=offset, record_id=_id(item))
        if item is not None:
            yield item
        if cut is not None and cut != offset or (cut == offset and last is None):
            yield self.error("corrupt_file", f"file ends inside a gzip member at byte {cut}", path,
                             offset=cut)  # fmt: skip
        if failure is not None:
            yield self._corrupt(path, failure, None)
        elif last is None and cut is None:
            size = _size(stream)
            empty = "the file is empty (0 bytes), often the trace of a failed download"
            cause = "no WARC record found in this file" if size else empty
            yield self.error("corrupt_file", cause, path, offset=0)

    def _records(self, stream: BinaryIO) -> Iterator[WarcRecord]:
        # every type, so stream_pos advances past records we skip and resync can start after them
        return ArchiveIterator(stream, parse_http=False, quirks_mode=self.options.quirks_mode)

    def _item(self, record: WarcRecord, path: str) -> Item | None:
        if record.record_type in _DAMAGED_TYPES:  # a damaged header: it may be a response
            cause = (f"the header ({record.headers.status_line}) names no known WARC-Type, so "
                     "what the record holds is unknown")  # fmt: skip
            return self.error("damaged_record", cause, path, **_where(record))
        if not record.record_type & self.record_types:
            self.stats[f"skipped_record_type/{record.record_type}"] += 1
            return None
        try:
            return self.record_to_item(record, path)
        except OSError as error:  # body unreadable mid-record: the record is lost, say so
            return self.error("unreadable_record", str(error), path, **_where(record))

    def record_to_item(self, record: WarcRecord, path: str) -> Item:
        raise NotImplementedError

    @staticmethod
    def _check_end(boundaries, last, declared, next_start) -> _Damage | None:
        if boundaries is None or declared is None or last is None:
            return None
        return boundaries.damage(last[0], declared, next_start)

    def _skipped_stretch(
        self, path: str, boundaries: _RecordBoundaries, begin: int, end: int | None
    ) -> ErrorRecord:
        """The bytes from `begin` (where a record should start) to the next record fastwarc
        could read (or the end of the file)."""
        first_line = boundaries.first_line(begin)
        until = f"-{end} skipped, reading resumed at the next record" if end else " to the end"
        cause = f"an unreadable record header ({first_line!r}): bytes {begin}{until}"
        return self.error("damaged_record", cause, path, offset=begin)

    def _bad_length(self, path: str, last: tuple, damage: _Damage) -> ErrorRecord:
        offset, item = last
        if damage.resume is None:
            tail = "no record starts after it"
        else:
            tail = (f"bytes {offset}-{damage.resume} skipped, reading resumed at byte "
                    f"{damage.resume}; {damage.records_inside} records inside its declared "
                    "length were read again")  # fmt: skip
        cause = (f"Content-Length {damage.declared} does not end the record (byte "
                 f"{damage.declared_end} is not where the next record starts); {tail}")  # fmt: skip
        record_id = _id(item) if item is not None and not isinstance(item, ErrorRecord) else ""
        return self.error("corrupt_record", cause, path, offset=offset, record_id=record_id)

    def _corrupt(self, path: str, failure: tuple[int, str], resumed: int | None) -> Item:
        offset, cause = failure
        tail = f"resumed at byte {resumed}" if resumed is not None else "nothing readable after it"
        return self.error("corrupt_file", f"{cause} at byte {offset}; {tail}", path, offset=offset)

    def base_document(self, record: WarcRecord, text: str, path: str) -> Document:
        record_id = record.headers.get("WARC-Record-ID") or ""
        url = (record.headers.get("WARC-Target-URI") or "").strip("<>")
        date = record.headers.get("WARC-Date") or ""
        metadata = {"url": url, "warc_record_id": record_id, "warc_file": path}
        if date and not _is_iso_date(date):
            metadata["warc_date"], date = date, ""  # ClueWeb has dates like 2008-10-294T...
        return Document(
            id=document_id(record_id, path, record.stream_pos),
            text=text,
            source=self.source,
            added=self.added,
            created=date,
            metadata=metadata,
        )


@register_reader
class WarcReader(WarcFileReader):
    format_name = "warc"
    suffixes = (".warc", ".warc.gz")
    Options = WarcOptions
    record_types = WarcRecordType.response

    def record_to_item(self, record: WarcRecord, path: str) -> Item:
        record.parse_http(quirks_mode=self.options.quirks_mode)
        doc = self.base_document(record, "", path)
        if not record.is_http or record.http_headers.status_code is None:
            return Removed(doc, READ_STEP, "not_http")
        status = record.http_headers.status_code
        doc.metadata["http_status"] = status
        if status not in self.options.http_statuses:
            return Removed(doc, READ_STEP, f"http_status_{status}")
        if record.content_length > self.options.max_body_bytes:
            return Removed(doc, READ_STEP, "body_too_large")
        body = record.reader.read()
        if len(body) < record.content_length:
            cause = f"record truncated: {len(body)} of {record.content_length} body bytes"
            return self.error("truncated_record", cause, path, **_where(record))
        if truncated := record.headers.get("WARC-Truncated"):
            doc.metadata["warc_truncated"] = truncated  # the crawler cut it; CCNet keeps these
        return self._decoded_item(doc, record, body, path)

    def _decoded_item(self, doc: Document, record: WarcRecord, body: bytes, path: str) -> Item:
        headers = record.http_headers
        try:
            payload = decode_payload(
                body,
                headers.get("Transfer-Encoding"),
                headers.get("Content-Encoding"),
                self.options.max_body_bytes,
            )
        except BodyTooLarge:
            return Removed(doc, READ_STEP, "body_too_large")
        if payload.notes:
            doc.metadata["http_decoding"] = payload.notes
        return self._html_item(doc, record, payload.body, path)

    def _html_item(self, doc: Document, record: WarcRecord, body: bytes, path: str) -> Item:
        declared = (record.http_content_type or "").lower().strip()
        doc.metadata["content_type"] = declared
        allowed = self.options.content_types
        if not body.strip():
            return Removed(doc, READ_STEP, "empty_body")
        if declared and declared not in allowed and declared != "application/octet-stream":
            return Removed(doc, READ_STEP, f"non_html:{declared}")
        if binary := sniff_binary(body):
            return Removed(doc, READ_STEP, f"binary_body:{binary}")
        if declared not in allowed and not looks_like_html(body):
            return Removed(doc, READ_STEP, f"non_html:{declared or 'unknown'}")
        decoded = decode_html(body, record.http_charset)
        self.stats[f"charset_source/{decoded.source}"] += 1
        doc.metadata.update(charset=decoded.charset, charset_source=decoded.source)
        if decoded.replacements:
            doc.metadata["charset_replacements"] = decoded.replacements
        if decoded.rejected:
            doc.metadata["charset_rejected"] = list(decoded.rejected)
        try:
            doc.text, doc.metadata["title"] = html_to_text(decoded.text, self.options.html)
        except Exception as error:  # resiliparse raises its own parser exceptions
            return self.error("html_parse", repr(error), path, **_where(record))
        return doc if doc.text else Removed(doc, READ_STEP, "no_text")


class _Resume(Exception):  # noqa: N818 (control flow, not an error)
    def __init__(self, offset: int | None):
        self.offset = offset


@dataclass(frozen=True)
class _Damage:
    declared: int  # the record's Content-Length
    declared_end: int  # where the record's Content-Length says it ends
    resume: int | None  # where the next record that starts after its header begins
    records_inside: int  # records that start between `resume` and where fastwarc went on
    whole: bool = False  # the record itself is fine; fastwarc skipped what follows it


class _RecordBoundaries:
    """In an uncompressed WARC only Content-Length says where a record ends: a wrong one makes
    fastwarc swallow the records after it into its body, or cut the body short, without an error
    (a .warc.gz is safe: each record is its own gzip member). So each record is checked to end
    with CRLF CRLF exactly where the next one starts, through a second handle that reads the
    few bytes this takes."""

    def __init__(self, path: str):
        self.raw = FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED)

    def __enter__(self) -> _RecordBoundaries:
        return self

    def __exit__(self, *exc: object) -> None:
        self.raw.close()

    def damage(self, start: int, declared: int, next_start: int | None) -> _Damage | None:
        """None when the record at `start` ends where the next record begins (`next_start`, or
        when fastwarc found none, a `WARC/` line or the end of the file); else what went wrong.
        A record that runs past the end of the file is left to the truncation check."""
        self.raw.seek(start)
        blank = self.raw.read(_MAX_HEADER).find(_HEADER_END)
        if blank < 0:
            return None  # fastwarc read a header here, so this one is beyond our judging
        body = start + blank + len(_HEADER_END)
        declared_end = body + declared + len(_HEADER_END)
        size = self.raw.seek(0, 2)
        if next_start is None and declared_end > size:
            return None
        self.raw.seek(declared_end - len(_HEADER_END))
        ending, following = self.raw.read(len(_HEADER_END)), self.raw.read(_MAX_TRAILER)
        lands_on_record = following.startswith(_WARC_MAGIC)
        if next_start is None:  # fastwarc stopped here: fine if a record or the end follows
            if ending == _HEADER_END and (lands_on_record or not following.strip()):
                return None
        elif declared_end == next_start:
            return None
        elif next_start > declared_end and (ending == _HEADER_END or lands_on_record):
            # this record is whole; fastwarc passed over what follows it: read from its end
            return _Damage(declared, declared_end, declared_end, 0, whole=True)
        resume = _find_next(self.raw, _WARC_MAGIC, body)  # the damaged one may be the separator
        swallowed_until = max(declared_end, next_start or 0)
        records_inside = self._records_from(resume, swallowed_until)
        return _Damage(declared, declared_end, resume, records_inside)

    def _records_from(self, begin: int | None, end: int) -> int:
        count, position = 0, begin
        while position is not None and position < end:
            count += 1
            position = _find_next(self.raw, _WARC_MAGIC, position + 1)
        return count

    def first_line(self, offset: int) -> str:
        """The start of the line at `offset`, as an error shows it."""
        self.raw.seek(offset)
        return self.raw.read(_SHOWN).split(b"\r\n", 1)[0].decode("ascii", "replace")


def document_id(record_id: str, path: str, offset: int) -> str:
    """The record's UUID when it has one (deterministic and unique), else a hash of its location."""
    uuid = record_id.strip("<>").removeprefix("urn:uuid:")
    if uuid:
        return uuid
    return hashlib.sha1(f"{path}@{offset}".encode()).hexdigest()


def _where(record: WarcRecord) -> dict[str, object]:
    return {"offset": record.stream_pos, "record_id": record.headers.get("WARC-Record-ID") or ""}


def _id(item: Item) -> str:
    doc = item.doc if isinstance(item, Removed) else item
    return doc.metadata.get("warc_record_id", "")


def _is_iso_date(text: str) -> bool:
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def _size(stream: BinaryIO) -> int:
    return stream.seek(0, 2)


def _find_next(stream: BinaryIO, magic: bytes, start: int) -> int | None:
    """The offset of the next occurrence of `magic` at or after `start`, scanning in chunks."""
    stream.seek(start)
    offset = start
    while chunk := stream.read(_SCAN_CHUNK + len(magic) - 1):
        found = chunk.find(magic)
        if found >= 0:
            return offset + found
        offset += _SCAN_CHUNK
        stream.seek(offset)
    return None


def _first_cut_member(stream: BinaryIO, start: int) -> int | None:
    """The offset of the first gzip member at or after `start` that ends before its end marker
    (fastwarc ends quietly at such a cut); None when every member there is whole."""
    stream.seek(start)
    tail, pos = stream.read(), 0
    while pos < len(tail) and tail.startswith(_GZIP_MAGIC, pos):
        decompressor, rest = zlib.decompressobj(31), tail[pos:]
        try:
            while rest and not decompressor.eof:
                decompressor.decompress(rest, _SCAN_CHUNK)  # bounded output, no memory spike
                rest = decompressor.unconsumed_tail
        except zlib.error:
            return start + pos
        if not decompressor.eof:
            return start + pos
        pos = len(tail) - len(decompressor.unused_data)
    return None
