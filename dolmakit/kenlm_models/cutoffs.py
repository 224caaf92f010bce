"""Perplexity bucket cutoffs of a KenLM model folder: CCNet splits documents into head / middle /
tail at the 30th and 60th percentiles of their perplexity under the language's model
(cc_net/perplexity.py, PerplexityBucket with cutoff.csv).

Cutoffs belong to one model: a perplexity means nothing under another model's pieces and
statistics, so each model folder carries its own `cutoffs.json`:

    {"en": {"head": 340.0, "tail": 520.0, "percentiles": [30, 60], "documents": N, "source": ...}}

Computing them (scoring a sample) lives in dolmakit.kenlm_training.cutoffs; reading them lives
here because the perplexity tagger needs them at worker setup.
"""

from __future__ import annotations

import json
from pathlib import Path

from dolmakit.core.errors import FatalError

CUTOFFS_FILE = "cutoffs.json"


BUCKETS = ("head", "middle", "tail")


# CCNet's published English cutoffs (cc_net/data/cutoff.csv, rows 30 and 60 of column en): the
# 30th/60th percentiles of Common Crawl documents under CCNet's own Wikipedia-trained en model.
# They apply only to CCNet's models (en.sp.model + en.arpa.bin from dl.fbaipublicfiles.com);
# CCNet also scored each document as one line (its normalizer strips newlines), see the note in
# dolmakit.kenlm_models.kenlm. Never use them with a model trained here: compute that model's own.
CCNET_CUTOFFS = {
    "en": {
        "head": 340.0,
        "tail": 520.0,
        "percentiles": [30, 60],
        "source": "cc_net/data/cutoff.csv (CCNet's Wikipedia-trained en model)",
    }
}


def bucket_of(perplexity: float, cutoffs: dict) -> str:
    """CCNet's bucket: below head -> "head", below tail -> "middle", else "tail"."""
    if perplexity < cutoffs["head"]:
        return "head"
    if perplexity < cutoffs["tail"]:
        return "middle"
    return "tail"


def load_cutoffs(model_dir: str | Path) -> dict:
    """The cutoffs.json of a model folder ({} when it has none)."""
    path = Path(model_dir) / CUTOFFS_FILE
    if not path.is_file():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise FatalError(f"{path} is not valid JSON: {error}") from error


def write_cutoffs(model_dir: Path, entries: dict) -> Path:
    """Merges entries (language -> cutoffs) into the folder's cutoffs.json."""
    merged = {**load_cutoffs(model_dir), **entries}
    path = model_dir / CUTOFFS_FILE
    path.write_text(json.dumps(merged, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path
