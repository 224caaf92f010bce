"""`quality_classifier_v1`: how reference-like a page is, from a fastText quality classifier.

The CCNet/LLaMA quality score: the probability of the positive label (`hq`) under a model trained
by `dolmakit classifier train`, stored as one whole-document span `quality_classifier_v1__hq`.
The text goes through `dolmakit.fasttext_models.quality.prepare_text`, the function the model was
trained on, which also bounds the work per document (its first 1,000 tokens).

A text that prepares to nothing (empty, whitespace) scores 0.0 rather than going untagged, so
a threshold filter removes it: a missing attribute never matches a filter expression.

Keep pages above a threshold with the generic `filter` step:

    - type: quality_classifier_v1
      config: {model: models/quality}
    - type: filter
      config:
        remove_if: {low_quality: "quality_classifier_v1__hq < 0.5"}
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dolmakit.core.document import Document, Span
from dolmakit.core.errors import ConfigError
from dolmakit.core.steps import Tagger, register_step
from dolmakit.fasttext_models.fasttext import is_file, load_model, validate_model
from dolmakit.fasttext_models.quality import (
    LABEL_PREFIX,
    MODEL_FILE,
    QUANTIZED_FILE,
    prepare_text,
    probabilities,
)

BUNDLED = Path(__file__).resolve().parent.parent / "data" / "classifier"
# the bundled models by name (their folder's metrics.json says how each was trained):
# reference-en: LLaMA's recipe, Wikipedia versus random web pages (`--recipe wikipedia`);
# quality-en: public-domain prose versus spam and boilerplate (`--recipe default`)
BUNDLED_MODELS = {"default": "reference-en", "reference-en": "reference-en",
                  "quality-en": "quality-en"}  # fmt: skip
DEFAULT_MODEL = BUNDLED / BUNDLED_MODELS["default"]


@dataclass
class QualityClassifierConfig:
    # the folder `dolmakit classifier train --out` wrote (its model.ftz, else its model.bin) or
    # any supervised fastText model file (.bin/.ftz: DCLM's, FineWeb-Edu's, your own), local or
    # on any filesystem Beam reads (gs://, s3://); or a bundled model by name: "default" (the
    # Wikipedia-versus-web reference classifier, reference-en) or "quality-en"
    model: str
    # the label whose probability is the score, and the attribute's key
    label: str = "hq"


@register_step
class QualityClassifier(Tagger):
    """P(reference-like) from a fastText quality classifier (CCNet/LLaMA style)."""

    type_name = "quality_classifier_v1"
    Config = QualityClassifierConfig

    def __init__(self, name: str, config: QualityClassifierConfig):
        super().__init__(name, config)
        # loaded here to fail before any data is read; each worker finds the model again in
        # setup() (a bundled name inside its own installed dolmakit, never this machine's path)
        self._model: Any = validate_model(model_file(config.model))
        _check_label(self._model, config.label)

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_model": None}  # a fastText model is never pickled

    def setup(self) -> None:
        if self._model is None:
            self._model = load_model(model_file(self.config.model))

    def predict(self, doc: Document) -> dict[str, list[Span]]:
        self.setup()
        prepared = prepare_text(doc.text)
        score = probabilities(self._model, [prepared], self.config.label)[0] if prepared else 0.0
        self.stats["empty" if not prepared else f"score_decile/{min(int(score * 10), 9)}"] += 1
        return {self.config.label: [[0, len(doc.text), score]]}


def model_file(model: str) -> str:
    """The model file: model.ftz or model.bin inside a training folder, or `model` itself."""
    if not model:
        raise ConfigError("give the folder `dolmakit classifier train` wrote", key="model")
    if model in BUNDLED_MODELS:
        model = str(BUNDLED / BUNDLED_MODELS[model])
    folder = model.rstrip("/")
    for candidate in (f"{folder}/{QUANTIZED_FILE}", f"{folder}/{MODEL_FILE}", model):
        if is_file(candidate):
            return candidate
    raise ConfigError(
        f"no model at {model!r}: expected a model file, or a folder with "
        f"{QUANTIZED_FILE} or {MODEL_FILE} (dolmakit classifier train --out FOLDER)",
        key="model",
    )


def _check_label(model: Any, label: str) -> None:
    labels = [name.removeprefix(LABEL_PREFIX) for name in model.labels]
    if label not in labels:
        raise ConfigError(f"the model has no label {label!r}; it has {labels}", key="label")
