"""quality_classifier_v1 on literal documents, with a tiny model trained in a temporary folder."""

from __future__ import annotations

import pickle
import random
import shutil
import time
from pathlib import Path

import pytest

from dolmakit.core.document import Document, Removed
from dolmakit.core.errors import ConfigError
from dolmakit.engine.config import resolve
from dolmakit.fasttext_training.fit import NEGATIVE, POSITIVE, Example, TrainParams, train
from dolmakit.filters.attribute_filter import AttributeFilter, FilterConfig
from dolmakit.taggers.quality import QualityClassifier, QualityClassifierConfig, model_file

REFERENCE = [
    "The river rises in the northern hills and flows south towards the sea.",
    "In the nineteenth century the town grew rapidly as mills were built on its banks.",
    "The committee published its findings in a report that was widely discussed.",
    "Historians have argued that the treaty reflected the interests of both nations.",
    "The species is found in temperate forests, where it feeds on seeds and insects.",
    "Construction of the cathedral began in the thirteenth century.",
]
SPAM = [
    "CLICK HERE to claim your FREE prize now!!!",
    "Make money fast working from home, no experience needed!",
    "Limited time offer: buy one get one free, order today.",
    "You have been selected as a winner, reply with your bank details.",
    "Cheap meds online, no prescription required, fast shipping.",
    "Act now, this amazing deal will not last!",
]
GOOD = "The committee published its findings in a report. The river flows towards the sea."
BAD = "CLICK HERE to claim your FREE prize now!!! Act now, this amazing deal will not last!"


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory) -> Path:
    rng = random.Random(0)
    examples = [
        Example(" ".join(rng.choices(sentences, k=5)), label, f"{label}{i}")
        for label, sentences in ((POSITIVE, REFERENCE), (NEGATIVE, SPAM))
        for i in range(120)
    ]
    out = tmp_path_factory.mktemp("quality")
    train(examples, out, TrainParams(quantize_cutoff=0, heldout_fraction=0.2))
    return out


def tagger(model: Path | str, **config) -> QualityClassifier:
    return QualityClassifier("quality_classifier_v1", QualityClassifierConfig(str(model), **config))


def score(step: QualityClassifier, text: str) -> float:
    doc = step.process(Document(id="d", text=text, source="s"))
    [[start, end, value]] = doc.attributes["quality_classifier_v1__hq"]
    assert (start, end) == (0, len(text))
    return value


def test_scores_reference_prose_above_spam_within_0_and_1(model_dir):
    step = tagger(model_dir)
    good, bad = score(step, GOOD), score(step, BAD)
    assert 0.5 < good <= 1.0 and 0.0 <= bad < 0.5
    assert step.stats["score_decile/9"] + step.stats["score_decile/0"] == 2


def test_generic_filter_removes_low_quality_below_the_threshold(model_dir):
    step = tagger(model_dir)
    keep_above = AttributeFilter(
        "quality_filter", FilterConfig(remove_if={"low_quality": "quality_classifier_v1__hq < 0.5"})
    )
    good = step.process(Document(id="good", text=GOOD, source="s"))
    bad = step.process(Document(id="bad", text=BAD, source="s"))
    assert keep_above.process(good) is good
    removed = keep_above.process(bad)
    assert isinstance(removed, Removed)
    assert (removed.step, removed.reason) == ("quality_filter", "low_quality")


def test_a_pipeline_resolves_tagger_and_filter(model_dir, tmp_path):
    data = {
        "name": "quality",
        "input": {"paths": ["in.jsonl"]},
        "output": {"path": str(tmp_path)},
        "steps": [
            {"type": "quality_classifier_v1", "config": {"model": str(model_dir)}},
            {
                "type": "filter",
                "config": {"remove_if": {"low_quality": "quality_classifier_v1__hq < 0.5"}},
            },
        ],
    }
    steps = resolve(data, "pipeline.yaml").steps
    assert [s.type_name for s in steps] == ["quality_classifier_v1", "filter"]
    data["steps"][0]["config"] = {}
    with pytest.raises(ConfigError, match=r"steps\[0\]\.config.*missing required key 'model'"):
        resolve(data, "pipeline.yaml")


def test_empty_text_scores_zero_so_a_threshold_removes_it(model_dir):
    step = tagger(model_dir)
    assert score(step, "") == 0.0 and score(step, " \n\t") == 0.0
    assert step.stats["empty"] == 2


def test_a_10_mb_document_is_scored_quickly(model_dir):
    step = tagger(model_dir)
    started = time.perf_counter()
    assert 0.0 <= score(step, (GOOD + "\n") * 120_000) <= 1.0  # about 10 MB
    assert time.perf_counter() - started < 2.0


def test_model_may_be_a_folder_or_a_file_and_survives_pickling(model_dir, tmp_path):
    step = tagger(model_dir / "model.bin")
    assert model_file(str(model_dir / "model.bin")) == str(model_dir / "model.bin")
    copy = pickle.loads(pickle.dumps(step))  # as Beam ships steps to workers
    copy.setup()
    assert score(copy, GOOD) == pytest.approx(score(step, GOOD))
    shutil.copy(model_dir / "model.bin", tmp_path / "model.ftz")  # the folder's .ftz wins
    assert model_file(str(tmp_path)) == f"{tmp_path}/model.ftz"


def test_a_bundled_model_travels_by_name_not_by_this_machines_path():
    """A worker finds the model inside its own installed dolmakit (see tests/engine/
    test_workers.py); the launcher's path must not be what it unpickles."""
    step = QualityClassifier("q", QualityClassifierConfig(model="default"))
    shipped = pickle.dumps(step)
    assert b"data/classifier" not in shipped and b"default" in shipped
    assert model_file("default").endswith("dolmakit/data/classifier/reference-en/model.ftz")


def test_missing_corrupt_or_truncated_models_are_config_errors(model_dir, tmp_path):
    with pytest.raises(ConfigError, match=r"model: no model at .*nowhere"):
        tagger(tmp_path / "nowhere")
    (tmp_path / "garbage.bin").write_bytes(b"not a model" * 100)
    with pytest.raises(ConfigError, match="model: .*not a usable fastText model"):
        tagger(tmp_path / "garbage.bin")
    data = (model_dir / "model.bin").read_bytes()
    (tmp_path / "truncated.bin").write_bytes(data[: len(data) // 2])
    with pytest.raises(ConfigError, match="model: .*truncated"):
        tagger(tmp_path / "truncated.bin")


def test_a_label_the_model_lacks_is_a_config_error(model_dir):
    with pytest.raises(ConfigError, match=r"label: the model has no label 'good'.*'hq'"):
        tagger(model_dir, label="good")
