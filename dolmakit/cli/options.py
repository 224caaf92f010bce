"""Click options that more than one command takes, each defined once (the help says what the
command does with it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, fields
from pathlib import Path
from typing import Any, TypeVar

import click

from dolmakit.llama.config import PRECISIONS, TrainConfig

F = TypeVar("F", bound=Callable)

# an existing file, as a Path
INPUT_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
DOCUMENT_FORMATS = (
    "Dolma JSONL files (.jsonl, .json.gz, ...: the `text` of each line), plain text files "
    "(one document per blank-line-separated block) or folders of them"
)


def input_files(name: str, help_text: str, dest: str | None = None) -> Callable[[F], F]:
    """A repeatable option naming existing files (a tuple of Paths)."""
    declarations = (name, dest) if dest else (name,)
    return click.option(*declarations, multiple=True, type=INPUT_FILE, help=help_text)


def wikipedia_text(dump_help: str, wikitext_help: str) -> Callable[[F], F]:
    """--dump (MediaWiki XML dumps, as `dumps`) and --wikitext (WikiText-103 .tokens files):
    the Wikipedia text of the classifier's wikipedia recipe and of the English language model."""

    def decorate(command: F) -> F:
        command = input_files("--wikitext", wikitext_help)(command)
        return input_files("--dump", dump_help, dest="dumps")(command)

    return decorate


def quiet_flag(printed: str) -> Callable[[F], F]:
    """--quiet: no progress logging, only what the command prints (e.g. "the summary")."""
    return click.option("--quiet", is_flag=True, help=f"Only print {printed}.")


def set_overrides(help_text: str, dest: str = "overrides") -> Callable[[F], F]:
    """--set KEY=VALUE, repeatable: settings that change the command's YAML file(s)."""
    return click.option("--set", dest, multiple=True, metavar="KEY=VALUE", help=help_text)


def kenlm_language(help_text: str) -> Callable[[F], F]:
    """--language: the language code of a KenLM model."""
    return click.option("--language", default="en", show_default=True, help=help_text)


def labelled_documents(positive: str, negative: str, required: bool = False) -> Callable[[F], F]:
    """--positive and --negative: the repeatable document inputs of a fastText classifier, each
    help opening with its phrase (positive="hq": "hq documents, repeatable: ...")."""

    def decorate(command: F) -> F:
        command = _documents("--negative", f"{negative} documents, repeatable, same formats.",
                             required)(command)  # fmt: skip
        return _documents("--positive", f"{positive} documents, repeatable: {DOCUMENT_FORMATS}.",
                          required)(command)  # fmt: skip

    return decorate


def _documents(name: str, help_text: str, required: bool) -> Callable[[F], F]:
    return click.option(name, multiple=True, required=required, metavar="PATH", help=help_text)


TRAIN_DEFAULTS = {f.name: f.default for f in fields(TrainConfig) if f.default is not MISSING}


def train_config(*declarations: str, **settings: Any) -> Callable[[F], F]:
    """An option for the TrainConfig field that its last declaration names ("--seq-len":
    seq_len; "--out", "out_dir": out_dir), with that field's default and type."""
    default = TRAIN_DEFAULTS[declarations[-1].removeprefix("--").replace("-", "_")]
    settings.setdefault("type", type(default))
    return click.option(*declarations, default=default, show_default=True, **settings)


_TRAINING_OPTIONS = (
    train_config("--preset", help="Model preset: tiny or small."),
    train_config("--seq-len"),
    train_config("--batch-size"),
    train_config("--lr", help="Peak learning rate."),
    train_config("--eval-batches"),
    train_config(
        "--precision",
        type=click.Choice(PRECISIONS),
        help="auto: bf16 autocast on a CUDA device that supports it, else fp32.",
    ),
    click.option("--compile", "compile_", is_flag=True, help="torch.compile the model."),
)


def training_options(command: F) -> F:
    """The proxy model's training settings that `train` and `ablate` both take (--preset,
    --seq-len, --batch-size, --lr, --eval-batches, --precision, --compile)."""
    for option in reversed(_TRAINING_OPTIONS):
        command = option(command)
    return command
