"""WARC responses to documents with fastwarc and resiliparse.

Every response record becomes exactly one of: a document; a Removed (HTTP status, non-HTML
content, binary or empty body, oversized, no text); or an ErrorRecord (truncated record,
unparseable HTML). A corrupt stretch of a file becomes one ErrorRecord and reading resumes at the
next gzip member (or WARC header in an uncompressed file), so one bad byte loses one record.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import BinaryIO

from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems
from fastwarc.warc import ArchiveIterator, WarcRecord, WarcRecordType

from dolmakit.document import Document, Removed
from dolmakit.io.charset import decode_html
from dolmakit.io.html import html_to_text, looks_like_html, sniff_binary
from dolmakit.io.readers import READ_STEP, Item, Reader, register_reader

_GZIP_MAGIC = b"\x1f\x8b\x08"
_WARC_MAGIC = b"WARC/"
_SCAN_CHUNK = 1 << 20


class WarcFileReader(Reader):
    """Shared record loop of WARC and WET: typed records, resync after corruption, truncation."""

    record_types: WarcRecordType = WarcRecordType.response

    def read(self, path: str) -> Iterator[Item]:
        with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as stream:
            yield from self._read_stream(stream, path)

    def _read_stream(self, stream: BinaryIO, path: str) -> Iterator[Item]:
        magic = _GZIP_MAGIC if stream.read(2) == _GZIP_MAGIC[:2] else _WARC_MAGIC
        start, failure = 0, None
        while start is not None:
            stream.seek(start)
            last = start
            try:
                for record in self._records(stream):
                    last = record.stream_pos
                    if failure is not None:  # the first good record after a corrupt stretch
                        yield self._corrupt(path, failure, last)
                        failure = None
                    yield from self._typed(record, path)
                start = None
            except OSError as error:  # fastwarc's decompression and parse errors
                failure = failure or (last, str(error))
                start = _find_next(stream, magic, last + 1)
        if failure is not None:
            yield self._corrupt(path, failure, None)

    def _records(self, stream: BinaryIO) -> Iterator[WarcRecord]:
        # every type, so stream_pos advances past records we skip and resync can start after them
        return ArchiveIterator(stream, parse_http=False, quirks_mode=self.config.quirks_mode)

    def _typed(self, record: WarcRecord, path: str) -> Iterator[Item]:
        if not record.record_type & self.record_types:
            self.stats[f"skipped_record_type/{record.record_type}"] += 1
            return
        try:
            yield self.record_to_item(record, path)
        except OSError as error:  # body unreadable mid-record: the record is lost, say so
            yield self.error("unreadable_record", str(error), path, **_where(record))

    def record_to_item(self, record: WarcRecord, path: str) -> Item:
        raise NotImplementedError

    def _corrupt(self, path: str, failure: tuple[int, str], resumed: int | None) -> Item:
        offset, cause = failure
        tail = f"resumed at byte {resumed}" if resumed is not None else "nothing readable after it"
        return self.error(
            "corrupt_file", f"{cause} after byte {offset}; {tail}", path, offset=offset
        )

    def base_document(self, record: WarcRecord, text: str, path: str) -> Document:
        record_id = record.headers.get("WARC-Record-ID") or ""
        url = (record.headers.get("WARC-Target-URI") or "").strip("<>")
        return Document(
            id=document_id(record_id, path, record.stream_pos),
            text=text,
            source=self.source,
            added=self.added,
            created=record.headers.get("WARC-Date") or "",
            metadata={"url": url, "warc_record_id": record_id, "warc_file": path},
        )


@register_reader
class WarcReader(WarcFileReader):
    format_name = "warc"
    suffixes = (".warc", ".warc.gz")
    record_types = WarcRecordType.response

    def record_to_item(self, record: WarcRecord, path: str) -> Item:
        record.parse_http(quirks_mode=self.config.quirks_mode)
        doc = self.base_document(record, "", path)
        if not record.is_http or record.http_headers.status_code is None:
            return Removed(doc, READ_STEP, "not_http")
        status = record.http_headers.status_code
        doc.metadata["http_status"] = status
        if status not in self.config.http_statuses:
            return Removed(doc, READ_STEP, f"http_status_{status}")
        if record.content_length > self.config.max_body_bytes:
            return Removed(doc, READ_STEP, "body_too_large")
        body = record.reader.read()
        if len(body) < record.content_length:
            cause = f"record truncated: {len(body)} of {record.content_length} body bytes"
            return self.error("truncated_record", cause, path, **_where(record))
        if truncated := record.headers.get("WARC-Truncated"):
            doc.metadata["warc_truncated"] = truncated  # the crawler cut it; CCNet keeps these
        return self._html_item(doc, record, body, path)

    def _html_item(self, doc: Document, record: WarcRecord, body: bytes, path: str) -> Item:
        declared = (record.http_content_type or "").lower().strip()
        doc.metadata["content_type"] = declared
        if not body.strip():
            return Removed(doc, READ_STEP, "empty_body")
        if (
            declared
            and declared not in self.config.content_types
            and declared != "application/octet-stream"
        ):
            return Removed(doc, READ_STEP, f"non_html:{declared}")
        if binary := sniff_binary(body):
            return Removed(doc, READ_STEP, f"binary_body:{binary}")
        if declared not in self.config.content_types and not looks_like_html(body):
            return Removed(doc, READ_STEP, f"non_html:{declared or 'unknown'}")
        decoded = decode_html(body, record.http_charset)
        self.stats[f"charset_source/{decoded.source}"] += 1
        doc.metadata.update(charset=decoded.charset, charset_source=decoded.source)
        if decoded.replacements:
            doc.metadata["charset_replacements"] = decoded.replacements
        if decoded.rejected:
            doc.metadata["charset_rejected"] = list(decoded.rejected)
        try:
            doc.text, doc.metadata["title"] = html_to_text(decoded.text, self.config.html)
        except Exception as error:  # resiliparse raises its own parser exceptions
            return self.error("html_parse", repr(error), path, **_where(record))
        return doc if doc.text else Removed(doc, READ_STEP, "no_text")


def document_id(record_id: str, path: str, offset: int) -> str:
    """The record's UUID when it has one (deterministic and unique), else a hash of its location."""
    uuid = record_id.strip("<>").removeprefix("urn:uuid:")
    if uuid:
        return uuid
    return hashlib.sha1(f"{path}@{offset}".encode()).hexdigest()


def _where(record: WarcRecord) -> dict[str, object]:
    return {"offset": record.stream_pos, "record_id": record.headers.get("WARC-Record-ID") or ""}


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
