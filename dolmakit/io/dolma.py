"""Dolma's layout: documents without attributes, and beside them one folder per tagger whose
files mirror the documents' (same names, same order, one line per document):

    <root>/documents/part-00000-of-00002.jsonl.gz        {"id", "text", "source", "added", ...}
    <root>/attributes/<step>/part-00000-of-00002.jsonl.gz {"id", "source", "attributes": {...}}

An attribute `<step>__<key>` goes to attributes/<step>/ under its full name, as Dolma's taggers
write `<tagger>__<key>`; a key without `__` goes to attributes/input/. A new tagger or threshold
then adds a folder and never rewrites the corpus, and Dolma's own mixer reads the result.

A run writes this layout file by file (dolmakit.io.file_writers.DolmaDocuments, one part per
input file, each renamed into place when closed); a folder that a part's documents had none of
gets a file of empty lines for that part, so every folder has every part.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems

from dolmakit.core.document import Document
from dolmakit.io.files import DECOMPRESSION_ERRORS, lines, open_decompressed
from dolmakit.io.jsonl import JsonlReader
from dolmakit.io.readers import Item, register_reader
from dolmakit.io.writers import json_line

DOCUMENTS, ATTRIBUTES = "documents", "attributes"
NO_STEP = "input"  # the folder of attribute keys without a `<step>__` prefix
SUFFIXES = {
    "gzip": (".jsonl.gz", CompressionTypes.GZIP),
    "zstd": (".jsonl.zst", CompressionTypes.ZSTD),
    "none": (".jsonl", CompressionTypes.UNCOMPRESSED),
}


def attribute_folder(key: str) -> str:
    step, separator, _ = key.partition("__")
    return step if separator and step else NO_STEP


def document_line(doc: Document) -> dict[str, Any]:
    row = doc.to_dict()
    del row["attributes"]
    return row


def attributes_line(doc_id: str, source: str, attributes: dict[str, Any]) -> dict[str, Any]:
    return {"id": doc_id, "source": source, "attributes": attributes}


def encode(row: dict[str, Any]) -> bytes:
    return json_line(row) + b"\n"


@dataclass
class DolmaOptions:
    # attribute folders to join (names under attributes/); empty: every folder found
    attributes: list[str] = field(default_factory=list)


@register_reader
class DolmaReader(JsonlReader):
    """A Dolma dataset: each file of documents/ with the same-named file of every attributes/
    folder joined line by line (input.paths name the documents files, e.g. ds/documents/*.gz).
    A line whose attributes line has another id, or none, is a bad_record error."""

    format_name = "dolma"
    suffixes = ()  # .jsonl.gz is JSON lines unless input.format says dolma
    Options = DolmaOptions

    def read(self, path: str) -> Iterator[Item]:
        names = self.options.attributes or None
        for _, _, item in self.read_lines(path, attribute_files(path, names)):
            if item is not None:
                yield item

    def read_lines(
        self, path: str, files: dict[str, str]
    ) -> Iterator[tuple[int | None, bytes, Item | None]]:
        """(line number, line, record) for every line of the documents file in order, with the
        attribute files `files` (folder -> path) joined: None for a blank line, an error for a
        line that cannot be read or joined. `dolmakit tag` writes one line per entry with a
        line number, so its files mirror the documents file line for line; the entries without
        one (line None) come last: a damaged stream's corrupt_file, an attribute file's extra
        lines."""
        number = 0
        with ExitStack() as stack:
            streams = {name: lines(stack.enter_context(open_decompressed(file)))
                       for name, file in files.items()}  # fmt: skip
            try:
                with open_decompressed(path) as stream:
                    for number, line in enumerate(lines(stream), start=1):  # noqa: B007
                        joined = self._joined(line, path, number, streams) if line.strip() else None
                        yield number, line, joined
            except DECOMPRESSION_ERRORS as error:
                cause = f"{type(error).__name__}: {error} after line {number}"
                yield None, b"", self.error("corrupt_file", cause, path, line=number)
                return
            for name, attributes in streams.items():
                if any(line.strip() for line in attributes):
                    yield None, b"", self.error("bad_record", f"attributes/{name} has more lines "
                                                "than the documents file", files[name])  # fmt: skip

    def _joined(self, line: bytes, path: str, number: int, streams: dict) -> Item:
        item = self._parse(line, path, number)
        for name, stream in streams.items():
            row = _next_row(stream)
            if not isinstance(item, Document):
                continue
            if row is None or row.get("id") != item.id:
                found = "no line" if row is None else f"id {row.get('id')!r}"
                cause = f"attributes/{name} has {found} where the document has id {item.id!r}"
                return self.error("bad_record", cause, path, line=number)
            item.attributes.update(row.get("attributes") or {})
        return item


def attribute_files(path: str, names: list[str] | None = None) -> dict[str, str]:
    """The files attributes/<folder>/<rel> beside the documents file <root>/documents/<rel>,
    by folder: those of the folders `names`, or of every folder (None). A path outside a
    documents/ folder has none."""
    root, marker, relative = path.rpartition(f"/{DOCUMENTS}/")
    if not marker:
        return {}
    found = {}
    for metadata in FileSystems.match([f"{root}/{ATTRIBUTES}/*/{relative}"])[0].metadata_list:
        name = metadata.path[len(root) + len(ATTRIBUTES) + 2 :].split("/", 1)[0]
        if names is None or name in names:
            found[name] = metadata.path
    return dict(sorted(found.items()))


def _next_row(stream: Iterator[bytes]) -> dict | None:
    """The next attributes line; {} for one that is not a JSON object (a mismatch then)."""
    for line in stream:
        if line.strip():
            try:
                row = json.loads(line)
            except ValueError:
                return {}
            return row if isinstance(row, dict) else {}
    return None
