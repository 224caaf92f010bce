"""Zero loss under load: minhash_dedup over unique documents, 2 workers, CPU hogs running.

    .venv/bin/python -m benchmarks.engine.zero_loss                      # 200k documents, 5 runs
    .venv/bin/python -m benchmarks.engine.zero_loss --docs 20000 --runs 1 --runners local

The case the issue measured: a pipeline with only `minhash_dedup`, 8 JSONL files of unique
~300-word documents, `run.workers: 2`, the machine under other load. Beam 2.x's local
multi-process runner once let 12,323 of 80,000 documents vanish there (15.4%, and 8,229 of
160,000); the run then exited 1 ("DOES NOT ADD UP"). This prints, per runner and run: documents in
and kept + removed + errors, documents lost (in - documents written - removed - errors),
whether the documents written are the same as in the first run (a digest of their sorted ids),
wall seconds and the peak memory of the whole process tree (PSS, the launcher and its workers).

Peer: the issue's figures for the same case (lost 15.4% at 80k, 5.1% at 160k). Goal: 0 lost in
every run, identical outputs. The hogs are `--hogs` busy-looping processes (default 2, one per
core of the 2-core machine) started before and stopped after each run.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import hashlib
import json
import multiprocessing
import os
import random
import sys
from pathlib import Path

import yaml

from benchmarks import REPO
from benchmarks.common.procs import run_measured

WORKDIR = REPO / ".bench" / "zero_loss"
FILES = 8
WORDS = 300


def vocabulary(rng: random.Random, size: int = 20000) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choices(letters, k=rng.randint(3, 9))) for _ in range(size)]


def write_corpus(docs: int, folder: Path) -> list[Path]:
    """`docs` documents of WORDS random words each (no two near each other), in FILES files."""
    marker = folder / f"corpus-{docs}.done"
    paths = [folder / f"docs-{docs}-{i}.jsonl.gz" for i in range(FILES)]
    if marker.is_file():
        return paths
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(docs)
    words = vocabulary(rng)
    with contextlib.ExitStack() as stack:
        streams = [stack.enter_context(gzip.open(p, "wt", encoding="utf-8")) for p in paths]
        for number in range(docs):
            text = " ".join(rng.choices(words, k=WORDS))
            row = json.dumps({"id": f"doc-{number}", "text": text})
            streams[number % FILES].write(row + "\n")
    marker.touch()
    return paths


def pipeline_file(paths: list[Path], out: Path, runner: str) -> Path:
    """runner: local (run.workers' default: one worker process per core here), local-N (N
    worker processes; local-1 is everything in one process) or prism."""
    name, _, count = runner.partition("-")
    workers = int(count) if count else 0
    config = {
        "name": "zero-loss",
        "input": {"paths": [str(p) for p in paths]},
        "output": {"path": str(out)},
        "run": {"workers": workers, "runner": name},
        "steps": [{"type": "minhash_dedup"}],
    }
    path = out.parent / f"{out.name}.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def outcome(out: Path) -> dict:
    report = json.loads((out / "report.json").read_text())
    ids = []
    for part in sorted((out / "documents").glob("*.jsonl.gz")):
        with gzip.open(part, "rt", encoding="utf-8") as stream:
            ids.extend(json.loads(line)["id"] for line in stream)
    totals = report["totals"]
    digest = hashlib.sha256("\n".join(sorted(ids)).encode()).hexdigest()[:16]
    return {"totals": totals, "written": len(ids), "digest": digest, "runner": report["runner"]}


def hog() -> None:
    while True:
        pass


def measure(runner: str, paths: list[Path], docs: int, run: int, hogs: int) -> dict:
    out = WORKDIR / f"out-{runner}-{docs}-{run}"
    command = [sys.executable, "-m", "dolmakit", "run", str(pipeline_file(paths, out, runner)),
               "--quiet"]  # fmt: skip
    busy = [multiprocessing.Process(target=hog, daemon=True) for _ in range(hogs)]
    for process in busy:
        process.start()
    try:
        measured = run_measured(command, WORKDIR / f"{out.name}.log", cwd=REPO)
    finally:
        for process in busy:
            process.terminate()
    # a run that did not add up left its outputs and report unpublished, in _incomplete-*/
    folders = [out, *sorted(out.glob("_incomplete-*"))]
    finished = [folder for folder in folders if (folder / "report.json").is_file()]
    result = outcome(finished[0]) if finished else None
    return {"measured": measured, "result": result}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--hogs", type=int, default=2)
    parser.add_argument("--runners", default="local,local-2,prism")
    args = parser.parse_args()
    paths = write_corpus(args.docs, WORKDIR)
    print(f"{args.docs:,} unique documents of {WORDS} words in {FILES} files; "
          f"{args.hogs} CPU hogs; {os.cpu_count()} cores; local = run.workers' default (a worker "
          "process per core), local-N = N worker processes, prism (one SDK harness)")  # fmt: skip
    print(
        "peer (the issue, Beam's multi-process local runner before): 12,323 of 80,000 lost "
        "(15.4%), 8,229 of 160,000 (5.1%)"
    )
    for runner in args.runners.split(","):
        first = None
        for run in range(args.runs):
            got = measure(runner, paths, args.docs, run, args.hogs)
            m, r = got["measured"], got["result"]
            if r is None:
                print(f"{runner:>6} run {run + 1}: exit {m.returncode}, no report ({m.log})")
                continue
            t = r["totals"]
            lost = args.docs - r["written"] - t["removed"] - t["errors"]
            first = first or r["digest"]
            print(f"{runner:>6} run {run + 1}: in {t['in']:,} = kept {t['kept']:,} + removed "
                  f"{t['removed']:,} + errors {t['errors']:,}; written {r['written']:,}; "
                  f"lost {lost:,}; same as run 1: {r['digest'] == first}; {m.seconds:.0f} s, "
                  f"peak tree {m.peak_tree_mib:,.0f} MiB, exit {m.returncode}; "
                  f"{r['runner']}")  # fmt: skip


if __name__ == "__main__":
    main()
