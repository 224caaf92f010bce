"""`dolmakit tag`: taggers over a Dolma dataset the project's own pipeline wrote, adding only
their attributes/<step>/ folders, line for line with documents/."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from conftest import SAMPLE_WARC
from helpers import read_jsonl_dir, without_added

from dolmakit.core.document import Document, Span
from dolmakit.core.errors import ConfigError
from dolmakit.core.steps import STEPS, Tagger, register_step
from dolmakit.engine.run import run_pipeline
from dolmakit.tag.config import load_tag
from dolmakit.tag.job import run_tag

MADE = [
    {"type": "text_stats_v1"},
    {"type": "filter", "name": "length_filter",
     "config": {"remove_if": {"too_few_words": "text_stats_v1__words < 50"}}},
]  # fmt: skip
REPETITION = {"type": "gopher_repetition_v1"}


@dataclass
class FailsConfig:
    marker: str = "FAIL"


class FailsOnMarker(Tagger):
    """A tagger that raises on documents holding its marker: how a tagger's bug looks."""

    type_name = "test_fails_on_marker"
    Config = FailsConfig

    def predict(self, doc: Document) -> dict[str, list[Span]]:
        if self.config.marker in doc.text:
            raise ValueError(f"marker in {doc.id}")
        return {"chars": [[0, len(doc.text), float(len(doc.text))]]}


if FailsOnMarker.type_name not in dict(STEPS.items()):
    register_step(FailsOnMarker)


def write_yaml(path: Path, data: dict) -> str:
    path.write_text(yaml.safe_dump(data))
    return str(path)


def pipeline(tmp: Path, name: str, steps: list, output_format: str, **input_config) -> Path:
    file = write_yaml(tmp / f"{name}.yaml", {
        "name": name,
        "input": {"paths": [str(SAMPLE_WARC)], **input_config},
        "output": {"path": str(tmp / name), "format": output_format},
        "steps": steps,
        "run": {"workers": 2},
    })  # fmt: skip
    assert run_pipeline(file, [], []).ok
    return tmp / name


def tag_file(tmp: Path, dataset: Path, steps: list, **more) -> str:
    data = {"name": "tag", "dataset": str(dataset), "steps": steps, "run": {"workers": 2}, **more}
    return write_yaml(tmp / "tag.yaml", data)


def rows(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        return [json.loads(line) for line in stream]


def digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}  # fmt: skip


@pytest.fixture(scope="module")
def tagged(tmp_path_factory):
    """A Dolma dataset of the bundled sample (text_stats_v1 and a length filter), tagged
    afterwards with gopher_repetition_v1; and the inline run of all three steps to compare."""
    tmp = tmp_path_factory.mktemp("tag")
    dataset = pipeline(tmp, "dataset", MADE, "dolma")
    before = {name: digests(dataset / name) for name in ("documents", "attributes")}
    summary = run_tag(tag_file(tmp, dataset, [REPETITION]), [], [])
    inline = pipeline(tmp, "inline", [MADE[0], REPETITION, MADE[1]], "jsonl")
    return tmp, dataset, before, summary, inline


def test_every_documents_file_gets_its_attribute_file_line_for_line(tagged):
    _, dataset, _, summary, _ = tagged
    assert summary.ok
    totals = summary.report["totals"]
    assert (totals["in"], totals["kept"], totals["removed"], totals["errors"]) == (26, 26, 0, 0)
    parts = sorted(p.name for p in (dataset / "documents").iterdir())
    folder = dataset / "attributes" / "gopher_repetition_v1"
    assert sorted(p.name for p in folder.iterdir()) == parts
    for part in parts:
        documents, attributes = rows(dataset / "documents" / part), rows(folder / part)
        assert [(d["id"], d["source"]) for d in documents] == [
            (a["id"], a["source"]) for a in attributes
        ]
        assert all(set(a) == {"id", "source", "attributes"} for a in attributes)


def test_the_attributes_are_those_an_inline_run_computes(tagged):
    _, dataset, _, _, inline = tagged
    folder = dataset / "attributes" / "gopher_repetition_v1"
    found = {row["id"]: row["attributes"] for part in folder.iterdir() for row in rows(part)}
    expected = {doc["id"]: {k: v for k, v in doc["attributes"].items()
                            if k.startswith("gopher_repetition_v1__")}
                for doc in read_jsonl_dir(inline / "documents")}  # fmt: skip
    assert len(expected) == 26
    assert found == expected
    assert {key for row in found.values() for key in row} == {
        f"gopher_repetition_v1__{key}" for key in [
            "duplicate_paragraph_fraction", "duplicate_paragraph_char_fraction",
            "duplicate_line_fraction", "duplicate_line_char_fraction",
            *(f"top_{n}_gram_char_fraction" for n in range(2, 5)),
            *(f"duplicate_{n}_gram_char_fraction" for n in range(5, 11)),
        ]
    }  # fmt: skip


