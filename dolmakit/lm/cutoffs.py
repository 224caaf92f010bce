"""Perplexity bucket cutoffs: CCNet splits documents into head / middle / tail at the 30th and
60th percentiles of their perplexity under the language's model (cc_net/perplexity.py,
PerplexityBucket with cutoff.csv).

Cutoffs belong to one model: a perplexity means nothing under another model's pieces and
statistics, so each model folder carries its own `cutoffs.json`:

    {"en": {"head": 340.0, "tail": 520.0, "percentiles": [30, 60], "documents": N, "source": ...}}
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from dolmakit.core.errors import FatalError
from dolmakit.models.cutoffs import write_cutoffs
from dolmakit.models.kenlm import LanguageModel


def compute_cutoffs(
    model_dir: str | Path,
    language: str,
    sample_files: Sequence[str | Path],
    percentiles: tuple[float, float] = (30, 60),
    source: str | None = None,
) -> dict:
    """Scores the sample documents, and writes (merging other languages) and returns the
    language's entry of <model_dir>/cutoffs.json; `source` describes the sample (default: the
    file names)."""
    if not 0 <= percentiles[0] < percentiles[1] <= 100:
        raise FatalError(f"percentiles must be increasing, within 0..100: {percentiles}")
    model = LanguageModel.load(model_dir, language)
    scores = [pp for pp in map(model.perplexity, iter_documents(sample_files)) if pp is not None]
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


def iter_documents(paths: Sequence[str | Path]) -> Iterator[str]:
    """Texts of the documents in Dolma JSONL(.gz) files (their `text`) or plain-text files (one
    document per block of lines separated by a blank line, optionally gzipped)."""
    for path in map(Path, paths):
        if not path.is_file():
            raise FatalError(f"sample file {path} not found")
        yield from (_jsonl_texts if _is_jsonl(path) else _text_blocks)(path)


def _is_jsonl(path: Path) -> bool:
    name = path.name.removesuffix(".gz")
    return name.endswith((".jsonl", ".json"))


def _open(path: Path):
    opener = gzip.open if path.suffix == ".gz" else open
    return opener(path, "rt", encoding="utf-8", errors="replace")


def _jsonl_texts(path: Path) -> Iterator[str]:
    with _open(path) as stream:
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                yield json.loads(line).get("text") or ""
            except (json.JSONDecodeError, AttributeError) as error:
                raise FatalError(f"{path}:{number} is not a JSON document: {error}") from error


def _text_blocks(path: Path) -> Iterator[str]:
    block: list[str] = []
    with _open(path) as stream:
        for line in stream:
            if line.strip():
                block.append(line.rstrip("\n"))
            elif block:
                yield "\n".join(block)
                block = []
    if block:
        yield "\n".join(block)
