"""The benchmark corpus: the shared real WARC captures re-written, again and again, into N
Common Crawl-like .warc.gz files (one gzip member per record) until they reach a size.

Every record of every type is copied as it is (warcinfo, request, response, metadata, resource),
only with a fresh, deterministic WARC-Record-ID; references to other records of the same source
file (WARC-Concurrent-To, WARC-Refers-To, WARC-Warcinfo-ID) are rewritten to the new ids of the
same copy, so the copies stay internally consistent. A record whose block is shorter than its
Content-Length (a capture clipped at the end of its file) cannot be re-written as a valid record
and is left out; the manifest counts it.

The corpus is cached in a folder with a manifest.json and reused when the sources, the size and
the file count match.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import random
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from fastwarc.warc import ArchiveIterator, WarcRecord

MB = 1_000_000  # decimal megabytes, as dolmakit's report uses
MANIFEST = "manifest.json"
CORPUS_VERSION = 1
_REFERENCE_HEADERS = ("WARC-Concurrent-To", "WARC-Refers-To", "WARC-Warcinfo-ID")
_GZIP_LEVEL = 6  # zlib's default, what Common Crawl's writers use


@dataclass
class Manifest:
    version: int
    seed: int
    target_mb: float
    sources: dict[str, int]  # name -> size in bytes
    files: dict[str, int] = field(default_factory=dict)  # name -> size in bytes
    records: dict[str, int] = field(default_factory=dict)  # WARC-Type -> count
    passes: int = 0
    skipped_truncated: int = 0

    @property
    def total_bytes(self) -> int:
        return sum(self.files.values())

    @property
    def responses(self) -> int:
        return self.records.get("response", 0)


def shared_warc_dir(repo: Path) -> Path:
    """$DOLMAKIT_SHARED_DATA/warc when set, else ../shared/data/warc next to the repository."""
    root = os.environ.get("DOLMAKIT_SHARED_DATA")
    return Path(root) / "warc" if root else repo.parent / "shared" / "data" / "warc"


def source_files(warc_dir: Path) -> list[Path]:
    """The WARC captures there (not their WET or WAT derivatives), sorted."""
    if not warc_dir.is_dir():
        return []
    return sorted(
        path
        for path in warc_dir.glob("*.warc.gz")
        if not path.name.endswith((".wet.gz", ".wat.gz"))
    )


def ensure_corpus(sources: list[Path], folder: Path, mb: float, files: int, seed: int) -> Manifest:
    """The corpus in `folder`, built unless a matching one is already there."""
    wanted = Manifest(CORPUS_VERSION, seed, mb, {p.name: p.stat().st_size for p in sources})
    existing = _load_manifest(folder)
    if existing is not None and _matches(existing, wanted, files, folder):
        return existing
    return _build(sources, folder, wanted, files)


def _load_manifest(folder: Path) -> Manifest | None:
    try:
        return Manifest(**json.loads((folder / MANIFEST).read_text()))
    except (OSError, ValueError, TypeError):
        return None


def _matches(existing: Manifest, wanted: Manifest, files: int, folder: Path) -> bool:
    same = (existing.version, existing.seed, existing.target_mb, existing.sources) == (
        wanted.version,
        wanted.seed,
        wanted.target_mb,
        wanted.sources,
    )
    present = all(
        (folder / name).is_file() and (folder / name).stat().st_size == size
        for name, size in existing.files.items()
    )
    return same and present and len(existing.files) == files


def _build(sources: list[Path], folder: Path, manifest: Manifest, files: int) -> Manifest:
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.warc.gz"):
        stale.unlink()
    (folder / MANIFEST).unlink(missing_ok=True)
    per_file = manifest.target_mb * MB / files
    records = _copies(sources, manifest)
    counts: Counter[str] = Counter()
    for index in range(files):
        name = f"bench-{index:05d}.warc.gz"
        manifest.files[name] = _write_file(folder / name, records, per_file, counts)
    manifest.records = dict(sorted(counts.items()))
    (folder / MANIFEST).write_text(json.dumps(asdict(manifest), indent=2) + "\n")
    return manifest


def _write_file(path: Path, records: Iterator[tuple[str, bytes]], size: float,
                counts: Counter[str]) -> int:  # fmt: skip
    written = 0
    with path.open("wb") as out:
        while written < size:
            record_type, member = next(records)
            out.write(member)
            written += len(member)
            counts[record_type] += 1
    return written


def _copies(sources: list[Path], manifest: Manifest) -> Iterator[tuple[str, bytes]]:
    """(record type, gzip member) of every source record, pass after pass, without end."""
    while True:
        for source in sources:
            for record in ArchiveIterator(str(source), parse_http=False):
                member = _rewrite(record, manifest.seed, manifest.passes, source.name)
                if member is None:
                    manifest.skipped_truncated += 1
                    continue
                yield str(record.record_type), member
        manifest.passes += 1


def _rewrite(record: WarcRecord, seed: int, copy: int, source: str) -> bytes | None:
    """The record with fresh ids as one gzip member, or None if its block is clipped."""
    block = record.reader.read()
    if len(block) < record.content_length:
        return None
    record.record_id = _fresh_id(seed, copy, source, record.headers.get("WARC-Record-ID") or "")
    for header in _REFERENCE_HEADERS:
        if old := record.headers.get(header):
            record.headers.set(header, _fresh_id(seed, copy, source, old))
    record.set_bytes_content(block)
    raw = io.BytesIO()
    record.write(raw)
    return gzip.compress(raw.getvalue(), compresslevel=_GZIP_LEVEL, mtime=0)


def _fresh_id(seed: int, copy: int, source: str, old: str) -> str:
    """A random-looking UUID4 that is the same for the same record of the same copy."""
    bits = random.Random(f"{seed}/{copy}/{source}/{old}").getrandbits(128)
    return f"<urn:uuid:{uuid.UUID(int=bits, version=4)}>"


HTML_TYPES = ("text/html", "application/xhtml+xml")


def html_responses(path: str):
    """(record, decoded HTML or None) for every response record of a WARC: the HTML of the
    HTTP 200 text/html pages, None for the others (the floors count every record). quirks_mode
    as dolmakit's reader has it by default: without it the ClueWeb captures' LF-only HTTP headers
    do not parse and a floor would skip their pages unextracted."""
    from fastwarc.warc import ArchiveIterator, WarcRecordType
    from resiliparse.parse.encoding import bytes_to_str, detect_encoding

    responses = ArchiveIterator(
        path, record_types=WarcRecordType.response, parse_http=True, quirks_mode=True
    )
    for record in responses:
        body = record.reader.read()
        content_type = (record.http_content_type or "").lower()
        if record.http_headers.status_code != 200 or content_type not in HTML_TYPES:
            yield record, None
        else:
            yield record, bytes_to_str(body, detect_encoding(body))
