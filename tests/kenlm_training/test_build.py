"""Training a model with the real SentencePiece trainer, lmplz and build_binary."""

from __future__ import annotations

import gzip
import hashlib
import json

import kenlm
import pytest

from dolmakit.core.errors import FatalError
from dolmakit.kenlm_models.kenlm import LanguageModel
from dolmakit.kenlm_training.build import file_facts, train_language_model
from dolmakit.text.normalize import normalize

needs_kenlm = pytest.mark.usefixtures("kenlm_tools")
SMALL = {"vocab_size": 800, "memory": "100M"}


@needs_kenlm
def test_trains_the_files_the_tagger_reads_with_their_metadata(tmp_path, prose_lines):
    half = len(prose_lines) // 2
    plain, gzipped = tmp_path / "a.txt", tmp_path / "b.txt.gz"
    plain.write_text("\n".join(prose_lines[:half]) + "\n\n   \n", encoding="utf-8")
    with gzip.open(gzipped, "wt", encoding="utf-8") as stream:
        stream.write("\n".join(prose_lines[half:]))

    model = train_language_model([plain, gzipped], "en", tmp_path / "out", **SMALL)

    out = tmp_path / "out"
    assert sorted(path.name for path in out.iterdir()) == ["en.arpa.bin", "en.json", "en.sp.model"]
    metadata = json.loads((out / "en.json").read_text())
    assert metadata == model.metadata
    assert metadata["lines"] == sum(1 for line in prose_lines if normalize(line))
    assert metadata["characters"] == sum(len(normalize(line)) for line in prose_lines)
    assert metadata["tokens"] > metadata["lines"] and metadata["vocab_size"] <= 800
    assert metadata["order"] == 5
    assert metadata["corpus_files"] == [file_facts(plain), file_facts(gzipped)]
    assert [facts["name"] for facts in metadata["corpus_files"]] == ["a.txt", "b.txt.gz"]
    assert metadata["corpus_files"][0]["sha256"] == hashlib.sha256(plain.read_bytes()).hexdigest()
    assert metadata["lmplz_command"].startswith("lmplz -o 5 -S 100M")  # no machine path
    assert metadata["build_binary_command"].startswith("build_binary ")
    assert str(tmp_path) not in json.dumps(metadata)
    assert "-q 8 -b 8 -a 255 trie" in metadata["build_binary_command"]
    assert metadata["files"]["en.arpa.bin"] == (out / "en.arpa.bin").stat().st_size
    assert metadata["arpa_bytes"] > metadata["files"]["en.arpa.bin"]  # the ARPA was removed
    assert set(metadata["timings_s"]) >= {"sentencepiece_s", "lmplz_s", "build_binary_s"}
    assert kenlm.Model(str(out / "en.arpa.bin")).order == 5


@needs_kenlm
def test_the_model_prefers_its_own_kind_of_text(tmp_path, corpus_file, prose_lines):
    train_language_model([corpus_file], "en", tmp_path, order=3, **SMALL)
    model = LanguageModel.load(tmp_path, "en")
    lines = prose_lines[:20]
    word_salad = [" ".join(sorted(line.split())) for line in lines]
    assert model.perplexity("\n".join(lines)) < model.perplexity("\n".join(word_salad)) / 2


@needs_kenlm
def test_pruning_and_full_precision_reach_the_commands(tmp_path, corpus_file):
    model = train_language_model([corpus_file], "en", tmp_path, prune=(0, 0, 1), quantize=False,
                                 **SMALL)  # fmt: skip
    assert model.metadata["lmplz_command"].endswith("--discount_fallback --prune 0 0 1")
    assert " -q " not in model.metadata["build_binary_command"]


@pytest.mark.parametrize(
    ("settings", "message"),
    [({"prune": (1, 1)}, "cannot prune unigrams"), ({"prune": (0, 2, 1)}, "non-decreasing"),
     ({"order": 7}, "max order 6"), ({"vocab_size": 10}, "at least 100")],
)  # fmt: skip
def test_bad_settings_fail_before_any_work(tmp_path, corpus_file, settings, message):
    with pytest.raises(FatalError, match=message):
        train_language_model([corpus_file], "en", tmp_path / "out", **settings)
    assert not (tmp_path / "out").exists()


@needs_kenlm
def test_an_lmplz_failure_carries_its_stderr_and_leaves_nothing(tmp_path, corpus_file):
    with pytest.raises(FatalError, match=r"lmplz failed \(exit \d+\).*\n.*") as error:
        train_language_model([corpus_file], "en", tmp_path, vocab_size=800, memory="lots")
    assert "lots" in str(error.value)
    assert list(tmp_path.iterdir()) == [corpus_file]  # no model, no scratch folder


def test_a_corpus_without_text_is_an_error(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("\n  \n\x00\n", encoding="utf-8")
    with pytest.raises(FatalError, match="no non-empty lines"):
        train_language_model([empty], "en", tmp_path / "out", **SMALL)
    with pytest.raises(FatalError, match="not found"):
        train_language_model([tmp_path / "nope.txt"], "en", tmp_path / "out", **SMALL)
