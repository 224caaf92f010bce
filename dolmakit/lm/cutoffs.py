"""Perplexity bucket cutoffs: CCNet splits documents into head / middle / tail at the 30th and
60th percentiles of their perplexity under the language's model (cc_net/perplexity.py,
PerplexityBucket with cutoff.csv).

Cutoffs belong to one model: a perplexity means nothing under another model's pieces and
statistics, so each model folder carries its own `cutoffs.json`:

    {"en": {"head": 340.0, "tail": 520.0, "percentiles": [30, 60], "documents": N, "source": ...}}
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from dolmakit.core.errors import FatalError
from dolmakit.io.texts import read_texts
from dolmakit.models.cutoffs import write_cutoffs
from dolmakit.models.kenlm import LanguageModel


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
    scores = [pp for pp in map(model.perplexity, read_texts(sample_files)) if pp is not None]
    if not scores:
        raise FatalError(f"no document with text in {', '.join(map(str, sample_files))}")
    head, tail = np.percentile(np.array(scores), percentiles)
    entry = {
        "head": round(float(head), 1),
        "tail": round(float(tail), 1),
        "percentiles": list(percentiles),
        "documents": len(scores),
        "source": source or ", ".join(Path(path).name for path in sample_files),
    }
    write_cutoffs(Path(model_dir), {language: entry})
    return entry
