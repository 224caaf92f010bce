"""`dolmakit decontaminate index`: the n-gram index of evaluation sets, built once, that the
decontaminate_v1 step reads by path (local, gs://, s3://) on every worker."""

from __future__ import annotations

import time

import click


@click.group()
def decontaminate() -> None:
    """Build the evaluation-set index of the decontaminate_v1 step."""


@decontaminate.command()
@click.argument("eval_paths", nargs=-1, required=True)
@click.option("--out", "out_path", required=True,
              help="Index file to write (local path, gs:// or s3://); give it to the step as "
                   "`index`.")  # fmt: skip
@click.option("--ngram", default=13, show_default=True, type=int, help="Words per n-gram.")
def index(eval_paths: tuple[str, ...], out_path: str, ngram: int) -> None:
    """Index every NGRAM-word run of EVAL_PATHS (JSON lines with `text`, plain text, folders)."""
    from dolmakit.filters.decontaminate import build_index, save_index
    from dolmakit.io.texts import read_texts

    started = time.monotonic()
    hashes = build_index(read_texts(eval_paths, option="EVAL_PATHS"), ngram)
    save_index(hashes, ngram, out_path)
    click.echo(
        f"{len(hashes):,} distinct {ngram}-grams ({hashes.nbytes / 2**20:.1f} MiB) -> {out_path}"
        f" in {time.monotonic() - started:.1f} s"
    )
