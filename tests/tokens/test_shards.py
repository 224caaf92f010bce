from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from dolmakit.core.errors import FatalError
from dolmakit.tokens.shards import ShardWriter, dtype_for, read_manifest, write_manifest
from dolmakit.tokens.tokenizer import Tokenizer, pii_tokens, train_tokenizer
from tokens.conftest import TRICKY, prose


def read_documents(out_dir: Path) -> dict[str, list[int]]:
    """Every document's tokens (parts joined, EOS dropped), by the manifest and the indexes."""
    manifest = read_manifest(out_dir)
    docs: dict[str, list[int]] = {}
    for shard in manifest["shards"]:
        tokens = np.memmap(out_dir / shard["path"], dtype=manifest["dtype"], mode="r")
        assert tokens.size == shard["tokens"]
        lines = (out_dir / shard["index"]).read_text(encoding="utf-8").splitlines()
        assert len(lines) == shard["documents"]
        for entry in map(json.loads, lines):
            docs.setdefault(entry["id"], []).extend(tokens[entry["start"] : entry["end"]].tolist())
    for doc_id, ids in docs.items():
        assert ids[-1] == manifest["eos_id"], doc_id
        docs[doc_id] = ids[:-1]
    return docs


def test_dtype_for():
    assert dtype_for(32000) == np.uint16 and dtype_for(65536) == np.uint16
    assert dtype_for(65537) == np.uint32 and dtype_for(70000).str == "<u4"


def test_documents_decode_to_their_text(tmp_path, tokenizer: Tokenizer):
    texts = TRICKY + prose()
    with ShardWriter(tmp_path, "w0", tokenizer.vocab_size, 3000, tokenizer.eos_id) as writer:
        for i, ids in enumerate(tokenizer.encode_batch(texts)):
            writer.add(f"doc{i}", "tricky" if i < len(TRICKY) else "prose", ids)
    manifest = read_manifest_of(write_manifest(tmp_path))
    assert manifest["dtype"] == "uint16" and manifest["documents"] == len(texts)
    assert len(manifest["shards"]) > 3
    assert all(shard["tokens"] <= 3000 for shard in manifest["shards"])
    docs = read_documents(tmp_path)
    assert [tokenizer.decode(docs[f"doc{i}"]) for i in range(len(texts))] == texts
    for shard in manifest["shards"]:  # no id at or above the vocabulary anywhere
        assert np.fromfile(tmp_path / shard["path"], dtype="<u2").max() < tokenizer.vocab_size


