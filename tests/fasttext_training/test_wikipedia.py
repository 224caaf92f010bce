"""The wikipedia recipe (LLaMA's reference classifier): Wikipedia text versus random web pages,
its held-out AUC, the filter threshold chosen from the held-out curve, and the bundled model."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from conftest import REPO, Response, write_warc
from sources.wikipedia import dumps

from dolmakit.core.errors import FatalError
from dolmakit.fasttext_training.fit import NEGATIVE, POSITIVE, roc_auc, scores_at
from dolmakit.fasttext_training.wikipedia import filter_threshold, wikipedia_examples
from dolmakit.taggers.quality import DEFAULT_MODEL, model_file

ARTICLE = "\n".join(
    f"The river crosses the {n}th valley of the region and was first mapped in {1800 + n}."
    for n in range(1, 13)
)
PAGE = "Buy the best garden tools online today. Free delivery on orders over fifty pounds. " * 3
GERMAN = "Kaufen Sie heute die besten Gartengeräte online. Kostenlose Lieferung ab fünfzig Euro."


def test_roc_auc_is_the_chance_a_positive_outscores_a_negative():
    assert roc_auc([True, True, False, False], [0.9, 0.8, 0.2, 0.1]) == 1.0
    assert roc_auc([True, True, False, False], [0.1, 0.2, 0.8, 0.9]) == 0.0
    assert roc_auc([True, False, True, False], [0.9, 0.8, 0.5, 0.1]) == 0.75
    assert roc_auc([True, False], [0.5, 0.5]) == 0.5  # a tie counts half


def test_the_filter_threshold_is_the_highest_keeping_the_recall_target():
    truth = [True] * 20 + [False] * 20
    scores = [0.9] * 18 + [0.3, 0.01] + [0.4] * 5 + [0.01] * 5 + [0.001] * 10
    heldout = {
        "auc": round(roc_auc(truth, scores), 4),
        "by_threshold": [scores_at(truth, scores, t) for t in (0.005, 0.02, 0.35, 0.5)],
    }
    chosen = filter_threshold(heldout, recall=0.95)
    assert chosen["threshold"] == 0.02  # recall 0.95; at 0.35 it is 0.9
    assert (chosen["heldout_wikipedia_kept"], chosen["heldout_web_pages_kept"]) == (0.95, 0.25)
    assert chosen["at_0.5"] == {"heldout_wikipedia_kept": 0.9, "heldout_web_pages_kept": 0.0}
    assert filter_threshold(heldout, recall=1.0) == {
        **chosen, "threshold": 0.005, "heldout_wikipedia_kept": 1.0, "precision": 0.6667,
        "heldout_web_pages_kept": 0.5, "rule": chosen["rule"].replace("0.95", "1.0"),
    }  # fmt: skip


def small_inputs(tmp_path):
    pages = [dumps.page(f"River {n}", ARTICLE, n) for n in (1, 2)]
    dump = dumps.write(tmp_path / "enwiki-pages-articles.xml", dumps.dump(pages))
    tokens = tmp_path / "wiki.valid.tokens"
    tokens.write_text(" \n = Lake = \n \n The lake lies north of the town . \n", encoding="utf-8")
    html = [f"<html><body><article><p>{text}</p></article></body></html>" for text in
            (PAGE, PAGE.replace("garden", "kitchen"), GERMAN, "Too short to count.")]  # fmt: skip
    responses = [Response(f"https://shop.example/{n}", h.encode()) for n, h in enumerate(html)]
    warc = tmp_path / "web.warc.gz"
    write_warc(warc, responses)
    return dump, tokens, warc


def test_positives_are_article_chunks_and_negatives_english_web_pages(tmp_path):
    dump, tokens, warc = small_inputs(tmp_path)
    examples, notes = wikipedia_examples([dump], [tokens], [warc])
    negatives = [e for e in examples if e.label == NEGATIVE]
    positives = [e for e in examples if e.label == POSITIVE]
    assert [e.text for e in negatives] == [PAGE.strip(), PAGE.replace("garden", "kitchen").strip()]
    # chunks as long as the pages (45 words), of whole lines, one group per article
    assert {e.group for e in positives} == {f"wikipedia/{dump.name}/0", f"wikipedia/{dump.name}/1"}
    assert all(45 <= len(e.text.split()) < 45 + 17 for e in positives)
    assert "\n".join(e.text for e in positives[: len(positives) // 2]) in ARTICLE
    assert notes["examples_by_source"] == {dump.name: len(positives), "web pages": 2}
    assert [facts["name"] for facts in notes["inputs"]] == [dump.name, tokens.name, warc.name]
    assert notes["command"] == (
        f"dolmakit classifier train --recipe wikipedia --dump {dump.name}"
        f" --wikitext wiki.valid.tokens --web web.warc.gz"
    )


def test_wikitexts_test_split_is_refused(tmp_path):
    held_out = tmp_path / "wiki.test.tokens"
    held_out.write_text(" = Lake = \n", encoding="utf-8")
    with pytest.raises(FatalError, match="never trained on"):
        wikipedia_examples([], [held_out], [])


MACHINE_PATH = re.compile(r"(?:^|[\s\"'=])/(?:root|home|work|tmp|usr|opt)/|\.venv|site-packages")


def test_the_bundled_reference_model_and_the_pipelines_threshold():
    assert DEFAULT_MODEL.name == "reference-en"
    assert model_file("default") == str(DEFAULT_MODEL / "model.ftz")
    text = (DEFAULT_MODEL / "metrics.json").read_text()
    assert not MACHINE_PATH.search(text)
    metrics = json.loads(text)
    chosen = metrics["filter"]
    assert chosen["auc"] == metrics["quantized"]["heldout"]["auc"] == 0.9663
    assert (chosen["threshold"], chosen["heldout_wikipedia_kept"]) == (0.02, 0.962)
    assert chosen["heldout_web_pages_kept"] == 0.3163
    assert metrics["counts"]["heldout"] == {"hq": 79, "lq": 98}
    assert metrics["notes"]["command"].endswith(
        "--heldout-fraction 0.25 --out dolmakit/data/classifier/reference-en"
    )
    pipeline = yaml.safe_load((REPO / "pipelines" / "commoncrawl.yaml").read_text())
    [step] = [s for s in pipeline["steps"] if s.get("name") == "quality_filter"]
    assert step["config"]["remove_if"] == {
        "not_reference_like": f"quality_classifier_v1__hq < {chosen['threshold']}"
    }
