"""Tests for the Parquet reader (dolmakit.io.parquet)."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from dolmakit.core.document import Document, ErrorRecord
from dolmakit.io.parquet import ParquetReader
from dolmakit.io.readers import ReadConfig, reader_for
from dolmakit.io.writers import PARQUET_SCHEMA, parquet_row

ADDED = "2026-01-01T00:00:00+00:00"


def read(path: Path) -> list:
    return list(ParquetReader(ReadConfig(), source="default-source", added=ADDED).read(str(path)))


def example_docs(n: int) -> list[Document]:
    return [
        Document(
            id=f"doc-{i}",
            text=f"Text {i} with ünïcödé.\nSecond line.",
            source="web",
            added="2025-05-05T00:00:00Z",
            created="2024-01-01",
            metadata={"url": f"http://x.org/{i}", "nested": {"n": i, "list": [1.5, None]}},
            attributes={"a__score": [[0.0, 5.0, 0.25]], "b__spans": [[0, 1, 1], [2, 3, 0]]},
        )
        for i in range(n)
    ]


def write_table(path: Path, rows: list[dict], schema: pa.Schema | None = None, **kw) -> Path:
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path, **kw)
    return path


def test_round_trip_with_writer_schema(tmp_path: Path) -> None:
    docs = example_docs(2500)  # more than one read batch
    path = tmp_path / "docs.parquet"
    write_table(path, [parquet_row(d) for d in docs], PARQUET_SCHEMA, row_group_size=1000)
    assert reader_for(str(path)) is ParquetReader
    assert read(path) == docs


def test_round_trip_with_json_text_columns(tmp_path: Path) -> None:
    docs = example_docs(3)
    rows = [
        {**d.to_dict(), "metadata": json.dumps(d.metadata), "attributes": json.dumps(d.attributes)}
        for d in docs
    ]
    assert read(write_table(tmp_path / "docs.pq", rows)) == docs


def test_struct_metadata_and_defaults(tmp_path: Path) -> None:
    rows = [{"id": "a", "text": "hello", "metadata": {"url": "http://a.org/"}}]
    (doc,) = read(write_table(tmp_path / "docs.parquet", rows))
    assert doc == Document("a", "hello", "default-source", ADDED, "", {"url": "http://a.org/"})


def test_bad_rows_are_bad_record(tmp_path: Path) -> None:
    rows = [
        {"id": "a", "text": "kept", "metadata": "{}"},
        {"id": "b", "text": None, "metadata": "{}"},
        {"id": None, "text": "no id", "metadata": "{}"},
        {"id": "c", "text": "bad json", "metadata": "{not json"},
        {"id": "d", "text": "kept too", "metadata": None},
    ]
    items = read(write_table(tmp_path / "docs.parquet", rows))
    assert [d.id for d in items if isinstance(d, Document)] == ["a", "d"]
    errors = [(e.kind, e.location["row"]) for e in items if isinstance(e, ErrorRecord)]
    assert errors == [("bad_record", 1), ("bad_record", 2), ("bad_record", 3)]
    assert items[1].cause == "'text' must be a string, got NoneType"
    assert items[2].cause == "missing 'id'"


def test_damaged_file_is_corrupt_file(tmp_path: Path) -> None:
    path = write_table(
        tmp_path / "docs.parquet", [parquet_row(d) for d in example_docs(50)], PARQUET_SCHEMA
    )
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    (error,) = read(path)
    assert isinstance(error, ErrorRecord) and error.kind == "corrupt_file"
    assert error.location == {"file": str(path), "row": 0}
    assert error.cause.endswith("after row 0")


def test_not_parquet_is_corrupt_file(tmp_path: Path) -> None:
    path = tmp_path / "docs.parquet"
    path.write_bytes(b'{"id": "a", "text": "json, not parquet"}\n')
    (error,) = read(path)
    assert error.kind == "corrupt_file" and "after row 0" in error.cause


def test_damaged_row_group_keeps_earlier_rows(tmp_path: Path) -> None:
    rows = [parquet_row(d) for d in example_docs(3000)]
    path = write_table(tmp_path / "docs.parquet", rows, PARQUET_SCHEMA, row_group_size=1024)
    text_column = pq.ParquetFile(path).metadata.row_group(2).column(1)
    data = bytearray(path.read_bytes())
    at = text_column.data_page_offset + 20  # the last row group's text page header
    data[at : at + 40] = b"\xff" * 40
    path.write_bytes(bytes(data))
    *docs, error = read(path)
    assert docs == example_docs(2048)
    assert (error.kind, error.location["row"]) == ("corrupt_file", 2048)
    assert error.cause.startswith("OSError: ") and error.cause.endswith(" after row 2048")
