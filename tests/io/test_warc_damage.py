"""Damage that once lost records silently, each built here from the bundled sample: every
response ends up a document, removed, or an error naming it."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from conftest import SAMPLE_WARC

from dolmakit.core.document import Document, ErrorRecord, Removed
from dolmakit.io.readers import ReadConfig
from dolmakit.io.warc import WarcReader

RESPONSE = re.compile(rb"WARC/1\.[01]\r\nWARC-Type: response\r\n")


@pytest.fixture(scope="module")
def sample() -> bytes:
    """The sample as one uncompressed WARC (its 106 records, 35 of them responses)."""
    return gzip.decompress(SAMPLE_WARC.read_bytes())


def read(data: bytes, tmp_path: Path) -> tuple[list, list[ErrorRecord]]:
    path = tmp_path / "sample.warc"
    path.write_bytes(data)
    items = list(WarcReader(ReadConfig(), "cc", "2025-01-01").read(str(path)))
    return items, [item for item in items if isinstance(item, ErrorRecord)]


def record_ids(items: list) -> list[str]:
    docs = [item.doc if isinstance(item, Removed) else item for item in items]
    return [doc.metadata["warc_record_id"] for doc in docs if isinstance(doc, Document)]


def edit_header(data: bytes, response: int, *edits: tuple[bytes, bytes]) -> tuple[bytes, int]:
    """`data` with each (old, new) edit made in the header of the n-th response; and that
    record's offset."""
    start = [m.start() for m in RESPONSE.finditer(data)][response]
    end = data.index(b"\r\n\r\n", start)
    header = data[start:end]
    for old, new in edits:
        assert old in header
        header = header.replace(old, new, 1)
    return data[:start] + header + data[end:], start


def test_the_intact_sample_has_35_responses(sample, tmp_path):
    items, errors = read(sample, tmp_path)
    assert (len(items), errors) == (35, [])


def test_a_too_large_content_length_no_longer_swallows_the_records_after_it(sample, tmp_path):
    intact = record_ids(read(sample, tmp_path)[0])
    damaged, offset = edit_header(sample, 10, (b"Content-Length: 4826", b"Content-Length: 94826"))
    items, errors = read(damaged, tmp_path)
    lost = intact[10]
    assert record_ids(items) == [rid for rid in intact if rid != lost]
    assert [(e.kind, e.location) for e in errors] == [
        ("corrupt_record", {"file": str(tmp_path / "sample.warc"), "offset": offset,
                            "record_id": lost})
    ]  # fmt: skip
    assert errors[0].cause == (
        "Content-Length 94826 does not end the record (byte 151806 is not where the next record "
        "starts); bytes 56274-61806 skipped, reading resumed at byte 61806; 45 records inside "
        "its declared length were read again"
    )
    assert not [i for i in items if isinstance(i, Document) and "WARC-Type" in i.text]


def test_a_too_small_content_length_is_reported_not_cut(sample, tmp_path):
    intact = record_ids(read(sample, tmp_path)[0])
    damaged, offset = edit_header(sample, 10, (b"Content-Length: 4826", b"Content-Length: 826"))
    items, errors = read(damaged, tmp_path)
    assert record_ids(items) == intact[:10] + intact[11:]
    assert [(e.kind, e.location["offset"]) for e in errors] == [("corrupt_record", offset)]
    assert errors[0].cause.endswith("0 records inside its declared length were read again")


def test_a_misspelt_record_type_is_an_error_not_a_skip(sample, tmp_path):
    intact = record_ids(read(sample, tmp_path)[0])
    damaged, offset = edit_header(sample, 2, (b"WARC-Type", b"WARC-Tpye"))
    items, errors = read(damaged, tmp_path)
    assert record_ids(items) == intact[:2] + intact[3:]
    assert [(e.kind, e.cause, e.location["offset"], e.location["record_id"]) for e in errors] == [
        ("damaged_record",
         "the header (WARC/1.1) names no known WARC-Type, so what the record holds is unknown",
         offset, intact[2])
    ]  # fmt: skip


def test_a_damaged_version_line_is_an_error_naming_the_bytes(sample, tmp_path):
    intact = record_ids(read(sample, tmp_path)[0])
    edits = (b"WARC/1.1", b"WARC/1.X"), (b"WARC-Type", b"WARC-Tpye")  # the two edits
    damaged, offset = edit_header(sample, 2, *edits)
    items, errors = read(damaged, tmp_path)
    assert record_ids(items) == intact[:2] + intact[3:]
    next_record = damaged.index(b"\r\n\r\nWARC/", offset) + 4
    assert [(e.kind, e.cause) for e in errors] == [
        ("damaged_record", f"an unreadable record header ('WARC/1.X'): bytes {offset}-"
                           f"{next_record} skipped, reading resumed at the next record")
    ]  # fmt: skip
