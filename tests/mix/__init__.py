"""Generated Dolma JSONL sources for the mixer's tests."""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

import yaml

WORDS = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "is",
    "was",
    "for",
    "on",
    "that",
    "with",
    "as",
    "by",
    "at",
    "from",
    "his",
    "her",
    "an",
    "which",
    "or",
    "were",
    "are",
    "this",
    "be",
    "had",
    "it",
    "not",
    "but",
    "they",
    "have",
    "one",
    "their",
    "all",
    "new",
    "first",
    "can",
    "been",
    "who",
    "more",
    "after",
    "some",
    "two",
    "its",
    "she",
    "he",
    "time",
    "other",
    "into",
    "also",
    "only",
    "most",
    "years",
    "over",
    "many",
    "when",
    "part",
    "such",
    "used",
    "city",
    "state",
    "world",
    "people",
    "later",
    "three",
    "made",
    "may",
    "school",
    "would",
    "between",
    "during",
    "under",
]


def write_source(folder: Path, name: str, documents: int, mean_words: int, files: int = 2,
                 seed: int = 0) -> Path:  # fmt: skip
    """`documents` Dolma documents of skewed (log-normal) lengths over `files` .jsonl.gz files,
    each with a document-level `quality__score` in [0, 1)."""
    rng = random.Random(f"{seed}-{name}")
    folder.mkdir(parents=True, exist_ok=True)
    rows: list[list[str]] = [[] for _ in range(files)]
    for i in range(documents):
        words = max(1, int(rng.lognormvariate(0, 0.8) * mean_words))
        text = " ".join(rng.choice(WORDS) for _ in range(words))
        row = {"id": f"{name}-{i}", "text": text, "source": name, "metadata": {},
               "attributes": {"quality__score": [[0, len(text), rng.random()]]}}  # fmt: skip
        rows[i % files].append(json.dumps(row) + "\n")
    for i, lines in enumerate(rows):
        with gzip.open(folder / f"part-{i}.jsonl.gz", "wt", encoding="utf-8") as stream:
            stream.writelines(lines)
    return folder


def write_mix(path: Path, **fields) -> Path:
    path.write_text(yaml.safe_dump(fields, sort_keys=False), encoding="utf-8")
    return path
