"""What `classifier train` trains on (recipe or labelled inputs), the recipe's own settings and
its command line, and the filter threshold written into metrics.json: the functions the CLI
calls, without the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dolmakit.core.errors import ConfigError
from dolmakit.fasttext_training.fit import (
    LOW_THRESHOLDS,
    NEGATIVE,
    POSITIVE,
    REPORTED_THRESHOLDS,
    TrainParams,
    scores_at,
)
from dolmakit.fasttext_training.training import Sources, SourcesError, check_sources, training_data
from dolmakit.fasttext_training.wikipedia import (
    recipe_command_line,
    recipe_params,
    record_filter_threshold,
)

WIKI, WEB = (Path("enwiki.xml"),), (Path("web.warc.gz"),)
NEEDS = "--recipe wikipedia needs --dump or --wikitext, and --web"


@pytest.mark.parametrize(
    ("sources", "message"),
    [
        (Sources("default", positive=("a",)), "give --recipe or --positive/--negative, not both"),
        (Sources("default", web=WEB), "--dump, --wikitext and --web belong to --recipe wikipedia"),
        (Sources(dumps=WIKI), "--dump, --wikitext and --web belong to --recipe wikipedia"),
        (Sources("wikipedia", dumps=WIKI), NEEDS),
        (Sources("wikipedia", web=WEB), NEEDS),
        (Sources(positive=("a",)), "give --recipe default, or both --positive and --negative"),
        (Sources(), "give --recipe default, or both --positive and --negative"),
    ],
)
def test_sources_that_make_no_single_recipe_are_refused(sources, message):
    with pytest.raises(SourcesError) as raised:
        check_sources(sources)
    assert raised.value.message == message and isinstance(raised.value, ConfigError)


@pytest.mark.parametrize(
    "sources",
    [Sources("default"), Sources("wikipedia", dumps=WIKI, web=WEB),
     Sources("wikipedia", wikitext=WIKI, web=WEB), Sources(positive=("a",), negative=("b",))],
)  # fmt: skip
def test_sources_that_make_one_recipe_pass(sources):
    check_sources(sources)


def test_labelled_inputs_are_the_examples_and_the_params_unchanged(tmp_path):
    (tmp_path / "hq.txt").write_text("a good page\n\nanother good page\n", encoding="utf-8")
    (tmp_path / "lq.txt").write_text("buy now\n", encoding="utf-8")
    hq, lq = str(tmp_path / "hq.txt"), str(tmp_path / "lq.txt")
    params = TrainParams()
    data = training_data(Sources(positive=(hq,), negative=(lq,)), params, tmp_path / "out")
    assert [(e.text, e.label) for e in data.examples] == [
        ("a good page", POSITIVE), ("another good page", POSITIVE), ("buy now", NEGATIVE)
    ]  # fmt: skip
    assert data.notes == {"positive": [hq], "negative": [lq]}
    assert data.params is params


def test_the_wikipedia_recipe_reports_the_low_end_of_the_curve_too():
    params = TrainParams(epochs=3)
    changed = recipe_params(params)
    assert changed.thresholds == (*LOW_THRESHOLDS, *REPORTED_THRESHOLDS)
    assert changed.epochs == 3
    assert params.thresholds == REPORTED_THRESHOLDS  # the caller's settings are left alone


def test_the_recipe_command_line_names_changed_settings_and_the_out_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    command = "dolmakit classifier train --recipe wikipedia --dump a.xml --web b.warc.gz"
    params = TrainParams(heldout_fraction=0.25, seed=3, threads=4)  # threads is not recorded
    assert recipe_command_line(command, params, "models/ref") == (
        f"{command} --heldout-fraction 0.25 --seed 3 --out models/ref"
    )
    assert recipe_command_line(command, TrainParams(), "/elsewhere/ref") == f"{command} --out ref"


def curve(truth: list[bool], scores: list[float]) -> dict:
    rows = [scores_at(truth, scores, t) for t in (0.01, 0.3, 0.5)]
    return {"auc": 0.9, "by_threshold": rows}


def test_the_filter_threshold_is_recorded_in_metrics_json(tmp_path):
    truth = [True] * 20 + [False] * 20
    full = curve(truth, [0.9] * 18 + [0.4, 0.2] + [0.1] * 20)
    quantized = curve(truth, [0.9] * 18 + [0.2, 0.005] + [0.1] * 20)
    metrics = {"heldout": full, "quantized": {"heldout": quantized}}
    chosen = record_filter_threshold(metrics, tmp_path)
    assert chosen["threshold"] == 0.01  # from the quantized model's curve, which the tagger loads
    assert metrics["filter"] == chosen
    written = (tmp_path / "metrics.json").read_text(encoding="utf-8")
    assert written == json.dumps(metrics, indent=2) + "\n"
    metrics = {"heldout": full, "quantized": None}
    assert record_filter_threshold(metrics, tmp_path)["threshold"] == 0.3
    assert json.loads((tmp_path / "metrics.json").read_text())["filter"]["threshold"] == 0.3
