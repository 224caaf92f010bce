"""Peak memory of dedup by input size, per runner, this checkout against an earlier commit.

    .venv/bin/python -m benchmarks.engine.scale                                  # 50k, 100k, 200k
    .venv/bin/python -m benchmarks.engine.scale --docs 50000 --runners local --before ''

Pipeline: exact_dedup then minhash_dedup (`--steps minhash`: MinHash alone) over unique ~2-KB
documents (300 random words each, 8 gzipped JSONL files: the corpus of zero_loss.py),
run.workers 2 ($SCALE_WORKERS sets it). Per
run it prints the wall seconds, the peak memory of the whole process tree (PSS summed over the
launcher and its workers, polled) and the largest single process; then, per runner, the slope
in KB per document between the smallest and the largest size and the memory that slope gives
for 1M documents. The peer is the same pipeline at an earlier commit (a git worktree under
.bench/), side by side.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import yaml

from benchmarks import REPO
from benchmarks.common.checkout import checkout
from benchmarks.common.procs import run_measured
from benchmarks.engine.zero_loss import WORKDIR as CORPUS
from benchmarks.engine.zero_loss import write_corpus

WORKDIR = REPO / ".bench" / "scale"
BEFORE = "da9b5ce"  # main before dedup moved keys and packed documents
STEPS = {"exact": {"type": "exact_dedup"}, "minhash": {"type": "minhash_dedup"}}


def measure(root: Path, label: str, runner: str, docs: int, steps: list[str]) -> dict:
    out = WORKDIR / f"out-{label}-{runner}-{docs}-{'-'.join(steps)}"
    config = {
        "name": "scale",
        "input": {"paths": [str(p) for p in write_corpus(docs, CORPUS)]},
        "output": {"path": str(out)},
        "run": {"workers": int(os.environ.get("SCALE_WORKERS", 2)), "runner": runner},
        "steps": [STEPS[name] for name in steps],
    }
    pipeline_file = WORKDIR / f"{out.name}.yaml"
    WORKDIR.mkdir(parents=True, exist_ok=True)
    pipeline_file.write_text(yaml.safe_dump(config))
    command = [sys.executable, "-m", "dolmakit", "run", str(pipeline_file), "--quiet"]
    env = {**os.environ, "PYTHONPATH": str(root)}
    measured = run_measured(command, WORKDIR / f"{out.name}.log", cwd=root, env=env)
    report = out / "report.json"
    totals = json.loads(report.read_text())["totals"] if report.is_file() else None
    return {"measured": measured, "totals": totals}


def print_run(label: str, runner: str, docs: int, got: dict) -> None:
    m, totals = got["measured"], got["totals"]
    outcome = f"in {totals['in']:,} kept {totals['kept']:,}" if totals else "no report"
    print(f"  {label:>8} {runner:>6} {docs:>9,} docs: {m.seconds:6.0f} s, peak tree "
          f"{m.peak_tree_mib:7,.0f} MiB, largest process {m.max_rss_mib:6,.0f} MiB, "
          f"exit {m.returncode}, {outcome}")  # fmt: skip


def print_slope(label: str, runner: str, points: list[tuple[int, float]]) -> None:
    if len(points) < 2:
        return
    (small, low), (large, high) = points[0], points[-1]
    slope = (high - low) / (large - small)  # MiB per document
    million = high + slope * (1_000_000 - large)
    print(f"  {label:>8} {runner:>6}: {slope * 1024:.1f} KiB/doc between {small:,} and "
          f"{large:,}; 1M documents by that slope: {million / 1024:.1f} GiB")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", default="50000,100000,200000")
    parser.add_argument("--runners", default="local,prism")
    parser.add_argument("--before", default=BEFORE, help="'' to measure this checkout alone")
    parser.add_argument("--steps", default="exact,minhash", help="exact,minhash or minhash")
    args = parser.parse_args()
    sizes = [int(n) for n in args.docs.split(",")]
    sides = [("now", REPO)] + ([(args.before, checkout(args.before))] if args.before else [])
    steps = args.steps.split(",")
    names = " + ".join(STEPS[name]["type"] for name in steps)
    print(f"{names}, unique 300-word documents, run.workers "
          f"{os.environ.get('SCALE_WORKERS', 2)} ($SCALE_WORKERS), "
          f"{os.cpu_count()} cores")  # fmt: skip
    peaks: dict[tuple[str, str], list[tuple[int, float]]] = {}
    for runner in args.runners.split(","):
        for docs in sizes:
            for label, root in sides:
                got = measure(root, label, runner, docs, steps)
                print_run(label, runner, docs, got)
                if got["totals"]:
                    peaks.setdefault((label, runner), []).append(
                        (docs, got["measured"].peak_tree_mib)
                    )
    for (label, runner), points in peaks.items():
        print_slope(label, runner, points)


if __name__ == "__main__":
    main()
