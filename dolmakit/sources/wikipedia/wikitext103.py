"""WikiText-103 token files (`wiki.train/valid/test.tokens`) back to Wikipedia-like plain text.

WikiText (Merity et al. 2016) tokenized Wikipedia's Good and Featured articles: punctuation is
split off by spaces (` , `, ` . `, ` ( `), number separators are escaped (` @-@ `, ` @,@ `,
` @.@ `), article titles are lines ` = Title = ` and section headings ` = = Section = = `, and
words outside its vocabulary became `<unk>`. Models that score web text (the perplexity LM, the
reference classifier) must see text as a page shows it, so each article is rebuilt as the
`mediawiki` reader writes one: one paragraph per line, headings as plain lines, no title line.

A sentence holding `<unk>` is left out, not patched: deleting the token would glue its
neighbours into n-grams that never occur in real text, and keeping it would teach the models a
token no web page has.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from dolmakit.io.files import lines, open_decompressed

UNKNOWN = "<unk>"
_TITLE = re.compile(r"^ ?= ([^=].*?) = ?$")
_HEADING = re.compile(r"^ ?(?:= ){2,}(.*?)(?: =){2,} ?$")
_SENTENCE_END = re.compile(r"(?<=[.!?]) (?=[A-Z0-9\"'(])")
_ESCAPES = {" @-@ ": "-", " @,@ ": ",", " @.@ ": "."}
_BEFORE = re.compile(r" ([,.;:!?%)\]}]|'(?:s|re|ve|ll|d|m|t)\b|n't\b)")
_AFTER = re.compile(r"([(\[{$]) ")
_QUOTED = re.compile(r'" ([^"]*?) "')


@dataclass(frozen=True)
class Article:
    title: str
    text: str  # paragraphs and headings, one per line


def read_articles(path: str | Path) -> Iterator[Article]:
    """The articles of a WikiText .tokens file (local, gs://, s3://; .gz/.bz2 by suffix), in
    order, detokenized; an article left with no text is skipped."""
    title, body = None, []
    with open_decompressed(str(path)) as stream:
        for raw in lines(stream):
            line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            if match := _TITLE.match(line):
                if title is not None and body:
                    yield Article(title, "\n".join(body))
                title, body = detokenize(match.group(1)), []
            elif line.strip() and (text := paragraph(line)):
                body.append(text)
    if title is not None and body:
        yield Article(title, "\n".join(body))


def paragraph(line: str) -> str:
    """One detokenized line: a heading's text, or a paragraph without its `<unk>` sentences."""
    if match := _HEADING.match(line):
        return "" if UNKNOWN in match.group(1) else detokenize(match.group(1))
    sentences = _SENTENCE_END.split(detokenize(line))
    return " ".join(sentence for sentence in sentences if UNKNOWN not in sentence)


def detokenize(text: str) -> str:
    """WikiText's tokenization undone: escapes, spaces around punctuation, quotes, brackets."""
    text = f" {text.strip()} "
    for escaped, plain in _ESCAPES.items():
        text = text.replace(escaped, plain)
    text = _BEFORE.sub(r"\1", text)
    text = _AFTER.sub(r"\1", text)
    text = _QUOTED.sub(r'"\1"', text)
    return " ".join(text.split())
