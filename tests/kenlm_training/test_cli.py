"""`dolmakit lm ...` as a user runs it: what it prints and its exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import BOILERPLATE

DOLMAKIT = [sys.executable, "-c", "from dolmakit.cli.main import main; main()"]


def dolmakit(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*DOLMAKIT, *args], capture_output=True, text=True)


@pytest.mark.parametrize(
    ("command", "expected"),
    [(["lm"], ["train", "cutoffs", "build-wikipedia", "build-reference"]),
     (["lm", "train"], ["CORPUS...", "--language", "--order", "--vocab-size", "--out",
                        "--no-quantize", "--prune", "--memory"]),
     (["lm", "cutoffs"], ["SAMPLE...", "--models", "--language", "--percentiles", "WARC",
                          "your own crawl"]),
     (["lm", "build-wikipedia"], ["--dump", "--wikitext", "--out", "wiki.test.tokens"]),
     (["lm", "build-reference"], ["--out", "State of the Union", "Brown"])],
)  # fmt: skip
def test_every_command_explains_itself(command, expected):
    done = dolmakit(*command, "--help")
    assert done.returncode == 0, done.stderr
    for text in expected:
        assert text in done.stdout


def test_build_wikipedia_needs_an_input(tmp_path):
    done = dolmakit("lm", "build-wikipedia", "--out", str(tmp_path))
    assert done.returncode == 2 and "give at least one --dump or --wikitext file" in done.stderr


@pytest.mark.usefixtures("kenlm_tools")
def test_train_prints_what_it_wrote(tmp_path, corpus_file):
    out = tmp_path / "model"
    done = dolmakit("lm", "train", str(corpus_file), "--language", "en", "--order", "3",
                    "--vocab-size", "600", "--prune", "0,0,1", "--memory", "100M",
                    "--out", str(out))  # fmt: skip
    assert done.returncode == 0, done.stderr
    for name in ("en.sp.model", "en.arpa.bin", "en.json"):
        assert f"wrote {out / name}" in done.stdout
    assert "timings: normalize" in done.stdout and "lmplz" in done.stdout
    assert json.loads((out / "en.json").read_text())["prune"] == [0, 0, 1]


def test_cutoffs_prints_and_writes_them(model_dir):
    done = dolmakit("lm", "cutoffs", "--models", str(model_dir), str(BOILERPLATE))
    assert done.returncode == 0, done.stderr
    cutoffs = json.loads((model_dir / "cutoffs.json").read_text())["en"]
    assert f"en head < {cutoffs['head']} <= middle < {cutoffs['tail']}" in done.stdout
    assert "(24 documents)" in done.stdout


def test_usage_and_runtime_errors_have_their_exit_codes(tmp_path, corpus_file):
    done = dolmakit("lm", "train", str(corpus_file), "--out", str(tmp_path), "--prune", "0 x")
    assert done.returncode == 2 and "expected integers" in done.stderr
    done = dolmakit("lm", "train", str(corpus_file), "--out", str(tmp_path), "--prune", "1 1")
    assert done.returncode == 1 and "cannot prune unigrams" in done.stderr
    done = dolmakit("lm", "cutoffs", "--models", str(tmp_path), str(BOILERPLATE))
    assert done.returncode == 1 and "en.sp.model not found" in done.stderr
