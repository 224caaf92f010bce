"""Tests for the code_files reader: tables of files (The Stack, RedPajama, BigQuery)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import REPO

from dolmakit.core.document import Document, ErrorRecord, Removed
from dolmakit.core.errors import ConfigError
from dolmakit.io.readers import ReadConfig
from dolmakit.sources.github.table_reader import CodeFilesReader

SAMPLE = REPO / "samples" / "github" / "files.jsonl.gz"


def reader(**options) -> CodeFilesReader:
    return CodeFilesReader(ReadConfig(options=options), "github", "2024-06-01")


def read(path: Path, **options) -> list:
    return list(reader(**options).read(str(path)))


def write_jsonl_gz(path: Path, rows: list) -> Path:
    lines = [row if isinstance(row, str) else json.dumps(row) for row in rows]
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    return path


def outcome(item) -> str:
    if isinstance(item, Document):
        return item.id
    if isinstance(item, Removed):
        return f"removed {item.reason}"
    return f"error {item.kind}"


def test_shipped_bigquery_style_table() -> None:
    items = read(SAMPLE)
    assert [outcome(item) for item in items] == [
        "pinecone-dev/ringbuf:ringbuf.h",
        "pinecone-dev/ringbuf:README.md",
        "pinecone-dev/ringbuf:test_ringbuf.c",
        "pinecone-dev/ringbuf:ringbuf.c",
        "error binary_file",
        "orbit-sh/orbit:bin/orbit",
        "orbit-sh/orbit:install.sh",
        "error bad_record",  # a line cut in the middle, the lines after it are read
        "fjord-io/skiff:third_party/ringbuf.h",
        "gnuish/calc:calc.py",
        "error bad_record",  # no path
    ]
    first = items[0]
    assert first.metadata["licence"] == "BSD-3-Clause" and first.metadata["language"] == "C"
    assert first.metadata["url"] == "https://github.com/pinecone-dev/ringbuf/blob/main/ringbuf.h"
    assert first.text.startswith("#pragma once\n") and first.added == "2024-06-01"
    binary = items[4]
    assert binary.location == {"file": str(SAMPLE), "line": 5, "repository":
                               "pinecone-dev/ringbuf", "path": "docs/diagram.png"}  # fmt: skip
    assert items[7].location == {"file": str(SAMPLE), "line": 8}
    assert "no path" in items[10].cause


def test_the_stack_parquet_in_batches(tmp_path: Path) -> None:
    rows = 600  # more than two batches
    table = pa.table({
        "hexsha": ["0" * 40] * rows,  # a column no option names: never decoded
        "max_stars_repo_name": [f"owner{i % 3}/repo" for i in range(rows)],
        "max_stars_repo_path": [f"src/f{i}.py" for i in range(rows)],
        "max_stars_repo_licenses": [["MIT"], ["apache-2.0", "mit"], []] * (rows // 3),
        "content": [f"x = {i}\n" for i in range(rows)],
    })  # fmt: skip
    pq.write_table(table, tmp_path / "stack.parquet", row_group_size=250)
    items = read(tmp_path / "stack.parquet")
    assert len(items) == rows and all(isinstance(item, Document) for item in items)
    assert [item.metadata["licence"] for item in items[:3]] == [
        "MIT", "Apache-2.0 AND MIT", "unknown"]  # fmt: skip
    assert items[599].id == "owner2/repo:src/f599.py" and items[599].text == "x = 599\n"
    assert "url" not in items[0].metadata  # no ref in The Stack


def test_binary_content_column(tmp_path: Path) -> None:
    table = pa.table({
        "repository": ["a/b"] * 3,
        "path": ["ok.c", "image.png", "latin1.c"],
        "license": ["MIT"] * 3,
        "content": [b"int x;\n", b"\x89PNG\r\n\x1a\n\x00\x00", b"/* caf\xe9 */\n"],
    })  # fmt: skip
    pq.write_table(table, tmp_path / "files.pq")
    ok, png, latin1 = read(tmp_path / "files.pq")
    assert isinstance(ok, Document) and ok.text == "int x;\n"
    assert (png.kind, png.cause, png.location["row"]) == ("binary_file", "NUL byte at offset 8", 1)
    assert latin1.kind == "binary_file" and latin1.cause.startswith("not UTF-8")


def test_redpajama_nested_meta(tmp_path: Path) -> None:
    row = {
        "text": "puts 'hi'\n",
        "meta": {
            "repo_name": "rb/hello",
            "path": "hi.rb",
            "license": "bsd-2-clause",
            "timestamp": "2023-03-16T00:00:00",
            "ref": "v1.0",
        },
    }
    (doc,) = read(write_jsonl_gz(tmp_path / "rp.jsonl.gz", [row]))  # fmt: skip
    assert doc.id == "rb/hello:hi.rb" and doc.text == "puts 'hi'\n"
    assert doc.created == "2023-03-16T00:00:00" and doc.metadata["licence"] == "BSD-2-Clause"
    assert doc.metadata["url"] == "https://github.com/rb/hello/blob/v1.0/hi.rb"


def test_columns_are_configurable(tmp_path: Path) -> None:
    row = {"repo": "x/y", "file": "a.go", "lic": "MIT", "body": "package a\n"}
    options = {"repository_columns": ["repo"], "path_columns": ["file"],
               "licence_columns": "lic", "content_columns": ["body"]}  # fmt: skip
    (doc,) = read(write_jsonl_gz(tmp_path / "t.json.gz", [row]), **options)
    assert (doc.id, doc.metadata["licence"], doc.text) == ("x/y:a.go", "MIT", "package a\n")


def test_too_large_nul_and_surrogate_rows(tmp_path: Path) -> None:
    rows = [
        {"repo_name": "a/b", "path": "big.js", "content": "é" * 60},  # 120 bytes
        {"repo_name": "a/b", "path": "nul.txt", "content": "a\u0000b"},
        '{"repo_name": "a/b", "path": "lone.txt", "content": "\\ud800"}',
        '["not", "an", "object"]',
        {"repo_name": "a/b", "path": "fits.js", "content": "x" * 100},
    ]
    items = read(write_jsonl_gz(tmp_path / "t.jsonl.gz", rows), max_file_bytes=100)
    big = items[0]
    assert isinstance(big, Removed) and (big.step, big.reason) == ("read", "too_large")
    assert big.doc.text == "" and big.doc.metadata["bytes"] == 120
    assert [outcome(item) for item in items[1:]] == [
        "error binary_file", "error binary_file", "error bad_record", "a/b:fits.js"]  # fmt: skip
    assert items[1].cause == "NUL character at offset 1"


def test_truncated_gzip_keeps_the_rows_before(tmp_path: Path) -> None:
    rows = [{"repo_name": "a/b", "path": f"f{i}.py", "content": f"v = {i}\n" * 50}
            for i in range(200)]  # fmt: skip
    data = write_jsonl_gz(tmp_path / "t.jsonl.gz", rows).read_bytes()
    (tmp_path / "cut.jsonl.gz").write_bytes(data[: len(data) // 2])
    items = read(tmp_path / "cut.jsonl.gz")
    *docs, error = items
    assert docs and all(isinstance(doc, Document) for doc in docs)
    assert isinstance(error, ErrorRecord) and error.kind == "corrupt_file"
    assert error.location["line"] == len(docs)


def test_damaged_parquet_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "bad.parquet").write_bytes(b"PAR1 this is not a parquet file")
    (error,) = read(tmp_path / "bad.parquet")
    assert error.kind == "corrupt_file" and error.location["row"] == 0


def test_format_option_and_unknown_options() -> None:
    assert reader(table_format="parquet").options.table_format == "parquet"
    with pytest.raises(ConfigError, match="unknown key 'column'"):
        reader(column="x")
