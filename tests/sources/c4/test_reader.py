"""The C4 reader (dolmakit.sources.c4.reader) on C4-format files written in tmp_path."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from dolmakit.core.document import Document, ErrorRecord, Removed
from dolmakit.io.readers import ReadConfig, reader_for
from dolmakit.sources.c4.reader import C4Reader, file_stem

ADDED = "2026-01-01T00:00:00+00:00"
NAME = "c4-train.00007-of-01024.json.gz"


def record(i: int, text: str | None = None) -> str:
    row = {"text": text or f"Page number {i} has a sentence.", "url": f"https://site.example/{i}",
           "timestamp": f"2019-04-2{i}T10:00:00Z"}  # fmt: skip
    return json.dumps(row)


def write(path: Path, lines: list[str]) -> Path:
    path.write_bytes(gzip.compress("".join(line + "\n" for line in lines).encode("utf-8")))
    return path


def read(path: Path, **options: str) -> list:
    config = ReadConfig(options=dict(options))
    return list(C4Reader(config, source="c4", added=ADDED).read(str(path)))


def test_a_record_becomes_a_document_with_id_url_and_created(tmp_path: Path) -> None:
    (doc,) = read(write(tmp_path / NAME, [record(1, "Line one.\nLine two.")]))
    assert doc == Document(
        id="c4-train.00007-of-01024/1",
        text="Line one.\nLine two.",
        source="c4",
        added=ADDED,
        created="2019-04-21T10:00:00Z",
        metadata={"url": "https://site.example/1", "license": "ODC-BY-1.0"},
    )


def test_ids_are_file_and_line_so_equal_pages_keep_distinct_ids(tmp_path: Path) -> None:
    same = record(1, "The same page twice.")
    docs = read(write(tmp_path / NAME, [same, "", same]), id_prefix="en/")
    assert [doc.id for doc in docs] == ["en/c4-train.00007-of-01024/1",
                                        "en/c4-train.00007-of-01024/3"]  # fmt: skip


def test_bad_lines_are_errors_with_their_line_and_the_rest_is_read(tmp_path: Path) -> None:
    lines = [record(1), '{"text": "cut off', "[1, 2]", '{"text": 5, "url": ""}', record(5)]
    items = read(write(tmp_path / NAME, lines))
    errors = [item for item in items if isinstance(item, ErrorRecord)]
    assert [e.location["line"] for e in errors] == [2, 3, 4]
    assert {e.kind for e in errors} == {"bad_record"}
    assert "'text' must be a string" in errors[2].cause
    assert [doc.id for doc in items if isinstance(doc, Document)] == [
        "c4-train.00007-of-01024/1", "c4-train.00007-of-01024/5"]  # fmt: skip


def test_undecodable_bytes_in_a_line_are_that_line_s_error(tmp_path: Path) -> None:
    data = (record(1) + "\n").encode() + b'{"text": "caf\xe9"}\n' + (record(3) + "\n").encode()
    path = tmp_path / NAME
    path.write_bytes(gzip.compress(data))
    items = read(path)
    assert isinstance(items[1], ErrorRecord) and items[1].location["line"] == 2
    assert [type(item) for item in items] == [Document, ErrorRecord, Document]


def test_a_truncated_gzip_yields_the_lines_read_then_an_error(tmp_path: Path) -> None:
    lines = [record(i, f"Page {i}. " + "word " * 2000) for i in range(1, 9)]
    path = write(tmp_path / NAME, lines)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])
    items = read(path)
    *docs, error = items
    assert docs and all(isinstance(doc, Document) for doc in docs) and len(docs) < 8
    assert [doc.id for doc in docs] == [f"c4-train.00007-of-01024/{i}" for i in
                                        range(1, len(docs) + 1)]  # fmt: skip
    assert isinstance(error, ErrorRecord) and error.kind == "corrupt_file"
    assert f"after line {len(docs)}" in error.cause


def test_empty_text_is_removed_with_a_reason(tmp_path: Path) -> None:
    (item,) = read(write(tmp_path / NAME, [json.dumps({"text": " \n", "url": "u"})]))
    assert isinstance(item, Removed) and item.reason == "empty_text"
    assert item.doc.created == ""


def test_it_claims_no_suffix_and_the_stem_drops_the_compression() -> None:
    assert reader_for(f"gs://bucket/c4/en/{NAME}") is not C4Reader
    assert file_stem(f"gs://bucket/c4/en/{NAME}") == "c4-train.00007-of-01024"
    assert file_stem("/data/c4-validation.00000-of-00008.json") == "c4-validation.00000-of-00008"
