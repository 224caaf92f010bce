"""Tests for the WARC reader (dolmakit.io.warc): real captures, constructed records, damaged files.

Every response record must come out as exactly one document, removal (with a reason) or error
(with a kind, a cause and a location).
"""

from __future__ import annotations

import hashlib
import random
import re
from collections import Counter
from pathlib import Path

import pytest
from conftest import Response, shared_warc, write_warc
from fastwarc.warc import ArchiveIterator

from dolmakit.core.document import Document, ErrorRecord, Removed
from dolmakit.core.errors import ConfigError
from dolmakit.io.readers import ReadConfig
from dolmakit.io.warc import WarcReader, document_id

ADDED = "2026-01-01T00:00:00+00:00"
UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")


# ---------------------------------------------------------------- helpers


def read(path: Path, config: ReadConfig | None = None) -> tuple[list, Counter]:
    reader = WarcReader(config or ReadConfig(), source="common-crawl", added=ADDED)
    items = list(reader.read(str(path)))
    return items, reader.stats


def documents(items: list) -> list[Document]:
    return [item for item in items if isinstance(item, Document)]


def reasons(items: list) -> Counter:
    return Counter(item.reason for item in items if isinstance(item, Removed))


def errors(items: list) -> list[ErrorRecord]:
    return [item for item in items if isinstance(item, ErrorRecord)]


def urls(items: list) -> list[str]:
    return [doc.metadata["url"] for doc in documents(items)]


def read_one(tmp_path: Path, response: Response, config: ReadConfig | None = None):
    """Writes one response, reads it back, and returns the single item it became."""
    path = tmp_path / "one.warc.gz"
    write_warc(path, [response])
    items, _ = read(path, config)
    assert len(items) == 1, items
    return items[0]


def html(body: str, title: str = "A page", head: str = "") -> str:
    return f"<html><head>{head}<title>{title}</title></head><body>{body}</body></html>"


def article(number: int) -> bytes:
    return html(
        f"<article><h1>Page {number}</h1><p>This is the body of page number {number}, a "
        "paragraph with enough words to count as the main content of the page.</p>"
        f"<p>Another sentence about topic {number} follows here.</p></article>",
        title=f"Page {number}",
    ).encode()


def ten_pages(path: Path, *, compress: bool = True) -> list[int]:
    responses = [Response(f"http://example.com/{i}", article(i)) for i in range(10)]
    return write_warc(path, responses, compress=compress)


def all_urls_but(*missing: int) -> list[str]:
    return [f"http://example.com/{i}" for i in range(10) if i not in missing]


# ---------------------------------------------------------------- real captures

# name: (WARC records in the file, documents, removals by reason, errors by kind)
CAPTURES = {
    "resiliparse_warcfile.warc.gz": (50, 16, {}, {}),
    "resiliparse_clueweb-quirk.warc.gz": (30, 29, {}, {}),
    "resiliparse_clipped.warc.gz": (1, 0, {}, {"truncated_record": 1}),
    "dolma_sample-0000.warc.gz": (48, 22, {}, {}),
    "dolma_sample-0001.warc.gz": (34, 15, {}, {}),
    "commoncrawl_whirlwind.warc.gz": (4, 1, {}, {}),
    "warcat_at.warc.gz": (8, 1, {"http_status_301": 1}, {}),
}


@pytest.mark.parametrize("name", sorted(CAPTURES))
def test_real_capture_counts_add_up(name: str) -> None:
    path = shared_warc(name)
    records, n_docs, removed, error_kinds = CAPTURES[name]
    items, stats = read(path)
    with path.open("rb") as stream:
        types = Counter(str(r.record_type) for r in ArchiveIterator(stream, parse_http=False))
    assert sum(types.values()) == records
    assert len(items) == types["response"]
    assert len(documents(items)) == n_docs
    assert reasons(items) == Counter(removed)
    assert Counter(error.kind for error in errors(items)) == Counter(error_kinds)
    skipped = sum(n for key, n in stats.items() if key.startswith("skipped_record_type/"))
    assert skipped + len(items) == records
    charset_sources = sum(n for key, n in stats.items() if key.startswith("charset_source/"))
    assert charset_sources == n_docs
    for doc in documents(items):
        assert doc.text.strip() and doc.source == "common-crawl" and doc.added == ADDED
        assert doc.metadata["warc_file"] == str(path)
        assert doc.metadata["http_status"] == 200