def test_documents_and_other_folders_are_untouched_and_only_the_folder_is_added(tagged):
    _, dataset, before, _, _ = tagged
    assert digests(dataset / "documents") == before["documents"]
    after = digests(dataset / "attributes")
    assert {k: v for k, v in after.items() if k.startswith("text_stats_v1/")} == before[
        "attributes"
    ]
    assert sorted(p.name for p in (dataset / "attributes").iterdir()) == [
        "gopher_repetition_v1", "text_stats_v1",
    ]  # fmt: skip
    assert sorted(p.name for p in (dataset / "_tag" / "tag").iterdir()) == [
        "config.yaml", "errors", "report.html", "report.json",
    ]  # fmt: skip
    assert not [p for p in dataset.rglob("*") if "_incomplete-" in p.name or ".tmp" in p.name]


def test_reading_the_dataset_back_joins_the_new_attributes(tagged):
    tmp, dataset, _, _, inline = tagged
    file = write_yaml(tmp / "back.yaml", {
        "name": "back",
        "input": {"paths": [str(dataset / "documents" / "*.jsonl.gz")], "format": "dolma"},
        "output": {"path": str(tmp / "back")},
        "run": {"workers": 2},
    })  # fmt: skip
    summary = run_pipeline(file, [], [])
    assert summary.ok and summary.report["totals"]["errors"] == 0
    assert without_added(read_jsonl_dir(tmp / "back" / "documents")) == without_added(
        read_jsonl_dir(inline / "documents")
    )


def test_running_a_tagger_again_replaces_only_its_folder(tagged, tmp_path):
    _, dataset, before, _, _ = tagged
    # a copy, so the module's dataset stays as the other tests expect it
    copy = tmp_path / "copy"
    shutil.copytree(dataset, copy)
    folder = copy / "attributes" / "gopher_repetition_v1"
    file = tag_file(tmp_path, copy, [REPETITION])
    summary = run_tag(file, ["steps.gopher_repetition_v1.config.top_ngrams=[2]"], [])
    assert summary.ok
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        p.name for p in (copy / "documents").iterdir()
    )
    keys = {k for part in folder.iterdir() for row in rows(part) for k in row["attributes"]}
    top = sorted(k for k in keys if "top_" in k)
    assert top == ["gopher_repetition_v1__top_2_gram_char_fraction"]
    assert digests(copy / "documents") == before["documents"]
    assert digests(copy / "attributes" / "text_stats_v1") == {
        k.removeprefix("text_stats_v1/"): v for k, v in before["attributes"].items()
    }


def test_a_file_dolmakit_did_not_write_in_the_taggers_folder_stops_it(tagged, tmp_path):
    _, dataset, _, _, _ = tagged
    copy = tmp_path / "copy"
    shutil.copytree(dataset, copy)
    mine = copy / "attributes" / "gopher_repetition_v1" / "mine.jsonl.gz"
    mine.write_bytes(b"mine")
    before = digests(copy)
    with pytest.raises(ConfigError, match=f"another output path:\n  {mine}$"):
        run_tag(tag_file(tmp_path, copy, [REPETITION]), [], [])
    assert digests(copy) == before


def test_a_new_run_over_a_tagged_dataset_removes_the_tag_runs_outputs(tagged, tmp_path):
    """The tag run's attributes describe the old documents line by line: they go when a run
    publishes new documents; a folder of the user's stays, with a warning."""
    tmp, dataset, _, _, _ = tagged
    copy = tmp_path / "copy"
    shutil.copytree(dataset, copy)
    (copy / "attributes" / "mine").mkdir()
    (copy / "attributes" / "mine" / "a.jsonl").write_text("{}")
    summary = run_pipeline(str(tmp / "dataset.yaml"), [f"output.path={copy}"], [])
    assert summary.ok
    assert sorted(p.name for p in (copy / "attributes").iterdir()) == ["mine", "text_stats_v1"]
    assert not (copy / "_tag").exists()
    assert "WARNING: attributes/mine/ was not written by dolmakit" in summary.text


