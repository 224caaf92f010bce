"""`language_filter`: keeps a document when its best score among chosen languages reaches a
threshold, and otherwise removes it naming the document's top language (`language_de`), or
`language_en_below_threshold` when the top language is a chosen one with too low a score, or
`language_unknown` when the document has no language. The scores are a `language_id_v1`
step's (dolmakit.taggers.language), its per-line `paragraph_` spans left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from dolmakit.core.document import Document, Removed
from dolmakit.core.errors import ConfigError
from dolmakit.core.steps import Step, register_step
from dolmakit.taggers.language import PARAGRAPH_PREFIX

PRESETS = {
    "ccnet": 0.5,  # CCNet (Wenzek et al. 2020): lid.176 score of at least 0.5
    "fineweb": 0.65,  # FineWeb (HuggingFace datatrove's LanguageFilter): at least 0.65
}


@dataclass
class LanguageFilterConfig:
    # documents whose best score among these languages reaches the threshold are kept
    languages: list[str] = field(default_factory=lambda: ["en"])
    # a score between 0 and 1; give this or a preset, not both
    threshold: float | None = None
    # ccnet (0.5) or fineweb (0.65)
    preset: Literal["ccnet", "fineweb"] | None = None
    # the name of the language_id_v1 step whose attributes are read
    attribute_prefix: str = "language_id_v1"


@register_step
class LanguageFilter(Step):
    """Keeps documents in the chosen languages above a threshold (presets: ccnet, fineweb)."""

    type_name = "language_filter"
    Config = LanguageFilterConfig

    def __init__(self, name: str, config: LanguageFilterConfig):
        super().__init__(name, config)
        self.threshold = _threshold(config)
        if not config.languages:
            raise ConfigError("name at least one language, e.g. [en]", key="languages")
        self.prefix = f"{config.attribute_prefix}__"

    def process(self, doc: Document) -> Document | Removed:
        scores = self.languages_of(doc)
        chosen = [scores[lang] for lang in self.config.languages if lang in scores]
        if chosen and max(chosen) >= self.threshold:
            return doc
        return Removed(doc, self.name, self.reason(scores))

    def languages_of(self, doc: Document) -> dict[str, float]:
        """Document-level language scores of the tagger (its paragraph spans left out)."""
        return {
            key.removeprefix(self.prefix): float(spans[0][2])
            for key, spans in doc.attributes.items()
            if key.startswith(self.prefix)
            and spans
            and not key.startswith(self.prefix + PARAGRAPH_PREFIX)
        }

    def reason(self, scores: dict[str, float]) -> str:
        if not scores:
            return "language_unknown"
        top = max(scores, key=scores.__getitem__)
        if top in self.config.languages:
            return f"language_{top}_below_threshold"
        return f"language_{top}"


def _threshold(config: LanguageFilterConfig) -> float:
    if (config.threshold is None) == (config.preset is None):
        presets = ", ".join(f"{name} ({value})" for name, value in PRESETS.items())
        raise ConfigError(f"give either `threshold` or `preset` ({presets}), not both or neither",
                          key="threshold")  # fmt: skip
    if config.preset is not None:
        return PRESETS[config.preset]
    if not 0.0 <= config.threshold <= 1.0:
        raise ConfigError(f"must be between 0 and 1, got {config.threshold}", key="threshold")
    return config.threshold
