"""Training a quality classifier on small literal data: inputs, preparation, split, metrics."""

from __future__ import annotations

import gzip
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from dolmakit.core.errors import ConfigError, FatalError
from dolmakit.fasttext_training.fit import (
    NEGATIVE,
    POSITIVE,
    Example,
    TrainParams,
    examples_from,
    is_heldout,
    prepare_dataset,
    train,
)

REFERENCE = [
    "The river rises in the northern hills and flows south for nearly two hundred miles.",
    "In the early nineteenth century the town grew rapidly as mills were built on its banks.",
    "The committee published its findings in a report that was widely discussed in the press.",
    "Historians have argued that the treaty reflected the economic interests of both nations.",
    "The species is found in temperate forests, where it feeds mainly on seeds and insects.",
    "Construction of the cathedral began in 1220 and was not completed for another century.",
    "The theory was later refined by researchers who tested its predictions against new data.",
    "During the war the factory was converted to produce equipment for the army.",
    "The population of the region declined after the collapse of the mining industry.",
    "Her first novel describes the life of a farming family during the depression.",
    "The bridge was designed by a local engineer and opened to traffic in the spring of 1889.",
    "Scholars disagree about the date of the manuscript, but most place it in the twelfth century.",
]
SPAM = [
    "CLICK HERE to claim your FREE prize now!!!",
    "Make $5000 a week working from home, no experience needed!",
    "Limited time offer: buy one get one free, order today.",
    "You have been selected as a winner, reply with your bank details.",
    "Lose 30 pounds in 30 days with our miracle pill!!!",
    "To unsubscribe from this list reply with REMOVE in the subject line.",
    "Cheap meds online, no prescription required, fast shipping.",
    "Act now, this amazing deal will not last!",
    "Hot singles in your area are waiting to chat with you.",
    "Get rich quick with the secret system the banks don't want you to know about.",
    "Best prices on watches, bags and shoes, 90% off today only.",
    "Copyright 2002 All rights reserved. Privacy policy | Terms of use | Contact us",
]
FAST = {"quantize_cutoff": 0, "heldout_fraction": 0.2}


def documents(sentences: list[str], count: int, seed: int) -> list[str]:
    """`count` documents of 4 to 8 sentences drawn from `sentences`, reproducibly."""
    rng = random.Random(seed)
    return [" ".join(rng.choices(sentences, k=rng.randint(4, 8))) for _ in range(count)]