def test_a_filter_step_is_refused_before_launch(tagged, tmp_path):
    _, dataset, _, _, _ = tagged
    file = tag_file(tmp_path, dataset, [REPETITION, MADE[1]])
    with pytest.raises(ConfigError) as error:
        load_tag(file)
    assert error.value.key == "steps[1].type"
    assert "step 'length_filter' (filter) is a filter" in error.value.message
    file = tag_file(tmp_path, dataset, [{"type": "stackexchange_threads"}])
    with pytest.raises(ConfigError) as error:
        load_tag(file)
    assert (
        "step 'stackexchange_threads' (stackexchange_threads) is a global step with no attributes"
    ) in error.value.message
    assert not (dataset / "_tag" / "tag" / "config.yaml").read_text().count("length_filter")


def test_unknown_keys_and_bad_joins_fail_before_launch(tagged, tmp_path):
    _, dataset, _, _, _ = tagged
    file = tag_file(tmp_path, dataset, [REPETITION])
    with pytest.raises(ConfigError) as error:
        load_tag(file, ["output=/x"])
    assert "output" in str(error.value)
    with pytest.raises(ConfigError) as error:
        load_tag(file, ["attributes=[gopher_repetition_v1]"])
    assert "written by this run" in error.value.message
    with pytest.raises(ConfigError) as error:
        load_tag(file, ["attributes=[nothing_here]"])
    assert error.value.message == f"no attribute folder {dataset}/attributes/nothing_here/"
    with pytest.raises(ConfigError) as error:
        load_tag(file, [f"dataset={tmp_path}"])
    assert error.value.message.startswith("no documents files")


def write_lines(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def test_failures_blank_and_bad_lines_keep_the_files_aligned(tmp_path):
    dataset = tmp_path / "ds"
    docs = [json.dumps({"id": f"d{i}", "text": "FAIL here" if i == 1 else f"text {i}",
                        "source": "toy"}) for i in range(3)]  # fmt: skip
    documents = [docs[0], "", docs[1], '{"id": "broken", ', docs[2]]
    write_lines(dataset / "documents" / "sub" / "p.jsonl", documents)
    write_lines(dataset / "documents" / "q.jsonl", [docs[0]])
    write_lines(dataset / "attributes" / "seen" / "sub" / "p.jsonl", [
        json.dumps({"id": "d0", "attributes": {"seen__x": [[0, 1, 1.0]]}}), "",
        json.dumps({"id": "d1", "attributes": {}}), "{}",
        json.dumps({"id": "d2", "attributes": {}}),
    ])  # fmt: skip
    file = tag_file(tmp_path, dataset, [{"type": FailsOnMarker.type_name, "name": "first"},
                                        {"type": "text_stats_v1", "name": "second"}],
                    attributes=["seen"], run={"workers": 1, "max_error_fraction": 0.5})  # fmt: skip
    summary = run_tag(file, [], [])
    assert summary.ok, summary.text
    totals = summary.report["totals"]
    assert (totals["in"], totals["kept"], totals["errors"]) == (5, 3, 2)
    for name in ("first", "second"):
        lines = (dataset / "attributes" / name / "sub" / "p.jsonl").read_text().split("\n")
        assert len(lines) == len(documents) + 1 and lines[1] == "" and lines[-1] == ""
        parsed = [json.loads(line) for line in lines if line]
        assert [row["id"] for row in parsed] == ["d0", "d1", None, "d2"]
        assert parsed[1]["attributes"] == {} and parsed[2]["attributes"] == {}
    first = [json.loads(line) for line in (dataset / "attributes/first/sub/p.jsonl").open()
             if line.strip()]  # fmt: skip
    assert first[0]["attributes"] == {"first__chars": [[0, 6, 6.0]]}
    errors = read_jsonl_dir(dataset / "_tag" / "tag" / "errors")
    by_kind = {e["kind"]: e for e in errors}
    assert sorted(by_kind) == ["bad_record", "step_failed"]
    assert by_kind["step_failed"] == {"step": "first", "kind": "step_failed", "id": "d1",
                                      "cause": "ValueError: marker in d1",
                                      "file": "documents/sub/p.jsonl", "line": 3}  # fmt: skip
    assert (dataset / "attributes" / "second" / "q.jsonl").read_text().count("\n") == 1