def read_manifest_of(path: Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def test_cap_splits_long_documents_and_rolls(tmp_path):
    with ShardWriter(tmp_path, "w", 100, 10, eos_id=2) as writer:
        writer.add("a", "s", [5] * 4)  # 5 tokens with EOS
        writer.add("b", "s", [6] * 4)  # fits exactly: 10
        writer.add("c", "s", [7] * 3)  # next shard
        writer.add("long", "s", list(range(10, 35)))  # 26 tokens: a new shard, split in 3
        writer.add("d", "s", [])  # an empty document is one EOS
    manifest = read_manifest_of(write_manifest(tmp_path))
    assert [s["tokens"] for s in manifest["shards"]] == [10, 4, 10, 10, 7]
    assert manifest["tokens"] == 41 and manifest["documents"] == 5
    assert read_documents(tmp_path)["long"] == list(range(10, 35))
    entries = [json.loads(x) for x in (tmp_path / "w-00004.index.jsonl").read_text().splitlines()]
    assert entries == [{"start": 0, "end": 6, "id": "long", "source": "s", "part": 2},
                       {"start": 6, "end": 7, "id": "d", "source": "s"}]  # fmt: skip


def test_ids_outside_the_vocabulary_are_refused(tmp_path):
    with (
        pytest.raises(FatalError, match="token id 100 is outside"),
        ShardWriter(tmp_path, "w", 100, 50, 2) as writer,
    ):
        writer.add("ok", "s", [1, 2, 3])
        writer.add("bad", "s", [1, 100])
    with (
        pytest.raises(FatalError, match="token id -1"),
        ShardWriter(tmp_path, "w", 100, 50, 2) as writer,
    ):
        writer.add("neg", "s", [-1])
    with pytest.raises(FatalError, match="eos_id"):
        ShardWriter(tmp_path, "w", 100, 50, 100)
    assert list(tmp_path.iterdir()) == []


def test_failed_writer_leaves_nothing_that_looks_complete(tmp_path):
    with pytest.raises(RuntimeError), ShardWriter(tmp_path, "w", 1000, 4, 2) as writer:
        for i in range(10):
            writer.add(f"d{i}", "s", [i + 3, i + 4])  # shards roll: several finished
        raise RuntimeError("worker died")
    assert list(tmp_path.iterdir()) == []
    with ShardWriter(tmp_path, "w", 1000, 4, 2) as writer:  # before close: only hidden files
        writer.add("d", "s", [3, 4, 5, 6, 7])
        assert all(path.name.startswith(".") for path in tmp_path.iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "w-00000.index.jsonl", "w-00000.npy", "w-00001.index.jsonl", "w-00001.npy",
        "w.manifest.json"]  # fmt: skip


def test_parallel_writers_merge(tmp_path):
    for worker in range(3):
        with ShardWriter(tmp_path, f"part-{worker}", 500, 7, 2) as writer:
            for i in range(5):
                writer.add(f"{worker}/{i}", f"src{worker % 2}", [worker + 3] * i)
    manifest = read_manifest_of(write_manifest(tmp_path))
    assert manifest["documents"] == 15 and manifest["tokens"] == 3 * (10 + 5)
    assert read_documents(tmp_path)["2/4"] == [5] * 4
    with ShardWriter(tmp_path, "other", 70000, 7, 2) as writer:
        writer.add("x", "s", [1])
    with pytest.raises(FatalError, match="dtype"):
        write_manifest(tmp_path)


def test_uint32_path_with_a_vocabulary_above_65536(tmp_path):
    symbols = pii_tokens() + [f"<sym{i}>" for i in range(66_000)]
    model = train_tokenizer(prose()[:40], tmp_path / "tok", 66_600, user_defined_symbols=symbols)
    tokenizer = Tokenizer.load(model)
    assert tokenizer.vocab_size == 66_600 and tokenizer.exact
    texts = ["high ids: <sym65999><sym70000> <sym12>", "日本 <sym65533>\n", *TRICKY]
    ids = tokenizer.encode_batch(texts)
    assert max(map(max, filter(None, ids))) > 65_535
    with ShardWriter(tmp_path / "shards", "w", tokenizer.vocab_size, 1000, tokenizer.eos_id) as w:
        for i, one in enumerate(ids):
            w.add(str(i), "s", one)
    manifest = read_manifest_of(write_manifest(tmp_path / "shards"))
    assert manifest["dtype"] == "uint32"
    docs = read_documents(tmp_path / "shards")
    assert [tokenizer.decode(docs[str(i)]) for i in range(len(texts))] == texts
    raw = np.fromfile(tmp_path / "shards" / "w-00000.npy", dtype="<u4")
    assert raw.max() > 65_535 and raw.max() < tokenizer.vocab_size


def test_shards_write_through_beams_filesystems(tmp_path):
    """A URI (here a Beam filesystem serving a local folder, as gs:// or s3:// would): the
    writers, the merged manifest and reading it back all go through Beam's FileSystems."""
    from helpers import SCHEME

    uri = f"{SCHEME}://{tmp_path}/train"
    for prefix, ids in (("a", [[1, 2, 3], [4]]), ("b", [[5, 6]])):
        with ShardWriter(uri, prefix, 100, 4, 0) as writer:
            for number, tokens in enumerate(ids):
                writer.add(f"{prefix}{number}", "s", tokens)
    assert write_manifest(uri) == f"{uri}/manifest.json"
    manifest = read_manifest(uri)
    assert (manifest["tokens"], manifest["documents"]) == (9, 3)
    assert [s["path"] for s in manifest["shards"]] == ["a-00000.npy", "a-00001.npy", "b-00000.npy"]
    assert read_documents(tmp_path / "train") == {"a0": [1, 2, 3], "a1": [4], "b0": [5, 6]}
    assert not list((tmp_path / "train").glob(".*.tmp"))