def test_resiliparse_warcfile_charsets() -> None:
    items, stats = read(shared_warc("resiliparse_warcfile.warc.gz"))
    by_url = {doc.metadata["url"]: doc for doc in documents(items)}
    russian = by_url["http://01spb.ru/company/"]
    assert (russian.metadata["charset"], russian.metadata["charset_source"]) == (
        "cp1251",
        "http_header",
    )
    assert russian.text.startswith("Стратегия пожарной безопасности\n\nООО\xa0«СПБ»")
    assert {doc.metadata["charset"] for doc in by_url.values()} >= {"gbk", "cp1251", "utf-8"}
    assert stats["charset_source/http_header"] == 7 and stats["charset_source/html_meta"] == 8
    assert stats["charset_source/bom"] == 1  # 05925.net starts with a UTF-8 byte order mark
    assert all("\ufffd" not in doc.text for doc in by_url.values())


def test_clueweb_quirk_euc_jp_decodes() -> None:
    docs = documents(read(shared_warc("resiliparse_clueweb-quirk.warc.gz"))[0])
    assert len(docs) == 29
    for doc in docs:
        assert doc.metadata["charset"] == "euc_jp"
        assert doc.metadata["charset_source"] == "http_header"
        assert len(JAPANESE.findall(doc.text)) > 100
        assert not re.search("[¥¤Ã\ufffd]", doc.text), doc.text[:200]
        assert doc.metadata["url"].startswith("http://www.uraharajuku.st/")
    assert "吉田カバン" in docs[0].text


def test_clipped_record_is_one_truncated_record_error() -> None:
    path = shared_warc("resiliparse_clipped.warc.gz")
    (error,) = read(path)[0]
    assert isinstance(error, ErrorRecord)
    assert (error.step, error.kind) == ("read", "truncated_record")
    assert error.cause == "record truncated: 74970 of 88038 body bytes"
    assert error.location == {
        "file": str(path),
        "offset": 0,
        "record_id": "<urn:uuid:f3dfa8fa-f031-4a38-90cc-1dcee3d07bb5>",
    }


@pytest.mark.parametrize("name", ["dolma_sample-0000.warc.gz", "dolma_sample-0001.warc.gz"])
def test_dolma_samples_urls_and_ids(name: str) -> None:
    docs = documents(read(shared_warc(name))[0])
    for doc in docs:
        url = doc.metadata["url"]
        assert url.startswith("https://") and "<" not in url and ">" not in url
        assert UUID.match(doc.id)
        assert doc.metadata["warc_record_id"] == f"<urn:uuid:{doc.id}>"
    assert len({doc.id for doc in docs}) == len(docs)


def test_commoncrawl_whirlwind_page() -> None:
    (doc,) = read(shared_warc("commoncrawl_whirlwind.warc.gz"))[0]
    assert doc.id == "2aabeff2-67f5-4608-8466-e87c6296e2b6"
    assert doc.metadata["url"] == "https://an.wikipedia.org/wiki/Escopete"
    assert doc.text.startswith("Escopete")


def test_warcat_redirect_removed() -> None:
    items, _ = read(shared_warc("warcat_at.warc.gz"))
    removed = [item for item in items if isinstance(item, Removed)]
    assert [(r.reason, r.doc.metadata["url"]) for r in removed] == [
        ("http_status_301", "http://www.archiveteam.org/")
    ]
    assert removed[0].doc.metadata["http_status"] == 301
    assert urls(items) == ["http://www.archiveteam.org/index.php?title=Main_Page"]


