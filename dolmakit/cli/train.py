"""`dolmakit train --mix OUT --preset tiny`: train the proxy model on a mix (needs torch)."""

from __future__ import annotations

import json
import signal

import click

from dolmakit.cli.options import quiet_flag, train_config, training_options
from dolmakit.core.logs import configure as configure_logging


@click.command()
@click.option("--mix", "mix_dir", required=True, type=click.Path(file_okay=False, exists=True),
              help="A mix's output folder (with train/ and heldout/<source>/).")  # fmt: skip
@training_options
@train_config("--steps")
@train_config("--warmup-steps")
@train_config("--seed")
@train_config("--eval-every")
@train_config("--checkpoint-every")
@train_config("--out", "out_dir", help="Folder for checkpoints/ and metrics.jsonl.")
@click.option(
    "--vocab-size",
    type=int,
    help="The model's vocabulary; the mix's shards must match it (default: theirs).",
)
@click.option("--resume", help="A checkpoint to continue from, or 'latest' (under --out).")
@quiet_flag("the result")
def train(mix_dir: str, preset: str, seq_len: int, batch_size: int, lr: float, eval_batches: int,
          precision: str, compile_: bool, steps: int, warmup_steps: int, seed: int,
          eval_every: int, checkpoint_every: int, out_dir: str,
          vocab_size: int | None, resume: str | None, quiet: bool) -> None:  # fmt: skip
    """Train the LLaMA proxy model on a mix and report held-out loss per source."""
    from dolmakit.llama.train import TrainConfig
    from dolmakit.llama.train import train as run_training

    configure_logging(quiet)
    config = TrainConfig(preset=preset, seq_len=seq_len, batch_size=batch_size, steps=steps,
                         lr=lr, warmup_steps=warmup_steps, seed=seed, eval_every=eval_every,
                         eval_batches=eval_batches, checkpoint_every=checkpoint_every,
                         compile=compile_, precision=precision, out_dir=out_dir,
                         vocab_size=vocab_size)  # fmt: skip
    result = run_training(mix_dir, config, resume=resume)
    click.echo(json.dumps(result, indent=1))
    if not result["eval"]:
        click.echo(f"WARNING: no held-out set: {no_heldout_reason(mix_dir, result)}; nothing "
                   "was evaluated, so the run reports its train loss only", err=True)  # fmt: skip
    if "stopped" in result:  # checkpointed on a signal: exit as a process it ended would
        raise SystemExit(128 + signal.Signals[result["stopped"]].value)


def no_heldout_reason(mix_dir: str, result: dict) -> str:
    """Why a run evaluated nothing: held-out sources too short, or none at all."""
    if result["skipped_heldout"]:
        return (f"the held-out sources of {mix_dir} ({', '.join(result['skipped_heldout'])}) "
                "hold less than one sequence; lower --seq-len or raise the mix's "
                "held_out_fraction")  # fmt: skip
    return (
        f"{mix_dir} holds out no document (its heldout/ folder is absent); raise the mix's "
        "held_out_fraction"
    )
