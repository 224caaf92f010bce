"""Opening compressed inputs on any Beam filesystem so that damage is reported, not hidden.

Beam's own decompressing reader ends a truncated gzip stream quietly and is not iterable by line;
Python's gzip, bz2 and zstandard readers raise on a cut or corrupt stream, which is what lets a
reader put "truncated after line N" in the errors output instead of a half line in the data.
"""

from __future__ import annotations

import bz2
import gzip
import io
import os
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

import zstandard
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems

from dolmakit.presets import packaged_path

# what a damaged compressed stream raises, across the formats
DECOMPRESSION_ERRORS = (OSError, EOFError, zlib.error, zstandard.ZstdError)


@contextmanager
def open_decompressed(path: str) -> Iterator[BinaryIO]:
    """The file's bytes, decompressed by its suffix (.gz, .bz2, .zst/.zstd) or as they are; a
    `dolmakit:` path is a file packaged in dolmakit.presets."""
    path = packaged_path(path)
    lower = path.lower()
    with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as raw:
        if lower.endswith(".gz"):
            yield gzip.GzipFile(fileobj=raw)
        elif lower.endswith(".bz2"):
            yield bz2.BZ2File(raw)
        elif lower.endswith((".zst", ".zstd")):
            reader = zstandard.ZstdDecompressor().stream_reader(raw, read_across_frames=True)
            yield io.BufferedReader(reader)
        else:
            yield raw


def absolute(path: str) -> str:
    """A local path made absolute (workers run in other folders, or on other machines that
    share the filesystem); a URI (gs://, s3://, dolmakit:) as it is."""
    return path if "://" in path or path.startswith("dolmakit:") else os.path.abspath(path)


def file_exists(path: str) -> bool:
    """Whether open_decompressed can open `path` (any Beam filesystem, or a packaged file)."""
    return FileSystems.exists(packaged_path(path))


def lines(stream: BinaryIO) -> Iterator[bytes]:
    """Lines of a binary stream (Beam's GCS and S3 readers are not iterable themselves)."""
    return iter(stream.readline, b"")
