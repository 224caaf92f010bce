"""A killed run resumed: the same command again after SIGKILL, against an uninterrupted run.

    .venv/bin/python -m benchmarks.engine.resume                  # 100k documents, 8 files
    .venv/bin/python -m benchmarks.engine.resume --docs 20000 --kill-at 0.6

Pipeline: exact_dedup then minhash_dedup over zero_loss.py's corpus of unique ~2-KB documents
(8 gzipped JSONL files), one local process. It runs the pipeline once uninterrupted; then again
into a new folder, killed (SIGKILL to its process group) at --kill-at of the uninterrupted
run's wall, and the same command once more. Prints the
walls and the second command's wall as a fraction of the uninterrupted one's (goal: at most
0.75 when killed at 60%), and whether both published the same documents.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import yaml

from benchmarks import REPO
from benchmarks.engine.zero_loss import WORKDIR as CORPUS
from benchmarks.engine.zero_loss import write_corpus

WORKDIR = REPO / ".bench" / "resume"
STEPS = [{"type": "exact_dedup"}, {"type": "minhash_dedup"}]


def pipeline_file(files: list[Path], out: Path) -> Path:
    WORKDIR.mkdir(parents=True, exist_ok=True)
    path = WORKDIR / f"{out.name}.yaml"
    path.write_text(yaml.safe_dump({"name": "resume", "input": {"paths": [str(p) for p in files]},
                                    "output": {"path": str(out)}, "run": {"workers": 1},
                                    "steps": STEPS}))  # fmt: skip
    return path


def timed(command: list[str]) -> float:
    started = time.monotonic()
    subprocess.run(command, check=True, capture_output=True)
    return time.monotonic() - started


def killed_after(command: list[str], seconds: float) -> None:
    """Starts the command and kills its process group after `seconds`."""
    launched = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)  # fmt: skip
    try:
        launched.wait(timeout=seconds)
        raise SystemExit("the run ended before it could be killed: use more documents")
    except subprocess.TimeoutExpired:
        os.killpg(launched.pid, signal.SIGKILL)
        launched.wait()


def records(out: Path) -> str:
    """The completion records a killed run left, per pass."""
    passes = sorted(out.glob("_incomplete-*/_done/*"))
    return ", ".join(f"pass {p.name}: {len(list(p.glob('*.json')))}" for p in passes) or "none"


def digest(out: Path) -> str:
    done = subprocess.run([sys.executable, "scripts/digest.py", str(out)], cwd=REPO,
                          capture_output=True, text=True, check=True)  # fmt: skip
    return done.stdout.split()[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--kill-at", type=float, default=0.6)
    args = parser.parse_args()
    files = write_corpus(args.docs, CORPUS)
    whole, resumed = WORKDIR / f"whole-{args.docs}", WORKDIR / f"resumed-{args.docs}"
    for out in (whole, resumed):
        subprocess.run(["rm", "-rf", str(out)], check=True)
    run = [sys.executable, "-m", "dolmakit", "run", "--quiet"]
    uninterrupted = timed([*run, str(pipeline_file(files, whole))])
    command = [*run, str(pipeline_file(files, resumed))]
    killed_after(command, args.kill_at * uninterrupted)
    left = records(resumed)
    second = timed(command)
    print(f"{args.docs:,} documents in {len(files)} files, exact_dedup + minhash_dedup, one "
          f"local process, {os.cpu_count()} cores")  # fmt: skip
    print(f"  uninterrupted run:                 {uninterrupted:7.1f} s")
    print(f"  killed at {args.kill_at:.0%} of that wall:      {args.kill_at * uninterrupted:7.1f} s"
          f" (files done then: {left})")  # fmt: skip
    print(f"  the same command again (resumed):  {second:7.1f} s = {second / uninterrupted:.2f}x")
    same = digest(whole) == digest(resumed)
    print(f"  same documents and removed as the uninterrupted run: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
