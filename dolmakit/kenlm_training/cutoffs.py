"""Perplexity bucket cutoffs: CCNet splits documents into head / middle / tail at the 30th and
60th percentiles of their perplexity under the language's model (cc_net/perplexity.py,
PerplexityBucket with cutoff.csv).

Cutoffs belong to one model: a perplexity means nothing under another model's pieces and
statistics, so each model folder carries its own `cutoffs.json`:

    {"en": {"head": 340.0, "tail": 520.0, "percentiles": [30, 60], "documents": N, "source": ...}}

The sample is crawl text: CCNet took its percentiles over the documents of a crawl snapshot after
dedup and language identification. WARC files in the sample are read as the pipeline reads them
(dolmakit.kenlm_training.crawl: the warc reader's extraction, then lid.176 language
identification), and only pages whose top language is the model's language (score 0.5 or
more) are scored; Dolma JSONL and plain text files are taken as they are (run language
identification on them first).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from dolmakit.core.errors import FatalError
from dolmakit.io.texts import read_texts
from dolmakit.kenlm_models.cutoffs import write_cutoffs
from dolmakit.kenlm_models.kenlm import LanguageModel
from dolmakit.kenlm_training.crawl import MIN_LANGUAGE_SCORE, is_warc, language_pages

# written into every entry: cutoffs are thirds of one crawl under one model, not constants
RECOMPUTE = (
    "on a sample of your own crawl: dolmakit lm cutoffs --models <model folder> <WARC files>"
)


def compute_cutoffs(
    model_dir: str | Path,
    language: str,
    sample_files: Sequence[str | Path],
    percentiles: tuple[float, float] = (30, 60),
    source: str | None = None,
) -> dict:
    """Scores the sample documents (read by dolmakit.io.texts: a JSONL line's `text`, a plain
    text file's blank-line-separated blocks), and writes (merging other languages) and returns the
    language's entry of <model_dir>/cutoffs.json; `source` describes the sample (default: the
    file names)."""
    if not 0 <= percentiles[0] < percentiles[1] <= 100:
        raise FatalError(f"percentiles must be increasing, within 0..100: {percentiles}")
    model = LanguageModel.load(model_dir, language)
    texts = sample_texts(sample_files, language)
    scores = [pp for pp in map(model.perplexity, texts) if pp is not None]
    if not scores:
        raise FatalError(f"no document with text in {', '.join(map(str, sample_files))}")
    head, tail = np.percentile(np.array(scores), percentiles)
    entry = {
        "head": round(float(head), 1),
        "tail": round(float(tail), 1),
        "percentiles": [int(p) if float(p).is_integer() else p for p in percentiles],
        "documents": len(scores),
        "source": source or describe_sample(sample_files, language),
        "recompute": RECOMPUTE,
    }
    write_cutoffs(Path(model_dir), {language: entry})
    return entry


def sample_texts(sample_files: Sequence[str | Path], language: str) -> Iterator[str]:
    """The texts to score: the language's pages of WARC files, every document of other files."""
    for path in sample_files:
        if is_warc(path):
            yield from (page.text for page in language_pages([path], language))
        else:
            yield from read_texts([path])


def describe_sample(sample_files: Sequence[str | Path], language: str) -> str:
    """What the sample was, by file names (a path would say where, not what)."""
    names = ", ".join(Path(path).name for path in sample_files)
    if not any(map(is_warc, sample_files)):
        return names
    return (
        f"{names}: the {language} pages of the WARC files (warc reader, main-content extraction,"
        f" lid.176 top language {language} >= {MIN_LANGUAGE_SCORE}, exact duplicates once)"
    )
