"""Paper sources out of the files arXiv distributes, streamed, never extracted to disk.

One input file is one of:
  - a paper's tar (`.tar`, `.tar.gz`, `.tgz`, or arXiv's `<id>.gz` holding a gzipped tar): a
    folder of files, one paper;
  - a single gzipped .tex (arXiv's `<id>.gz` for a one-file paper, or `.tex.gz`), or a plain
    `.tex`: one paper of one file;
  - a bulk tar as arXiv's S3 dump has them (`arXiv_src_2301_001.tar`): members `yymm/<id>.gz`
    (each a paper as above) and `yymm/<id>.pdf` (papers without LaTeX): one paper per member.
Gzip and tar are recognized by their bytes, not by the name (arXiv's `.gz` may hold either). A bulk
tar is told from a paper's tar by its first file's name (an arXiv id + `.gz`/`.pdf`) unless the
`tar_layout` option says which it is. Tars are read with tarfile's streaming mode, so a bulk tar
of any size is read in constant memory; one paper's text files are held while it is cleaned.
Only TeX files are read (`.tex`, `.ltx`, `.latex`); the others (figures, styles, .bbl) are
counted and skipped. Damage is reported as a Failure, never raised.
"""

from __future__ import annotations

import gzip
import io
import itertools
import posixpath
import re
import tarfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO, Literal

from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems

from dolmakit.io.files import DECOMPRESSION_ERRORS
from dolmakit.sources.arxiv.ids import file_stem
from dolmakit.sources.arxiv.inputs import normalize_path

TEXT_SUFFIXES = (".tex", ".ltx", ".latex")  # not .bbl: the bibliography is cut anyway
_BULK_MEMBER = re.compile(
    r"(?:\d{4}\.\d{4,5}|[a-z]+(?:-[a-z]+)?\d{7})(?:v\d+)?\.(?:gz|pdf)", re.IGNORECASE
)
_GZIP_MAGIC = b"\x1f\x8b"
_READ_ERRORS = (*DECOMPRESSION_ERRORS, tarfile.TarError)
TarLayout = Literal["auto", "bulk", "paper"]


@dataclass
class RawPaper:
    name: str  # the file or member name the paper's id comes from
    files: dict[str, bytes] = field(default_factory=dict)  # text files by normalized path
    n_files: int = 0  # every file of the source, text or not
    location: dict[str, Any] = field(default_factory=dict)  # member, for bulk tars
    pdf_only: bool = False  # arXiv holds only a PDF of this paper
    single_file: bool = False  # a lone .tex, not a tar


@dataclass
class Failure:
    kind: str
    cause: str
    location: dict[str, Any] = field(default_factory=dict)


def read_papers(path: str, max_bytes: int, layout: TarLayout) -> Iterator[RawPaper | Failure]:
    """Every paper of an input file, or a Failure saying what could not be read and where."""
    read = 0
    try:
        with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as raw:
            for item in _papers(ungzipped(raw), posixpath.basename(path), max_bytes, layout):
                read += 1
                yield item
    except _READ_ERRORS as error:
        after = f"after {read} papers" if read else "before any paper"
        yield Failure(
            "corrupt_file", f"{type(error).__name__}: {error} ({after})", {"papers": read}
        )


def _papers(
    stream: BinaryIO, name: str, max_bytes: int, layout: TarLayout
) -> Iterator[RawPaper | Failure]:
    head = _read_up_to(stream, tarfile.BLOCKSIZE)
    if not _is_tar_header(head):
        rest = _read_up_to(stream, max_bytes + 1 - len(head))
        yield _single_file(head + rest, name, max_bytes)
        return
    with tarfile.open(fileobj=_Prepended(head, stream), mode="r|") as tar:
        files = (member for member in tar if member.isfile())
        first = next(files, None)
        members = itertools.chain([first] if first else [], files)
        if first is not None and _is_bulk(first, layout):
            for member in members:
                yield _bulk_member(tar, member, max_bytes)
        else:  # a paper's folder (an empty tar too: no main file, reported as such)
            yield _collect(tar, members, RawPaper(name), max_bytes)


