"""Perplexity cutoffs: percentiles of sample documents, cutoffs.json, and CCNet's buckets."""

from __future__ import annotations

import gzip
import json

import numpy as np
import pytest
from conftest import SAMPLE_WARC, Response, shared_data_dir, write_warc

from dolmakit.core.errors import ConfigError, FatalError
from dolmakit.io.texts import read_texts
from dolmakit.kenlm_models.cutoffs import CCNET_CUTOFFS, bucket_of, load_cutoffs
from dolmakit.kenlm_models.kenlm import LanguageModel, default_model_dir
from dolmakit.kenlm_training.cutoffs import compute_cutoffs

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


ENGLISH = [
    "The river flows north through a wide valley before it reaches the sea.",
    "The castle was built in the twelfth century and rebuilt after a fire in 1650.",
    "The species feeds on leaves and lays its eggs in the soil during the summer months.",
]
GERMAN = "Der Fluss fließt durch ein breites Tal nach Norden, bevor er das Meer erreicht."


def html(paragraph: str) -> bytes:
    body = f"<p>{paragraph}</p><p>{paragraph}</p>"
    return f"<html><body><article>{body}</article></body></html>".encode()


def test_warc_samples_score_the_languages_pages_as_the_pipeline_reads_them(model_dir, tmp_path):
    pages = [*ENGLISH, ENGLISH[0], GERMAN]  # a duplicate page and a German one
    responses = [Response(f"https://example.com/{n}", html(text)) for n, text in enumerate(pages)]
    write_warc(tmp_path / "crawl.warc.gz", responses)
    entry = compute_cutoffs(model_dir, "en", [tmp_path / "crawl.warc.gz"])
    model = LanguageModel.load(model_dir, "en")
    scores = [model.perplexity(f"{text}\n{text}") for text in ENGLISH]
    head, tail = np.percentile(scores, [30, 60])
    assert entry["documents"] == 3  # the German page and the duplicate are not scored
    assert (entry["head"], entry["tail"]) == (round(head, 1), round(tail, 1))
    assert entry["source"].startswith("crawl.warc.gz: the en pages of the WARC files")
    assert entry["recompute"].startswith("on a sample of your own crawl: dolmakit lm cutoffs")


def test_the_shipped_model_carries_cutoffs_from_a_crawl_sample():
    cutoffs = load_cutoffs(default_model_dir())["en"]
    assert (cutoffs["head"], cutoffs["tail"], cutoffs["documents"]) == (272.6, 324.4, 405)
    assert cutoffs["percentiles"] == [30, 60]
    assert cutoffs["source"].startswith("web-pages.warc.gz, sample.warc.gz: the en pages")
    assert "/" not in cutoffs["source"]  # files by name, no machine path


def test_the_shipped_cutoffs_are_the_crawl_samples_percentiles(model_dir):
    web = shared_data_dir() / "web" / "web-pages.warc.gz"
    if not web.is_file():
        pytest.skip(f"real web pages {web} not found")
    (model_dir / "cutoffs.json").unlink()
    entry = compute_cutoffs(model_dir, "en", [web, SAMPLE_WARC])
    assert entry == load_cutoffs(default_model_dir())["en"]
