"""Staged files: the documents one pass over a file hands to the next, in the run's staging
folder, in the order they were written (a document's line is its place in its staged file).

Internal to a run, so the format is the fastest to write and read back: each document packed
(dolmakit.core.document.pack), length-prefixed, in a zstd stream. A staged
file is written under a temporary name and renamed when closed, so a retried bundle leaves no
partial file behind.
"""

from __future__ import annotations

import struct
import uuid
from collections.abc import Collection, Iterator
from contextlib import closing

from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems

from dolmakit.core.document import Document, pack, unpack
from dolmakit.io.file_writers import replace

_LENGTH = struct.Struct("<I")


class StagedWriter:
    def __init__(self, path: str, temporary_folder: str):
        self.path = path
        self.temporary = f"{temporary_folder}/{uuid.uuid4().hex}"
        self.stream = FileSystems.create(self.temporary, compression_type=CompressionTypes.ZSTD)
        self.count = 0

    def write(self, doc: Document) -> int:
        """Writes the document; returns its line (its place in the file)."""
        packed = pack(doc)
        self.stream.write(_LENGTH.pack(len(packed)) + packed)
        self.count += 1
        return self.count - 1

    def close(self) -> None:
        self.stream.close()
        replace(self.temporary, self.path)


def read_staged(path: str) -> Iterator[Document]:
    for packed in _packed(path):
        yield unpack(packed)


def read_lines(path: str, lines: Collection[int]) -> Iterator[tuple[int, Document]]:
    """(line, document) for the given lines of a staged file, in order: the others are skipped
    unparsed, and the read stops at the last line asked for."""
    last = max(lines, default=-1)
    with closing(_packed(path)) as records:  # closes the file at once when stopping early
        for line, packed in enumerate(records):
            if line > last:
                return
            if line in lines:
                yield line, unpack(packed)


def _packed(path: str) -> Iterator[bytes]:
    with FileSystems.open(path, compression_type=CompressionTypes.ZSTD) as stream:
        while header := stream.read(_LENGTH.size):
            (length,) = _LENGTH.unpack(header)
            yield stream.read(length)
