"""A mix over a Dolma dataset: documents/ plus two attribute folders, one written by `dolmakit
run` (output.format: dolma), one added later by `dolmakit tag`, joined by line and id and
selected by include/exclude rules with Dolma's mixer semantics."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from dolmakit.core.errors import ConfigError
from dolmakit.engine.run import run_pipeline
from dolmakit.mix.job import run_mix
from dolmakit.tag.job import run_tag

from . import write_mix

# (id, words, url): text_stats_v1 counts the words, url_filter_v1 tags the URL's domain and
# gives a document without a URL no attributes at all
DOCS = [
    ("a0", 60, "http://good.test/a"),
    ("a1", 60, "http://bad.test/x"),
    ("a2", 20, "http://good.test/b"),
    ("a3", 60, None),
    ("a4", 20, None),
    ("a5", 80, "http://sub.bad.test/y"),
    ("a6", 55, "http://good.test/c"),
]
INCLUDE = ["text_stats_v1__words >= 50", "url_filter_v1__blocked_domain == 0"]
EXCLUDE = ["url_filter_v1__blocked_domain == 1"]
# a0: words; a2: a good domain though short; a3: words, and no URL attributes, so the exclude
# rule does not match (Dolma: a rule finding no attribute does not match). Left out: a1 and a5
# (blocked), a4 (short, and no URL attributes, so the second include rule does not match)
SELECTED = ["a0", "a2", "a3", "a6"]


def write_yaml(path: Path, data: dict) -> str:
    path.write_text(yaml.safe_dump(data))
    return str(path)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("dolma_mix")
    with (tmp / "docs.jsonl").open("w") as out:
        for doc_id, words, url in DOCS:
            row = {"id": doc_id, "text": " ".join(f"{doc_id}w{i}" for i in range(words)),
                   "source": "toy", "metadata": {"url": url} if url else {}}  # fmt: skip
            out.write(json.dumps(row) + "\n")
    (tmp / "blocked.txt").write_text("bad.test\n")
    made = write_yaml(tmp / "make.yaml", {
        "name": "make", "input": {"paths": [str(tmp / "docs.jsonl")]},
        "output": {"path": str(tmp / "ds"), "format": "dolma"},
        "steps": [{"type": "text_stats_v1"}], "run": {"workers": 1},
    })  # fmt: skip
    assert run_pipeline(made, [], []).ok
    tag = write_yaml(tmp / "tag.yaml", {
        "name": "urls", "dataset": str(tmp / "ds"), "run": {"workers": 1},
        "steps": [{"type": "url_filter_v1", "config": {"blocklists": [str(tmp / "blocked.txt")]}}],
    })  # fmt: skip
    assert run_tag(tag, [], []).ok
    assert sorted(p.name for p in (tmp / "ds" / "attributes").iterdir()) == [
        "text_stats_v1", "url_filter_v1",
    ]  # fmt: skip
    return tmp / "ds"


def mix(tmp_path: Path, dataset: Path, **source) -> str:
    spec = {"name": "web", "paths": [str(dataset / "documents" / "*.jsonl.gz")], "epochs": 1.0,
            "include": INCLUDE, "exclude": EXCLUDE,
            "attributes": ["text_stats_v1", "url_filter_v1"], **source}  # fmt: skip
    return str(
        write_mix(
            tmp_path / "mix.yaml",
            name="m",
            tokenizer="whitespace",
            output=str(tmp_path / "out"),
            sources=[spec],
            run={"workers": 1},
        )
    )


def train_ids(out: Path) -> list[str]:
    rows = []
    for path in sorted((out / "train").glob("*.index.jsonl")):
        rows += [json.loads(line)["id"] for line in path.read_text().splitlines()]
    return sorted(rows)


def test_the_mix_selects_over_the_joined_attribute_folders(dataset, tmp_path):
    report = run_mix(mix(tmp_path, dataset)).report
    assert train_ids(tmp_path / "out") == SELECTED
    (web,) = report["steps"]
    assert (web["in"], web["kept"], web["errors"]) == (7, 4, {})
    assert web["removed"] == {"exclude: url_filter_v1__blocked_domain == 1": 2,
                              "include: no rule matched": 1}  # fmt: skip


def test_without_the_url_folder_its_rules_match_nothing(dataset, tmp_path):
    report = run_mix(mix(tmp_path, dataset, attributes=["text_stats_v1"])).report
    assert train_ids(tmp_path / "out") == ["a0", "a1", "a3", "a5", "a6"]  # words >= 50 only
    assert report["steps"][0]["removed"] == {"include: no rule matched": 2}


def test_a_folder_missing_for_a_documents_file_fails_before_reading(dataset, tmp_path):
    with pytest.raises(ConfigError) as error:
        run_mix(mix(tmp_path, dataset, attributes=["text_stats_v1", "nothing"]))
    assert error.value.key == "sources[0].attributes"
    assert error.value.message.startswith("source 'web': attributes/nothing has no file for ")
    assert not (tmp_path / "out").exists()
