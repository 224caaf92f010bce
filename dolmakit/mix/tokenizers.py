"""Tokenizers a mix counts and writes with: a SentencePiece model, or words hashed to ids."""

from __future__ import annotations

import zlib
from typing import Any

import numpy as np


class WhitespaceTokenizer:
    """Words split on whitespace, hashed to ids: for planning mixes and tests without a model."""

    vocab_size = 65_536
    eos_id = 0

    def encode_batch(self, texts: list[str], num_threads: int = 1) -> list[list[int]]:
        size = self.vocab_size - 1
        return [[1 + zlib.crc32(w.encode("utf-8", "surrogatepass")) % size for w in text.split()]
                for text in texts]  # fmt: skip


def load_tokenizer(spec: str) -> Any:
    if spec == "whitespace":
        return WhitespaceTokenizer()
    from dolmakit.tokens.tokenizer import Tokenizer

    return Tokenizer.load(spec)


def doc_tokens(ids: np.ndarray) -> int:
    """Tokens a document takes in a shard: its ids and the EOS after them."""
    return len(ids) + 1
