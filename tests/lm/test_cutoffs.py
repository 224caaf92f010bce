"""Perplexity cutoffs: percentiles of sample documents, cutoffs.json, and CCNet's buckets."""

from __future__ import annotations

import gzip
import json

import numpy as np
import pytest

from dolmakit.core.errors import ConfigError, FatalError
from dolmakit.io.texts import read_texts
from dolmakit.lm.cutoffs import compute_cutoffs
from dolmakit.models.cutoffs import CCNET_CUTOFFS, bucket_of, load_cutoffs
from dolmakit.models.kenlm import LanguageModel, default_model_dir

from .conftest import BOILERPLATE

CUTOFFS = {"head": 340.0, "tail": 520.0}


@pytest.mark.parametrize(
    ("perplexity", "bucket"),
    [(1.0, "head"), (339.9, "head"), (340.0, "middle"), (519.9, "middle"), (520.0, "tail"),
     (1e9, "tail")],
)  # fmt: skip
def test_buckets_on_both_sides_of_each_cutoff(perplexity, bucket):
    assert bucket_of(perplexity, CUTOFFS) == bucket


def test_ccnets_english_cutoffs_are_its_30th_and_60th_percentiles():
    assert CCNET_CUTOFFS["en"]["head"] == 340.0 and CCNET_CUTOFFS["en"]["tail"] == 520.0
    assert CCNET_CUTOFFS["en"]["percentiles"] == [30, 60]


def write_samples(folder, prose_lines):
    """Ten JSONL documents (gzipped) and the boilerplate text file's blank-line blocks."""
    jsonl = folder / "docs.jsonl.gz"
    with gzip.open(jsonl, "wt", encoding="utf-8") as stream:
        for number in range(10):
            text = "\n".join(prose_lines[number * 20 : number * 20 + 3 + number])
            stream.write(json.dumps({"id": str(number), "text": text}) + "\n")
        stream.write("\n")  # a blank line is no document
    return [jsonl, BOILERPLATE]


def test_cutoffs_are_percentiles_of_the_documents_perplexities(model_dir, prose_lines):
    samples = write_samples(model_dir.parent, prose_lines)
    (model_dir / "cutoffs.json").write_text(json.dumps({"de": {"head": 1.0, "tail": 2.0}}))

    entry = compute_cutoffs(model_dir, "en", samples, percentiles=(30, 60))

    model = LanguageModel.load(model_dir, "en")
    texts = list(read_texts(samples))
    assert len(texts) == 10 + 24
    expected = np.percentile([model.perplexity(text) for text in texts], [30, 60])
    assert (entry["head"], entry["tail"]) == tuple(round(float(v), 1) for v in expected)
    assert entry["documents"] == 34 and entry["percentiles"] == [30, 60]
    assert entry["source"] == "docs.jsonl.gz, boilerplate.txt"
    assert load_cutoffs(model_dir) == {"de": {"head": 1.0, "tail": 2.0}, "en": entry}


def test_bad_samples_and_settings_are_clear_errors(model_dir, tmp_path):
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"text": "fine"}\nnot json\n')
    with pytest.raises(FatalError) as raised:
        compute_cutoffs(model_dir, "en", [broken])
    assert str(raised.value) == f"{broken}:2: not JSON: Expecting value: line 1 column 1 (char 0)"
    with pytest.raises(ConfigError) as raised:
        compute_cutoffs(model_dir, "en", [tmp_path / "missing.txt"])
    assert str(raised.value) == f"{tmp_path / 'missing.txt'}: no such file or folder"
    with pytest.raises(FatalError, match="percentiles must be increasing"):
        compute_cutoffs(model_dir, "en", [BOILERPLATE], percentiles=(60, 30))
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n")
    with pytest.raises(FatalError, match="no document with text"):
        compute_cutoffs(model_dir, "en", [empty])


def test_the_shipped_model_carries_its_cutoffs():
    cutoffs = load_cutoffs(default_model_dir())["en"]
    assert 0 < cutoffs["head"] < cutoffs["tail"] and cutoffs["percentiles"] == [30, 60]
    assert cutoffs["documents"] > 20 and "held-out" in cutoffs["source"]
