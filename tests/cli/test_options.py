"""The options several commands share come from dolmakit/cli/options.py: the same click.Option
in every command that takes one (only a help phrase differs), training defaults from
llama's TrainConfig."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest

from dolmakit.cli import options
from dolmakit.cli.ablate import ablate
from dolmakit.cli.classifier import classifier
from dolmakit.cli.lm import lm
from dolmakit.cli.main import cli
from dolmakit.cli.mix import mix
from dolmakit.cli.tag import tag
from dolmakit.cli.train import train
from dolmakit.llama.config import PRECISIONS, TrainConfig

TRAINING = ["preset", "seq_len", "batch_size", "lr", "eval_batches", "precision", "compile_"]


def option(command: click.Command, name: str) -> dict:
    """The option `name` (its parameter name) of `command`, as click describes it."""
    (found,) = (param for param in command.params if param.name == name)
    return found.to_info_dict()


def shared(decorator) -> dict:
    """The option that an options.py decorator adds, as click describes it."""
    (added,) = decorator(click.command()(lambda **_: None)).params
    return added.to_info_dict()


def test_train_and_ablate_take_the_same_training_options():
    assert [option(train, name) for name in TRAINING] == [option(ablate, name) for name in TRAINING]
    defaults = {name: option(train, name)["default"] for name in TRAINING}
    assert defaults == {"preset": "tiny", "seq_len": 256, "batch_size": 16, "lr": 1e-3,
                        "eval_batches": 8, "precision": "auto", "compile_": False}  # fmt: skip
    assert option(ablate, "precision")["type"]["choices"] == ("auto", "fp32", "bf16")


def test_train_only_options_default_to_train_config():
    names = ["steps", "warmup_steps", "seed", "eval_every", "checkpoint_every", "out_dir"]
    assert {name: option(train, name)["default"] for name in names} == {
        "steps": 1000, "warmup_steps": 100, "seed": 0, "eval_every": 200,
        "checkpoint_every": 500, "out_dir": "train-out"}  # fmt: skip
    assert option(train, "out_dir")["opts"] == ["--out"]


def test_training_defaults_are_train_configs():
    for name in TRAINING:
        assert option(train, name)["default"] == getattr(TrainConfig, name.removesuffix("_"))
    assert option(train, "precision")["type"]["choices"] == PRECISIONS


def test_the_cli_imports_no_torch():
    code = "import sys, dolmakit.cli.main; print('torch' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "False\n"


@pytest.mark.parametrize(
    ("command", "printed"),
    [(cli.commands["run"], "the summary"), (tag, "the summary"), (mix, "the table"),
     (train, "the result"), (ablate, "the table")],
)  # fmt: skip
def test_quiet_is_the_shared_flag(command, printed):
    assert option(command, "quiet") == shared(options.quiet_flag(printed))
    assert option(command, "quiet")["help"] == f"Only print {printed}."
    assert option(command, "quiet")["is_flag"] is True


@pytest.mark.parametrize(
    ("command", "dest", "example"),
    [(cli.commands["run"], "overrides", "--set output.format=parquet"),
     (tag, "overrides", "--set steps.pii_v1.config.kinds=[email]"),
     (mix, "overrides", "--set budget_tokens=2000000"),
     (ablate, "mix_overrides", "--set budget_tokens=7000")],
)  # fmt: skip
def test_set_is_the_shared_option(command, dest, example):
    taken = option(command, dest)
    assert taken == shared(options.set_overrides(taken["help"], dest))
    assert taken["opts"] == ["--set"] and taken["multiple"] is True and example in taken["help"]


def test_lm_commands_share_language():
    for name in ("train", "cutoffs"):
        taken = option(lm.commands[name], "language")
        assert taken == shared(options.kenlm_language(taken["help"]))
        assert taken["default"] == "en"


@pytest.mark.parametrize(("name", "required"), [("train", False), ("eval", True)])
def test_classifier_commands_share_positive_and_negative(name, required):
    command = classifier.commands[name]
    for label in ("positive", "negative"):
        taken = option(command, label)
        assert taken["opts"] == [f"--{label}"]
        assert (taken["multiple"], taken["required"]) == (True, required)
    assert option(command, "positive")["help"].endswith(f"{options.DOCUMENT_FORMATS}.")
    assert option(command, "negative")["help"].endswith(" documents, repeatable, same formats.")
