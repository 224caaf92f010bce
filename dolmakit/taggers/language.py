"""Language identification with a fastText model (lid.176 by default).

`language_id_v1` tags every document with its top-k languages, Dolma style: the attribute
`language_id_v1__<lang>` is one whole-document span `[0, len(text), score]` per language. In
paragraph mode each line is classified on its own (Dolma's paragraphs are lines), the document
score of a language is the length-weighted mean of its line scores, and each line's top language is
also kept as a span under `language_id_v1__paragraph_<lang>`. The top language of a document is the
one with the highest score; a text without letters gets no language at all (the model would answer
its prior, English at 0.12, for anything it has no n-grams of).

The `language_filter` step (dolmakit.filters.language_filter) removes documents on these scores.

fastText facts this module works around (fasttext-numpy2 0.10.4):
- `predict` raises on a newline, so newlines become spaces (fastText splits on both anyway);
- hierarchical-softmax probabilities can come out slightly above 1, so scores are clipped;
- a text with a lone surrogate (JSON input can carry one) is refused by the bindings, so such a
  text is re-encoded with replacement characters first;
- a truncated model file crashes fastText, hangs it or makes it allocate gigabytes instead of
  raising, so the file's layout is walked in Python (a few ms) before fastText loads it, at config
  time and again on each worker.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from dolmakit.core.document import Document, Span
from dolmakit.core.errors import ConfigError
from dolmakit.core.steps import Tagger, register_step
from dolmakit.fasttext_models.fasttext import load_model, resolve_model, validate_model

PARAGRAPH_PREFIX = "paragraph_"
_LABEL_PREFIX = "__label__"
# a Unicode letter: a word character that is neither a digit nor an underscore
_LETTER = re.compile(r"[^\W\d_]")
_LINE = re.compile(r"[^\n]+")


@dataclass
class LanguageIdConfig:
    # "lid176" (the bundled lid.176.ftz) or the path of any supervised fastText model (lid.176.bin,
    # GlotLID, your own); local or on any filesystem Beam reads (gs://, s3://)
    model: str = "lid176"
    # document: one prediction over the whole text; paragraph: one per line, length-weighted
    mode: Literal["document", "paragraph"] = "document"
    # languages kept per document (and per line in paragraph mode)
    top_k: int = 3
    # languages scoring below this are not stored (paragraph spans keep each line's top one)
    min_score: float = 0.0
    # 0 reads the whole text. fastText is linear in the text (about 0.2 s for a 10 MB line here),
    # so no cap is needed for speed; set one to bound the time of a pathological document: the
    # languages then come from its first max_chars characters
    max_chars: int = 0


@register_step
class LanguageId(Tagger):
    """Top-k languages with fastText (lid.176 or any model), per document or per paragraph."""

    type_name = "language_id_v1"
    Config = LanguageIdConfig

    def __init__(self, name: str, config: LanguageIdConfig):
        super().__init__(name, config)
        _check_settings(config)
        # loaded here to fail before any data is read (10 ms for lid.176.ftz); each worker
        # resolves the model again in setup(): a bundled name names its own installed copy
        self._model: Any = validate_model(resolve_model(config.model))

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_model": None}  # a fastText model is never pickled

    def setup(self) -> None:
        if self._model is None:
            self._model = load_model(resolve_model(self.config.model))

    def predict(self, doc: Document) -> dict[str, list[Span]]:
        if self._model is None:
            self.setup()
        text = doc.text[: self.config.max_chars] if self.config.max_chars else doc.text
        if self.config.mode == "paragraph":
            languages, paragraphs = self._by_paragraph(text)
        else:
            languages, paragraphs = self.classify(text), {}
        whole, floor = len(doc.text), self.config.min_score
        spans = {lang: [[0, whole, score]] for lang, score in languages if score >= floor}
        self.stats["language/" + next(iter(spans), "unknown")] += 1  # best first
        return spans | paragraphs if paragraphs else spans

    def classify(self, text: str) -> list[tuple[str, float]]:
        """(language, score) of the top-k languages of a text, best first; [] without letters."""
        if _LETTER.search(text) is None:
            return []
        return self._predict_line(text.replace("\n", " "))

    def _predict_line(self, line: str) -> list[tuple[str, float]]:
        # the binding `model.predict` calls after its newline check: called directly it skips a
        # numpy array per text, a quarter of the step's time on texts of a few hundred characters
        predict = self._model.f.predict
        try:
            pairs = predict(line + "\n", self.config.top_k, 0.0, "strict")
        except TypeError:  # a lone surrogate: the bindings only take valid UTF-8
            line = line.encode("utf-8", "replace").decode("utf-8")
            pairs = predict(line + "\n", self.config.top_k, 0.0, "strict")
        return [(label.removeprefix(_LABEL_PREFIX), min(p, 1.0)) for p, label in pairs]

    def _by_paragraph(self, text: str) -> tuple[list[tuple[str, float]], dict[str, list[Span]]]:
        """Document scores (each line's scores weighted by its length) and each line's top
        language as a span. A language outside a line's top-k counts 0 for that line."""
        weighted: dict[str, float] = defaultdict(float)
        spans: dict[str, list[Span]] = defaultdict(list)
        total = 0
        for start, end in letter_lines(text):
            languages = self._predict_line(text[start:end])
            total += end - start
            for lang, score in languages:
                weighted[lang] += (end - start) * score
            if languages:
                spans[PARAGRAPH_PREFIX + languages[0][0]].append([start, end, languages[0][1]])
        ranked = sorted(weighted.items(), key=lambda item: item[1], reverse=True)
        document = [(lang, min(sum_ / total, 1.0)) for lang, sum_ in ranked[: self.config.top_k]]
        return document, dict(spans)


def letter_lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every line that has a letter: the paragraphs of paragraph mode."""
    for match in _LINE.finditer(text):
        if _LETTER.search(match.group()) is not None:
            yield match.start(), match.end()


def _check_settings(config: LanguageIdConfig) -> None:
    if config.top_k < 1:
        raise ConfigError(f"must be at least 1, got {config.top_k}", key="top_k")
    if not 0.0 <= config.min_score <= 1.0:
        raise ConfigError(f"must be between 0 and 1, got {config.min_score}", key="min_score")
    if config.max_chars < 0:
        raise ConfigError(f"must be 0 (no cap) or more, got {config.max_chars}", key="max_chars")
