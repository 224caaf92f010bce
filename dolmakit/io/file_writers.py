"""Writers of one output file each, for the pass over one input file that writes it: JSON lines
(documents, removed, errors), Dolma's documents + attributes/<step>/, and Parquet.

Each writes under a temporary name in the run's temporary folder and renames its files to their
names when closed, so a retried bundle leaves no partial file and writes the same names again.
A JSON lines file is created at its first line: a pass that removes nothing writes no removed/
file.
"""

from __future__ import annotations

import json
import uuid
from typing import Any, BinaryIO

import pyarrow as pa
import pyarrow.parquet as pq
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems

from dolmakit.core.document import Document
from dolmakit.io.dolma import (
    ATTRIBUTES,
    DOCUMENTS,
    SUFFIXES,
    attribute_folder,
    attributes_line,
    document_line,
    encode,
)
from dolmakit.io.files import lines, open_decompressed
from dolmakit.io.writers import PARQUET_SCHEMA, json_line, parquet_row

_PARQUET_ROWS = 2_000  # rows buffered per row group


class TemporaryFile:
    """A file written under a temporary name and renamed to `path` when closed; compressed as
    `compression` says, or as `path`'s name says (the temporary name has no suffix)."""

    def __init__(self, path: str, temporary_folder: str, compression: str | None = None):
        self.path, self.temporary = path, f"{temporary_folder}/{uuid.uuid4().hex}"
        kind = (SUFFIXES[compression][1] if compression
                else CompressionTypes.detect_compression_type(path))  # fmt: skip
        self.stream: BinaryIO = FileSystems.create(self.temporary, compression_type=kind)

    def close(self) -> None:
        self.stream.close()
        replace(self.temporary, self.path)


class JsonLinesFile:
    """`<prefix><suffix>`, made at its first line."""

    def __init__(self, prefix: str, compression: str, temporary_folder: str):
        self.path = prefix + SUFFIXES[compression][0]
        self.compression, self.temporary_folder = compression, temporary_folder
        self.file: TemporaryFile | None = None

    def write(self, row: dict[str, Any]) -> None:
        if self.file is None:
            self.file = TemporaryFile(self.path, self.temporary_folder, self.compression)
        self.file.stream.write(json_line(row) + b"\n")

    def close(self) -> None:
        if self.file is not None:
            self.file.close()


class JsonlDocuments:
    """documents/<part><suffix>, every document whole, attributes inside."""

    def __init__(self, root: str, part: str, compression: str, temporary_folder: str):
        self.file = JsonLinesFile(f"{root}/{DOCUMENTS}/{part}", compression, temporary_folder)

    def write(self, doc: Document) -> None:
        self.file.write(doc.to_dict())

    def close(self) -> list[str]:
        self.file.close()
        return []


class DolmaDocuments:
    """documents/<part> and attributes/<folder>/<part> (Dolma's layout, dolmakit.io.dolma):
    a folder first seen at a later document gets empty lines for the documents before it."""

    def __init__(self, root: str, part: str, compression: str, temporary_folder: str):
        self.root, self.part, self.compression = root, part, compression
        self.temporary_folder = temporary_folder
        self.suffix = SUFFIXES[compression][0]
        self.files: dict[str, TemporaryFile] = {}
        self.ids: list[tuple[str, str]] = []

    def _file(self, folder: str | None) -> BinaryIO:
        key = folder or ""
        if key not in self.files:
            kind = DOCUMENTS if folder is None else f"{ATTRIBUTES}/{folder}"
            path = f"{self.root}/{kind}/{self.part}{self.suffix}"
            self.files[key] = TemporaryFile(path, self.temporary_folder, self.compression)
            for doc_id, source in self.ids:  # the documents before this one had none
                self.files[key].stream.write(encode(attributes_line(doc_id, source, {})))
        return self.files[key].stream

    def write(self, doc: Document) -> None:
        by_folder: dict[str, dict[str, Any]] = {}
        for key, spans in doc.attributes.items():
            by_folder.setdefault(attribute_folder(key), {})[key] = spans
        self._file(None).write(encode(document_line(doc)))
        for folder in self.files.keys() - {""} | by_folder.keys():
            attributes = by_folder.get(folder, {})
            self._file(folder).write(encode(attributes_line(doc.id, doc.source, attributes)))
        self.ids.append((doc.id, doc.source))

    def close(self) -> list[str]:
        """Closes the files; returns the attribute folders written."""
        self._file(None)  # a pass that kept nothing still writes its (empty) documents file
        for file in self.files.values():
            file.close()
        return sorted(self.files.keys() - {""})


def empty_attributes(root: str, part: str, folder: str, compression: str,
                     temporary_folder: str) -> None:  # fmt: skip
    """attributes/<folder>/<part> of empty lines, one per line of documents/<part>: every folder
    has every part, as Dolma's mixer expects."""
    suffix = SUFFIXES[compression][0]
    target = f"{root}/{ATTRIBUTES}/{folder}/{part}{suffix}"
    out = TemporaryFile(target, temporary_folder, compression)
    with open_decompressed(f"{root}/{DOCUMENTS}/{part}{suffix}") as documents:
        for line in lines(documents):
            row = json.loads(line)
            out.stream.write(encode(attributes_line(row["id"], row["source"], {})))
    out.close()


class ParquetDocuments:
    """documents/<part>.parquet, zstd-compressed, row groups of _PARQUET_ROWS documents."""

    def __init__(self, root: str, part: str, compression: str, temporary_folder: str):
        self.file = TemporaryFile(f"{root}/{DOCUMENTS}/{part}.parquet", temporary_folder)
        self.writer = pq.ParquetWriter(self.file.stream, PARQUET_SCHEMA, compression="zstd")
        self.rows: list[dict[str, Any]] = []

    def write(self, doc: Document) -> None:
        self.rows.append(parquet_row(doc))
        if len(self.rows) >= _PARQUET_ROWS:
            self._flush()

    def _flush(self) -> None:
        self.writer.write_table(pa.Table.from_pylist(self.rows, schema=PARQUET_SCHEMA))
        self.rows = []

    def close(self) -> list[str]:
        self._flush()
        self.writer.close()
        self.file.close()
        return []


DOCUMENT_WRITERS = {"jsonl": JsonlDocuments, "dolma": DolmaDocuments, "parquet": ParquetDocuments}


def make_folder(folder: str) -> None:
    """Makes a local folder, which another worker may make at the same moment: Beam's
    mkdirs fails on a folder that exists, and two bundles of one pass close into one folder."""
    if FileSystems.exists(folder):
        return
    try:
        FileSystems.mkdirs(folder)
    except OSError:
        if not FileSystems.exists(folder):
            raise


def replace(source: str, destination: str) -> None:
    """Renames a closed file to its name, replacing what an earlier try of the bundle left."""
    folder = destination.rsplit("/", 1)[0]
    if "://" not in folder:
        make_folder(folder)
    if FileSystems.exists(destination):
        FileSystems.delete([destination])
    FileSystems.rename([source], [destination])
