"""Token shards: raw memory-mapped arrays of token ids with EOS after every document.

One writer (one worker, one `prefix`) writes into `out_dir`:

    <prefix>-00000.npy            token ids, raw little-endian uint16 or uint32, no header
                                  (Dolma's and OLMo's layout: `np.memmap(path, dtype, mode="r")`;
                                  the suffix is theirs too, the file is not NPY format)
    <prefix>-00000.index.jsonl    one line per document: {"start", "end", "id", "source"}, token
                                  offsets in the shard, end exclusive and counting the EOS
    <prefix>.manifest.json        this writer's shards with their token and document counts

`write_manifest(out_dir)` merges every writer's manifest into `manifest.json` (dtype, vocabulary
size, EOS id, shards, totals) once all writers are done; readers go by that file.

- A shard holds at most `max_tokens_per_shard` tokens. A document that does not fit in what is
  left of a shard starts the next one; a document longer than a whole shard is split into
  shard-sized parts, each a shard of its own with its own index line (`"part": 0, 1, ...`),
  the EOS at the end of the last part.
- Every id is checked to be in [0, vocab_size) before anything of its document is written.
- Atomic: shards are written under hidden temporary names and renamed only when the writer
  closes without error, the writer's manifest last. A writer that fails (an exception inside
  its `with` block) deletes its temporary files: nothing is left that looks complete.
- Any filesystem Beam writes (local, gs://, s3://): files are created, renamed and listed
  through Beam's FileSystems, so a mix run on remote workers writes its shards where the mix
  says. Training memory-maps shards, so it reads them from a local folder.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
from apache_beam.io.filesystems import FileSystems

from dolmakit.core.errors import FatalError

MANIFEST = "manifest.json"
FORMAT = "dolmakit-token-shards-v1"
DEFAULT_MAX_TOKENS_PER_SHARD = 1 << 28  # 512 MiB of uint16
_PREFIX = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def dtype_for(vocab_size: int) -> np.dtype:
    """uint16 when every id fits in it (vocabulary up to 65,536), else uint32; little-endian."""
    if not 0 < vocab_size <= 1 << 32:
        raise FatalError(f"vocab_size must be in 1..2**32: {vocab_size}")
    return np.dtype("<u2") if vocab_size <= 1 << 16 else np.dtype("<u4")


@dataclass
class ShardInfo:
    path: str  # file names, relative to the folder of the manifest
    index: str
    tokens: int = 0
    documents: int = 0  # index lines: each part of a split document counts


class ShardWriter:
    """Context manager writing one worker's shards; see the module's notes."""

    def __init__(
        self,
        out_dir: str | Path,
        prefix: str,
        vocab_size: int,
        max_tokens_per_shard: int,
        eos_id: int,
    ):
        if not _PREFIX.fullmatch(prefix) or prefix == "manifest":
            raise FatalError(
                f"shard prefix must be a plain file name (letters, digits, ._-): {prefix!r}"
            )
        if max_tokens_per_shard < 1:
            raise FatalError(f"max_tokens_per_shard must be positive: {max_tokens_per_shard}")
        if not 0 <= eos_id < vocab_size:
            raise FatalError(f"eos_id {eos_id} is outside the vocabulary 0..{vocab_size - 1}")
        self.out_dir, self.prefix = str(out_dir).rstrip("/"), prefix
        self.vocab_size, self.eos_id, self.cap = vocab_size, eos_id, max_tokens_per_shard
        self.dtype = dtype_for(vocab_size)
        self.shards: list[ShardInfo] = []
        self.documents = 0
        self._data: BinaryIO | None = None
        self._index: BinaryIO | None = None
        self._closed = False

    def __enter__(self) -> ShardWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()

    def add(self, doc_id: str, source: str, token_ids: Sequence[int] | np.ndarray) -> None:
        """Appends a document's tokens and an EOS."""
        if self._closed:
            raise FatalError(f"shard writer {self.prefix} is closed")
        ids = np.asarray(token_ids)
        if ids.ndim != 1 or (ids.size and ids.dtype.kind not in "iu"):
            raise FatalError(f"document {doc_id}: token ids must be a flat sequence of integers")
        if ids.size and (ids.min() < 0 or ids.max() >= self.vocab_size):
            bad = ids[(ids < 0) | (ids >= self.vocab_size)][0]
            top = self.vocab_size - 1
            raise FatalError(
                f"document {doc_id}: token id {bad} is outside the vocabulary 0..{top}"
            )
        tokens = np.empty(ids.size + 1, dtype=self.dtype)
        tokens[:-1] = ids
        tokens[-1] = self.eos_id
        if self._data is not None and self.shards[-1].tokens + tokens.size > self.cap:
            self._finish_shard()
        parts = range(0, tokens.size, self.cap)
        for part, start in enumerate(parts):
            if part:
                self._finish_shard()
            piece = tokens[start : start + self.cap]
            self._write(doc_id, source, piece, part if len(parts) > 1 else None)
        self.documents += 1

    def _write(self, doc_id: str, source: str, tokens: np.ndarray, part: int | None) -> None:
        if self._data is None:
            self._open_shard()
        shard = self.shards[-1]
        self._data.write(tokens.data)
        entry = {"start": shard.tokens, "end": shard.tokens + tokens.size, "id": doc_id}
        entry["source"] = source
        if part is not None:
            entry["part"] = part
        self._index.write(json.dumps(entry).encode() + b"\n")  # ASCII: any id, lone surrogates too
        shard.tokens += tokens.size
        shard.documents += 1

    def _open_shard(self) -> None:
        name = f"{self.prefix}-{len(self.shards):05d}"
        self.shards.append(ShardInfo(f"{name}.npy", f"{name}.index.jsonl"))
        self._data = FileSystems.create(self._temp(self.shards[-1].path))
        self._index = FileSystems.create(self._temp(self.shards[-1].index))

    def _finish_shard(self) -> None:
        if self._data is not None:
            self._data.close()
            self._index.close()
            self._data = self._index = None

    def _temp(self, name: str) -> str:
        return f"{self.out_dir}/.{name}.tmp"

    def close(self) -> str:
        """Publishes the shards, then this writer's manifest; returns the manifest's path."""
        self._finish_shard()
        self._closed = True
        names = [name for shard in self.shards for name in (shard.path, shard.index)]
        if names:
            _replace([self._temp(n) for n in names], [f"{self.out_dir}/{n}" for n in names])
        manifest = f"{self.out_dir}/{self.prefix}.manifest.json"
        _write_json(manifest, self.manifest())
        return manifest

    def abort(self) -> None:
        """Deletes every temporary file of this writer; nothing is published."""
        self._finish_shard()
        self._closed = True
        temps = [self._temp(n) for shard in self.shards for n in (shard.path, shard.index)]
        existing = [path for path in temps if FileSystems.exists(path)]
        if existing:
            FileSystems.delete(existing)

    def manifest(self) -> dict:
        return _manifest(self.dtype, self.vocab_size, self.eos_id, self.shards, self.documents)


