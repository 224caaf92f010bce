"""JSON lines and Parquet encodings of documents, and a Beam sink of JSON lines for the records
a tag or mix run sends to errors/ (a run's passes write their own files: io/file_writers.py)."""

from __future__ import annotations

import json
from typing import Any

import apache_beam as beam
import pyarrow as pa
from apache_beam.io.filesystem import CompressionTypes

from dolmakit.core.document import Document, ErrorRecord, Removed

PARQUET_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("text", pa.string()),
        ("source", pa.string()),
        ("added", pa.string()),
        ("created", pa.string()),
        ("metadata", pa.string()),  # JSON text: keys differ from source to source
        ("attributes", pa.map_(pa.string(), pa.list_(pa.list_(pa.float64())))),
    ]
)


# gzip is what Dolma's tools and most readers expect; zstd writes about five times faster at a
# better ratio (dolmakit, Dolma's smart_open and pandas read it)
COMPRESSIONS = {
    "gzip": (".jsonl.gz", CompressionTypes.GZIP),
    "zstd": (".jsonl.zst", CompressionTypes.ZSTD),
    "none": (".jsonl", CompressionTypes.UNCOMPRESSED),
}


class WriteJsonLines(beam.PTransform):
    """Anything with to_dict() -> `<prefix>-SSSSS-of-NNNNN.jsonl.gz` (or .zst, or plain)."""

    def __init__(self, prefix: str, shards: int = 0, compression: str = "gzip"):
        super().__init__()
        self.prefix, self.shards, self.compression = prefix, shards, compression

    def expand(self, items: beam.PCollection) -> Any:
        suffix, compression_type = COMPRESSIONS[self.compression]
        return (
            items
            | "To JSON" >> beam.Map(_to_json)
            | "Write"
            >> beam.io.WriteToText(
                self.prefix,
                file_name_suffix=suffix,
                compression_type=compression_type,
                num_shards=self.shards,
            )
        )


def parquet_row(doc: Document) -> dict[str, Any]:
    row = doc.to_dict()
    row["metadata"] = json.dumps(doc.metadata, ensure_ascii=False)
    row["attributes"] = [(k, [list(map(float, s)) for s in v]) for k, v in doc.attributes.items()]
    return row


def _to_json(item: Document | Removed | ErrorRecord) -> bytes:
    return json_line(item.to_dict())


def json_line(row: dict[str, Any]) -> bytes:
    """One JSON line as UTF-8, without its line end. The readers replace lone surrogates;
    "replace" here is the last guard that keeps one (say, from a plug-in step) from stopping
    the whole run."""
    return json.dumps(row, ensure_ascii=False).encode("utf-8", "replace")
