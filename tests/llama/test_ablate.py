"""`dolmakit ablate` end to end: two generated mixes with different sources, a tokenizer trained
on the first one, a shrunken tiny model, two seeds of a few steps each."""

from __future__ import annotations

import csv
import gzip
import json
import random
import statistics

import pytest
import yaml
from click.testing import CliRunner

pytest.importorskip("torch")

from dolmakit.cli.ablate import ablate  # noqa: E402

PNG = b"\x89PNG\r\n\x1a\n"
VOCABULARIES = {
    "web": [
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
    ],
    "wiki": [
        "city",
        "state",
        "world",
        "people",
        "school",
        "history",
        "river",
        "born",
        "known",
        "located",
    ],
    "code": ["def", "return", "import", "class", "self", "none", "true", "false", "print", "value"],
}
SEEDS = 2


def write_source(folder, name: str, documents: int = 150) -> str:
    rng = random.Random(name)
    folder.mkdir(parents=True)
    rows = [{"id": f"{name}-{i}", "source": name, "metadata": {},
             "text": " ".join(rng.choices(VOCABULARIES[name], k=rng.randint(20, 60)))}
            for i in range(documents)]  # fmt: skip
    with gzip.open(folder / "part-0.jsonl.gz", "wt", encoding="utf-8") as stream:
        stream.writelines(json.dumps(row) + "\n" for row in rows)
    return str(folder / "*.jsonl.gz")