def test_warcat_chunked_page_has_no_chunk_markers() -> None:
    (doc,) = documents(read(shared_warc("warcat_at.warc.gz"))[0])
    assert doc.text.startswith("Main Page\n\nFrom Archiveteam")  # not "5db1 ..."
    assert not doc.text.endswith("\n0")


# ---------------------------------------------------------------- HTTP status and content type


URL = "http://x.org/"
OCTET = "binary_body:application/octet-stream"
REMOVED = {
    "404": (Response(URL, article(1), status="404 Not Found"), "http_status_404"),
    "pdf": (Response(URL, b"%PDF-1.7\n...", "application/pdf"), "non_html:application/pdf"),
    "png": (Response(URL, b"\x89PNG\r\n\x1a\n\0\0", "image/png"), "non_html:image/png"),
    "csv": (Response(URL, b"a,b\n1,2\n", "text/csv"), "non_html:text/csv"),
    "html-pdf-magic": (Response(URL, b"%PDF-1.4\n%\xe2\xe3\n"), "binary_body:application/pdf"),
    "html-nul": (Response(URL, b"<html>\0\0\0\x01\x02</html>"), OCTET),
    "empty": (Response(URL, b""), "empty_body"),
    "blank": (Response(URL, b" \r\n\t "), "empty_body"),
    "untyped-binary": (Response(URL, b"\0\x01\x02\x03binary", None), OCTET),
    "untyped-text": (Response(URL, b"just some plain words, no markup", None), "non_html:unknown"),
}


@pytest.mark.parametrize("case", list(REMOVED))
def test_removed_with_reason(tmp_path: Path, case: str) -> None:
    response, reason = REMOVED[case]
    item = read_one(tmp_path, response)
    assert isinstance(item, Removed)
    assert (item.step, item.reason) == ("read", reason)
    assert item.doc.metadata["url"] == "http://x.org/"


@pytest.mark.parametrize("content_type", [None, "application/octet-stream", "TEXT/HTML"])
def test_html_without_proper_content_type_is_a_document(tmp_path: Path, content_type) -> None:
    doc = read_one(tmp_path, Response("http://x.org/", article(3), content_type))
    assert isinstance(doc, Document)
    assert doc.text.startswith("Page 3\n\nThis is the body of page number 3")
    assert doc.metadata["title"] == "Page 3"


def test_document_fields(tmp_path: Path) -> None:
    record_id = "<urn:uuid:12345678-1234-5678-1234-567812345678>"
    path = tmp_path / "one.warc.gz"
    write_warc(path, [Response("http://x.org/a", article(1), record_id=record_id)])
    (doc,) = read(path)[0]
    assert doc.id == "12345678-1234-5678-1234-567812345678"
    assert (doc.source, doc.added) == ("common-crawl", ADDED)
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", doc.created)
    assert doc.metadata == {
        "url": "http://x.org/a",
        "warc_record_id": record_id,
        "warc_file": str(path),
        "http_status": 200,
        "content_type": "text/html",
        "charset": "utf-8",
        "charset_source": "http_header",
        "title": "Page 1",
    }


@pytest.mark.parametrize(
    "body",
    [
        html('<nav><ul><li><a href="/">Home</a></li><li><a href="/a">About</a></li></ul></nav>'),
        html(""),
        html("<script>var x = 1;</script><style>p {color: red}</style>"),
    ],
    ids=["nav-only", "empty-body", "script-only"],
)
def test_page_without_text_is_no_text(tmp_path: Path, body: str) -> None:
    item = read_one(tmp_path, Response("http://x.org/", body.encode()))
    assert isinstance(item, Removed) and item.reason == "no_text"
    assert item.doc.metadata["title"] == "A page"


