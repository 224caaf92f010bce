"""CCNet perplexity: SentencePiece + KenLM per language, and head/middle/tail buckets.

The language of a document comes from a language ID step's attributes (its best-scoring
language) or is fixed in the config. A language without a model gets no score: the document is
counted under `no_model/<lang>` and passes through untouched, never a crash. Buckets follow
CCNet: perplexity below the head cutoff (its 30th percentile) is head, below the tail cutoff
(60th) middle, the rest tail; CCNet's own published cutoffs apply only to its own models.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from dolmakit.core.document import Document, Span, whole_document
from dolmakit.core.errors import ConfigError, DolmakitError
from dolmakit.core.histograms import register_histogram
from dolmakit.core.steps import Tagger, register_step
from dolmakit.kenlm_models.cutoffs import CCNET_CUTOFFS, bucket_of
from dolmakit.kenlm_models.kenlm import LanguageModel, default_model_dir, local_model_dir


def cutoff_marks(config: dict) -> dict[str, list[tuple[str, float]]]:
    """{language: [("head | middle", cutoff), ("middle | tail", cutoff)]} of the perplexity
    steps in a run's resolved config: drawn on the report's perplexity histogram."""
    marks: dict[str, list[tuple[str, float]]] = {}
    for step in config.get("steps", []):
        if step.get("type") != CCNetPerplexity.type_name:
            continue
        settings = step.get("config", {})
        try:
            folder = _model_dir(settings.get("models", "default"))
            cutoffs = _cutoffs(folder, settings.get("cutoffs", "models"))
        except DolmakitError:  # a report is still written without its marks
            continue
        for language, values in cutoffs.items():
            marks[language] = [("head | middle", values["head"]), ("middle | tail", values["tail"])]
    return marks


HISTOGRAM = register_histogram(
    "perplexity", "Document perplexity (CCNet, per language)", 4, marks=cutoff_marks
)


@dataclass
class PerplexityConfig:
    # a folder of <lang>.sp.model + <lang>.arpa.bin (+ cutoffs.json), local or a URI on any
    # filesystem Beam reads (gs://, s3://: copied to a local cache by each worker's setup), e.g.
    # a copy of CCNet's published models (dl.fbaipublicfiles.com/cc_net/lm/<lang>.arpa.bin and
    # <lang>.sp.model; with cutoffs: ccnet); "default": the bundled English Wikipedia model
    # (dolmakit lm build-wikipedia) and its crawl cutoffs
    models: str = "default"
    # where the language comes from: a language ID step's attribute prefix ...
    language_attribute: str = "language_id_v1"
    # ... or one fixed language for every document
    language: str | None = None
    # cutoffs of the models folder (cutoffs.json), or CCNet's published ones (its models only)
    cutoffs: Literal["models", "ccnet"] = "models"


@register_step
class CCNetPerplexity(Tagger):
    """Document perplexity under a per-language KenLM model, and its CCNet bucket."""

    type_name = "ccnet_perplexity_v1"
    Config = PerplexityConfig

    def __init__(self, name: str, config: PerplexityConfig):
        super().__init__(name, config)
        # a remote folder is fetched here too, to check it before any data is read
        self.model_dir = _model_dir(config.models)
        self.available = sorted(p.name.removesuffix(".arpa.bin")
                                for p in self.model_dir.glob("*.arpa.bin"))  # fmt: skip
        if config.language and config.language not in self.available:
            known = ", ".join(self.available)
            message = f"no model for language {config.language!r} in {self.model_dir}: {known}"
            raise ConfigError(message, key="language")
        self.cutoffs = _cutoffs(self.model_dir, config.cutoffs)
        self.models: dict[str, LanguageModel] = {}
        for language in self.available:  # fail before any data is read, not on a worker
            _load(self.model_dir, language)

    def setup(self) -> None:
        # on a worker the launcher's cache folder does not exist: fetch (or reuse) its own
        self.model_dir = _model_dir(self.config.models)
        self.models = {lang: _load(self.model_dir, lang) for lang in self.available}

    def predict(self, doc: Document) -> dict[str, list[Span]]:
        language = self.config.language or _top_language(doc, self.config.language_attribute)
        if language is None or language not in self.models:
            self.stats[f"no_model/{language or 'unknown'}"] += 1
            return {}
        perplexity = self.models[language].perplexity(doc.text)
        if perplexity is None:  # nothing to score (no non-empty line)
            self.stats[f"no_text/{language}"] += 1
            return {}
        self.observe(HISTOGRAM, perplexity, series=language)
        attributes = {"perplexity": whole_document(doc, perplexity)}
        if language in self.cutoffs:
            bucket = bucket_of(perplexity, self.cutoffs[language])
            self.stats[f"bucket/{language}_{bucket}"] += 1
            attributes[bucket] = whole_document(doc, 1.0)
        return attributes


def _model_dir(models: str) -> Path:
    """The local folder of the models: the default one, a local folder, or a cached copy."""
    try:
        folder = default_model_dir() if models == "default" else local_model_dir(models)
    except DolmakitError as error:
        raise ConfigError(str(error), key="models") from error
    if not folder.is_dir() or not any(folder.glob("*.arpa.bin")):
        raise ConfigError(f"no KenLM models (*.arpa.bin) in {models}", key="models")
    return folder


def _load(folder: Path, language: str) -> LanguageModel:
    try:
        return LanguageModel.load(folder, language)
    except DolmakitError as error:
        raise ConfigError(str(error), key="models") from error


def _cutoffs(folder: Path, which: str) -> dict[str, dict]:
    if which == "ccnet":
        return CCNET_CUTOFFS
    path = folder / "cutoffs.json"
    return json.loads(path.read_text()) if path.is_file() else {}


def _top_language(doc: Document, prefix: str) -> str | None:
    """The best-scoring language among `<prefix>__<lang>` document-level attributes."""
    best, best_score = None, -1.0
    head = f"{prefix}__"
    for key, spans in doc.attributes.items():
        language = key.removeprefix(head)
        if key == language or language.startswith("paragraph_"):  # not a document-level score
            continue
        if spans and spans[0][2] > best_score:
            best, best_score = language, spans[0][2]
    return best