def write_mix(path, name: str, sources: dict[str, str]) -> str:
    mix = {"name": name, "tokenizer": "whitespace", "output": str(path.parent / "unused"),
           "budget_tokens": 6000, "seed": 0, "held_out_fraction": 0.1, "max_epochs": 4,
           "max_tokens_per_shard": 100_000, "run": {"workers": 1},
           "sources": [{"name": n, "paths": [p], "proportion": 1 / len(sources)}
                       for n, p in sources.items()]}  # fmt: skip
    path.write_text(yaml.safe_dump(mix, sort_keys=False), encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def ablation(tmp_path_factory):
    root = tmp_path_factory.mktemp("ablate")
    paths = {name: write_source(root / name, name) for name in VOCABULARIES}
    first = write_mix(root / "a.yaml", "mix-a", {"web": paths["web"], "wiki": paths["wiki"]})
    second = write_mix(root / "b.yaml", "mix-b", {"web": paths["web"], "code": paths["code"]})
    shared = root / "shared.txt"  # one text both mixes are measured on
    shared.write_text("\n".join(" ".join(random.Random(i).choices(VOCABULARIES["wiki"], k=40))
                                for i in range(20)), encoding="utf-8")  # fmt: skip
    out = root / "out"
    args = [first, second, "--out", str(out), "--eval", f"shared={shared}",
            "--set", "budget_tokens=5000",
            "--vocab-size", "320", "--tokens", str(6 * 4 * 32),
            "--seeds", str(SEEDS), "--seq-len", "32", "--batch-size", "4", "--eval-batches", "2",
            "--log-every", "2", "--lr", "3e-3", "--precision", "fp32", "--model", "dim=32",
            "--model", "n_layers=1", "--model", "n_heads=2", "--quiet"]  # fmt: skip
    result = CliRunner().invoke(ablate, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out, json.loads((out / "ablation.json").read_text())


def test_every_mix_is_built_with_the_shared_tokenizer(ablation):
    out, _ = ablation
    for name in ("mix-a", "mix-b"):
        mix = yaml.safe_load((out / "mixes" / name / "mix.yaml").read_text())
        assert mix["tokenizer"] == str(out / "tokenizer" / "tokenizer.model")
        assert mix["budget_tokens"] == 5000  # --set applies to every mix
        manifest = json.loads((out / "mixes" / name / "train" / "manifest.json").read_text())
        assert manifest["vocab_size"] == 320


def test_each_seed_is_a_run_of_the_same_recipe(ablation):
    out, data = ablation
    for name in ("mix-a", "mix-b"):
        runs = data["runs"][name]
        assert len(runs) == SEEDS and [r["step"] for r in runs] == [6, 6]
        assert [s for s, _ in runs[0]["curve"]] == [2, 4, 6]
        for seed in range(SEEDS):
            assert (out / "runs" / name / f"seed-{seed}" / "metrics.jsonl").is_file()
        assert runs[0]["train_loss"] != runs[1]["train_loss"]  # the seeds differ


def test_the_tables_hold_mean_and_std_over_seeds_on_the_union_of_sources(ablation):
    out, data = ablation
    with open(out / "ablation.csv", newline="") as stream:
        rows = {row["mix"]: row for row in csv.DictReader(stream)}
    assert list(rows) == ["mix-a", "mix-b"]
    header = ["mix", "seeds"] + [f"{s}_{stat}" for s in ("code", "shared", "web", "wiki",
                                                         "train_loss")
                                 for stat in ("mean", "std")]  # fmt: skip
    assert list(rows["mix-a"]) == header
    assert rows["mix-a"]["code_mean"] == rows["mix-b"]["wiki_std"] == "-"
    markdown = (out / "ablation.md").read_text()
    assert "| mix | seeds | code | shared | web | wiki | train loss |" in markdown
    for name, row in rows.items():
        runs = data["runs"][name]
        for source in ("code", "shared", "web", "wiki", "train_loss"):
            values = [r["train_loss"] if source == "train_loss" else r["eval"][source]["loss"]
                      for r in runs if source == "train_loss" or source in r["eval"]]  # fmt: skip
            if not values:
                continue
            mean, std = statistics.fmean(values), statistics.stdev(values)
            assert float(row[f"{source}_mean"]) == pytest.approx(mean, abs=1e-6)
            assert float(row[f"{source}_std"]) == pytest.approx(std, abs=1e-6)
            assert f"{mean:.4f} ± {std:.4f}" in markdown
    assert markdown.count("| mix-a | 2 | - |") == 1


def test_the_plots_are_pngs(ablation):
    out, _ = ablation
    for name in ("loss_curves.png", "heldout.png"):
        data = (out / name).read_bytes()
        assert data.startswith(PNG) and len(data) > 1000


def test_every_mix_is_measured_on_the_shared_set_and_compared_by_seed(ablation):
    out, data = ablation
    assert (out / "eval" / "shared" / "manifest.json").is_file()
    a, b = data["runs"]["mix-a"], data["runs"]["mix-b"]
    assert all("shared" in run["eval"] for run in a + b)
    paired = [y["eval"]["shared"]["loss"] - x["eval"]["shared"]["loss"]
              for x, y in zip(a, b, strict=True)]  # fmt: skip
    mean, std = data["summary"]["differences"]["mix-b"]["shared"]
    assert mean == pytest.approx(statistics.fmean(paired)) and std == pytest.approx(
        statistics.stdev(paired)
    )
    assert data["summary"]["differences"]["mix-b"]["wiki"] is None  # mix-b has no wiki split
    assert data["summary"]["differences"]["mix-b"]["web"] is not None  # the same web documents
    assert data["summary"]["own_text"] == []
    markdown = (out / "ablation.md").read_text()
    assert "| mix-b − mix-a | " in markdown and f"{mean:+.4f} ± {std:.4f}" in markdown


def test_a_source_held_out_from_different_documents_is_not_compared():
    from dolmakit.llama.ablate import summarize

    runs = {name: [{"eval": {"web": {"loss": loss}}, "train_loss": 1.0}]
            for name, loss in (("a", 3.0), ("b", 2.0))}  # fmt: skip
    different = summarize(runs, {"a": {"web": "digest-1"}, "b": {"web": "digest-2"}})
    assert different["own_text"] == ["web"] and different["differences"]["b"]["web"] is None
    same = summarize(runs, {"a": {"web": "digest-1"}, "b": {"web": "digest-1"}})
    assert same["own_text"] == [] and same["differences"]["b"]["web"] == (-1.0, 0.0)


def runs_of(losses: dict[str, list[float]]) -> dict[str, list[dict]]:
    return {name: [{"eval": {"clean": {"loss": loss}}, "train_loss": 1.0, "curve": []}
                   for loss in values] for name, values in losses.items()}  # fmt: skip


def test_one_seed_never_marks_a_difference_significant():
    from dolmakit.llama.ablate import difference_table, summarize

    table = difference_table(summarize(runs_of({"a": [3.0], "b": [3.0255]})))
    assert table[4:7] == ["| mix | clean |", "|---|---|", "| b − a | +0.0255 ± 0.0000 |"]
    assert "one seed: no spread, so nothing is marked significant" in table[2]


def test_two_seeds_mark_a_difference_beyond_twice_its_spread():
    from dolmakit.llama.ablate import difference_table, summarize

    table = difference_table(summarize(runs_of({"a": [3.0, 3.0], "b": [3.5, 3.6]})))
    assert table[6] == "| b − a | +0.5500 ± 0.0707 * |"
    assert "* where |mean| > 2 std" in table[2]


def test_a_short_run_draws_its_few_points_as_dots(tmp_path, monkeypatch):
    from dolmakit.llama import ablate as module

    runs = runs_of({"a": [3.0, 3.0], "b": [3.0]})
    runs["a"][0]["curve"], runs["a"][1]["curve"] = [(2, 9.0)], [(2, 8.0)]
    runs["b"][0]["curve"] = [(1, 9.5), (2, 8.5)]
    assert module.mean_curves(runs) == {"a": [(2, 8.5)], "b": [(1, 9.5), (2, 8.5)]}
    drawn = []
    plt = module._pyplot()
    monkeypatch.setattr(plt, "close", drawn.append)  # keep the figure to look at its lines
    module.plot_curves(runs, tmp_path / "curves.png")
    (axes,) = drawn[0].axes
    lines = {line.get_label(): line for line in axes.get_lines()}
    assert [list(lines[n].get_xdata()) for n in ("a", "b")] == [[2], [1, 2]]
    assert [lines[n].get_marker() for n in ("a", "b")] == ["o", "o"]
    assert (tmp_path / "curves.png").read_bytes().startswith(PNG)


def test_a_run_without_a_logged_loss_says_so_on_its_plot(tmp_path, monkeypatch):
    from dolmakit.llama import ablate as module

    drawn = []
    monkeypatch.setattr(module._pyplot(), "close", drawn.append)
    module.plot_curves(runs_of({"a": [3.0]}), tmp_path / "curves.png")
    (axes,) = drawn[0].axes
    assert [text.get_text() for text in axes.texts] == ["no train loss was logged"]


def test_a_mix_its_sources_cannot_give_stops_the_ablation_before_any_training(tmp_path):
    from dolmakit.core.errors import ConfigError

    paths = {name: write_source(tmp_path / name, name, 40) for name in ("web", "code")}
    first = write_mix(tmp_path / "a.yaml", "mix-a", {"web": paths["web"]})
    second = write_mix(tmp_path / "b.yaml", "mix-b", {"code": paths["code"]})
    spec = yaml.safe_load((tmp_path / "b.yaml").read_text(encoding="utf-8"))
    spec["budget_tokens"] = 1_000_000  # 40 short documents cannot give this in 4 epochs
    (tmp_path / "b.yaml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    out = tmp_path / "out"
    args = [first, second, "--out", str(out), "--vocab-size", "320", "--tokens", "128",
            "--seq-len", "32", "--batch-size", "4", "--model", "dim=32", "--model", "n_layers=1",
            "--model", "n_heads=2", "--quiet"]  # fmt: skip
    with pytest.raises(ConfigError, match="a budget of 1,000,000 tokens needs .* of 'code'"):
        CliRunner().invoke(ablate, args, catch_exceptions=False)
    assert (out / "mixes" / "mix-a" / "report.json").is_file()  # the first mix was built ...
    assert not (out / "runs").exists()  # ... and nothing trained on it