def token(i: int) -> str:
    """A distinct word per number (prepare_text maps digits to 0, so numbers are not)."""
    return "".join(chr(97 + i // 26**k % 26) for k in range(3))


def synthetic(count: int = 150) -> list[Example]:
    hq = [Example(t, POSITIVE, f"hq{i}") for i, t in enumerate(documents(REFERENCE, count, 1))]
    lq = [Example(t, NEGATIVE, f"lq{i}") for i, t in enumerate(documents(SPAM, count, 2))]
    return hq + lq


# --- inputs ---------------------------------------------------------------------------------


def test_examples_are_grouped_by_document_id_or_text(tmp_path: Path):
    folder = tmp_path / "docs"
    folder.mkdir()
    with gzip.open(folder / "a.jsonl.gz", "wt") as out:
        out.write(json.dumps({"id": "d1", "text": "first"}) + "\n\n")
        out.write(json.dumps({"id": "d2", "text": "second", "source": "x"}) + "\n")
    (folder / "b.txt").write_text("one block\nstill one\n\n  \n\nanother block\n")
    assert examples_from([str(folder)], POSITIVE, "--positive") == [
        Example("first", POSITIVE, "d1"),
        Example("second", POSITIVE, "d2"),
        Example("one block\nstill one", POSITIVE, "one block\nstill one"),
        Example("another block", POSITIVE, "another block"),
    ]


def test_a_missing_input_names_the_option(tmp_path: Path):
    with pytest.raises(ConfigError, match=r"nope.*--positive.*no such file"):
        examples_from([str(tmp_path / "nope.jsonl")], POSITIVE, "--positive")
    with pytest.raises(ConfigError, match="--negative"):
        examples_from([], NEGATIVE, "--negative")


def test_a_bad_jsonl_line_names_file_and_line(tmp_path: Path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "fine"}\n{"text": 3}\n')
    with pytest.raises(FatalError) as raised:
        examples_from([str(path)], NEGATIVE, "--negative")
    assert str(raised.value) == f"{path}:2: a line must be a JSON object with a 'text' string"


# --- split, balance, dedup ------------------------------------------------------------------


def test_heldout_split_is_by_group_and_near_the_fraction():
    groups = [f"g{i}" for i in range(10_000)]
    assert sum(is_heldout(g, 0.1) for g in groups) == 961
    examples = [
        Example(f"text {token(i)}", POSITIVE if i % 2 else NEGATIVE, f"g{i // 10}")
        for i in range(2000)
    ]
    data = prepare_dataset(examples, TrainParams(heldout_fraction=0.3))
    heldout_groups = {e.group for e in data.heldout}
    assert heldout_groups and not heldout_groups & {e.group for e in data.train}


def test_balances_classes_and_drops_duplicates_and_empty_texts():
    examples = [Example(f"good text {token(i)}", POSITIVE, str(i)) for i in range(30)]
    examples += [Example(f"bad text {token(i)}", NEGATIVE, f"n{i}") for i in range(10)]
    duplicate = Example(f"Bad   TEXT\n{token(1).upper()}", NEGATIVE, "dup")
    examples += [duplicate, Example(" \n", NEGATIVE, "empty")]
    data = prepare_dataset(examples, TrainParams())
    assert data.counts["duplicates"] == 1 and data.counts["empty"] == 1
    both = data.train + data.heldout
    assert sum(e.label == POSITIVE for e in both) == sum(e.label == NEGATIVE for e in both) == 10


# --- training -------------------------------------------------------------------------------


def test_separable_classes_reach_a_high_heldout_f1(tmp_path: Path):
    metrics = train(synthetic(), tmp_path, TrainParams(**FAST))
    assert metrics["heldout"]["f1"] >= 0.95
    assert {"model.bin", "metrics.json", "train.txt", "heldout.txt"} <= {
        p.name for p in tmp_path.iterdir()
    }
    saved = json.loads((tmp_path / "metrics.json").read_text())
    assert saved["heldout"]["f1"] == metrics["heldout"]["f1"]
    assert saved["params"]["word_ngrams"] == 2 and saved["params"]["threads"] == 1
    held = saved["counts"]["heldout"]
    confusion = sum(saved["heldout"][k] for k in ("tp", "fp", "fn", "tn"))
    assert confusion == held[POSITIVE] + held[NEGATIVE] > 0
    assert [row["threshold"] for row in saved["heldout"]["by_threshold"]][4] == 0.5
    assert saved["model"]["bytes"] == (tmp_path / "model.bin").stat().st_size
    assert saved["quantized"] is None and not (tmp_path / "model.ftz").exists()


def test_one_thread_and_a_seed_give_the_same_model(tmp_path: Path):
    first = train(synthetic(), tmp_path / "a", TrainParams(**FAST, seed=7))
    # freed non-zero memory, which fasttext-numpy2 would otherwise start training from
    junk = [bytearray(b"\x7f" * 4000) for _ in range(5000)], bytearray(b"\x7f" * 10_000_000)
    del junk
    second = train(synthetic(), tmp_path / "b", TrainParams(**FAST, seed=7))
    assert first["model"]["sha256"] == second["model"]["sha256"]
    assert first["heldout"] == second["heldout"]


def test_quantized_model_is_smaller_and_still_accurate(tmp_path: Path):
    metrics = train(synthetic(), tmp_path, TrainParams(heldout_fraction=0.2, quantize_cutoff=500))
    assert (tmp_path / "model.ftz").stat().st_size < (tmp_path / "model.bin").stat().st_size
    assert metrics["quantized"]["heldout"]["f1"] >= 0.9


def test_bad_settings_and_one_class_inputs_are_clear_errors(tmp_path: Path):
    with pytest.raises(ConfigError, match="heldout_fraction"):
        train(synthetic(), tmp_path, TrainParams(heldout_fraction=1.5))
    only_positive = [e for e in synthetic() if e.label == POSITIVE]
    with pytest.raises(FatalError, match="no .*examples"):
        train(only_positive, tmp_path, TrainParams(**FAST, balance=False))


# --- the command ----------------------------------------------------------------------------

DOLMAKIT = [sys.executable, "-c", "from dolmakit.cli.main import main; main()"]


def dolmakit(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*DOLMAKIT, *args], capture_output=True, text=True)


def test_train_and_eval_commands_print_precision_recall_f1(tmp_path: Path):
    positive, negative = tmp_path / "hq.txt", tmp_path / "lq.jsonl"
    positive.write_text("\n\n".join(documents(REFERENCE, 150, 1)))
    negative.write_text(
        "".join(
            json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(documents(SPAM, 150, 2))
        )
    )
    out = tmp_path / "model"
    done = dolmakit(
        "classifier",
        "train",
        "--positive",
        str(positive),
        "--negative",
        str(negative),
        "--out",
        str(out),
        "--quantize-cutoff",
        "0",
    )
    assert done.returncode == 0, done.stderr
    assert "held-out (threshold 0.5): precision" in done.stdout and "F1" in done.stdout
    assert (out / "model.bin").is_file()
    done = dolmakit(
        "classifier",
        "eval",
        "--model",
        str(out),
        "--positive",
        str(positive),
        "--negative",
        str(negative),
    )
    assert done.returncode == 0, done.stderr
    assert "precision" in done.stdout and "150 hq, 150 lq" in done.stdout


def test_command_errors_exit_2_and_every_command_has_help(tmp_path: Path):
    done = dolmakit(
        "classifier",
        "train",
        "--positive",
        str(tmp_path / "missing.txt"),
        "--negative",
        str(tmp_path / "missing.txt"),
        "--out",
        str(tmp_path),
    )
    assert done.returncode == 2 and "missing.txt" in done.stderr and "--positive" in done.stderr
    done = dolmakit("classifier", "train", "--recipe", "default", "--positive", "x", "--out", "o")
    assert done.returncode == 2 and "not both" in done.stderr
    for command in ("train", "eval"):
        done = dolmakit("classifier", command, "--help")
        assert done.returncode == 0 and "--positive" in done.stdout
