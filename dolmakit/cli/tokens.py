"""`dolmakit tokenizer`: train the pretraining tokenizer (SentencePiece BPE, LLaMA's settings)."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator

import click

from dolmakit.tokens.tokenizer import DEFAULT_SAMPLE_CHARS, DEFAULT_VOCAB_SIZE

CHECK_TEXTS = 20  # the first texts read are kept for the round-trip self-check


@click.group()
def tokenizer() -> None:
    """Train or inspect the SentencePiece tokenizer of token shards."""


@tokenizer.command()
@click.option("--mix", "mix_file", type=click.Path(exists=True, dir_okay=False),
              help="Train on a sample of this mix's training documents, weighted as the mix "
                   "weights its sources (instead of --input).")  # fmt: skip
@click.option("--input", "inputs", multiple=True,
              help="Dolma JSONL (.jsonl/.json[.gz|.zst|.bz2], the text field), plain text "
                   "(one text per blank-line-separated block) or a folder of them. "
                   "Repeatable.")  # fmt: skip
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Folder for tokenizer.model and tokenizer.vocab.")  # fmt: skip
@click.option("--vocab-size", default=DEFAULT_VOCAB_SIZE, show_default=True, type=int)
@click.option("--sample-chars", default=DEFAULT_SAMPLE_CHARS, show_default=True, type=int,
              help="Characters of randomly sampled lines to train on.")  # fmt: skip
@click.option("--seed", default=0, show_default=True, type=int)
def train(mix_file: str | None, inputs: tuple[str, ...], out_dir: str, vocab_size: int,
          sample_chars: int, seed: int) -> None:  # fmt: skip
    """Train a SentencePiece BPE tokenizer with LLaMA's settings and the PII mask tokens, on
    --input files or on a sample drawn from a --mix."""
    from dolmakit.io.texts import read_texts
    from dolmakit.mix.sample import mix_texts
    from dolmakit.tokens.tokenizer import Tokenizer, train_tokenizer

    if bool(mix_file) == bool(inputs):
        raise click.UsageError("give --mix MIX.yaml or --input FILE..., not both")
    started = time.perf_counter()
    kept: list[str] = []
    source = mix_texts(mix_file) if mix_file else read_texts(inputs, "--input")
    texts = _keep_first(source, kept, CHECK_TEXTS)
    model = train_tokenizer(texts, out_dir, vocab_size, sample_chars, seed)
    seconds = time.perf_counter() - started
    loaded = Tokenizer.load(model)
    ids = loaded.encode_batch(kept)
    exact = sum(loaded.decode(one) == text for one, text in zip(ids, kept, strict=True))
    chars, tokens = sum(map(len, kept)), sum(map(len, ids))
    click.echo(f"tokenizer: {model}")
    if loaded.vocab_size < vocab_size:
        click.echo(f"note: vocabulary lowered from --vocab-size {vocab_size:,} to "
                   f"{loaded.vocab_size:,} pieces, all that the sample allows; train on more "
                   "text for a larger one")  # fmt: skip
    click.echo(f"vocabulary: {loaded.vocab_size:,} pieces (eos id {loaded.eos_id}), "
               f"trained in {seconds:.1f} s")  # fmt: skip
    click.echo(f"self-check: {exact}/{len(kept)} texts decode to themselves exactly; "
               f"{chars / max(tokens, 1):.2f} characters per token on them")  # fmt: skip
    if exact != len(kept):
        raise click.ClickException("the tokenizer does not round-trip its own training text")


def _keep_first(texts: Iterator[str], kept: list[str], count: int) -> Iterator[str]:
    for text in itertools.islice(texts, count):
        kept.append(text)
        yield text
    yield from texts