def test_only_configured_statuses_and_types(tmp_path: Path) -> None:
    not_found = Response("http://x.org/", article(1), "text/plain", "404 Not Found")
    assert read_one(tmp_path, not_found).reason == "http_status_404"
    config = ReadConfig(options={"http_statuses": [200, 404], "content_types": ["text/plain"]})
    kept = read_one(tmp_path, not_found, config)
    assert isinstance(kept, Document) and kept.metadata["http_status"] == 404
    html_now_foreign = read_one(tmp_path, Response("http://x.org/", article(1)), config)
    assert html_now_foreign.reason == "non_html:text/html"


# ---------------------------------------------------------------- size limits


def test_body_over_max_body_bytes(tmp_path: Path) -> None:
    config = ReadConfig(options={"max_body_bytes": 1000})
    page = html("<p>" + "word " * 1000 + "</p>").encode()
    assert len(page) > 5000
    item = read_one(tmp_path, Response("http://x.org/big", page), config)
    assert isinstance(item, Removed) and item.reason == "body_too_large"


def test_body_at_max_body_bytes_is_kept(tmp_path: Path) -> None:
    page = html("<p>" + "word " * 300 + "</p>").encode()
    response = Response("http://x.org/", page)
    assert isinstance(
        read_one(tmp_path, response, ReadConfig(options={"max_body_bytes": len(page)})), Document
    )
    too_small = ReadConfig(options={"max_body_bytes": len(page) - 1})
    assert read_one(tmp_path, response, too_small).reason == "body_too_large"


