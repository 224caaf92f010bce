"""Dolma JSON lines (.jsonl, .json.gz, .jsonl.gz, .jsonl.zst, .jsonl.bz2): one document per line."""

from __future__ import annotations

import json
from collections.abc import Iterator

from dolmakit.core.document import Document
from dolmakit.io.readers import Item, Reader, register_reader


@register_reader
class JsonlReader(Reader):
    format_name = "jsonl"
    suffixes = tuple(
        f"{stem}{compression}"
        for stem in (".jsonl", ".json", ".ndjson")
        for compression in ("", ".gz", ".zst", ".zstd", ".bz2")
    )

    def read(self, path: str) -> Iterator[Item]:
        return self.parse_lines(path, lambda line, number: self._parse(line, path, number))

    def _parse(self, line: bytes, path: str, line_number: int) -> Item:
        try:
            row = json.loads(line)
            if not isinstance(row, dict):
                raise ValueError(f"a line must hold a JSON object, got {type(row).__name__}")
            return self.document(row, line_number)
        except ValueError as error:  # json.JSONDecodeError and UnicodeDecodeError are ValueErrors
            return self.error("bad_record", str(error), path, line=line_number)

    def document(self, row: dict, line_number: int) -> Item:
        """The record of one JSON object; ValueError names what is wrong with it."""
        doc = Document.from_dict(row, default_source=self.source)
        doc.added = doc.added or self.added
        return doc
