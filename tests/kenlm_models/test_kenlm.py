"""Document perplexity with the shipped reference model, checked against kenlm and sentencepiece
called directly (no KenLM tools needed)."""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import kenlm
import pytest
import sentencepiece as spm

from dolmakit.core.errors import FatalError
from dolmakit.kenlm_models.kenlm import LanguageModel, default_model_dir
from dolmakit.text.normalize import normalize

DOCUMENT = """The Fulton County Grand Jury said Friday an investigation of Atlanta's recent primary
election produced no evidence that any irregularities took place.

  The jury further said in term-end presentments that the City Executive Committee — which had
over-all charge of the election — “deserves the praise and thanks of the City of Atlanta”.
Résumé: 1,234 VOTES were cast in 1962…
\x00\t
Accept all cookies | Privacy policy | Terms of use"""


@pytest.fixture
def model_dir(tmp_path) -> Path:
    """A writable copy of the shipped English model."""
    folder = tmp_path / "model"
    shutil.copytree(default_model_dir(), folder)
    return folder


@pytest.fixture(scope="module")
def model() -> LanguageModel:
    return LanguageModel.load(default_model_dir(), "en")


def ccnet_perplexity(text: str) -> float:
    """CCNet's DocLM spelled out with kenlm and sentencepiece loaded independently."""
    folder = default_model_dir()
    sp = spm.SentencePieceProcessor(model_file=str(folder / "en.sp.model"))
    lm = kenlm.Model(str(folder / "en.arpa.bin"))
    log_score, length = 0.0, 0
    for line in text.split("\n"):
        normalized = normalize(line)
        if not normalized:
            continue
        pieces = " ".join(sp.encode_as_pieces(normalized))
        log_score += lm.score(pieces, bos=True, eos=True)
        length += len(pieces.split()) + 1
    return round(10 ** (-log_score / length), 1)


def test_perplexity_equals_kenlm_on_the_same_tokens(model):
    assert model.perplexity(DOCUMENT) == ccnet_perplexity(DOCUMENT)


def test_line_scores_are_kenlms_full_scores(model):
    scores = model.line_scores(DOCUMENT)
    assert len(scores) == 6  # blank and control-character-only lines carry no text
    for line in scores:
        full = list(model.model.full_scores(line.pieces, bos=True, eos=True))
        assert line.log10_prob == pytest.approx(sum(prob for prob, _, _ in full), abs=1e-4)
        assert line.length == len(full) == len(line.pieces.split()) + 1
    total = sum(line.log10_prob for line in scores)
    length = sum(line.length for line in scores)
    assert model.perplexity(DOCUMENT) == round(10 ** (-total / length), 1)


def test_every_unicode_space_is_counted_as_kenlm_counts_it(model):
    spaces = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace() and chr(c) != "\n"]
    text = "\n".join(f"word{space}after{space}{space}end" for space in spaces)
    assert model.perplexity(text) == ccnet_perplexity(text)


@pytest.mark.parametrize("text", ["", "\n\n", "   \n\t\n", "\x00\x01\n\x7f"])
def test_a_document_without_text_has_no_perplexity(model, text):
    assert model.perplexity(text) is None
    assert model.line_scores(text) == []


def test_a_10_mb_single_line_document_is_scored_quickly(model):
    sentence = "The committee reported that the new roads were finished in time. "
    text = sentence * (10_000_000 // len(sentence))
    start = time.perf_counter()
    perplexity = model.perplexity(text)
    assert time.perf_counter() - start < 30  # ~1 s here
    assert perplexity == ccnet_perplexity(text)


def test_a_missing_model_file_is_named(tmp_path, model_dir):
    (model_dir / "en.arpa.bin").unlink()
    with pytest.raises(FatalError, match=r"en perplexity model file .*en\.arpa\.bin not found"):
        LanguageModel.load(model_dir, "en")
    with pytest.raises(FatalError, match=r"de perplexity model file .*de\.sp\.model not found"):
        LanguageModel.load(model_dir, "de")


@pytest.mark.parametrize("name", ["en.arpa.bin", "en.sp.model"])
def test_a_corrupt_model_file_is_a_clear_error(model_dir, name):
    path = model_dir / name
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])  # a truncated copy
    kind = "KenLM" if name.endswith(".bin") else "SentencePiece"
    with pytest.raises(FatalError, match=f"{name} is not a {kind} model"):
        LanguageModel.load(model_dir, "en")
