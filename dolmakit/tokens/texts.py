"""Texts from files (Dolma JSON lines or plain text) and their tokenization into token shards."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from dolmakit.core.errors import ConfigError
from dolmakit.io.files import lines, open_decompressed
from dolmakit.tokens.shards import DEFAULT_MAX_TOKENS_PER_SHARD, ShardWriter, write_manifest
from dolmakit.tokens.tokenizer import Tokenizer

_JSON_STEMS = (".jsonl", ".json", ".ndjson")
_BATCH = 256  # texts encoded at once (SentencePiece's batch encoding uses every core)


def read_texts(paths: Iterable[str]) -> Iterator[str]:
    """The `text` of each JSON line of Dolma JSONL files (.jsonl/.json/.ndjson, optionally
    compressed), or each line of any other file, in order."""
    for path in paths:
        is_json = any(stem in Path(path).name.lower() for stem in _JSON_STEMS)
        with open_decompressed(path) as stream:
            for number, line in enumerate(lines(stream), start=1):
                if not is_json:
                    yield line.decode("utf-8", errors="replace").rstrip("\n")
                elif line.strip():
                    yield _json_text(line, path, number)


def _json_text(line: bytes, path: str, number: int) -> str:
    try:
        text = json.loads(line)["text"]
    except (ValueError, KeyError, TypeError) as error:
        raise ConfigError(f"line {number} is not a JSON object with a 'text': {error}",
                          source=path) from None  # fmt: skip
    if not isinstance(text, str):
        raise ConfigError(f"line {number}: 'text' is not a string", source=path)
    return text


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
