"""OLMo's MemMapDataset over token shards: fixed-length training sequences, read by index.

The signature is OLMo's (olmo/data/memmap_dataset.py) less its instance filter, and so is the
chunking: each file is cut into `chunk_size` tokens, a chunk never crosses files, and the tokens
after a file's last whole chunk are not used (OLMo's documented behaviour). Items are
dictionaries of numpy arrays (`input_ids` as int64), never torch tensors: there is no torch
dependency here; `torch.from_numpy` turns them into tensors without a copy.

Each file is opened as a read-only `np.memmap` the first time one of its chunks is asked for
(once per process: the open maps are not pickled to DataLoader workers), and an item copies only
its own chunk: no shard is ever read whole.
"""

from __future__ import annotations

import bisect
from copy import deepcopy
from pathlib import Path
from typing import Any

import numpy as np

from dolmakit.core.errors import FatalError
from dolmakit.tokens.shards import MANIFEST, read_manifest


class MemMapDataset:
    def __init__(
        self,
        *paths: str | Path,
        chunk_size: int = 1024,
        memmap_dtype: type[np.unsignedinteger] = np.uint16,
        metadata: list[dict[str, Any]] | dict[str, Any] | None = None,
        include_instance_metadata: bool = True,
        generate_attention_mask: bool = False,
        generate_doc_lengths: bool = False,
        pad_token_id: int | None = None,
        eos_token_id: int | None = None,
        label_mask_paths: list[str | Path] | None = None,
    ):
        if not paths:
            raise FatalError("MemMapDataset needs at least one path")
        if chunk_size < 1:
            raise FatalError(f"chunk_size must be positive: {chunk_size}")
        if generate_attention_mask and pad_token_id is None:
            raise FatalError("generate_attention_mask needs pad_token_id")
        if generate_doc_lengths and eos_token_id is None:
            raise FatalError("generate_doc_lengths needs eos_token_id")
        if label_mask_paths is not None and len(label_mask_paths) != len(paths):
            raise FatalError("label_mask_paths needs one path per token file")
        if isinstance(metadata, list) and len(metadata) != len(paths):
            raise FatalError("metadata needs one dictionary per token file")
        self._paths = [Path(path) for path in paths]
        self._mask_paths = [Path(path) for path in label_mask_paths or []] or None
        self._metadata = metadata if isinstance(metadata, list) else [metadata or {}] * len(paths)
        self._chunk_size = chunk_size
        self.dtype = np.dtype(memmap_dtype).newbyteorder("<")
        self._include_metadata = include_instance_metadata
        self._attention_mask = generate_attention_mask
        self._doc_lengths = generate_doc_lengths
        self._pad_token_id, self._eos_token_id = pad_token_id, eos_token_id
        self._check_manifests()
        lengths = [self._file_tokens(path, self.dtype.itemsize) for path in self._paths]
        if self._mask_paths:
            self._check_masks(lengths)
        self._starts = np.cumsum([0] + [n // chunk_size for n in lengths]).tolist()
        self._maps: dict[tuple[int, bool], np.memmap] = {}

    @classmethod
    def from_manifest(
        cls, shard_dir: str | Path, chunk_size: int = 1024, **kwargs
    ) -> MemMapDataset:
        """All shards listed in `<shard_dir>/manifest.json`, with its dtype."""
        manifest = read_manifest(shard_dir)
        paths = [Path(shard_dir) / shard["path"] for shard in manifest["shards"]]
        return cls(*paths, chunk_size=chunk_size, memmap_dtype=np.dtype(manifest["dtype"]).type,
                   **kwargs)  # fmt: skip

    @property
    def chunk_size(self) -> int:
        return self._chunk_size

    @property
    def max_seq_len(self) -> int:
        return self._chunk_size

    def __len__(self) -> int:
        return self._starts[-1]

    def __getitem__(self, index: int) -> dict[str, Any]:
        index = int(index)
        position = index + len(self) if index < 0 else index
        if not 0 <= position < len(self):
            raise IndexError(f"{index} is out of bounds for dataset of size {len(self)}")
        file = bisect.bisect_right(self._starts, position) - 1
        start = (position - self._starts[file]) * self._chunk_size
        input_ids = self._memmap(file, False)[start : start + self._chunk_size].astype(np.int64)
        item: dict[str, Any] = {"input_ids": input_ids}
        if self._mask_paths:
            item["label_mask"] = np.array(
                self._memmap(file, True)[start : start + self._chunk_size]
            )
        if self._include_metadata:
            item["metadata"] = deepcopy(self._metadata[file])
        if self._attention_mask:
            item["attention_mask"] = (input_ids != self._pad_token_id).astype(np.int64)
        if self._doc_lengths:
            item["doc_lens"] = document_lengths(input_ids, self._eos_token_id)
        return item

    def __add__(self, other: MemMapDataset) -> MemMapDataset:
        if not isinstance(other, MemMapDataset):
            return NotImplemented
        return MemMapDataset(*self._paths, *other._paths, chunk_size=self._chunk_size,
                             memmap_dtype=self.dtype.type,
                             metadata=self._metadata + other._metadata)  # fmt: skip

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_maps": {}}  # each worker process opens its own maps

    def _memmap(self, file: int, mask: bool) -> np.memmap:
        mapped = self._maps.get((file, mask))
        if mapped is None:
            path = self._mask_paths[file] if mask else self._paths[file]
            dtype = np.bool_ if mask else self.dtype
            mapped = self._maps[(file, mask)] = np.memmap(path, dtype=dtype, mode="r")
        return mapped

    def _check_manifests(self) -> None:
        """A manifest beside the files names their dtype: it must be the one given."""
        for folder in sorted({path.parent for path in self._paths}):
            if (folder / MANIFEST).is_file():
                dtype = read_manifest(folder).get("dtype")
                if dtype != self.dtype.name:
                    raise FatalError(f"memmap_dtype is {self.dtype.name} but {folder / MANIFEST}"
                                     f" says the shards are {dtype}")  # fmt: skip

    def _check_masks(self, lengths: list[int]) -> None:
        for path, tokens in zip(self._mask_paths, lengths, strict=True):
            if self._file_tokens(path, 1) != tokens:
                raise FatalError(f"label mask {path} does not have one byte per token ({tokens})")

    @staticmethod
    def _file_tokens(path: Path, itemsize: int) -> int:
        if not path.is_file():
            raise FatalError(f"token file not found: {path}")
        size = path.stat().st_size
        if size % itemsize:
            raise FatalError(f"{path}: {size} bytes is not a whole number of {itemsize}-byte ids")
        return size // itemsize


def document_lengths(input_ids: np.ndarray, eos_token_id: int) -> np.ndarray:
    """Lengths of the documents in a chunk, each ending at an EOS (the last one maybe not)."""
    ends = np.flatnonzero(input_ids == eos_token_id) + 1
    bounds = np.unique(np.concatenate(([0], ends, [input_ids.size])))
    return np.diff(bounds)
