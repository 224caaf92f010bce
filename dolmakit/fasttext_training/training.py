"""What `dolmakit classifier train` trains on and what it records: a built-in recipe (default or
wikipedia) or labelled --positive/--negative inputs, the recipe's own settings, and the
wikipedia recipe's filter threshold in metrics.json."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dolmakit.core.errors import ConfigError
from dolmakit.fasttext_training.fit import NEGATIVE, POSITIVE, Example, TrainParams


class SourcesError(ConfigError):
    """The inputs name no single way to build training data (the CLI shows a usage error)."""


@dataclass(frozen=True)
class Sources:
    """Where the training examples come from: one recipe, or labelled inputs."""

    recipe: str | None = None  # "default", "wikipedia" or None (labelled inputs)
    dumps: tuple[Path, ...] = ()  # wikipedia recipe: MediaWiki XML dumps (positives)
    wikitext: tuple[Path, ...] = ()  # wikipedia recipe: WikiText-103 .tokens files (positives)
    web: tuple[Path, ...] = ()  # wikipedia recipe: WARC files of random web pages (negatives)
    positive: tuple[str, ...] = ()
    negative: tuple[str, ...] = ()


@dataclass
class TrainingData:
    examples: list[Example]
    notes: dict[str, Any]  # metrics.json's "notes"
    params: TrainParams  # the caller's, with what the recipe changes


@dataclass
class Trained:
    metrics: dict[str, Any]
    # the wikipedia recipe's filter threshold ({} when none keeps enough); None for the others
    filter: dict[str, Any] | None = field(default=None)


def check_sources(sources: Sources) -> None:
    """Raises SourcesError unless the inputs make exactly one way to build training data."""
    wikipedia_inputs = sources.dumps or sources.wikitext or sources.web
    if sources.recipe and (sources.positive or sources.negative):
        raise SourcesError("give --recipe or --positive/--negative, not both")
    if wikipedia_inputs and sources.recipe != "wikipedia":
        raise SourcesError("--dump, --wikitext and --web belong to --recipe wikipedia")
    if sources.recipe == "wikipedia" and not ((sources.dumps or sources.wikitext) and sources.web):
        raise SourcesError("--recipe wikipedia needs --dump or --wikitext, and --web")
    if not sources.recipe and not (sources.positive and sources.negative):
        raise SourcesError("give --recipe default, or both --positive and --negative")


def training_data(sources: Sources, params: TrainParams, out: str | Path) -> TrainingData:
    """The examples, notes and settings `sources` make (checked first: SourcesError)."""
    check_sources(sources)
    if sources.recipe == "wikipedia":
        return _wikipedia_data(sources, params, out)
    if sources.recipe:
        from dolmakit.fasttext_training.recipe import default_examples

        return TrainingData(*default_examples(params.heldout_fraction), params)
    from dolmakit.fasttext_training.fit import examples_from

    examples = examples_from(sources.positive, POSITIVE, "--positive")
    examples += examples_from(sources.negative, NEGATIVE, "--negative")
    notes = {"positive": list(sources.positive), "negative": list(sources.negative)}
    return TrainingData(examples, notes, params)


def train_classifier(sources: Sources, params: TrainParams, out: str | Path) -> Trained:
    """Trains on what `sources` make into `out` (see fit.train); the wikipedia recipe also
    chooses its filter threshold and records it in metrics.json."""
    from dolmakit.fasttext_training.fit import train

    data = training_data(sources, params, out)
    metrics = train(data.examples, out, data.params, data.notes)
    if sources.recipe != "wikipedia":
        return Trained(metrics)
    from dolmakit.fasttext_training.wikipedia import record_filter_threshold

    return Trained(metrics, record_filter_threshold(metrics, Path(out)))


def _wikipedia_data(sources: Sources, params: TrainParams, out: str | Path) -> TrainingData:
    from dolmakit.fasttext_training.wikipedia import (
        recipe_command_line,
        recipe_params,
        wikipedia_examples,
    )

    examples, notes = wikipedia_examples(sources.dumps, sources.wikitext, sources.web)
    notes["command"] = recipe_command_line(notes["command"], params, out)
    return TrainingData(examples, notes, recipe_params(params))
