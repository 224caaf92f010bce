"""Texts into token shards (reading texts from files: tests/io/test_texts.py)."""

import numpy as np

from dolmakit.tokens.shards import read_manifest
from dolmakit.tokens.texts import tokenize_texts


def test_tokenizes_non_empty_texts_into_shards_with_eos(tmp_path, tokenizer, tiny_model):
    texts = ["the river runs", "", "  ", "a second text"]
    out = tokenize_texts(texts, tiny_model, tmp_path / "eval", "clean")
    manifest = read_manifest(out)
    assert manifest["documents"] == 2 and manifest["vocab_size"] == tokenizer.vocab_size
    tokens = np.memmap(out / manifest["shards"][0]["path"], dtype=manifest["dtype"], mode="r")
    expected = [*tokenizer.encode(texts[0]), tokenizer.eos_id,
                *tokenizer.encode(texts[3]), tokenizer.eos_id]  # fmt: skip
    assert tokens.tolist() == expected
