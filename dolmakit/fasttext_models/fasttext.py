"""fastText model files: bundled ones by name, any path Beam's FileSystems read, and a layout check.

fastText facts this module works around (fasttext-numpy2 0.10.4): a truncated model file crashes
fastText, hangs it or makes it allocate gigabytes instead of raising, so the file's layout is
walked in Python (a few ms) before fastText loads it, at config time and again on each worker.
fastText reads local files only, so a gs:// or s3:// model is copied to a local cache first.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import mmap
import os
import struct
import tempfile
from pathlib import Path
from typing import Any

from dolmakit.core.errors import ConfigError

BUNDLED_MODELS = {
    # fastText's lid.176.ftz (176 languages, 917 kB, CC BY-SA 3.0; see data/lid/NOTICE.md)
    "lid176": "lid/lid.176.ftz",
}


def resolve_model(model: str) -> str:
    """The path of a model on this machine: a bundled one by name (inside the installed
    dolmakit, so a worker finds its own copy), else the path as given (checked to exist).
    Steps keep the name and resolve it again in setup(), never the launcher's path."""
    if model in BUNDLED_MODELS:
        return str(importlib.resources.files("dolmakit") / "data" / BUNDLED_MODELS[model])
    if not is_file(model):
        bundled = ", ".join(BUNDLED_MODELS)
        raise ConfigError(
            f"no model file at {model!r}; give a fastText model path or one of: {bundled}",
            key="model",
        )
    return model


def validate_model(path: str) -> Any:
    """The loaded model, after checking the file's layout: fastText itself crashes, hangs or
    allocates gigabytes on a truncated file instead of raising."""
    try:
        return load_model(path)
    except (OSError, ValueError) as error:
        raise ConfigError(
            f"{path!r} is not a usable fastText model: {error}", key="model"
        ) from None


def load_model(path: str) -> Any:
    """A supervised fastText model from a file whose layout checks out (see check_layout)."""
    import fasttext  # only where a model is used

    local = local_copy(path)
    check_layout(local)
    return fasttext.load_model(local)


_MAGIC, _VERSIONS, _SUPERVISED = 793712314, (11, 12), 3
_CENTROIDS = 256  # a product quantizer's centroids per sub-quantizer (ksub)


def check_layout(path: str) -> None:
    """Walks a fastText .bin/.ftz file (header, args, dictionary, two matrices) and raises
    ValueError unless it is a supervised model whose parts add up to exactly the file size."""
    with open(path, "rb") as stream:
        if os.fstat(stream.fileno()).st_size == 0:
            raise ValueError("the file is empty")
        with mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as data:
            reader = _Reader(data)
            try:
                _walk(reader)
            except struct.error:
                raise ValueError(
                    f"truncated or corrupt: its parts overrun its {len(data):,} bytes"
                ) from None
            if reader.position != len(data):
                raise ValueError(f"{len(data) - reader.position:,} unexpected bytes at the end")


def _walk(reader: _Reader) -> None:
    magic, version = reader.take("ii")
    if magic != _MAGIC or version not in _VERSIONS:
        raise ValueError("not a fastText model file (wrong magic number or version)")
    dim, *_, model, _bucket, _minn, _maxn, _rate, _t = reader.take("12id")
    if model != _SUPERVISED:
        raise ValueError("not a supervised (classification) model")
    size, _words, labels, _tokens, pruned = reader.take("iiiqq")
    if labels <= 0 or size < labels or pruned < -1 or dim <= 0:
        raise ValueError("the dictionary header is not valid")
    for _ in range(size):  # a NUL-terminated word, its count (int64) and type (int8)
        reader.skip_past(b"\0")
        reader.skip(9)
    reader.skip(8 * max(pruned, 0))
    for _matrix in ("input", "output"):
        (quantized,) = reader.take("?")
        _skip_matrix(reader, quantized)


def _skip_matrix(reader: _Reader, quantized: bool) -> None:
    if not quantized:
        rows, columns = reader.take("qq")
        reader.skip(4 * rows * columns)  # float32
        return
    norms, rows, _columns, code_bytes = reader.take("?qqi")
    reader.skip(code_bytes)
    _skip_quantizer(reader)
    if norms:
        reader.skip(rows)
        _skip_quantizer(reader)


def _skip_quantizer(reader: _Reader) -> None:
    dim, _subquantizers, _sub_dim, _last_sub_dim = reader.take("iiii")
    reader.skip(4 * dim * _CENTROIDS)


class _Reader:
    """Little-endian reads over a buffer; struct.error when a read would pass its end."""

    def __init__(self, data: mmap.mmap):
        self.data, self.position = data, 0

    def take(self, fmt: str) -> tuple:
        values = struct.unpack_from("<" + fmt, self.data, self.position)
        self.position += struct.calcsize("<" + fmt)
        return values

    def skip(self, count: int) -> None:
        if count < 0 or self.position + count > len(self.data):
            raise struct.error("past the end")
        self.position += count

    def skip_past(self, marker: bytes) -> None:
        found = self.data.find(marker, self.position)
        if found < 0:
            raise struct.error("past the end")
        self.position = found + len(marker)


def local_copy(path: str) -> str:
    """A local file for fastText: the path itself, or a cached copy of a gs:// or s3:// file."""
    if "://" not in path:
        return path
    from apache_beam.io.filesystems import FileSystems

    cache_dir = Path(tempfile.gettempdir()) / "dolmakit-models"
    target = cache_dir / (hashlib.sha256(path.encode()).hexdigest()[:16] + "-" + Path(path).name)
    if not target.is_file():
        cache_dir.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(f".{os.getpid()}.partial")
        with FileSystems.open(path) as source, partial.open("wb") as sink:
            while chunk := source.read(1 << 24):
                sink.write(chunk)
        partial.rename(target)
    return str(target)


def is_file(path: str) -> bool:
    """Whether a local path or a path on a filesystem Beam reads (gs://, s3://) is a file."""
    if "://" not in path:
        return os.path.isfile(path)
    from apache_beam.io.filesystems import FileSystems

    return FileSystems.exists(path)
