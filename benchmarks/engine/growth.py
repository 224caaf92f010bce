"""Peak memory of the shipped pipeline as its input grows: pipelines/commoncrawl.yaml (every
step, exact, line and MinHash dedup included) over the real pages of ../shared/data (web/ and
warc/), at two corpus sizes whose records are the same pages again with fresh record ids
(benchmarks/common/corpus.py), one local process, this checkout against an earlier commit.

    .venv/bin/python -m benchmarks.engine.growth                       # 30 and 150 MB vs da9b5ce
    .venv/bin/python -m benchmarks.engine.growth --mb 20,100 --before <commit>

Prints per side and size the wall seconds, the peak memory of the process tree (PSS, polled)
and the records read, then the larger run's peak as a multiple of the smaller's: memory that
does not grow with the input stays near 1.0x.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from benchmarks import REPO
from benchmarks.common.checkout import checkout
from benchmarks.common.corpus import ensure_corpus, shared_warc_dir
from benchmarks.common.procs import run_measured
from benchmarks.pipeline.end_to_end import corpus_sources

WORKDIR = REPO / ".bench" / "growth"
BEFORE = "da9b5ce"


def corpus(mb: float) -> Path:
    folder = WORKDIR / f"corpus-{mb:g}mb"
    ensure_corpus(corpus_sources(), folder, mb, files=8, seed=0)  # end_to_end.py's pages
    return folder


def measure(root: Path, label: str, mb: float) -> tuple[float, float, int]:
    out = WORKDIR / f"out-{label}-{mb:g}"
    command = [sys.executable, "-m", "dolmakit", "run", "pipelines/commoncrawl.yaml", "--quiet",
               "--output", str(out), "--set", f"input.paths=[{corpus(mb)}/*.warc.gz]",
               "--set", "run.workers=1"]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(root)}
    measured = run_measured(command, WORKDIR / f"{out.name}.log", cwd=root, env=env)
    report = out / "report.json"
    records = json.loads(report.read_text())["totals"]["in"] if report.is_file() else 0
    return measured.seconds, measured.peak_tree_mib, records


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", default="30,150", help="two corpus sizes, compressed MB")
    parser.add_argument("--before", default=BEFORE, help="'' to measure this checkout alone")
    args = parser.parse_args()
    if not shared_warc_dir(REPO).is_dir():
        print(f"skipped: no shared WARC captures under {shared_warc_dir(REPO)}")
        return
    sizes = [float(mb) for mb in args.mb.split(",")]
    sides = [("now", REPO)] + ([(args.before, checkout(args.before))] if args.before else [])
    print(f"pipelines/commoncrawl.yaml, one local process, {os.cpu_count()} cores; corpus: the "
          "real pages again with fresh record ids")  # fmt: skip
    for label, root in sides:
        peaks = []
        for mb in sizes:
            seconds, peak, records = measure(root, label, mb)
            peaks.append(peak)
            print(f"  {label:>8} {mb:>6g} MB {records:>8,} records: {seconds:6.0f} s, "
                  f"peak tree {peak:7,.0f} MiB")  # fmt: skip
        print(f"  {label:>8}: {sizes[-1]:g} MB peaks at {peaks[-1] / peaks[0]:.2f}x "
              f"{sizes[0]:g} MB's")  # fmt: skip


if __name__ == "__main__":
    main()
