"""Dedup as tags: `dolmakit tag` runs exact, line and MinHash dedup over a Dolma dataset and
writes their decisions as attributes (Dolma's dedupe way), which a mix then filters on."""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

import numpy as np
import yaml

from dolmakit.engine.lifecycle import run_job
from dolmakit.engine.progress import PassDone, Snapshot
from dolmakit.mix.job import run_mix
from dolmakit.mix.sample import mix_texts
from dolmakit.mix.tokenizers import WhitespaceTokenizer
from dolmakit.tag.config import load_tag
from dolmakit.tag.job import TagJob, run_tag

WORDS = [
    "the",
    "mill",
    "river",
    "stone",
    "grain",
    "wheat",
    "barley",
    "cart",
    "hill",
    "lane",
    "wheel",
    "water",
    "price",
    "harvest",
]


def article(seed: int, words: int = 300) -> str:
    rng = random.Random(seed)
    return " ".join(f"{rng.choice(WORDS)}{rng.randrange(40)}" for _ in range(words))


def write_documents(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8") as stream:
        stream.writelines(json.dumps({"source": "web", **row}) + "\n" for row in rows)


def attributes(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        return [json.loads(line)["attributes"] for line in stream]


def dataset(tmp_path: Path) -> Path:
    """Two files: b-2 repeats a-2's text, a-3 is a-1 with one word changed, b-1 shares a line
    with a-1 (the earlier document by id)."""
    root = tmp_path / "dataset"
    one, two = article(1), article(2)
    near = one.split()
    near[60] = "edited"
    write_documents(root / "documents" / "a.jsonl.gz", [
        {"id": "a-1", "text": f"Shared heading line\n{one}"},
        {"id": "a-2", "text": two},
        {"id": "a-3", "text": "Shared heading line\n" + " ".join(near)},
    ])  # fmt: skip
    write_documents(root / "documents" / "b.jsonl.gz", [
        {"id": "b-1", "text": f"{article(3)}\nShared heading line"},
        {"id": "b-2", "text": two},
    ])  # fmt: skip
    return root


def test_dedup_steps_write_their_decisions_as_attributes(tmp_path):
    root = dataset(tmp_path)
    tag_file = tmp_path / "tag.yaml"
    tag_file.write_text(yaml.safe_dump({
        "name": "dedup", "dataset": str(root),
        "steps": [{"type": "exact_dedup"}, {"type": "line_dedup"}, {"type": "minhash_dedup"}],
    }))  # fmt: skip
    result = run_tag(str(tag_file))
    assert result.ok, result.text
    exact = attributes(root / "attributes" / "exact_dedup" / "a.jsonl.gz")
    assert exact == [{}, {}, {}]
    assert attributes(root / "attributes" / "line_dedup" / "a.jsonl.gz")[2] == {
        "line_dedup__duplicate_lines": [[0, 19, 1.0]]  # a-3's heading, seen in a-1
    }
    two = len(article(2))
    assert attributes(root / "attributes" / "exact_dedup" / "b.jsonl.gz") == [
        {}, {"exact_dedup__duplicate": [[0, two, 1.0]]},
    ]  # fmt: skip
    lines_b = attributes(root / "attributes" / "line_dedup" / "b.jsonl.gz")
    start = len(article(3)) + 1
    assert lines_b[0] == {"line_dedup__duplicate_lines": [[start, start + 19, 1.0]]}
    assert lines_b[1] == {"line_dedup__duplicate_lines": [[0, two, 1.0]]}  # a-2's one line
    near = attributes(root / "attributes" / "minhash_dedup" / "a.jsonl.gz")
    assert near[:2] == [{}, {}] and list(near[2]) == ["minhash_dedup__near_duplicate"]
    assert attributes(root / "attributes" / "minhash_dedup" / "b.jsonl.gz") == [
        {}, {"minhash_dedup__near_duplicate": [[0, two, 1.0]]},
    ]  # fmt: skip
    steps = {step["name"]: step for step in result.report["steps"]}
    assert steps["exact_dedup"]["in"] == steps["minhash_dedup"]["kept"] == 5


class Watched(TagJob):
    """A tag run that keeps what its progress counted when its pipeline ended, before
    publication removes the staging folder."""

    def judge(self, report: dict, staging: str) -> list[str]:
        self.counted = self.progress(staging)
        return super().judge(report, staging)


def test_the_tagging_pass_and_the_dedup_pass_are_counted_file_by_file(tmp_path):
    root = dataset(tmp_path)
    tag_file = tmp_path / "tag.yaml"
    tag_file.write_text(yaml.safe_dump({
        "name": "dedup", "dataset": str(root), "steps": [{"type": "exact_dedup"}],
        "run": {"workers": 1},
    }))  # fmt: skip
    job = Watched(load_tag(str(tag_file)), str(tag_file), [])
    assert run_job(job).published
    size = sum(path.stat().st_size for path in (root / "documents").iterdir())
    assert job.counted == Snapshot(
        (PassDone(2, 5, 5, size), PassDone(2, 5, 5, size)), 2, size, ("tag", "exact_dedup")
    )


def test_a_mix_filters_on_the_dedup_attributes(tmp_path):
    root = dataset(tmp_path)
    tag_file = tmp_path / "tag.yaml"
    tag_file.write_text(yaml.safe_dump({"name": "dedup", "dataset": str(root),
                                        "steps": [{"type": "exact_dedup"}]}))  # fmt: skip
    assert run_tag(str(tag_file)).ok
    mix = tmp_path / "mix.yaml"
    mix.write_text(yaml.safe_dump({
        "name": "deduped", "tokenizer": "whitespace", "output": str(tmp_path / "mix"),
        "budget_tokens": 200,
        "sources": [{"name": "web", "paths": [str(root / "documents" / "*.jsonl.gz")],
                     "attributes": ["exact_dedup"], "proportion": 1.0,
                     "exclude": ["exact_dedup__duplicate > 0"]}],
    }))  # fmt: skip
    (row,) = run_mix(str(mix)).report["accounting"]
    assert (row["read"], row["removed"], row["kept"]) == (5, 1, 4)


def test_counts_come_from_completion_records_not_runner_metrics(tmp_path, monkeypatch):
    # a runner that loses (or double counts) metrics must not change the report: Prism 2.77
    # lost whole bundles' metrics on a multi-file run
    import dolmakit.tag.job as tag_job

    root = dataset(tmp_path)
    tag_file = tmp_path / "tag.yaml"
    tag_file.write_text(yaml.safe_dump({
        "name": "dedup", "dataset": str(root),
        "steps": [{"type": "text_stats_v1"}, {"type": "exact_dedup"}],
    }))  # fmt: skip
    real = tag_job.counters_of
    monkeypatch.setattr(tag_job, "counters_of", lambda result: {
        name: n // 2 for name, n in real(result).items()
    })  # fmt: skip
    result = run_tag(str(tag_file))
    assert result.ok, result.text
    assert result.report["totals"] == {"in": 5, "kept": 5, "removed": 0, "errors": 0,
                                       "invariant_holds": True}  # fmt: skip
    steps = {step["name"]: (step["in"], step["kept"]) for step in result.report["steps"]}
    assert steps == {"read": (5, 5), "exact_dedup": (5, 5), "text_stats_v1": (5, 5)}


def test_a_mix_replaces_duplicate_lines_and_drops_near_duplicates(tmp_path):
    """Dolma's way of applying dedup tags in its mixer: `exclude` over the near-duplicate
    attribute, `span_replacement` deleting the duplicate lines; a document they leave empty is
    removed with its reason and the accounting still adds up."""
    root = tmp_path / "dataset"
    one, near = article(1), article(1).split()
    near[60] = "edited"
    heading, footer = "Shared heading line", "A footer line"
    write_documents(root / "documents" / "a.jsonl.gz", [
        {"id": "a-1", "text": f"{heading}\n{one}"},
        {"id": "a-2", "text": f"{article(2)}\n{footer}"},
        {"id": "a-3", "text": f"{heading}\n" + " ".join(near)},  # near a-1: excluded
    ])  # fmt: skip
    write_documents(root / "documents" / "b.jsonl.gz", [
        {"id": "b-1", "text": f"{article(3)}\n{heading}"},  # loses its last line
        {"id": "b-2", "text": f"{heading}\n{footer}"},  # every line seen before: emptied
        {"id": "b-3", "text": article(4)},
    ])  # fmt: skip
    tag_file = tmp_path / "tag.yaml"
    tag_file.write_text(yaml.safe_dump({"name": "dedup", "dataset": str(root), "steps": [
        {"type": "line_dedup"}, {"type": "minhash_dedup"}]}))  # fmt: skip
    assert run_tag(str(tag_file)).ok
    mix = tmp_path / "mix.yaml"
    mix.write_text(yaml.safe_dump({
        "name": "deduped", "tokenizer": "whitespace", "output": str(tmp_path / "mix"),
        "sources": [{
            "name": "web", "paths": [str(root / "documents" / "*.jsonl.gz")], "epochs": 1.0,
            "attributes": ["line_dedup", "minhash_dedup"],
            "exclude": ["minhash_dedup__near_duplicate > 0"],
            "span_replacement": [{"span": "$.attributes.line_dedup__duplicate_lines",
                                  "min_score": 1.0, "replacement": ""}],
        }],
    }))  # fmt: skip
    result = run_mix(str(mix))
    assert result.published, result.text
    texts = {"a-1": f"{heading}\n{one}", "a-2": f"{article(2)}\n{footer}",
             "b-1": f"{article(3)}\n", "b-3": article(4)}  # fmt: skip
    assert list(mix_texts(str(mix))) == list(texts.values())  # what the mix trains on
    encoded = WhitespaceTokenizer().encode_batch(list(texts.values()))
    eos = WhitespaceTokenizer.eos_id
    assert train_tokens(tmp_path / "mix" / "train") == {
        doc_id: [*ids, eos] for doc_id, ids in zip(texts, encoded, strict=True)
    }
    (row,) = result.report["accounting"]
    assert row == {"source": "web", "read": 6, "removed": 2, "errors": 0, "kept": 4, "counted": 4,
                   "sampled": 4, "not_sampled": 0, "held_out": 0, "copies": 4,
                   "copies_written": 4, "held_out_written": 0}  # fmt: skip
    assert result.report["steps"][0]["removed"] == {
        "exclude: minhash_dedup__near_duplicate > 0": 1, "empty_after_span_replacement": 1,
    }  # fmt: skip
    (web,) = result.report["mix"]
    assert web["tokens"] == sum(len(text.split()) + 1 for text in texts.values())  # edited text


def train_tokens(folder: Path) -> dict[str, list[int]]:
    """Each document's token ids (its EOS last) in the shards of `folder`."""
    tokens = {}
    for index in sorted(folder.glob("*.index.jsonl")):
        ids = np.fromfile(str(index).replace(".index.jsonl", ".npy"), dtype="<u2")
        for line in index.read_text().splitlines():
            entry = json.loads(line)
            tokens[entry["id"]] = ids[entry["start"] : entry["end"]].tolist()
    return tokens
