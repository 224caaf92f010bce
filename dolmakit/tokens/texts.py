"""Texts into token shards (texts from files: dolmakit.io.texts)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from dolmakit.tokens.shards import DEFAULT_MAX_TOKENS_PER_SHARD, ShardWriter, write_manifest
from dolmakit.tokens.tokenizer import Tokenizer

_BATCH = 256  # texts encoded at once (SentencePiece's batch encoding uses every core)


def tokenize_texts(texts: Iterable[str], tokenizer: str | Path, out_dir: str | Path,
                   source: str) -> Path:  # fmt: skip
    """Token shards (with manifest.json) of the non-empty texts, EOS after each; the folder."""
    model = Tokenizer.load(tokenizer)
    with ShardWriter(out_dir, source, model.vocab_size, DEFAULT_MAX_TOKENS_PER_SHARD,
                     model.eos_id) as writer:  # fmt: skip
        batch: list[str] = []
        for text in (t for t in texts if t.strip()):
            batch.append(text)
            if len(batch) == _BATCH:
                _add(writer, model, batch, source)
        _add(writer, model, batch, source)
    write_manifest(out_dir)
    return Path(out_dir)


def _add(writer: ShardWriter, model: Tokenizer, batch: list[str], source: str) -> None:
    for ids in model.encode_batch(batch):
        writer.add(f"{source}-{writer.documents}", source, ids)
    batch.clear()
