"""Dolma JSON lines (.jsonl, .json.gz, .jsonl.gz, .jsonl.zst, .jsonl.bz2): one document per line."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from dolmakit.core.document import Document
from dolmakit.io.readers import Item, Reader, register_reader
from dolmakit.text.surrogates import replace_lone_surrogates

# the escape of a UTF-16 surrogate (\ud800-\udfff): only a line holding one can decode to a
# lone surrogate, so the common line costs one bytes search, not a walk over its strings
_ESCAPED_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]")


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
            if _ESCAPED_SURROGATE.search(line):
                row = self._repaired(row)
            return self.document(row, line_number)
        except ValueError as error:  # json.JSONDecodeError and UnicodeDecodeError are ValueErrors
            return self.error("bad_record", str(error), path, line=line_number)

    def _repaired(self, row: dict) -> dict:
        row, replaced = replace_lone_surrogates(row)
        if replaced:
            self.stats["lone_surrogates_replaced"] += replaced
            self.stats["documents_with_lone_surrogates"] += 1
        return row

    def document(self, row: dict, line_number: int) -> Item:
        """The record of one JSON object; ValueError names what is wrong with it."""
        doc = Document.from_dict(row, default_source=self.source)
        doc.added = doc.added or self.added
        return doc
