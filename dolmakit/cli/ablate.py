"""`dolmakit ablate A.yaml B.yaml --preset tiny --tokens N --seeds K`: one recipe, several mixes."""

from __future__ import annotations

from pathlib import Path

import click

from dolmakit.cli.options import quiet_flag, set_overrides, training_options
from dolmakit.core.logs import configure as configure_logging


@click.command()
@click.argument("mix_files", nargs=-1, required=True, type=click.Path(dir_okay=False, exists=True))
@click.option("--out", "out_dir", default="out/ablation", show_default=True,
              help="Folder for mixes/, runs/, ablation.{md,csv,json} and PNG plots.")  # fmt: skip
@click.option("--tokenizer", type=click.Path(dir_okay=False, exists=True),
              help="A SentencePiece model shared by every mix (default: train one on a sample "
                   "of the first mix into OUT/tokenizer).")  # fmt: skip
@click.option("--vocab-size", default=8192, show_default=True, type=int,
              help="Vocabulary of the tokenizer trained without --tokenizer.")  # fmt: skip
@training_options
@click.option("--tokens", default=2_000_000, show_default=True, type=int,
              help="Training tokens per run; steps = tokens / (batch size * seq len).")  # fmt: skip
@click.option("--seeds", default=3, show_default=True, type=int, help="Runs per mix: seeds 0..K-1.")
@click.option("--warmup-steps", type=int, help="Default: a tenth of the steps.")
@click.option("--log-every", type=int,
              help="Steps between train-loss points; default: 10, or a tenth of the steps "
                   "(at least 1) for runs under 100 steps.")  # fmt: skip
@click.option("--model", "model_overrides", multiple=True, metavar="FIELD=INT",
              help="Override a ModelConfig field of the preset, e.g. --model dim=64.")  # fmt: skip
@set_overrides("A setting applied to every mix file, e.g. --set budget_tokens=7000.",
               dest="mix_overrides")  # fmt: skip
@click.option("--eval", "eval_specs", multiple=True, metavar="NAME=FILE",
              help="Texts every mix is evaluated on (Dolma JSONL, or plain text with one "
                   "text per blank-line-separated block), e.g. "
                   "--eval clean=books.jsonl.gz; repeat a NAME to add files to it.")  # fmt: skip
@quiet_flag("the table")
def ablate(mix_files: tuple[str, ...], out_dir: str, tokenizer: str | None, vocab_size: int,
           preset: str, tokens: int, seeds: int, seq_len: int, batch_size: int, lr: float,
           warmup_steps: int | None, eval_batches: int, log_every: int | None, precision: str,
           compile_: bool, model_overrides: tuple[str, ...], mix_overrides: tuple[str, ...],
           eval_specs: tuple[str, ...],
           quiet: bool) -> None:  # fmt: skip
    """Build every mix with one tokenizer, train the same recipe on each for each seed, and
    compare held-out loss per source (ablation.md/.csv, loss_curves.png, heldout.png)."""
    from dolmakit.llama.ablate import ablate as run_ablation
    from dolmakit.llama.train import TrainConfig

    configure_logging(quiet)
    steps = max(1, tokens // (batch_size * seq_len))
    config = TrainConfig(preset=preset, seq_len=seq_len, batch_size=batch_size, steps=steps, lr=lr,
                         warmup_steps=steps // 10 if warmup_steps is None else warmup_steps,
                         eval_every=steps, eval_batches=eval_batches, checkpoint_every=steps,
                         log_every=log_every or max(1, min(10, steps // 10)),
                         compile=compile_, precision=precision,
                         model_overrides=_parse_overrides(model_overrides))  # fmt: skip
    result = run_ablation(list(mix_files), out_dir, config, seeds, tokenizer, vocab_size,
                          eval_sets=_parse_eval_sets(eval_specs),
                          mix_overrides=list(mix_overrides))  # fmt: skip
    click.echo(f"{steps} steps of {batch_size} x {seq_len} tokens per run, {seeds} seeds")
    click.echo((Path(out_dir) / "ablation.md").read_text(encoding="utf-8"))
    click.echo(f"tokenizer: {result['tokenizer']}; plots: {out_dir}/loss_curves.png, heldout.png")


def _parse_overrides(items: tuple[str, ...]) -> dict:
    overrides = {}
    for item in items:
        key, sep, value = item.partition("=")
        try:
            overrides[key] = int(value)
        except ValueError:
            sep = ""
        if not sep or not key:
            raise click.BadParameter(f"expected FIELD=INT, got {item!r}", param_hint="--model")
    return overrides


def _parse_eval_sets(items: tuple[str, ...]) -> dict[str, list[str]]:
    sets: dict[str, list[str]] = {}
    for item in items:
        name, sep, path = item.partition("=")
        if not sep or not name or not Path(path).is_file():
            raise click.BadParameter(f"expected NAME=FILE of an existing file, got {item!r}",
                                     param_hint="--eval")  # fmt: skip
        sets.setdefault(name, []).append(path)
    return sets