def write_manifest(out_dir: str | Path) -> str:
    """Merges the writers' `<prefix>.manifest.json` files of out_dir into `manifest.json`,
    checking that they agree and that each shard file has the size its manifest says."""
    out_dir = str(out_dir).rstrip("/")
    parts = sorted(_sizes(f"{out_dir}/*.manifest.json"))
    if not parts:
        raise FatalError(f"no shard writer manifests (*.manifest.json) in {out_dir}")
    manifests = [_read_json(path) for path in parts]
    first = manifests[0]
    for path, manifest in zip(parts, manifests, strict=True):
        for key in ("format", "dtype", "vocab_size", "eos_id"):
            if manifest.get(key) != first.get(key):
                raise FatalError(f"{path}: {key} {manifest.get(key)!r} != {first.get(key)!r}")
    dtype = np.dtype(first["dtype"]).newbyteorder("<")
    shards = [ShardInfo(**shard) for manifest in manifests for shard in manifest["shards"]]
    sizes = _sizes(f"{out_dir}/*.npy")  # one listing, not a request per shard
    for shard in shards:
        path = f"{out_dir}/{shard.path}"
        size = sizes.get(path, 0)
        if size != shard.tokens * dtype.itemsize:
            raise FatalError(f"{path}: {size} bytes, manifest says {shard.tokens} tokens")
    documents = sum(manifest["documents"] for manifest in manifests)
    merged = _manifest(dtype, first["vocab_size"], first["eos_id"], shards, documents)
    return _write_json(f"{out_dir}/{MANIFEST}", merged)


def read_manifest(out_dir: str | Path) -> dict:
    path = f"{str(out_dir).rstrip('/')}/{MANIFEST}"
    try:
        return _read_json(path)
    except (OSError, ValueError) as error:
        raise FatalError(f"cannot read token shard manifest {path}: {error}") from error


def _manifest(dtype: np.dtype, vocab_size: int, eos_id: int, shards: list[ShardInfo],
              documents: int) -> dict:  # fmt: skip
    return {
        "format": FORMAT,
        "layout": "raw little-endian token ids, no header; np.memmap(path, dtype, mode='r')",
        "dtype": dtype.name,
        "vocab_size": vocab_size,
        "eos_id": eos_id,
        "tokens": sum(shard.tokens for shard in shards),
        "documents": documents,
        "shards": [asdict(shard) for shard in shards],
    }


def _write_json(path: str, value: dict) -> str:
    folder, name = path.rsplit("/", 1)
    temp = f"{folder}/.{name}.tmp"
    with FileSystems.create(temp) as stream:
        stream.write((json.dumps(value, indent=1) + "\n").encode("utf-8"))
    _replace([temp], [path])
    return path


def _read_json(path: str) -> dict:
    with FileSystems.open(path) as stream:
        return json.loads(stream.read().decode("utf-8"))


def _sizes(pattern: str) -> dict[str, int]:
    return {m.path: m.size_in_bytes for m in FileSystems.match([pattern])[0].metadata_list}


def _replace(sources: list[str], targets: list[str]) -> None:
    """Renames, replacing what is there (Beam's rename refuses an existing local target)."""
    existing = [path for path in targets if FileSystems.exists(path)]
    if existing:
        FileSystems.delete(existing)
    FileSystems.rename(sources, targets)
