"""Exact and line dedup inside a real local pipeline: planted duplicates across input files."""

from __future__ import annotations

import json
import random
from pathlib import Path

import yaml
from helpers import read_jsonl_dir, without_added

from dolmakit.engine.run import run_pipeline

BOILERPLATE = "Subscribe to our newsletter for weekly updates"


def corpus() -> list[dict]:
    docs = [
        # lines differ in letters: CCNet's normalization maps every digit to 0
        {"id": f"d{i:03d}", "text": f"A story about river {_name(i)}.\n{BOILERPLATE}"}
        for i in range(40)
    ]
    docs += [{"id": f"copy{i:03d}", "text": docs[i]["text"].upper()} for i in range(0, 40, 4)]
    return docs


def _name(i: int) -> str:
    return "".join("abcdefghij"[int(digit)] for digit in f"{i:02d}")


def write_inputs(folder: Path, docs: list[dict], seed: int) -> None:
    shuffled = docs[:]
    random.Random(seed).shuffle(shuffled)
    folder.mkdir(parents=True)
    for part in (0, 1):
        lines = [json.dumps(d) for d in shuffled[part::2]]
        (folder / f"part{part}.jsonl").write_text("\n".join(lines) + "\n")


def pipeline_file(tmp: Path) -> Path:
    config = {
        "name": "dedup",
        "input": {"paths": [str(tmp / "in" / "*.jsonl")]},
        "output": {"path": str(tmp / "out")},
        "steps": [{"type": "exact_dedup"}, {"type": "line_dedup"}],
    }
    path = tmp / "dedup.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def run(tmp: Path, seed: int, workers: int) -> tuple[dict, list[dict]]:
    write_inputs(tmp / "in", corpus(), seed)
    summary = run_pipeline(str(pipeline_file(tmp)), [f"run.workers={workers}"], [])
    return summary.report, without_added(read_jsonl_dir(tmp / "out" / "documents"))


def test_planted_duplicates_are_removed_exactly(tmp_path):
    report, docs = run(tmp_path, seed=1, workers=2)
    steps = {step["name"]: step for step in report["steps"]}
    assert steps["exact_dedup"]["removed"] == {"exact_duplicate": 10}
    assert report["totals"]["invariant_holds"] and report["totals"]["kept"] == 40
    with_boilerplate = [d for d in docs if BOILERPLATE.lower() in d["text"].lower()]
    # kept once, in the first of the documents exact dedup kept in the input's order (CCNet's:
    # files in order, then lines), whatever their ids
    survivors = {d["id"] for d in docs}
    files = [(tmp_path / "in" / f"part{part}.jsonl").read_text() for part in (0, 1)]
    rows = [json.loads(line) for text in files for line in text.splitlines()]
    boiler = BOILERPLATE.lower()
    first = next(r["id"] for r in rows if r["id"] in survivors and boiler in r["text"].lower())
    assert [d["id"] for d in with_boilerplate] == [first]
    assert report["counters"]["line_dedup/lines_removed"] == 39


def test_same_documents_for_any_worker_count(tmp_path):
    """Exact and MinHash dedup keep the earliest by (created, id) whatever the input's order
    (the MinHash test below); line dedup keeps a line's first occurrence in the input's order,
    as CCNet, so the same input gives the same documents on any number of workers."""
    _, one = run(tmp_path / "a", seed=1, workers=1)
    _, two = run(tmp_path / "b", seed=1, workers=2)
    strip = [{k: v for k, v in d.items() if k != "metadata"} for d in one]
    assert strip == [{k: v for k, v in d.items() if k != "metadata"} for d in two]


def near_duplicate_corpus() -> list[dict]:
    from dedup.test_minhash_dedup import article, edited

    docs = []
    for i in range(12):
        base = article(100 + i)
        docs.append({"id": f"n{i:02d}", "text": base})
        docs += [{"id": f"n{i:02d}v{k}", "text": edited(base, 2, 1000 * i + k)} for k in range(2)]
    return docs


def test_minhash_kept_set_is_the_same_for_workers_and_order(tmp_path):
    kept = []
    for name, seed, workers in (("a", 1, 1), ("b", 2, 2)):
        folder = tmp_path / name
        write_inputs(folder / "in", near_duplicate_corpus(), seed)
        config = yaml.safe_load(pipeline_file(folder).read_text())
        config["steps"] = [{"type": "minhash_dedup"}]
        (folder / "dedup.yaml").write_text(yaml.safe_dump(config))
        report = run_pipeline(str(folder / "dedup.yaml"), [f"run.workers={workers}"], []).report
        assert report["totals"]["invariant_holds"]
        kept.append(sorted(d["id"] for d in read_jsonl_dir(folder / "out" / "documents")))
    assert kept[0] == kept[1] == [f"n{i:02d}" for i in range(12)]
