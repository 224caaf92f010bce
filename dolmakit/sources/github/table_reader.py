"""`code_files`: tables of source files, one row per file, as GitHub dumps are published.

The Stack (Parquet: content, max_stars_repo_name, max_stars_repo_path, max_stars_repo_licenses),
RedPajama's GitHub set (JSON lines: text, meta.repo_name, meta.path, meta.license) and exports of
BigQuery's github_repos (repo_name, path, license, content, binary) all fit: each field has a
list of candidate column names, the first one with a value in a row wins, and `a.b` looks inside
an object column. JSON lines (.jsonl, .json, plain or .gz/.zst/.bz2) are read line by line,
Parquet batch by batch reading only the columns named, so memory does not grow with the file.

A row without repository or path, or a line that is not JSON, is a `bad_record` error and the
rows after it are still read; a binary file (BigQuery's `binary` flag, no content, a NUL byte,
text that cannot be UTF-8) is a `binary_file` error; a file larger than `max_file_bytes` is
removed as `too_large`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

import pyarrow.parquet as pq
from apache_beam.io.filesystems import FileSystems

from dolmakit.core.document import Removed
from dolmakit.io.readers import READ_STEP, Item, ReadConfig, Reader, register_reader
from dolmakit.sources.github.files import SourceFile, code_document, decode_source, file_error
from dolmakit.sources.github.licences import licence_value

# rows per Parquet batch: a batch of files is in memory at once (The Stack's mean file is ~5 KB)
_BATCH_ROWS = 256
# the fields read from a row; each has a `<field>_columns` option
FIELDS = ("repository", "path", "licence", "content", "ref", "binary", "created")


@dataclass
class CodeFilesOptions:
    # candidate column names per field, first with a value wins; `a.b` is key b of object column a
    repository_columns: list[str] = field(
        default_factory=lambda: [
            "repository",
            "repo_name",
            "repository_name",
            "max_stars_repo_name",
            "meta.repo_name",
        ]  # fmt: skip
    )
    path_columns: list[str] = field(
        default_factory=lambda: ["path", "file_path", "max_stars_repo_path", "meta.path"]
    )
    licence_columns: list[str] = field(
        default_factory=lambda: [
            "licence",
            "license",
            "licenses",
            "max_stars_repo_licenses",
            "meta.license",
        ]  # fmt: skip
    )
    content_columns: list[str] = field(default_factory=lambda: ["content", "text", "contents"])
    # commit or branch, for the GitHub URL (BigQuery's `ref`)
    ref_columns: list[str] = field(default_factory=lambda: ["ref", "meta.ref"])
    # a true value marks a binary file (BigQuery's `binary`, whose content is then null)
    binary_columns: list[str] = field(default_factory=lambda: ["binary", "meta.binary"])
    # the document's `created`: it decides which copy exact_dedup keeps (earliest first)
    created_columns: list[str] = field(default_factory=lambda: ["created", "meta.timestamp"])
    # by file name (.parquet, .pq: Parquet; anything else: JSON lines) or as given
    table_format: Literal["auto", "jsonl", "parquet"] = "auto"
    # larger files are removed as too_large (Codex and The Stack drop files over 1 MB)
    max_file_bytes: int = 1_000_000


@register_reader
class CodeFilesReader(Reader):
    """Source files from a table (The Stack, RedPajama GitHub, BigQuery github_repos)."""

    format_name = "code_files"
    Options = CodeFilesOptions

    def __init__(self, config: ReadConfig, source: str, added: str):
        super().__init__(config, source, added)
        # each field's candidate columns, split at the dots once, not once per row
        self.columns = {
            name: [tuple(column.split(".")) for column in getattr(self.options, f"{name}_columns")]
            for name in FIELDS
        }

    def read(self, path: str) -> Iterator[Item]:
        fmt = self.options.table_format
        if fmt == "parquet" or (fmt == "auto" and path.lower().endswith((".parquet", ".pq"))):
            yield from self._read_parquet(path)
        else:
            yield from self._read_jsonl(path)

    def _read_jsonl(self, path: str) -> Iterator[Item]:
        return self.parse_lines(path, lambda line, number: self._parse_line(line, path, number))

    def _parse_line(self, line: bytes, path: str, line_number: int) -> Item:
        try:
            row = json.loads(line)
        except ValueError as error:  # JSONDecodeError and UnicodeDecodeError
            return self.error("bad_record", str(error), path, line=line_number)
        if not isinstance(row, dict):
            cause = f"a line must hold a JSON object, got {type(row).__name__}"
            return self.error("bad_record", cause, path, line=line_number)
        return self.file_item(row, path, {"line": line_number})

    def _read_parquet(self, path: str) -> Iterator[Item]:
        row_number = 0
        try:
            with FileSystems.open(path) as stream:
                table = pq.ParquetFile(stream)
                columns = self._columns_needed(table.schema_arrow.names)
                for batch in table.iter_batches(batch_size=_BATCH_ROWS, columns=columns):
                    for row in batch.to_pylist():
                        yield self.file_item(row, path, {"row": row_number})
                        row_number += 1
        except Exception as error:  # pyarrow raises ArrowInvalid, OSError... for damaged files
            cause = f"{type(error).__name__}: {error} after row {row_number}"
            yield self.error("corrupt_file", cause, path, row=row_number)

    def _columns_needed(self, names: list[str]) -> list[str]:
        """The table's columns that some option names: the rest is never decoded."""
        wanted = {keys[0] for candidates in self.columns.values() for keys in candidates}
        return [name for name in names if name in wanted]

    def file_item(self, row: dict[str, Any], path: str, where: dict[str, int]) -> Item:
        """A row of the table as a document, a removal or an error."""
        columns = self.columns
        repository, file_path = _first(row, columns["repository"]), _first(row, columns["path"])
        if not repository or not file_path:
            missing = "repository" if not repository else "path"
            tried = ", ".join(getattr(self.options, f"{missing}_columns"))
            return self.error("bad_record", f"no {missing} (columns tried: {tried})", path, **where)
        file = SourceFile(
            repository=str(repository),
            path=str(file_path),
            licence=licence_value(_first(row, columns["licence"])),
            ref=str(_first(row, columns["ref"]) or ""),
            created=str(_first(row, columns["created"]) or ""),
        )
        binary = _first(row, columns["binary"]) is True
        return self._content_item(file, _first(row, columns["content"]), binary, path, where)

    def _content_item(
        self, file: SourceFile, content: Any, binary: bool, path: str, where: dict[str, int]
    ) -> Item:
        if binary or content is None:
            cause = "marked binary by the table" if binary else "no content (binary in BigQuery)"
            return file_error("binary_file", cause, path, file, **where)
        size = _utf8_size(content)
        if size is None:
            return file_error("binary_file", "a lone surrogate: not UTF-8", path, file, **where)
        if size > self.options.max_file_bytes:
            doc = code_document(file, "", size, self.source, self.added)
            return Removed(doc, READ_STEP, "too_large")
        text, why = _text(content)
        if text is None:
            return file_error("binary_file", why, path, file, **where)
        return code_document(file, text, size, self.source, self.added)


def _utf8_size(content: str | bytes) -> int | None:
    """The size of a content cell in UTF-8 bytes; None for text no UTF-8 can hold."""
    if isinstance(content, bytes):
        return len(content)
    try:
        return len(str(content).encode("utf-8"))
    except UnicodeEncodeError:  # a lone surrogate from a JSON "\ud800" escape
        return None


def _text(content: str | bytes) -> tuple[str | None, str]:
    """(text, "") of a content cell, or (None, why it is binary)."""
    if isinstance(content, bytes):
        return decode_source(content)
    text = str(content)
    nul = text.find("\0")
    return (text, "") if nul < 0 else (None, f"NUL character at offset {nul}")


def _first(row: dict[str, Any], columns: list[tuple[str, ...]]) -> Any:
    """The first of the candidate columns (split at dots) with a value (not null) in the row."""
    for keys in columns:
        value = row.get(keys[0])
        for key in keys[1:]:
            value = value.get(key) if isinstance(value, dict) else None
        if value is not None:
            return value
    return None
