from __future__ import annotations

import random

import pytest

from dolmakit.core.errors import FatalError
from dolmakit.tokens.tokenizer import Tokenizer, pii_tokens, sample_lines, train_tokenizer
from tokens.conftest import TRICKY, prose


def test_llama_settings(tokenizer: Tokenizer):
    assert tokenizer.vocab_size == 1000
    sp = tokenizer.processor
    assert (sp.unk_id(), sp.bos_id(), sp.eos_id(), sp.pad_id()) == (0, 1, 2, -1)
    assert tokenizer.eos_id == 2 and tokenizer.exact
    # digits split one by one; unknown characters fall back to bytes
    assert sp.encode("x 2024", out_type=str)[-4:] == ["2", "0", "2", "4"]
    assert sp.encode("\n", out_type=str)[-1] == "<0x0A>"
    assert all(sp.is_byte(i) for i in tokenizer.encode("ꙮ")[-3:])


@pytest.mark.parametrize("text", TRICKY)
def test_exact_round_trip(tokenizer: Tokenizer, text: str):
    ids = tokenizer.encode(text)
    assert tokenizer.decode(ids) == text
    assert all(0 <= i < tokenizer.vocab_size for i in ids)


def test_round_trip_batch_and_random_text(tokenizer: Tokenizer):
    rng = random.Random(0)
    alphabet = "ab cd\n\t\r\x00 \u00a0\u2003\u2581é日本👨\u200d👩0123456789|||IBAN|||"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40))) for _ in range(500)]
    texts += TRICKY + prose()[:50]
    for text, ids in zip(texts, tokenizer.encode_batch(texts, num_threads=2), strict=True):
        assert tokenizer.decode(ids) == text


def test_lone_surrogates_become_replacement_characters(tokenizer: Tokenizer):
    ids = tokenizer.encode_batch(["ok", "bad \ud800 half"])
    assert tokenizer.decode(ids[0]) == "ok"
    assert tokenizer.decode(ids[1]) == "bad \ufffd half"


def test_pii_tokens_are_single_ids(tokenizer: Tokenizer):
    tokens = pii_tokens()
    assert "|||EMAIL_ADDRESS|||" in tokens and len(tokens) == 5
    for token in tokens:
        token_id = tokenizer.piece_to_id(token)
        assert token_id > 2
        ids = tokenizer.encode(f"mail{token}here")
        assert token_id in ids and tokenizer.decode(ids) == f"mail{token}here"
        # the dummy-prefix space may come before it, nothing else
        assert [i for i in tokenizer.encode(token) if i != tokenizer.piece_to_id("▁")] == [token_id]


def test_sample_lines_is_seeded_uniform_and_bounded():
    texts = [f"line {i}\n" * 3 for i in range(1000)]
    sample = sample_lines(texts, 600, seed=3)
    assert sum(map(len, sample)) <= 600 and len(sample) > 50
    assert sample == sample_lines(texts, 600, seed=3)
    numbers = sorted(int(line.split()[1]) for line in sample)
    assert numbers[0] < 300 and numbers[-1] > 700  # drawn from everywhere, not the first lines


def test_training_fails_clearly(tmp_path):
    with pytest.raises(FatalError, match="no text"):
        train_tokenizer(["", "\n\n"], tmp_path, vocab_size=500)
    with pytest.raises(FatalError, match="smaller vocabulary"):
        train_tokenizer(["tiny text"], tmp_path, vocab_size=5000)
    assert list(tmp_path.iterdir()) == []  # no model, no scratch left


def test_a_vocabulary_the_sample_cannot_fill_is_lowered_to_what_it_allows(tmp_path):
    from click.testing import CliRunner

    from dolmakit.cli.tokens import tokenizer

    text = tmp_path / "prose.txt"
    text.write_text("\n\n".join(prose()[:30]), encoding="utf-8")
    # SentencePiece: "Vocabulary size too high (32000). Please set it to a value <= 2711."
    model = train_tokenizer(prose()[:30], tmp_path / "api", vocab_size=32_000)
    assert Tokenizer.load(model).vocab_size == 2711
    args = ["train", "--input", str(text), "--out", str(tmp_path / "cli")]
    result = CliRunner().invoke(tokenizer, args)
    assert result.exit_code == 0, result.output
    note, vocabulary = result.output.splitlines()[1:3]
    assert note == ("note: vocabulary lowered from --vocab-size 32,000 to 2,711 pieces, all that "
                    "the sample allows; train on more text for a larger one")  # fmt: skip
    assert vocabulary.startswith("vocabulary: 2,711 pieces (eos id 2), trained in ")


def test_load_errors(tmp_path):
    with pytest.raises(FatalError, match="not found"):
        Tokenizer.load(tmp_path / "missing.model")
    (tmp_path / "bad.model").write_bytes(b"not a model")
    with pytest.raises(FatalError, match="cannot load"):
        Tokenizer.load(tmp_path / "bad.model")


def test_cli_train(tmp_path):
    import gzip
    import json

    from click.testing import CliRunner

    from dolmakit.cli.tokens import tokenizer

    docs = tmp_path / "docs.jsonl.gz"
    with gzip.open(docs, "wt", encoding="utf-8") as out:
        for i, text in enumerate(prose() + TRICKY):
            out.write(json.dumps({"id": str(i), "text": text, "source": "t"}) + "\n")
    plain = tmp_path / "more.txt"
    plain.write_text("\n".join(prose()[:20]), encoding="utf-8")
    args = ["train", "--input", str(docs), "--input", str(plain), "--out", str(tmp_path / "tok"),
            "--vocab-size", "800"]  # fmt: skip
    result = CliRunner().invoke(tokenizer, args)
    assert result.exit_code == 0, result.output
    assert "vocabulary: 800 pieces (eos id 2)" in result.output
    assert "self-check: 20/20 texts decode to themselves exactly" in result.output
    assert Tokenizer.load(tmp_path / "tok" / "tokenizer.model").vocab_size == 800


def test_loads_any_sentencepiece_model():
    from dolmakit.kenlm_models.kenlm import default_model_dir

    model = Tokenizer.load(default_model_dir() / "en.sp.model")  # CCNet's: unigram, NFKC, no bytes
    assert model.vocab_size == 8_000 and model.eos_id == 2
    assert not model.exact  # said, not hidden: such a model changes some text
    assert model.decode(model.encode("hello world")) == "hello world"  # it was trained lowercased
