"""`dolmakit mix` end to end on generated Dolma JSONL sources, with a SentencePiece tokenizer."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dolmakit.cli.mix import mix as mix_command
from dolmakit.mix.job import run_mix
from dolmakit.tokens.shards import read_manifest

from . import write_mix, write_source

REPO = Path(__file__).resolve().parents[2]
TOKENIZER = REPO / "dolmakit" / "data" / "lm" / "en.sp.model"  # the bundled LM's, 8k pieces
LOW_QUALITY = "quality__score < 0.1"
PLANNED = {"web": 0.7, "wiki": 0.2, "code": 0.1}
# what the seeded sources, CCNet's tokenizer and seed 3 give: (training documents, tokens) and
# (held-out documents, tokens) per source; a change here is a change in what the mix writes
REALIZED = {"web": (3065, 840_077), "wiki": (559, 240_069), "code": (605, 120_037)}
HELD_OUT = {"web": (121, 32_324), "wiki": (27, 15_067), "code": (23, 3_398)}


@pytest.fixture(scope="module")
def mix_file(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("mix")
    sizes = {"web": (3000, 200), "wiki": (600, 300), "code": (400, 150)}
    sources = [
        {"name": name, "paths": [str(write_source(root / name, name, n, words) / "*.jsonl.gz")],
         "proportion": PLANNED[name]}
        for name, (n, words) in sizes.items()
    ]  # fmt: skip
    sources[0]["exclude"] = [LOW_QUALITY]
    return write_mix(root / "mix.yaml", name="test", tokenizer=str(TOKENIZER),
                     output=str(root / "out"), budget_tokens=1_200_000, seed=3,
                     held_out_fraction=0.05, max_tokens_per_shard=300_000,
                     sources=sources, run={"workers": 1})  # fmt: skip


@pytest.fixture(scope="module")
def report(mix_file) -> dict:
    return run_mix(str(mix_file)).report


def index(folder: Path) -> list[dict]:
    rows = []
    for path in sorted(folder.glob("*.index.jsonl")):
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return rows


def test_the_realized_table_matches_the_mix_file(report, mix_file):
    assert report["budget_tokens"] == {"planned": 1_200_000, "realized": 1_200_183}
    rows = {row["source"]: row for row in report["mix"]}
    assert list(rows) == ["web", "wiki", "code"]
    for name, proportion in PLANNED.items():
        row = rows[name]
        assert row["proportion"]["planned"] == pytest.approx(proportion)
        assert abs(row["proportion"]["realized"] - proportion) < 0.005, name
        assert row["epochs"]["realized"] == pytest.approx(row["epochs"]["planned"], rel=0.02)
        assert (row["documents"], row["tokens"]) == REALIZED[name]
        files = (mix_file.parent / name).glob("*.jsonl.gz")
        assert row["size_on_disk"] == sum(path.stat().st_size for path in files)


def test_the_report_shows_the_table_in_html(report, mix_file):
    out = mix_file.parent / "out"
    assert json.loads((out / "report.json").read_text())["mix"] == report["mix"]
    html = (out / "report.html").read_text()
    assert "Mix (as in LLaMA&#x27;s Table 1)" in html and "Epochs (realized)" in html
    web = report["mix"][0]
    assert f"{web['proportion']['realized']:.2%}" in html
    assert f"{web['epochs']['planned']:.2f}" in html


def test_rules_remove_documents_with_their_reason(report):
    web = report["steps"][0]
    assert web["removed"] == {f"exclude: {LOW_QUALITY}": 281}
    assert (web["in"], web["kept"], web["errors"]) == (3000, 2719, {})
    others = [(step["name"], step["in"], step["kept"], step["removed"]) for step in report["steps"]]
    assert others[1:] == [("wiki", 600, 600, {}), ("code", 400, 400, {})]
    assert report["totals"] == {"in": 4000, "kept": 3719, "removed": 281, "errors": 0,
                                "invariant_holds": True}  # fmt: skip


def test_shards_hold_what_the_report_says(report, mix_file):
    out = mix_file.parent / "out"
    manifest = read_manifest(out / "train")
    assert manifest["tokens"] == report["budget_tokens"]["realized"]
    assert manifest["documents"] == sum(row["documents"] for row in report["mix"])
    assert len(manifest["shards"]) == 5  # groups of about max_tokens_per_shard
    for row in report["mix"]:
        held = read_manifest(out / "heldout" / row["source"])
        assert held["tokens"] == row["held_out"]["tokens"] == HELD_OUT[row["source"]][1]
        assert held["documents"] == row["held_out"]["documents"] == HELD_OUT[row["source"]][0]


def test_held_out_documents_are_never_in_training(report, mix_file):
    out = mix_file.parent / "out"
    train = {(row["source"], row["id"]) for row in index(out / "train")}
    for name in PLANNED:
        held = [(row["source"], row["id"]) for row in index(out / "heldout" / name)]
        assert len(set(held)) == len(held) == HELD_OUT[name][0]
        assert not train & set(held)


def test_training_documents_are_shuffled_across_sources(report, mix_file):
    first = index(mix_file.parent / "out" / "train")[:200]
    assert {row["source"] for row in first} == set(PLANNED)
    assert [row["source"] for row in first[:10]] == ["web", "code"] + ["web"] * 6 + ["wiki", "web"]


def test_two_workers_write_the_same_bytes(report, mix_file, tmp_path):
    run_mix(str(mix_file), [f"output={tmp_path}", "run.workers=2"])
    one = mix_file.parent / "out"
    shards = sorted(p.relative_to(one) for folder in ("train", "heldout")
                    for p in (one / folder).rglob("*") if p.is_file())  # fmt: skip
    # train/ and heldout/<3 sources>/: 8 shards, each .npy, .index.jsonl and .json, + manifests
    assert len(shards) == 28 and {p.suffix for p in shards} == {".npy", ".jsonl", ".json"}
    for name in shards:
        assert (one / name).read_bytes() == (tmp_path / name).read_bytes(), name


def test_the_command_prints_the_table(mix_file, tmp_path):
    result = CliRunner().invoke(
        mix_command,
        [
            str(mix_file),
            "--quiet",
            "--output",
            str(tmp_path),
            "--set",
            "budget_tokens=300000",
        ],  # fmt: skip
    )
    assert result.exit_code == 0, result.output
    assert "web" in result.output and "70.00%" in result.output
    assert (tmp_path / "train" / "manifest.json").is_file()


def test_unreadable_records_go_to_errors_with_their_cause(tmp_path):
    folder = write_source(tmp_path / "web", "web", 200, 100, files=1)
    (folder / "broken.jsonl").write_text('{"id": "ok", "text": "fine words"}\n{"id": \n',
                                         encoding="utf-8")  # fmt: skip
    path = write_mix(tmp_path / "mix.yaml", name="errors", tokenizer="whitespace",
                     output=str(tmp_path / "out"), budget_tokens=2_000, seed=0,
                     held_out_fraction=0.0, max_tokens_per_shard=100_000, run={"workers": 1},
                     sources=[{"name": "web", "paths": [str(folder / "*.jsonl*")],
                               "proportion": 1.0}])  # fmt: skip
    report = run_mix(str(path)).report
    (step,) = report["steps"]
    assert step["errors"] == {"bad_record": 1} and report["totals"]["invariant_holds"]
    (written,) = sorted((tmp_path / "out" / "errors").glob("*.jsonl.gz"))
    with gzip.open(written, "rt", encoding="utf-8") as stream:
        (error,) = [json.loads(line) for line in stream]
    assert error["kind"] == "bad_record" and error["line"] == 2 and error["cause"]
    assert error["file"].endswith("broken.jsonl")
