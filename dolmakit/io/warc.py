"""WARC responses to documents with fastwarc and resiliparse.

Every response record becomes exactly one of: a document; a Removed (HTTP status, non-HTML
content, binary or empty body, oversized, no text); or an ErrorRecord (truncated record,
unparseable HTML). A corrupt stretch of a file becomes one ErrorRecord and reading resumes at the
next gzip member (or WARC header in an uncompressed file), so one bad byte loses one record. A
file cut inside a gzip member, or holding no WARC record at all, is reported too.
"""

from __future__ import annotations

import hashlib
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
from dolmakit.io.warc_scan import (
    GZIP_MAGIC,
    WARC_MAGIC,
    BadLength,
    Found,
    LengthDamage,
    RecordBoundaries,
    Resync,
    Skipped,
    Unreadable,
    WarcScanner,
    first_cut_member,
)

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
            gzipped = stream.read(2) == GZIP_MAGIC[:2]
            if gzipped:
                yield from self._read_stream(stream, path, None)
                return
            raw = FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED)
            with raw:
                yield from self._read_stream(stream, path, RecordBoundaries(raw))

    def _read_stream(
        self, stream: BinaryIO, path: str, boundaries: RecordBoundaries | None
    ) -> Iterator[Item]:
        """Each event of the file (WarcScanner) becomes items. A record's item is held back
        until the next event says whether the record ended where it should."""
        gzipped = boundaries is None
        resync = Resync(GZIP_MAGIC if gzipped else WARC_MAGIC)
        state = _ReadState()
        for event in WarcScanner(stream, self._records, resync, boundaries).events():
            match event:
                case Found(record):
                    yield from self._found(state, record, path)
                case BadLength(offset, damage):
                    yield from self._bad_length(state, offset, damage, path)
                case Skipped(begin, end):
                    yield self._skipped_stretch(path, boundaries, begin, end)
                case Unreadable(begin, _, cause):
                    yield from state.release()
                    state.failure = state.failure or (begin, cause)
        yield from self._finish(stream, path, gzipped, state.failure, state.last)

    def _found(self, state: _ReadState, record: WarcRecord, path: str) -> Iterator[Item]:
        if state.failure is not None:  # the first good record after a corrupt stretch
            yield self._corrupt(path, state.failure, record.stream_pos)
            state.failure = None
        yield from state.release()
        state.last = (record.stream_pos, self._item(record, path))

    def _bad_length(
        self, state: _ReadState, offset: int, damage: LengthDamage, path: str
    ) -> Iterator[Item]:
        """The latest record's held-back item: let go when the record is whole (fastwarc passed
        over what follows it), else replaced by the error that its Content-Length is wrong."""
        if damage.whole:
            yield from state.release()
        else:
            state.last = (offset, self._bad_length_error(path, state.last, damage))

    def _finish(self, stream, path, gzipped, failure, last) -> Iterator[Item]:
        """The held-back last item, checked against the file's tail, and any final damage."""
        offset, item = last if last is not None else (0, None)
        cut = first_cut_member(stream, offset) if gzipped and failure is None else None
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

    def _skipped_stretch(
        self, path: str, boundaries: RecordBoundaries, begin: int, end: int | None
    ) -> ErrorRecord:
        """The bytes from `begin` (where a record should start) to the next record fastwarc
        could read (or the end of the file)."""
        first_line = boundaries.first_line(begin)
        until = f"-{end} skipped, reading resumed at the next record" if end else " to the end"
        cause = f"an unreadable record header ({first_line!r}): bytes {begin}{until}"
        return self.error("damaged_record", cause, path, offset=begin)

    def _bad_length_error(self, path: str, last: tuple, damage: LengthDamage) -> ErrorRecord:
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


@dataclass
class _ReadState:
    """What the reader holds between events."""

    # the latest record's offset and its item, held back until the next event judges its end
    last: tuple[int, Item | None] | None = None
    failure: tuple[int, str] | None = None  # the first unreadable stretch not yet reported

    def release(self) -> Iterator[Item]:
        """The held-back item, let go (the record's end needs no more judging)."""
        if self.last is not None and self.last[1] is not None:
            yield self.last[1]
            self.last = (self.last[0], None)


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
