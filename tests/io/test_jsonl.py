"""Tests for the JSON lines reader (dolmakit.io.jsonl)."""

from __future__ import annotations

import bz2
import gzip
import json
from pathlib import Path

import pytest
import zstandard

from dolmakit.core.document import Document, ErrorRecord
from dolmakit.io.jsonl import JsonlReader
from dolmakit.io.readers import ReadConfig, reader_for

ADDED = "2026-01-01T00:00:00+00:00"
COMPRESS = {
    "": lambda data: data,
    ".gz": gzip.compress,
    ".zst": lambda data: zstandard.ZstdCompressor().compress(data),
    ".bz2": bz2.compress,
}


def read(path: Path, source: str = "default-source") -> list:
    return list(JsonlReader(ReadConfig(), source=source, added=ADDED).read(str(path)))


def write(path: Path, lines: list[str]) -> Path:
    data = "".join(line + "\n" for line in lines).encode("utf-8")
    path.write_bytes(COMPRESS[path.name.removeprefix("docs.jsonl")](data))
    return path


def example_docs(n: int = 3) -> list[Document]:
    return [
        Document(
            id=f"doc-{i}",
            text=f'Text number {i}.\nWith a second line, ünïcödé and "quotes".',
            source="web",
            added="2025-05-05T00:00:00Z",
            created="2024-01-01",
            metadata={"url": f"http://x.org/{i}", "nested": {"list": [1, 2.5, None]}},
            attributes={"tagger__score": [[0, 10, 0.5]]},
        )
        for i in range(n)
    ]


@pytest.mark.parametrize("suffix", [".gz", ".zst", ".bz2", ""])
def test_round_trip(tmp_path: Path, suffix: str) -> None:
    docs = example_docs()
    lines = [json.dumps(doc.to_dict(), ensure_ascii=False) for doc in docs]
    path = write(tmp_path / f"docs.jsonl{suffix}", lines)
    assert reader_for(str(path)) is JsonlReader
    assert read(path) == docs


def test_bad_lines_are_errors_with_line_numbers(tmp_path: Path) -> None:
    lines = [
        '{"id": "a", "text": "first"}',
        '{"id": "b", "text": ',  # invalid JSON
        '["an", "array"]',
        '{"text": "no id"}',
        '{"id": "", "text": "empty id"}',
        '{"id": "c", "text": 42}',
        '{"id": "d", "text": "bad metadata", "metadata": [1]}',
        "",
        "   ",
        '{"id": 7, "text": "last"}',
    ]
    items = read(write(tmp_path / "docs.jsonl", lines))
    assert [doc.id for doc in items if isinstance(doc, Document)] == ["a", "7"]
    errors = [(e.kind, e.location["line"], e.cause) for e in items if isinstance(e, ErrorRecord)]
    assert errors == [
        ("bad_record", 2, "Expecting value: line 2 column 1 (char 21)"),
        ("bad_record", 3, "a line must hold a JSON object, got list"),
        ("bad_record", 4, "missing 'id'"),
        ("bad_record", 5, "missing 'id'"),
        ("bad_record", 6, "'text' must be a string, got int"),
        ("bad_record", 7, "'metadata' and 'attributes' must be objects"),
    ]
    assert all(e.location["file"] == str(tmp_path / "docs.jsonl") for e in items[1:-1])
    assert len(items) == 8  # the blank lines are not records


def test_invalid_utf8_line_is_bad_record(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_bytes(b'{"id": "a", "text": "ok"}\n{"id": "b", "text": "\xff\xfe"}\n')
    items = read(path)
    assert isinstance(items[0], Document)
    assert (items[1].kind, items[1].location["line"]) == ("bad_record", 2)


def test_source_defaults_and_added_filled(tmp_path: Path) -> None:
    lines = [
        '{"id": "a", "text": "x"}',
        '{"id": "b", "text": "x", "source": "own", "added": "2020-02-02"}',
        '{"id": "c", "text": "x", "source": "", "added": null}',
    ]
    items = read(write(tmp_path / "docs.jsonl", lines), source="crawl")
    assert [(d.source, d.added) for d in items] == [
        ("crawl", ADDED),
        ("own", "2020-02-02"),
        ("crawl", ADDED),
    ]


def test_last_line_without_newline(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_bytes(b'{"id": "a", "text": "x"}\n{"id": "b", "text": "y"}')
    assert [d.id for d in read(path)] == ["a", "b"]


def test_empty_file(tmp_path: Path) -> None:
    assert read(write(tmp_path / "docs.jsonl", [])) == []


def gzip_lines(n: int) -> bytes:
    lines = (json.dumps({"id": str(i), "text": f"line {i} " * 50}) for i in range(n))
    return gzip.compress("".join(line + "\n" for line in lines).encode())


def test_corrupt_gzip_is_corrupt_file_after_good_lines(tmp_path: Path) -> None:
    data = bytearray(gzip_lines(2000))
    middle = len(data) // 2
    data[middle : middle + 40] = b"\0" * 40
    path = tmp_path / "docs.jsonl.gz"
    path.write_bytes(bytes(data))
    items = read(path)
    *docs, error = items
    assert docs and all(isinstance(doc, Document) for doc in docs)
    assert isinstance(error, ErrorRecord) and error.kind == "corrupt_file"
    assert error.location["line"] == len(docs)


def test_truncated_gzip_is_corrupt_file_after_good_lines(tmp_path: Path) -> None:
    data = gzip_lines(2000)
    path = tmp_path / "docs.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    *docs, error = read(path)
    assert docs and all(isinstance(doc, Document) for doc in docs)
    assert isinstance(error, ErrorRecord) and error.kind == "corrupt_file"


def test_suffixes() -> None:
    for name in ("a.jsonl", "a.json.gz", "a.ndjson.zst", "a.jsonl.zstd", "A.JSONL.BZ2"):
        assert reader_for(name) is JsonlReader, name


def test_missing_text_says_so(tmp_path: Path) -> None:
    (error,) = read(write(tmp_path / "docs.jsonl", ['{"id": "x"}']))
    assert (error.kind, error.cause) == ("bad_record", "missing 'text'")


def test_lone_surrogates_are_replaced_and_counted(tmp_path: Path) -> None:
    lines = [
        r'{"id":"surrogate","text":"lone \ud800 surrogate word here"}',
        r'{"id":"pair","text":"a whole pair \ud83d\ude00 stays"}',
        r'{"id":"meta","text":"t","metadata":{"k\udc00":["v\udfff"]}}',
    ]
    reader = JsonlReader(ReadConfig(), source="s", added=ADDED)
    docs = list(reader.read(str(write(tmp_path / "docs.jsonl", lines))))
    assert [doc.text for doc in docs] == [
        "lone \ufffd surrogate word here",
        "a whole pair \U0001f600 stays",
        "t",
    ]
    assert docs[2].metadata == {"k\ufffd": ["v\ufffd"]}
    assert dict(reader.stats) == {
        "lone_surrogates_replaced": 3,
        "documents_with_lone_surrogates": 2,
    }
