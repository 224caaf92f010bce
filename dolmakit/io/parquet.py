"""Parquet tables with Dolma's fields (id, text, source, ...), read batch by batch."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pyarrow.parquet as pq
from apache_beam.io.filesystems import FileSystems

from dolmakit.core.document import Document
from dolmakit.io.readers import Item, Reader, register_reader

_BATCH_ROWS = 1024


@register_reader
class ParquetReader(Reader):
    format_name = "parquet"
    suffixes = (".parquet", ".pq")

    def read(self, path: str) -> Iterator[Item]:
        row_number = 0
        try:
            with FileSystems.open(path) as stream:
                for batch in pq.ParquetFile(stream).iter_batches(batch_size=_BATCH_ROWS):
                    for row in batch.to_pylist():
                        yield self._document(row, path, row_number)
                        row_number += 1
        except Exception as error:  # pyarrow raises ArrowInvalid, OSError... for damaged files
            cause = f"{type(error).__name__}: {error} after row {row_number}"
            yield self.error("corrupt_file", cause, path, row=row_number)

    def _document(self, row: dict[str, Any], path: str, row_number: int) -> Item:
        try:
            for column in ("metadata", "attributes"):
                if isinstance(row.get(column), str):  # dolmakit writes nested fields as JSON text
                    row[column] = json.loads(row[column])
            if isinstance(row.get("attributes"), list):  # pyarrow returns maps as pair lists
                row["attributes"] = dict(row["attributes"])
            doc = Document.from_dict(row, default_source=self.source)
        except ValueError as error:
            return self.error("bad_record", str(error), path, row=row_number)
        doc.added = doc.added or self.added
        return doc
