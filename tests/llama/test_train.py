"""Training the proxy model: a short seeded run learns, and bad inputs fail clearly.

The mix is written without Beam: State of the Union addresses tokenized with a 512-piece
SentencePiece model trained here, two sources (before and after 1900), every tenth document of
each held out, ShardWriter and write_manifest as the mix pipeline uses them.
"""

import json
import math
import os
import signal
import threading
import time

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from dolmakit.core.errors import ConfigError, DolmakitError  # noqa: E402
from dolmakit.llama.train import TrainConfig, lr_at, progress_line, time_left, train  # noqa: E402
from dolmakit.tokens.shards import ShardWriter, write_manifest  # noqa: E402

SMALL = {"dim": 64, "n_layers": 2, "n_heads": 4}


@pytest.fixture(scope="module")
def mix_dir(tmp_path_factory):
    from dolmakit.io import corpora
    from dolmakit.tokens.tokenizer import Tokenizer, train_tokenizer

    try:
        docs = list(corpora.texts("sotu"))
    except DolmakitError as error:
        pytest.skip(f"sotu corpus unavailable: {error}")
    root = tmp_path_factory.mktemp("mix")
    model = train_tokenizer([text for _, text in docs], root / "tokenizer", vocab_size=512,
                            sample_chars=500_000, user_defined_symbols=[])  # fmt: skip
    tokenizer = Tokenizer.load(model)
    ids = tokenizer.encode_batch([text for _, text in docs])
    for split in ("early", "late"):
        chosen = [(i, d) for i, d in enumerate(docs) if (i < len(docs) // 2) == (split == "early")]
        for part, folder in (("train", root / "train"), ("heldout", root / "heldout" / split)):
            with ShardWriter(folder, split, 512, 1 << 20, tokenizer.eos_id) as writer:
                for i, (doc_id, _) in chosen:
                    if (i % 10 == 0) == (part == "heldout"):
                        writer.add(doc_id, split, ids[i])
    write_manifest(root / "train")
    for split in ("early", "late"):
        write_manifest(root / "heldout" / split)
    (root / "heldout" / "empty").mkdir()  # a source with no held-out documents: no manifest
    return root


def unigram_entropy(shard_dir) -> float:
    """Entropy in nats of the token frequencies of the shards: the loss of the best model that
    ignores context."""
    manifest = json.loads((shard_dir / "manifest.json").read_text())
    counts = np.zeros(manifest["vocab_size"], dtype=np.int64)
    for shard in manifest["shards"]:
        tokens = np.memmap(shard_dir / shard["path"], dtype=manifest["dtype"], mode="r")
        counts += np.bincount(tokens, minlength=counts.size)
    p = counts[counts > 0] / counts.sum()
    return float(-(p * np.log(p)).sum())


def config(tmp_path, **changes) -> TrainConfig:
    settings = dict(preset="tiny", seq_len=64, batch_size=16, steps=300, lr=3e-3,
                    warmup_steps=20, seed=1, eval_every=100, eval_batches=4,
                    checkpoint_every=100, precision="fp32", out_dir=str(tmp_path / "out"),
                    model_overrides=SMALL)  # fmt: skip
    return TrainConfig(**{**settings, **changes})


def test_short_run_learns_below_unigram_entropy(mix_dir, tmp_path):
    torch.set_num_threads(2)
    result = train(mix_dir, config(tmp_path))
    entropy = unigram_entropy(mix_dir / "train")
    losses = {source: r["loss"] for source, r in result["eval"].items()}
    print(f"unigram entropy {entropy:.3f} nats; held-out loss {losses}")
    assert result["step"] == 300 and set(losses) == {"early", "late"}
    assert result["skipped_heldout"] == ["empty"]
    for source, loss in losses.items():
        assert loss < entropy - 1.0, source
        assert result["eval"][source]["perplexity"] == pytest.approx(math.exp(loss))
    records = [json.loads(line) for line in (tmp_path / "out" / "metrics.jsonl").open()]
    train_records = [r for r in records if "loss" in r]
    assert {"step", "loss", "lr", "tokens_per_s"} <= set(train_records[0])
    assert [r["step"] for r in records if "eval" in r] == [100, 200, 300]
    checkpoints = sorted(p.name for p in (tmp_path / "out" / "checkpoints").iterdir())
    assert checkpoints == ["step-00000100.pt", "step-00000200.pt", "step-00000300.pt"]


def test_lr_schedule_warms_up_then_decays_to_a_tenth(tmp_path):
    c = config(tmp_path, lr=1.0, warmup_steps=10, steps=110)
    assert lr_at(0, c) == pytest.approx(0.1)
    assert lr_at(9, c) == pytest.approx(1.0)
    assert lr_at(60, c) == pytest.approx(0.55)
    assert lr_at(110, c) == pytest.approx(0.1)


def test_the_progress_line_says_the_time_left_at_this_launchs_pace():
    # resumed at step 20 at 100 s: 100 steps in 20 s, 880 steps left
    assert time_left(120, 1000, (20, 100.0), 120.0) == 176.0
    assert progress_line(120, 1000, 3.21, 3e-4, 12_345.6, 176.0) == (
        "step 120/1000  loss 3.2100  lr 3.00e-04  12,346 tok/s  ETA 2m56s"
    )


def test_resume_continues_from_the_saved_step(mix_dir, tmp_path):
    whole = train(mix_dir, config(tmp_path / "a", steps=20, checkpoint_every=10, eval_every=20))
    first = tmp_path / "a" / "out" / "checkpoints" / "step-00000010.pt"
    resumed = train(mix_dir, config(tmp_path / "b", steps=20, checkpoint_every=10, eval_every=20),
                    resume=str(first))  # fmt: skip
    assert resumed["step"] == 20
    assert resumed["train_loss"] == pytest.approx(whole["train_loss"], rel=1e-4)
    assert resumed["eval"]["early"]["loss"] == pytest.approx(whole["eval"]["early"]["loss"],
                                                            rel=1e-4)  # fmt: skip
    steps = [json.loads(line)["step"] for line in (tmp_path / "b" / "out" / "metrics.jsonl").open()]
    assert steps[0] == 20  # log_every 10: nothing before step 10 was run again


def test_sigterm_checkpoints_the_step_and_resume_finishes_the_run(mix_dir, tmp_path):
    settings = dict(steps=400, log_every=1, checkpoint_every=1000, eval_every=1000)
    metrics = tmp_path / "out" / "metrics.jsonl"

    def terminate_after_the_first_step() -> None:
        while not (metrics.is_file() and metrics.read_text()):
            time.sleep(0.005)
        os.kill(os.getpid(), signal.SIGTERM)

    killer = threading.Thread(target=terminate_after_the_first_step)
    killer.start()
    stopped = train(mix_dir, config(tmp_path, **settings))
    killer.join()
    assert stopped["stopped"] == "SIGTERM" and 1 <= stopped["step"] < 400
    assert stopped["checkpoint"].endswith(f"step-{stopped['step']:08d}.pt")
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # the handler is gone again
    finished = train(mix_dir, config(tmp_path, **settings), resume="latest")
    assert finished["step"] == 400 and "stopped" not in finished


def test_resume_refuses_a_checkpoint_of_another_config(mix_dir, tmp_path):
    train(mix_dir, config(tmp_path, steps=2, checkpoint_every=2))
    checkpoint = tmp_path / "out" / "checkpoints" / "step-00000002.pt"
    with pytest.raises(ConfigError, match="model_config.dim 64 != 32"):
        train(mix_dir, config(tmp_path, steps=2, model_overrides={**SMALL, "dim": 32}),
              resume=str(checkpoint))  # fmt: skip
    with pytest.raises(ConfigError, match="lr 0.003 != 0.001"):
        train(mix_dir, config(tmp_path, steps=2, lr=1e-3), resume=str(checkpoint))


def test_resume_latest_without_checkpoint_starts_fresh(mix_dir, tmp_path):
    assert train(mix_dir, config(tmp_path, steps=1), resume="latest")["step"] == 1


def test_shards_of_another_vocabulary_are_refused(mix_dir, tmp_path):
    with pytest.raises(ConfigError, match="tokenizer of 512 ids but the model's vocabulary is"):
        train(mix_dir, config(tmp_path, vocab_size=32000))


def test_sequence_longer_than_the_shards_is_refused(mix_dir, tmp_path):
    with pytest.raises(ConfigError, match="seq_len 10000000 needs 10000001 tokens"):
        train(mix_dir, config(tmp_path, seq_len=10_000_000))


def test_heldout_shorter_than_a_sequence_is_skipped(mix_dir, tmp_path):
    mix = tmp_path / "mix"
    (mix / "heldout").mkdir(parents=True)
    (mix / "train").symlink_to(mix_dir / "train")
    (mix / "heldout" / "late").symlink_to(mix_dir / "heldout" / "late")
    with ShardWriter(mix / "heldout" / "short", "short", 512, 1 << 20, 2) as writer:
        writer.add("one", "short", [5, 6, 7])  # 4 tokens with the EOS: less than a sequence
    write_manifest(mix / "heldout" / "short")
    result = train(mix, config(tmp_path, steps=1))
    assert result["skipped_heldout"] == ["short"]
    assert set(result["eval"]) == {"late"}


@pytest.mark.parametrize(("field", "value"), [("precision", "fp16"), ("preset", "huge"),
                                             ("steps", 0)])  # fmt: skip
def test_bad_settings_name_the_field(tmp_path, field, value):
    with pytest.raises(ConfigError, match=field):
        config(tmp_path, **{field: value})


def test_cli_trains_and_prints_the_result(mix_dir, tmp_path):
    from click.testing import CliRunner

    from dolmakit.cli.train import train as train_command

    out = tmp_path / "cli"
    args = ["--mix", str(mix_dir), "--steps", "2", "--seq-len", "16", "--batch-size", "2",
            "--out", str(out), "--precision", "bf16", "--quiet"]  # fmt: skip
    done = CliRunner().invoke(train_command, args)
    assert done.exit_code == 0, done.output
    result = json.loads(done.output)
    assert result["step"] == 2 and set(result["eval"]) == {"early", "late"}
    assert (out / "checkpoints" / "step-00000002.pt").is_file()


def test_cli_vocab_mismatch_is_a_configuration_error(mix_dir, tmp_path):
    from click.testing import CliRunner

    from dolmakit.cli.train import train as train_command

    args = ["--mix", str(mix_dir), "--vocab-size", "32000", "--out", str(tmp_path / "cli")]
    done = CliRunner().invoke(train_command, args)
    assert isinstance(done.exception, ConfigError)


def test_a_run_without_a_held_out_set_says_why():
    from dolmakit.cli.train import no_heldout_reason

    assert no_heldout_reason("out/mixes/sample", {"eval": {}, "skipped_heldout": []}) == (
        "out/mixes/sample holds out no document (its heldout/ folder is absent); raise the "
        "mix's held_out_fraction"
    )
    assert no_heldout_reason("m", {"eval": {}, "skipped_heldout": ["web", "code"]}) == (
        "the held-out sources of m (web, code) hold less than one sequence; lower --seq-len "
        "or raise the mix's held_out_fraction"
    )