def _is_bulk(first: tarfile.TarInfo, layout: TarLayout) -> bool:
    if layout != "auto":
        return layout == "bulk"
    return _BULK_MEMBER.fullmatch(posixpath.basename(first.name)) is not None


def paper_from_bytes(data: bytes, name: str, max_bytes: int) -> RawPaper | Failure:
    """One per-paper source held in memory (a bulk tar's member): gzip, tar or a lone file."""
    if name.lower().endswith(".pdf"):
        return RawPaper(name, n_files=1, pdf_only=True)
    try:
        stream = _inflated(data, max_bytes) or ungzipped(io.BytesIO(data))
        (paper,) = _papers(stream, name, max_bytes, "paper")
    except _READ_ERRORS as error:
        return Failure("corrupt_member", f"{type(error).__name__}: {error}")
    return paper


def _inflated(data: bytes, max_bytes: int) -> BinaryIO | None:
    """data gunzipped in one call when it is one gzip member of at most max_bytes (the common
    case, twice as fast as streaming); None when the stream has to be read piece by piece (a
    paper whose figures make it larger, several members, damage)."""
    if not data.startswith(_GZIP_MAGIC):
        return io.BytesIO(data)
    inflater = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)  # 16: with a gzip header
    inflated = inflater.decompress(data, max_bytes)
    return io.BytesIO(inflated) if inflater.eof and not inflater.unused_data else None


def _bulk_member(
    tar: tarfile.TarFile, member: tarfile.TarInfo, max_bytes: int
) -> RawPaper | Failure:
    where = {"member": member.name}
    if member.size > max_bytes:
        return Failure("too_large", f"{member.size} bytes, over max_paper_bytes", where)
    data = tar.extractfile(member).read()
    paper = paper_from_bytes(data, member.name, max_bytes)
    paper.location.update(where)
    return paper


def _collect(
    tar: tarfile.TarFile, members: Iterator[tarfile.TarInfo], paper: RawPaper, max_bytes: int
) -> RawPaper | Failure:
    """The text files of a paper's tar (read as the stream passes them), the others counted."""
    total = 0
    for member in members:
        paper.n_files += 1
        if not member.name.lower().endswith(TEXT_SUFFIXES):
            continue
        total += member.size
        if total > max_bytes:
            return Failure("too_large", f"text files over {max_bytes} bytes", paper.location)
        paper.files[normalize_path(member.name)] = tar.extractfile(member).read()
    return paper


def _single_file(data: bytes, name: str, max_bytes: int) -> RawPaper | Failure:
    if len(data) > max_bytes:
        return Failure("too_large", f"over {max_bytes} bytes")
    if data.startswith(b"%PDF-"):
        return RawPaper(name, n_files=1, pdf_only=True)
    return RawPaper(name, {f"{file_stem(name)}.tex": data}, n_files=1, single_file=True)


def ungzipped(raw: BinaryIO) -> BinaryIO:
    """The stream decompressed when it is gzip (by its magic bytes), else as it is."""
    head = _read_up_to(raw, 2)
    stream = _Prepended(head, raw)
    return gzip.GzipFile(fileobj=stream) if head == _GZIP_MAGIC else stream


def _is_tar_header(block: bytes) -> bool:
    """Whether a 512-byte block is a valid tar header (tarfile checks its checksum)."""
    if len(block) < tarfile.BLOCKSIZE or not block.strip(b"\0"):
        return False
    try:
        tarfile.TarInfo.frombuf(block, "utf-8", "surrogateescape")
    except tarfile.HeaderError:
        return False
    return True


def _read_up_to(stream: BinaryIO, size: int) -> bytes:
    """Up to size bytes (fewer only at the end): a decompressor may return short reads."""
    chunks, missing = [], size
    while missing > 0 and (chunk := stream.read(missing)):
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)


class _Prepended(io.RawIOBase):
    """Bytes already read from a stream put back in front of it (to look before choosing)."""

    def __init__(self, head: bytes, rest: BinaryIO):
        self._head, self._rest = head, rest

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if not self._head:
            return self._rest.read(size)
        if size is None or size < 0:
            data, self._head = self._head + self._rest.read(), b""
            return data
        data, self._head = self._head[:size], self._head[size:]
        return data if len(data) == size else data + self._rest.read(size - len(data))

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
