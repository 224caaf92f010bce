"""Every bad mix is a ConfigError naming the file and the key, raised before anything is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from dolmakit.core.errors import ConfigError
from dolmakit.mix.config import load_mix
from dolmakit.mix.job import run_mix

from . import write_mix, write_source

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("sources")
    empty = root / "empty"
    empty.mkdir()
    (empty / "part-0.jsonl").write_text("\n")
    return {
        "web": str(write_source(root / "web", "web", 60, 50) / "*.jsonl.gz"),
        "wiki": str(write_source(root / "wiki", "wiki", 20, 50) / "*.jsonl.gz"),
        "empty": str(empty / "*.jsonl"),
    }


def mix_data(sources: dict[str, str], out: Path, **changes) -> dict:
    data = {
        "name": "test",
        "tokenizer": "whitespace",
        "output": str(out),
        "budget_tokens": 5000,
        "sources": [
            {"name": "web", "paths": [sources["web"]], "proportion": 0.8},
            {"name": "wiki", "paths": [sources["wiki"]], "proportion": 0.2},
        ],
    }
    return {**data, **changes}


def fails(tmp_path: Path, data: dict) -> ConfigError:
    """The error of running the mix; nothing may have been written."""
    path = write_mix(tmp_path / "bad.yaml", **data)
    with pytest.raises(ConfigError) as caught:
        run_mix(str(path))
    assert str(path) in str(caught.value)
    out = Path(data["output"])
    written = ("train", "heldout", "mix.yaml", "report.json", "_work")
    assert not [name for name in written if (out / name).exists()]
    return caught.value


def test_a_missing_source_is_named(sources, tmp_path):
    data = mix_data(sources, tmp_path / "out")
    data["sources"][1]["paths"] = [str(tmp_path / "nowhere" / "*.jsonl.gz")]
    error = fails(tmp_path, data)
    assert error.key == "sources[1].paths" and "'wiki': no files match" in str(error)
    assert not (tmp_path / "out").exists()  # not even the output folder: no work began


def test_an_empty_source_is_named(sources, tmp_path):
    data = mix_data(sources, tmp_path / "out")
    data["sources"][1]["paths"] = [sources["empty"]]
    error = fails(tmp_path, data)
    assert error.key == "sources[1].paths" and "'wiki' is empty" in str(error)


def test_proportions_must_sum_to_one(sources, tmp_path):
    data = mix_data(sources, tmp_path / "out")
    data["sources"][1]["proportion"] = 0.3
    error = fails(tmp_path, data)
    assert error.key == "sources" and "sum to 1.1, not 1" in str(error)


@pytest.mark.parametrize("both", [True, False])
def test_both_or_neither_of_proportion_and_epochs(sources, tmp_path, both):
    data = mix_data(sources, tmp_path / "out")
    if both:
        data["sources"][0]["epochs"] = 1.5
    else:
        del data["sources"][0]["proportion"]
    error = fails(tmp_path, data)
    which = "both" if both else "neither"
    assert error.key == "sources[0]"
    assert f"'web' gives {which} of proportion and epochs; give exactly one" in str(error)


def test_a_budget_beyond_max_epochs_stops_before_writing(sources, tmp_path):
    """Only the count pass can know; the plan refuses before the sample-and-write pass."""
    data = mix_data(sources, tmp_path / "out", budget_tokens=10_000_000, max_epochs=3)
    error = fails(tmp_path, data)
    assert error.key == "sources[0].proportion"
    assert "above max_epochs 3.0: the sources cannot give this budget" in str(error)


@pytest.mark.parametrize(
    ("changes", "key", "message"),
    [
        ({"budget_tokens": None}, "budget_tokens", "the mix needs budget_tokens"),
        ({"held_out_fraction": 1.0}, "held_out_fraction", "must be in [0, 1)"),
        ({"tokenizer": "no/such.model"}, "tokenizer", "no tokenizer at 'no/such.model'"),
        ({"shuffle": True}, None, "unknown key 'shuffle'"),
        ({"output": "gs://bucket/mix"}, "output", "written to a local folder"),
    ],
)
def test_bad_mix_settings(sources, tmp_path, changes, key, message):
    error = fails(tmp_path, mix_data(sources, tmp_path / "out", **changes))
    assert error.key == key and message in str(error)


@pytest.mark.parametrize(
    ("source_changes", "key", "message"),
    [
        ({"epochs": 11.0, "proportion": None}, "sources[0].epochs", "at most max_epochs"),
        ({"exclude": ["score <"]}, "sources[0].exclude[0]", "expected a value"),
        ({"name": "wiki"}, "sources", "'wiki' is used twice"),
        ({"name": "../up"}, "sources[0].name", "it names a folder"),
    ],
)
def test_bad_sources(sources, tmp_path, source_changes, key, message):
    data = mix_data(sources, tmp_path / "out")
    data["sources"][0].update(source_changes)
    error = fails(tmp_path, data)
    assert error.key == key and message in str(error)


@pytest.mark.parametrize(
    ("entry", "key", "message"),
    [
        ({"span": "$.attributes.dup[0]", "replacement": ""}, ".span",
         "span names one attribute: `$.attributes.<name>`"),
        ({"span": "dup", "replacement": "", "min_score": 1, "max_score": 0.5}, "",
         "min_score 1.0 must be below max_score 0.5"),
        ({"span": "dup"}, "", "missing required key 'replacement'"),
    ],
)  # fmt: skip
def test_bad_span_replacements(sources, tmp_path, entry, key, message):
    data = mix_data(sources, tmp_path / "out")
    data["sources"][0]["span_replacement"] = [entry]
    error = fails(tmp_path, data)
    assert error.key == f"sources[0].span_replacement[0]{key}" and message in str(error)


def test_epochs_and_a_budget_over_determine_the_mix(sources, tmp_path):
    data = mix_data(sources, tmp_path / "out")
    data["sources"][1] = {**data["sources"][1], "proportion": None, "epochs": 2.0}
    error = fails(tmp_path, data)
    assert error.key == "budget_tokens" and "remove budget_tokens" in str(error)
    del data["budget_tokens"]
    data["sources"][0]["proportion"] = 1.0
    assert "leaving nothing for the sources that give epochs" in str(fails(tmp_path, data))


def test_overrides_reach_sources_by_name(sources, tmp_path):
    path = write_mix(tmp_path / "mix.yaml", **mix_data(sources, tmp_path / "out"))
    mix = load_mix(path, ["sources.web.proportion=0.5", "sources.wiki.proportion=0.5"])
    assert [s.proportion for s in mix.config.sources] == [0.5, 0.5]


@pytest.mark.parametrize("name", ["llama", "sample", "ablation-filtered", "ablation-unfiltered"])
def test_the_bundled_mixes_resolve(name, monkeypatch):
    monkeypatch.chdir(REPO)
    mix = load_mix(REPO / "mixes" / f"{name}.yaml", ["tokenizer=whitespace"])
    assert mix.config.name == name


def test_llama_mix_is_the_papers_table():
    mix = load_mix(REPO / "mixes" / "llama.yaml", ["tokenizer=whitespace"])
    proportions = {s.name: s.proportion for s in mix.config.sources}
    assert proportions == {"commoncrawl": 0.67, "c4": 0.15, "github": 0.045, "wikipedia": 0.045,
                           "books": 0.045, "arxiv": 0.025, "stackexchange": 0.02}  # fmt: skip
    assert mix.config.budget_tokens == 1_400_000_000_000


def test_loading_a_mix_file_imports_no_reader_tagger_or_dedup_module():
    """mix/config.py reads its file through core/config_files.py, not the engine's config,
    whose import registers every built-in reader and step."""
    import subprocess
    import sys

    heavy = ("dolmakit.engine.", "dolmakit.io.", "dolmakit.taggers", "dolmakit.dedup")
    code = ("import sys, dolmakit.mix.config; "
            f"print(sorted(m for m in sys.modules if m.startswith({heavy!r})))")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "['dolmakit.engine.run_config']"
