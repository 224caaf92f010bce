from __future__ import annotations

import pickle
import tracemalloc

import numpy as np
import pytest

from dolmakit.core.errors import FatalError
from dolmakit.tokens.dataset import MemMapDataset, document_lengths
from dolmakit.tokens.shards import ShardWriter, write_manifest


def write_shards(out_dir, vocab_size=1000, cap=100, docs=40):
    rng = np.random.default_rng(0)
    with ShardWriter(out_dir, "w", vocab_size, cap, eos_id=2) as writer:
        for i in range(docs):
            writer.add(str(i), "s", rng.integers(3, vocab_size, rng.integers(0, 30)))
    write_manifest(out_dir)
    return sorted(out_dir.glob("w-*.npy"))


def test_chunks_equal_the_concatenated_tokens(tmp_path):
    paths = write_shards(tmp_path)
    dataset = MemMapDataset(*paths, chunk_size=16, metadata=[{"file": p.name} for p in paths])
    per_file = [np.fromfile(path, dtype="<u2") for path in paths]
    expected = [chunk for tokens in per_file
                for chunk in tokens[: tokens.size // 16 * 16].reshape(-1, 16)]  # fmt: skip
    assert len(dataset) == len(expected) == sum(t.size // 16 for t in per_file) > 10
    for i, chunk in enumerate(expected):
        item = dataset[i]
        assert item["input_ids"].dtype == np.int64
        assert item["input_ids"].tolist() == chunk.tolist()
    assert dataset[-1]["input_ids"].tolist() == expected[-1].tolist()
    assert dataset[0]["metadata"] == {"file": paths[0].name}
    with pytest.raises(IndexError):
        dataset[len(dataset)]


def test_from_manifest_uint32_and_extras(tmp_path):
    paths = write_shards(tmp_path, vocab_size=70_000, cap=1000)
    extras = dict(generate_doc_lengths=True, eos_token_id=2, include_instance_metadata=False)
    dataset = MemMapDataset.from_manifest(
        tmp_path, chunk_size=8, generate_attention_mask=True, pad_token_id=2, **extras
    )
    tokens = np.fromfile(paths[0], dtype="<u4")
    assert tokens.max() > 65_535 and dataset.dtype == np.uint32
    item = dataset[3]
    assert item["input_ids"].tolist() == tokens[24:32].tolist()
    assert item["attention_mask"].tolist() == (tokens[24:32] != 2).astype(int).tolist()
    assert item["doc_lens"].sum() == 8 and "metadata" not in item
    assert document_lengths(np.array([5, 2, 6, 7, 2, 9]), 2).tolist() == [2, 3, 1]


def test_reads_by_memmap_without_loading_the_file(tmp_path):
    big = tmp_path / "big.npy"
    with open(big, "wb") as out:  # 1 GiB, sparse: zeros except the last chunk
        out.truncate(1 << 30)
        out.seek((1 << 30) - 2048)
        out.write(np.arange(1024, dtype="<u2").tobytes())
    dataset = MemMapDataset(big, chunk_size=1024)
    tracemalloc.start()
    last = dataset[len(dataset) - 1]["input_ids"]
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert last.tolist() == list(range(1024)) and peak < 1 << 20
    assert isinstance(dataset._maps[(0, False)], np.memmap)
    clone = pickle.loads(pickle.dumps(dataset))  # e.g. to DataLoader workers: maps not pickled
    assert clone._maps == {} and clone[0]["input_ids"].sum() == 0


def test_inputs_are_validated_up_front(tmp_path):
    paths = write_shards(tmp_path)
    with pytest.raises(FatalError, match="not found"):
        MemMapDataset(tmp_path / "missing.npy")
    odd = tmp_path / "odd.npy"
    odd.write_bytes(b"123")
    with pytest.raises(FatalError, match="whole number"):
        MemMapDataset(odd)
    with pytest.raises(FatalError, match="manifest.json says the shards are uint16"):
        MemMapDataset(*paths, memmap_dtype=np.uint32)
    with pytest.raises(FatalError, match="pad_token_id"):
        MemMapDataset(*paths, generate_attention_mask=True)
    with pytest.raises(FatalError, match="one dictionary per"):
        MemMapDataset(*paths, metadata=[{}])
    with pytest.raises(FatalError, match="at least one"):
        MemMapDataset()


def test_label_masks(tmp_path):
    paths = write_shards(tmp_path)
    masks = []
    for path in paths:
        mask = np.fromfile(path, dtype="<u2") % 2 == 0
        masks.append(tmp_path / f"{path.stem}.mask")
        mask.tofile(masks[-1])
    dataset = MemMapDataset(*paths, chunk_size=10, label_mask_paths=masks)
    item = dataset[2]
    assert item["label_mask"].dtype == np.bool_
    assert item["label_mask"].tolist() == (item["input_ids"] % 2 == 0).tolist()
    with pytest.raises(FatalError, match="one byte per token"):
        MemMapDataset(*paths, label_mask_paths=[masks[1], masks[0], *masks[2:]])
