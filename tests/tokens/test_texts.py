import gzip
import json

import numpy as np
import pytest

from dolmakit.core.errors import ConfigError
from dolmakit.tokens.shards import read_manifest
from dolmakit.tokens.texts import read_texts, tokenize_texts


def test_reads_dolma_jsonl_text_fields_and_plain_lines(tmp_path):
    jsonl = tmp_path / "docs.jsonl.gz"
    with gzip.open(jsonl, "wt", encoding="utf-8") as stream:
        stream.write(json.dumps({"id": "a", "text": "first\nwith a newline"}) + "\n\n")
        stream.write(json.dumps({"id": "b", "text": "second"}) + "\n")
    plain = tmp_path / "lines.txt"
    plain.write_bytes(b"one line\nbad \xff byte\n")
    assert list(read_texts([str(jsonl), str(plain)])) == [
        "first\nwith a newline", "second", "one line", "bad \ufffd byte"]  # fmt: skip


def test_a_jsonl_line_without_text_names_file_and_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "ok"}\n{"id": 3}\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad.jsonl.*line 2"):
        list(read_texts([str(path)]))


def test_tokenizes_non_empty_texts_into_shards_with_eos(tmp_path, tokenizer, tiny_model):
    texts = ["the river runs", "", "  ", "a second text"]
    out = tokenize_texts(texts, tiny_model, tmp_path / "eval", "clean")
    manifest = read_manifest(out)
    assert manifest["documents"] == 2 and manifest["vocab_size"] == tokenizer.vocab_size
    tokens = np.memmap(out / manifest["shards"][0]["path"], dtype=manifest["dtype"], mode="r")
    expected = [*tokenizer.encode(texts[0]), tokenizer.eos_id,
                *tokenizer.encode(texts[3]), tokenizer.eos_id]  # fmt: skip
    assert tokens.tolist() == expected