def test_50_megabyte_response_does_not_crash(tmp_path: Path) -> None:
    sentence = b"All work and no play makes Jack a dull boy. "
    page = b"<html><body><p>" + sentence * (50_000_000 // len(sentence)) + b"</p></body></html>"
    path = tmp_path / "big.warc.gz"
    write_warc(path, [Response("http://x.org/big", page), Response("http://x.org/", article(1))])
    items, _ = read(path)
    assert len(items) == 2
    assert isinstance(items[0], Removed) and items[0].reason == "body_too_large"
    assert urls(items) == ["http://x.org/"]


# ---------------------------------------------------------------- charsets

RUSSIAN = "Москва — столица России. Привет, мир! Съешь же ещё этих мягких французских булок."
GERMAN = (
    "Über die Brücke gingen fünf große Bären. Die Straße war schön, und die Mädchen aßen "
    "Äpfel, während die Jungen über Ökonomie und Geschäfte sprachen. Grüße aus Köln und "
    "München; das Wetter ist heiß, die Bäume blühen, und jeder möchte draußen spielen."
)
JAPANESE_TEXT = "日本語のテキストです。これはシフトジスで書かれたページです。東京は日本の首都です。"


def charset_doc(tmp_path: Path, text: str, encoding: str, content_type: str, head: str = ""):
    body = html(f"<p>{text}</p>", head=head).encode(encoding)
    doc = read_one(tmp_path, Response("http://x.org/", body, content_type))
    assert isinstance(doc, Document), doc
    return doc


def test_charset_from_http_header(tmp_path: Path) -> None:
    doc = charset_doc(tmp_path, RUSSIAN, "cp1251", "text/html; charset=windows-1251")
    assert doc.text == RUSSIAN
    assert (doc.metadata["charset"], doc.metadata["charset_source"]) == ("cp1251", "http_header")
    assert "charset_rejected" not in doc.metadata


def test_charset_from_meta_only(tmp_path: Path) -> None:
    head = '<meta http-equiv="Content-Type" content="text/html; charset=shift_jis">'
    doc = charset_doc(tmp_path, JAPANESE_TEXT, "shift_jis", "text/html", head)
    assert doc.text == JAPANESE_TEXT
    assert (doc.metadata["charset"], doc.metadata["charset_source"]) == ("shift_jis", "html_meta")


def test_undeclared_latin1_is_detected(tmp_path: Path) -> None:
    doc = charset_doc(tmp_path, GERMAN, "latin-1", "text/html")
    assert doc.text == GERMAN
    assert (doc.metadata["charset"], doc.metadata["charset_source"]) == ("cp1252", "detected")


def test_lying_utf8_header_over_cp1252(tmp_path: Path) -> None:
    doc = charset_doc(tmp_path, GERMAN, "cp1252", "text/html; charset=utf-8")
    assert doc.text == GERMAN
    assert doc.metadata["charset_rejected"] == ["utf-8"]
    assert doc.metadata["charset"] == "cp1252"
    assert doc.metadata["charset_source"] == "detected"


def test_unknown_charset_label_falls_back(tmp_path: Path) -> None:
    doc = charset_doc(tmp_path, RUSSIAN, "utf-8", "text/html; charset=x-bogus")
    assert doc.text == RUSSIAN
    assert (doc.metadata["charset"], doc.metadata["charset_source"]) == ("utf-8", "detected")
    assert "charset_rejected" not in doc.metadata and "charset_replacements" not in doc.metadata


def test_undecodable_bytes_are_replaced_and_counted(tmp_path: Path) -> None:
    body = b"<html><body><p>caf\xc3\xa9 and a stray \xff\xfe byte pair in utf-8</p></body></html>"
    doc = read_one(tmp_path, Response("http://x.org/", body, "text/html; charset=utf-8"))
    assert isinstance(doc, Document)
    assert (doc.metadata["charset"], doc.metadata["charset_source"]) == ("utf-8", "fallback")
    assert doc.metadata["charset_rejected"] == ["utf-8"]
    assert doc.metadata["charset_replacements"] == 2
    assert doc.text == "café and a stray \ufffd\ufffd byte pair in utf-8"


# ---------------------------------------------------------------- ids


def test_ids_are_deterministic(tmp_path: Path) -> None:
    path = tmp_path / "pages.warc.gz"
    ten_pages(path)
    first, second = (documents(read(path)[0]) for _ in range(2))
    assert [d.id for d in first] == [d.id for d in second]
    assert len({d.id for d in first}) == 10
    for doc in first:
        assert UUID.match(doc.id) and doc.metadata["warc_record_id"] == f"<urn:uuid:{doc.id}>"


def test_document_id_uses_uuid_else_location_hash() -> None:
    assert document_id("<urn:uuid:abc-123>", "f.warc.gz", 7) == "abc-123"
    expected = hashlib.sha1(b"s3://bucket/f.warc.gz@1234").hexdigest()
    assert document_id("", "s3://bucket/f.warc.gz", 1234) == expected
    assert document_id("<>", "s3://bucket/f.warc.gz", 1234) == expected
    assert document_id("", "s3://bucket/f.warc.gz", 1235) != expected
    assert document_id("", "s3://bucket/g.warc.gz", 1234) != expected


# ---------------------------------------------------------------- damaged files


def damage(path: Path, at: int, length: int = 40, fill: bytes = b"\0") -> None:
    data = bytearray(path.read_bytes())
    data[at : at + length] = fill * length
    path.write_bytes(bytes(data))


def test_corrupt_gzip_member_loses_one_record(tmp_path: Path) -> None:
    path = tmp_path / "pages.warc.gz"
    offsets = ten_pages(path)
    damage(path, (offsets[5] + offsets[6]) // 2)
    items, _ = read(path)
    (error,) = errors(items)
    assert error.kind == "corrupt_file" and error.location["file"] == str(path)
    assert offsets[4] <= error.location["offset"] <= offsets[5]
    assert f"at byte {error.location['offset']}" in error.cause
    assert f"resumed at byte {offsets[6]}" in error.cause
    assert urls(items) == all_urls_but(5)
    assert items.index(error) == 5  # reported where the lost record was
    assert len(items) == 10


def test_corrupt_gzip_member_offset_is_the_damaged_record(tmp_path: Path) -> None:
    path = tmp_path / "pages.warc.gz"
    offsets = ten_pages(path)
    damage(path, (offsets[5] + offsets[6]) // 2)
    (error,) = errors(read(path)[0])
    assert error.location["offset"] == offsets[5]


def test_two_corrupt_members_give_two_errors(tmp_path: Path) -> None:
    path = tmp_path / "pages.warc.gz"
    offsets = ten_pages(path)
    damage(path, (offsets[2] + offsets[3]) // 2)
    damage(path, (offsets[7] + offsets[8]) // 2)
    items, _ = read(path)
    assert [e.kind for e in errors(items)] == ["corrupt_file", "corrupt_file"]
    assert urls(items) == all_urls_but(2, 7)


def test_truncated_in_last_body_is_truncated_record(tmp_path: Path) -> None:
    path = tmp_path / "pages.warc.gz"
    offsets = ten_pages(path)
    size = path.stat().st_size
    path.write_bytes(path.read_bytes()[: size - (size - offsets[9]) // 4])
    items, _ = read(path)
    assert urls(items) == all_urls_but(9)
    (error,) = errors(items)
    assert error.kind == "truncated_record"
    assert re.fullmatch(r"record truncated: \d+ of 2\d\d body bytes", error.cause)
    assert error.location["file"] == str(path)
    assert set(error.location) == {"file", "offset", "record_id"}


@pytest.mark.parametrize("fraction", [0.05, 0.5], ids=["warc-headers", "http-headers"])
def test_truncated_mid_record_is_reported(tmp_path: Path, fraction: float) -> None:
    path = tmp_path / "pages.warc.gz"
    offsets = ten_pages(path)
    size = path.stat().st_size
    path.write_bytes(path.read_bytes()[: offsets[9] + int((size - offsets[9]) * fraction)])
    items, _ = read(path)
    assert urls(items) == all_urls_but(9)
    assert [e.kind in ("truncated_record", "corrupt_file") for e in errors(items)] == [True]
    assert len(items) == 10


def test_garbage_after_last_record(tmp_path: Path) -> None:
    path = tmp_path / "pages.warc.gz"
    offsets = ten_pages(path)
    path.write_bytes(path.read_bytes() + b"this is not gzip, just trailing junk\n" * 20)
    items, _ = read(path)
    assert urls(items) == all_urls_but()
    (error,) = errors(items)
    assert error.kind == "corrupt_file"
    assert "nothing readable after it" in error.cause
    assert error.location["offset"] == offsets[9]


def test_uncompressed_warc_reads_and_resyncs(tmp_path: Path) -> None:
    path = tmp_path / "pages.warc"
    offsets = ten_pages(path, compress=False)
    assert urls(read(path)[0]) == all_urls_but()
    damage(path, offsets[5], fill=b"#")  # the 'WARC/1.0' line and the record type
    assert urls(read(path)[0]) == all_urls_but(5)


def test_uncompressed_damaged_record_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "pages.warc"
    offsets = ten_pages(path, compress=False)
    damage(path, offsets[5], fill=b"#")
    items, _ = read(path)
    assert len(items) == 10
    assert [(e.kind, e.cause, e.location["offset"]) for e in errors(items)] == [
        (
            "damaged_record",
            "an unreadable record header ('" + "#" * 40 + "'): "
            f"bytes {offsets[5]}-{offsets[6]} skipped, reading resumed at the next record",
            offsets[5],
        )
    ]


def random_bytes(size: int) -> bytes:
    data = random.Random(1).randbytes(size)
    return b"\x00" + data  # never starts with the gzip magic


@pytest.mark.parametrize("name", ["noise.warc.gz", "noise.warc"])
def test_not_a_warc_gives_no_documents(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(random_bytes(20_000))
    items, _ = read(path)
    assert documents(items) == []
    assert all(isinstance(item, ErrorRecord) for item in items)


@pytest.mark.parametrize("name", ["noise.warc.gz", "noise.warc"])
def test_not_a_warc_is_an_error(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(random_bytes(20_000))
    items, _ = read(path)
    assert [e.kind for e in errors(items)] == ["corrupt_file"]


@pytest.mark.parametrize("name", ["empty.warc.gz", "empty.warc"])
def test_an_empty_file_is_an_error(tmp_path: Path, name: str) -> None:
    """A 0-byte .warc.gz is no valid gzip file: usually a download that failed."""
    path = tmp_path / name
    path.write_bytes(b"")
    items, stats = read(path)
    assert [(e.kind, e.cause, e.location) for e in items] == [
        (
            "corrupt_file",
            "the file is empty (0 bytes), often the trace of a failed download",
            {"file": str(path), "offset": 0},
        )
    ]
    assert stats == Counter()


def test_utf16_page_with_bom_is_a_document(tmp_path: Path) -> None:
    body = ("\ufeff" + html("<p>" + GERMAN + "</p>")).encode("utf-16-le")
    doc = read_one(tmp_path, Response("http://x.org/", body, "text/html; charset=utf-16"))
    assert isinstance(doc, Document) and doc.text == GERMAN


def test_chunked_transfer_encoding_is_decoded(tmp_path: Path) -> None:
    page = article(1)
    chunked = (
        b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in (page[:100], page[100:]))
        + b"0\r\n\r\n"
    )
    path = tmp_path / "chunked.warc.gz"
    write_raw_response(path, b"Transfer-Encoding: chunked", chunked)
    (doc,) = read(path)[0]
    assert doc.text.startswith("Page 1\n\nThis is the body of page number 1")
    assert not re.search(r"(?m)^[0-9a-f]+$", doc.text)


def test_gzip_content_encoding_is_decoded(tmp_path: Path) -> None:
    import gzip

    path = tmp_path / "gzipped.warc.gz"
    write_raw_response(path, b"Content-Encoding: gzip", gzip.compress(article(1)))
    (doc,) = read(path)[0]
    assert isinstance(doc, Document) and doc.text.startswith("Page 1")


def write_raw_response(path: Path, header: bytes, payload: bytes) -> None:
    """A response whose HTTP block is written verbatim (write_warc sets its own headers)."""
    import io

    from warcio.warcwriter import WARCWriter

    block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n" + header + b"\r\n\r\n" + payload
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        record = writer.create_warc_record(
            "http://x.org/",
            "response",
            payload=io.BytesIO(block),
            length=len(block),
            warc_content_type="application/http; msgtype=response",
        )
        writer.write_record(record)


def test_an_unknown_html_extractor_fails_before_launch_naming_those_there_are() -> None:
    with pytest.raises(ConfigError) as caught:
        WarcReader.parse_options({"html": {"extractor": "boilerpipe"}}, "p.yaml")
    assert str(caught.value) == (
        "p.yaml: read.options.html.extractor: got 'boilerpipe'; allowed: 'resiliparse' | "
        "'trafilatura'"
    )


def test_trafilatura_without_its_extra_fails_before_launch(without_trafilatura) -> None:
    with pytest.raises(ConfigError) as caught:
        WarcReader.parse_options({"html": {"extractor": "trafilatura"}}, "p.yaml")
    assert str(caught.value) == (
        "p.yaml: read.options.html.extractor: trafilatura is not installed: "
        "pip install 'dolmakit[trafilatura]'"
    )


def test_trafilatura_extractor_reads_warc_pages(tmp_path: Path) -> None:
    pytest.importorskip("trafilatura")
    config = ReadConfig(options={"html": {"extractor": "trafilatura"}})
    doc = read_one(tmp_path, Response("http://x.org/", article(1)), config)
    assert isinstance(doc, Document)
    assert (doc.text, doc.metadata["title"]) == (
        "Page 1\nThis is the body of page number 1, a paragraph with enough words to count as "
        "the main content of the page.\nAnother sentence about topic 1 follows here.",
        "Page 1",
    )
