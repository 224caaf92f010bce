"""Dolma's layout: output.format: dolma writes documents/ and attributes/<step>/ files that mirror
each other, and input.format: dolma reads them back joined."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
import yaml
from conftest import SAMPLE_WARC
from helpers import read_jsonl_dir, without_added

from dolmakit.core.document import Document
from dolmakit.engine.run import run_pipeline
from dolmakit.io.dolma import DolmaReader
from dolmakit.io.file_writers import DolmaDocuments, empty_attributes
from dolmakit.io.readers import ReadConfig

STEPS = [
    {"type": "text_stats_v1"},
    {"type": "gopher_repetition_v1"},
    {"type": "filter", "name": "length_filter",
     "config": {"remove_if": {"too_few_words": "text_stats_v1__words < 50"}}},
]  # fmt: skip


def run(tmp: Path, name: str, output_format: str, paths: list[str], steps: list, **read):
    pipeline = tmp / f"{name}.yaml"
    pipeline.write_text(yaml.safe_dump({
        "name": name,
        "input": {"paths": paths, **read},
        "output": {"path": str(tmp / name), "format": output_format},
        "steps": steps,
    }))  # fmt: skip
    summary = run_pipeline(str(pipeline), [], [])
    assert summary.ok
    return tmp / name, summary


def rows(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        return [json.loads(line) for line in stream]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("dolma")
    inline, _ = run(tmp, "inline", "jsonl", [str(SAMPLE_WARC)], STEPS)
    dolma, summary = run(tmp, "dolma", "dolma", [str(SAMPLE_WARC)], STEPS)
    return tmp, inline, dolma, summary


def test_attribute_files_mirror_the_documents(runs):
    _, _, dolma, _ = runs
    parts = sorted(p.name for p in (dolma / "documents").iterdir())
    assert parts and all(p.startswith("part-") and p.endswith(".jsonl.gz") for p in parts)
    assert sorted(p.name for p in (dolma / "attributes").iterdir()) == [
        "gopher_repetition_v1", "text_stats_v1",
    ]  # fmt: skip
    for folder in (dolma / "attributes").iterdir():
        assert sorted(p.name for p in folder.iterdir()) == parts
        for part in parts:
            documents, attributes = rows(dolma / "documents" / part), rows(folder / part)
            assert [d["id"] for d in documents] == [a["id"] for a in attributes]
            assert all(set(a) == {"id", "source", "attributes"} for a in attributes)
            assert all(
                k.startswith(f"{folder.name}__") for a in attributes for k in a["attributes"]
            )
    assert not [p for p in dolma.iterdir() if p.name.startswith(".dolma-temp")]


def test_documents_carry_no_attributes_and_join_to_the_inline_output(runs):
    _, inline, dolma, _ = runs
    joined = {}
    for part in (dolma / "documents").iterdir():
        for doc in rows(part):
            assert set(doc) == {"id", "text", "source", "added", "created", "metadata"}
            joined[doc["id"]] = {**doc, "attributes": {}}
    for folder in (dolma / "attributes").iterdir():
        for part in folder.iterdir():
            for line in rows(part):
                joined[line["id"]]["attributes"].update(line["attributes"])
    expected = without_added(read_jsonl_dir(inline / "documents"))
    assert len(expected) == 26
    assert sorted(without_added(list(joined.values())), key=lambda d: d["id"]) == sorted(
        expected, key=lambda d: d["id"]
    )
    removed = [sorted(map(json.dumps, without_added(read_jsonl_dir(out / "removed"))))
               for out in (dolma, inline)]  # fmt: skip
    assert removed[0] == removed[1]  # removed/ keeps its attributes inline


def test_a_dolma_dataset_reads_back_joined(runs):
    tmp, inline, dolma, _ = runs
    again, summary = run(tmp, "again", "jsonl", [str(dolma / "documents" / "*.jsonl.gz")], [],
                         format="dolma")  # fmt: skip
    assert summary.report["totals"]["in"] == 26 and summary.report["totals"]["errors"] == 0
    by_id = lambda docs: sorted(without_added(docs), key=lambda d: d["id"])  # noqa: E731
    assert by_id(read_jsonl_dir(again / "documents")) == by_id(read_jsonl_dir(inline / "documents"))


def test_only_the_named_attribute_folders_are_joined(runs):
    _, _, dolma, _ = runs
    reader = DolmaReader(ReadConfig(options={"attributes": ["text_stats_v1"]}), "web", "now")
    part = sorted((dolma / "documents").iterdir())[0]
    docs = list(reader.read(str(part)))
    assert docs and all(isinstance(d, Document) for d in docs)
    assert {k.split("__")[0] for d in docs for k in d.attributes} == {"text_stats_v1"}


def write_gz(path: Path, lines: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8") as stream:
        stream.writelines(json.dumps(line) + "\n" for line in lines)


def read_back(path: Path) -> list:
    return list(DolmaReader(ReadConfig(), "web", "now").read(str(path)))


def test_misaligned_attribute_files_are_errors_not_losses(tmp_path):
    docs = [{"id": f"d{i}", "text": f"text {i}"} for i in range(3)]
    write_gz(tmp_path / "documents" / "p.jsonl.gz", docs)
    write_gz(tmp_path / "attributes" / "a" / "p.jsonl.gz", [
        {"id": "d0", "attributes": {"a__x": [[0, 6, 1.0]]}},
        {"id": "zz", "attributes": {}},
    ])  # fmt: skip
    items = list(
        DolmaReader(ReadConfig(), "web", "now").read(str(tmp_path / "documents/p.jsonl.gz"))
    )
    assert isinstance(items[0], Document) and items[0].attributes == {"a__x": [[0, 6, 1.0]]}
    assert [(e.kind, e.cause, e.location["line"]) for e in items[1:]] == [
        ("bad_record", "attributes/a has id 'zz' where the document has id 'd1'", 2),
        ("bad_record", "attributes/a has no line where the document has id 'd2'", 3),
    ]
    write_gz(tmp_path / "attributes" / "a" / "p.jsonl.gz", [{"id": f"d{i}"} for i in range(4)])
    items = list(
        DolmaReader(ReadConfig(), "web", "now").read(str(tmp_path / "documents/p.jsonl.gz"))
    )
    assert [type(i).__name__ for i in items] == ["Document"] * 3 + ["ErrorRecord"]
    assert items[3].cause == "attributes/a has more lines than the documents file"


def test_a_step_first_seen_mid_file_is_backfilled(tmp_path):
    writer = DolmaDocuments(str(tmp_path), "part-00000", "gzip", str(tmp_path / "_tmp"))
    writer.write(Document(id="x", text="one", source="s"))
    writer.write(Document(id="y", text="two", source="s", attributes={"a__k": [[0, 3, 2.0]]}))
    assert writer.close() == ["a"]
    assert rows(tmp_path / "attributes" / "a" / "part-00000.jsonl.gz") == [
        {"id": "x", "source": "s", "attributes": {}},
        {"id": "y", "source": "s", "attributes": {"a__k": [[0, 3, 2.0]]}},
    ]


def test_a_folder_a_part_lacks_gets_empty_lines_and_can_be_written_again(tmp_path):
    temp = str(tmp_path / "_tmp")
    first = DolmaDocuments(str(tmp_path), "part-00000", "gzip", temp)
    first.write(Document(id="x", text="one", source="s", attributes={"a__k": [[0, 3, 1.0]]}))
    second = DolmaDocuments(str(tmp_path), "part-00001", "gzip", temp)
    second.write(Document(id="y", text="two", source="s"))
    assert (first.close(), second.close()) == (["a"], [])
    for _ in range(2):  # a retry writes the same file again
        empty_attributes(str(tmp_path), "part-00001", "a", "gzip", temp)
    assert rows(tmp_path / "documents" / "part-00001.jsonl.gz")[0]["id"] == "y"
    assert rows(tmp_path / "attributes" / "a" / "part-00001.jsonl.gz") == [
        {"id": "y", "source": "s", "attributes": {}}
    ]
