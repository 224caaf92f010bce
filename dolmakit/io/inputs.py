"""Expands a pipeline's input (globs and listing files) into files, each with its reader."""

from __future__ import annotations

import glob
import os
from typing import NamedTuple

from apache_beam.io.filesystems import FileSystems

from dolmakit.core.errors import ConfigError
from dolmakit.io.files import absolute, lines, open_decompressed
from dolmakit.io.readers import READERS, Reader, reader_for


class InputFile(NamedTuple):
    path: str  # as the pipeline names it: records say this
    format: str
    index: int  # position in the sorted input, for progress lines
    total: int
    location: str = ""  # what a worker opens (a local path made absolute); "" = path
    size: int = -1  # bytes, as the glob's match found them; -1: not known (a listing's paths)

    @property
    def opened(self) -> str:
        return self.location or self.path


def expand_inputs(
    patterns: list[str], listing: str | None, listing_prefix: str, fmt: str, source: str
) -> list[InputFile]:
    """Every input file with its format, sorted; fails before launch when nothing matches."""
    reader = READERS.get(fmt, source=source, key="input.format") if fmt != "auto" else None
    match = _match_directories if reader and reader.reads_directories else _match
    # sizes come with the globs' matches: nothing is asked of the filesystem file by file
    sizes = {path: size for pattern in patterns for path, size in match(pattern, source)}
    if listing:
        sizes |= {path: sizes.get(path, -1) for path in read_listing(listing, listing_prefix)}
    if not sizes:
        raise ConfigError("no input files: give input.paths or input.listing", source=source)
    unique = sorted(sizes)
    return [
        InputFile(p, _format(p, fmt, source), i, len(unique), absolute(p), sizes[p])
        for i, p in enumerate(unique)
    ]


def read_listing(listing: str, prefix: str) -> list[str]:
    """Paths from a Common Crawl style listing (warc.paths.gz): one path per line, relative ones
    joined to `prefix` (s3://commoncrawl/ for Common Crawl's own)."""
    with open_decompressed(listing) as stream:
        paths = [line.decode("utf-8").strip() for line in lines(stream)]
    return [_join(prefix, path) for path in paths if path and not path.startswith("#")]


def _match(pattern: str, source: str) -> list[tuple[str, int]]:
    (result,) = FileSystems.match([pattern])
    files = [(m.path, m.size_in_bytes) for m in result.metadata_list if m.size_in_bytes >= 0]
    if not files:
        raise ConfigError(f"no files match {_shown(pattern)}", source=source, key="input.paths")
    return files


def _match_directories(pattern: str, source: str) -> list[tuple[str, int]]:
    """Local folders matching a glob, for readers whose input is a folder (a code checkout)."""
    folders = [(path, -1) for path in glob.glob(pattern) if os.path.isdir(path)]
    if not folders:
        raise ConfigError(f"no folders match {_shown(pattern)}", source=source, key="input.paths")
    return folders


def _shown(pattern: str) -> str:
    """A pattern for a message, saying what a relative one was resolved against."""
    if "://" in pattern or os.path.isabs(pattern):
        return repr(pattern)
    return f"{pattern!r} (relative to the current folder {os.getcwd()}, not the pipeline file's)"


def _format(path: str, fmt: str, source: str) -> str:
    if fmt != "auto":
        return fmt
    reader: type[Reader] | None = reader_for(path)
    if reader is None:
        known = ", ".join(f"{name}: {' '.join(cls.suffixes)}" for name, cls in READERS.items())
        raise ConfigError(
            f"cannot tell the format of {path!r}; set input.format or use one of {known}",
            source=source,
            key="input.format",
        )
    return reader.format_name


def _join(prefix: str, path: str) -> str:
    if "://" in path or path.startswith("/") or not prefix:
        return path
    return prefix.rstrip("/") + "/" + path.lstrip("/")
