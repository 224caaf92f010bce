"""Common Crawl WET files: `conversion` records whose body is already extracted UTF-8 text."""

from __future__ import annotations

from fastwarc.warc import WarcRecord, WarcRecordType

from dolmakit.core.document import Removed
from dolmakit.io.readers import READ_STEP, Item, register_reader
from dolmakit.io.warc import WarcFileReader, _where


@register_reader
class WetReader(WarcFileReader):
    format_name = "wet"
    suffixes = (".wet", ".wet.gz", ".warc.wet.gz")
    record_types = WarcRecordType.conversion

    def record_to_item(self, record: WarcRecord, path: str) -> Item:
        body = record.reader.read()
        if len(body) < record.content_length:
            cause = f"record truncated: {len(body)} of {record.content_length} bytes"
            return self.error("truncated_record", cause, path, **_where(record))
        text = body.decode("utf-8", errors="replace").strip()
        doc = self.base_document(record, text, path)
        doc.metadata["warc_refers_to"] = record.headers.get("WARC-Refers-To") or ""
        if language := record.headers.get("WARC-Identified-Content-Language"):
            doc.metadata["cc_languages"] = language
        return doc if text else Removed(doc, READ_STEP, "no_text")
