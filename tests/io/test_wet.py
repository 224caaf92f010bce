"""Tests for the WET reader (dolmakit.io.wet): Common Crawl's extracted text as documents."""

from __future__ import annotations

import io
from pathlib import Path

from conftest import shared_warc
from warcio.warcwriter import WARCWriter

from dolmakit.core.document import Document, ErrorRecord, Removed
from dolmakit.io.readers import ReadConfig, reader_for
from dolmakit.io.wet import WetReader

ADDED = "2026-01-01T00:00:00+00:00"


def read(path: Path) -> tuple[list, dict]:
    reader = WetReader(ReadConfig(), source="common-crawl", added=ADDED)
    return list(reader.read(str(path))), dict(reader.stats)


def write_wet(path: Path, texts: list[tuple[str, str, dict]]) -> None:
    """(url, text, extra WARC headers) -> conversion records, one gzip member each."""
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        writer.write_record(writer.create_warcinfo_record("x.warc.wet.gz", {"software": "test"}))
        for url, text, headers in texts:
            record = writer.create_warc_record(
                url,
                "conversion",
                payload=io.BytesIO(text.encode("utf-8")),
                warc_content_type="text/plain",
                warc_headers_dict=headers,
            )
            writer.write_record(record)


def test_whirlwind_wet() -> None:
    path = shared_warc("commoncrawl_whirlwind.warc.wet.gz")
    (doc,), stats = read(path)
    assert isinstance(doc, Document)
    assert doc.metadata["url"] == "https://an.wikipedia.org/wiki/Escopete"
    assert doc.metadata["cc_languages"] == "spa"
    assert doc.metadata["warc_refers_to"].startswith("<urn:uuid:")
    assert doc.id == "ba729a40-ff84-4085-8d48-0a5b2ee0c42d"
    assert doc.text.startswith("Escopete - Biquipedia")
    assert (doc.source, doc.added) == ("common-crawl", ADDED)
    assert stats == {"skipped_record_type/warcinfo": 1}


def test_suffix_picks_wet_over_warc() -> None:
    assert reader_for("s3://cc/x.warc.wet.gz") is WetReader
    assert reader_for("x.WET") is WetReader


def test_constructed_wet(tmp_path: Path) -> None:
    path = tmp_path / "x.warc.wet.gz"
    refers = "<urn:uuid:11111111-2222-3333-4444-555555555555>"
    write_wet(
        path,
        [
            ("http://a.org/", "  Hello wörld.\nSecond line.\n\n", {"WARC-Refers-To": refers}),
            ("http://b.org/", "", {}),
            ("http://c.org/", " \n\t\n", {"WARC-Identified-Content-Language": "deu,eng"}),
            ("http://d.org/", "Guten Tag.", {"WARC-Identified-Content-Language": "deu,eng"}),
        ],
    )
    items, stats = read(path)
    assert [type(item) for item in items] == [Document, Removed, Removed, Document]
    first, empty, blank, last = items
    assert first.text == "Hello wörld.\nSecond line."
    assert first.metadata["warc_refers_to"] == refers
    assert "cc_languages" not in first.metadata
    assert (empty.reason, empty.doc.metadata["url"]) == ("no_text", "http://b.org/")
    assert (blank.reason, blank.doc.metadata["cc_languages"]) == ("no_text", "deu,eng")
    assert (last.text, last.metadata["cc_languages"]) == ("Guten Tag.", "deu,eng")
    assert stats == {"skipped_record_type/warcinfo": 1}


def test_wet_invalid_utf8_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / "x.warc.wet.gz"
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        payload = io.BytesIO(b"caf\xc3\xa9 \xff end")
        writer.write_record(writer.create_warc_record("http://a.org/", "conversion", payload))
    (doc,), _ = read(path)
    assert doc.text == "café \ufffd end"


def test_wet_truncated_record(tmp_path: Path) -> None:
    path = tmp_path / "x.warc.wet"
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=False)
        payload = io.BytesIO(b"some extracted text " * 50)
        writer.write_record(writer.create_warc_record("http://a.org/", "conversion", payload))
    path.write_bytes(path.read_bytes()[:-400])
    (error,), _ = read(path)
    assert isinstance(error, ErrorRecord) and error.kind == "truncated_record"
    assert error.cause.startswith("record truncated: ") and error.cause.endswith(" of 1000 bytes")
    assert error.location["offset"] == 0
