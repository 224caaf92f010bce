"""`c4_lines_v1`: C4's line cleaning (Raffel et al. 2020) as C4's own code does it (TFDS
text/c4_utils.py).

It rewrites the text: it drops lines holding a word of over 1,000 characters, lines not ending
in terminal punctuation (or ending in "..."), lines of too few words, lines mentioning
javascript and cookie/privacy/terms-of-use lines, and strips citation markers. It changes the
text, so it must come before any tagger whose spans point into the text: an attribute computed
before it would have stale offsets. (Document-level scores are re-pointed at the new text.)
C4's page rules are the `c4_quality_v1` tagger (dolmakit.taggers.c4), on the cleaned text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dolmakit.core.document import Document, Removed, whole_document
from dolmakit.core.errors import ConfigError
from dolmakit.core.steps import Step, register_step

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
