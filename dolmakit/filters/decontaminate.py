"""`decontaminate_v1`: removes documents (or paragraphs) that share long word n-grams with
evaluation sets, as GPT-3 (13-grams), datatrove's NGramsDecontFilter and Dolma's decontamination
do, so a model is not evaluated on text it was trained on.

Text is compared as lower-cased word characters only (`\\w+` runs), so WikiText's tokenized
`1 @,@ 000` and a page's `1,000` give the same words; `<unk>` in an evaluation text ends an
n-gram run instead of matching anything. Each n-gram becomes a 64-bit rolling hash of stable
per-word hashes, and the index is one sorted array of those hashes: 8 bytes per distinct n-gram
of the evaluation sets, looked up with a binary search (a false match needs a 64-bit collision).

The index is built once: from `eval:` paths on the launching machine (small sets; the array then
travels inside the job graph), or beforehand with `dolmakit decontaminate index` into a file
that `index:` names by any Beam path (gs://, s3://), read by each worker in setup().
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from apache_beam.io.filesystems import FileSystems

from dolmakit.core.document import Document, Removed, whole_document
from dolmakit.core.errors import ConfigError
from dolmakit.core.hashing import stable_hash
from dolmakit.core.steps import Step, register_step
from dolmakit.filters.rewrite import rewrite_text
from dolmakit.io.files import file_exists
from dolmakit.io.texts import read_texts

_WORD = re.compile(r"\w+")
_UNKNOWN = re.compile(r"<unk>", re.IGNORECASE)
# the polynomial of the rolling hash: an odd 64-bit constant (the golden ratio's)
_BASE = np.uint64(0x9E3779B97F4A7C15)
# above this many n-grams an index built from `eval:` would bloat the job graph (16 MB)
MAX_INLINE_NGRAMS = 2_000_000


@dataclass
class DecontaminateConfig:
    # evaluation texts (JSON lines with `text`, or plain text; folders): the index is built at
    # launch; for large sets build a file with `dolmakit decontaminate index` and use `index`
    eval: list[str] = field(default_factory=list)
    # an index file written by `dolmakit decontaminate index` (any Beam path)
    index: str | None = None
    # words per n-gram (GPT-3 and datatrove: 13)
    ngram: int = 13
    # document: remove the whole document (GPT-3, datatrove); paragraphs: drop the lines that
    # match and keep the rest (Dolma); none: only tag
    remove: Literal["document", "paragraphs", "none"] = "document"
    # a document or paragraph matches when it holds at least this many evaluation n-grams
    min_matches: int = 1


def words(text: str) -> list[str]:
    """The words n-grams are made of: lower-cased runs of word characters."""
    return _WORD.findall(text.lower())


class NgramHasher:
    """64-bit hashes of every n-gram of a word list; word hashes are cached (words repeat)."""

    def __init__(self, n: int):
        self.n = n
        self._words: dict[str, int] = {}
        self._powers = _BASE ** np.arange(n - 1, -1, -1, dtype=np.uint64)

    def hashes(self, tokens: list[str]) -> np.ndarray:
        if len(tokens) < self.n:
            return np.empty(0, dtype=np.uint64)
        cache = self._words
        values = np.fromiter(
            (cache.get(w) or cache.setdefault(w, stable_hash(w)) for w in tokens),
            dtype=np.uint64,
            count=len(tokens),
        )
        windows = np.lib.stride_tricks.sliding_window_view(values, self.n)
        with np.errstate(over="ignore"):  # wrapping at 2**64 is the hash
            return (windows * self._powers).sum(axis=1, dtype=np.uint64)


def build_index(texts: Iterable[str], n: int) -> np.ndarray:
    """The sorted distinct n-gram hashes of the texts; `<unk>` breaks a run of words."""
    hasher, parts = NgramHasher(n), []
    for text in texts:
        for piece in _UNKNOWN.split(text):
            parts.append(hasher.hashes(words(piece)))
    return np.unique(np.concatenate(parts)) if parts else np.empty(0, dtype=np.uint64)


def save_index(index: np.ndarray, n: int, path: str) -> None:
    buffer = io.BytesIO()
    np.savez(buffer, hashes=index, ngram=np.array([n]))
    with FileSystems.create(path) as stream:
        stream.write(buffer.getvalue())


def load_index(path: str) -> tuple[np.ndarray, int]:
    """(sorted hashes, words per n-gram) of an index file."""
    with FileSystems.open(path) as stream:
        data = stream.read()
    try:
        with np.load(io.BytesIO(data)) as saved:
            return saved["hashes"], int(saved["ngram"][0])
    except (ValueError, KeyError, OSError) as error:
        raise ConfigError(
            f"{path} is not an index written by `dolmakit decontaminate index` ({error})",
            key="index",
        ) from error


def count_matches(index: np.ndarray, hashes: np.ndarray) -> int:
    if not len(index) or not len(hashes):
        return 0
    places = np.minimum(np.searchsorted(index, hashes), len(index) - 1)
    return int(np.count_nonzero(index[places] == hashes))


@register_step
class Decontaminate(Step):
    """Removes documents (or their paragraphs) sharing `ngram`-word runs with evaluation sets.

    Writes `<name>__ngram_matches` (a document-level count of matching n-grams; in paragraph
    mode, of the dropped paragraphs) and counts contaminated documents, dropped paragraphs and
    matched n-grams in `stats`.
    """

    type_name = "decontaminate_v1"
    Config = DecontaminateConfig

    def __init__(self, name: str, config: DecontaminateConfig):
        super().__init__(name, config)
        if bool(config.eval) == bool(config.index):
            raise ConfigError("give either `eval` (evaluation texts) or `index` (a built index)")
        if config.ngram < 1 or config.min_matches < 1:
            raise ConfigError("ngram and min_matches must be at least 1")
        self._index: np.ndarray | None = None
        self._hasher = NgramHasher(config.ngram)
        if config.eval:
            self._index = _inline_index(config.eval, config.ngram)
        elif not file_exists(config.index):
            raise ConfigError(f"no index file {config.index}", key="index")

    def setup(self) -> None:
        if self._index is None:
            self._index, n = load_index(self.config.index)
            if n != self.config.ngram:
                raise ConfigError(
                    f"{self.config.index} holds {n}-grams but ngram is {self.config.ngram}",
                    key="ngram",
                )

    def process(self, doc: Document) -> Document | Removed:
        if self.config.remove == "paragraphs":
            return self._drop_paragraphs(doc)
        matches = self.matches(doc.text)
        doc.attributes[f"{self.name}__ngram_matches"] = whole_document(doc, matches)
        if matches < self.config.min_matches:
            return doc
        self.stats["documents_contaminated"] += 1
        self.stats["ngrams_matched"] += matches
        return Removed(doc, self.name, "contaminated") if self.config.remove == "document" else doc

    def matches(self, text: str) -> int:
        """How many of the text's n-grams (with repeats) are in the evaluation sets."""
        return count_matches(self._index, self._hasher.hashes(words(text)))

    def _drop_paragraphs(self, doc: Document) -> Document | Removed:
        dropped, kept, matched, start = [], [], 0, 0
        for paragraph in doc.text.split("\n"):
            found = self.matches(paragraph)
            end = start + len(paragraph)
            if found >= self.config.min_matches:
                matched += found
                dropped.append((start, end))
            else:
                kept.append(paragraph)
            start = end + 1
        if matched:
            self.stats["documents_contaminated"] += 1
            self.stats["ngrams_matched"] += matched
            self.stats["paragraphs_removed"] += len(dropped)
        if not "".join(kept).strip():
            doc.attributes[f"{self.name}__ngram_matches"] = whole_document(doc, matched)
            return Removed(doc, self.name, "contaminated")
        if dropped:
            rewrite_text(doc, _removals(dropped, len(doc.text)))
        doc.attributes[f"{self.name}__ngram_matches"] = whole_document(doc, matched)
        return doc


def _removals(paragraphs: list[tuple[int, int]], length: int) -> list[tuple[int, int, str]]:
    """Edits deleting the paragraphs with their line ends, adjacent ones merged; the text then
    reads as the kept paragraphs joined by "\n" (a last paragraph takes the line end before)."""
    edits: list[list[int]] = []
    for start, end in paragraphs:
        end = min(end + 1, length)
        if edits and edits[-1][1] == start:
            edits[-1][1] = end
        else:
            edits.append([start, end])
    if edits[-1][1] == length and edits[-1][0] > 0:
        edits[-1][0] -= 1
    return [(start, end, "") for start, end in edits]


def _inline_index(paths: list[str], n: int) -> np.ndarray:
    index = build_index(read_texts(paths, option="eval"), n)
    if len(index) > MAX_INLINE_NGRAMS:
        raise ConfigError(
            f"the evaluation sets hold {len(index):,} distinct {n}-grams, too many to send "
            f"inside the job (limit {MAX_INLINE_NGRAMS:,}): build a file with `dolmakit "
            "decontaminate index` and give it as `index`",
            key="eval",
        )
    return index
