"""Beam alone: the local multi-process runner loses elements a stage reads as a plain input.

    .venv/bin/python -m benchmarks.engine.beam_data_plane_race              # 300,000 elements
    .venv/bin/python -m benchmarks.engine.beam_data_plane_race --elements 50000

The minimal reproduction of the loss zero_loss.py measured on dolmakit's pipelines: Beam's
FnApiRunner, 2 worker processes (multi_processing), no load needed. One stage makes N 2-KB
elements; the next reads them as a plain input (a side input, their count, keeps the two stages
apart), so the runner writes them to the workers chunk by chunk through a data-plane stream that
a timer thread flushes (dolmakit/engine/data_plane.py says where the race is). The elements that
reach the next stage are counted.

Each variant runs in its own process: Beam as shipped (the runner's flush timer at its default
1,000 ms), the timer at 1 ms (the same race, hit far more often), each with and without
dolmakit's guard; and Beam's size-based streams (timer off) for comparison. Goal: 0 lost with the
guard. Peer: Beam as shipped.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.runners.portability.fn_api_runner import FnApiRunner, worker_handlers

from benchmarks import REPO

VARIANTS = [  # (label, flush timer ms or None for Beam's default, guarded)
    ("Beam 2.77 as shipped (flush timer 1,000 ms)", None, False),
    ("Beam, flush timer 1 ms", 1, False),
    ("Beam, no flush timer (size-based streams)", 0, False),
    ("dolmakit's guard, flush timer 1,000 ms", None, True),
    ("dolmakit's guard, flush timer 1 ms", 1, True),
]


class Make(beam.DoFn):
    def __init__(self, elements: int) -> None:
        self.elements = elements

    def process(self, seed: int):
        for i in range(seed, self.elements, 8):
            yield b"%08d" % i * 256  # 2,048 bytes


def count_through(elements: int) -> int:
    """How many of `elements` made in one stage reach the next stage's DoFn."""
    options = PipelineOptions(direct_num_workers=2, direct_running_mode="multi_processing")
    result = Path(tempfile.mkdtemp()) / "reached"  # written by a worker process
    with beam.Pipeline(runner=FnApiRunner(), options=options) as pipeline:
        made = pipeline | beam.Create(range(8)) | beam.Reshuffle() | beam.ParDo(Make(elements))
        total = made | "Count made" >> beam.combiners.Count.Globally()
        apart = made | "After" >> beam.Map(lambda _, total: 1, total=beam.pvalue.AsSingleton(total))
        counted = apart | "Count reached" >> beam.CombineGlobally(sum)
        counted | beam.Map(lambda count: result.write_text(str(count)))
    return int(result.read_text())


def variant(elements: int, timer_ms: int | None, guard: bool) -> None:
    if timer_ms is not None:
        worker_handlers.DATA_BUFFER_TIME_LIMIT_MS = timer_ms
    if guard:
        from dolmakit.engine.data_plane import guard_timed_flushes

        guard_timed_flushes()
    started = time.perf_counter()
    reached = count_through(elements)
    print(f"{reached} {time.perf_counter() - started:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--elements", type=int, default=300_000)
    parser.add_argument("--runs", type=int, default=3, help="runs of each variant")
    parser.add_argument("--variant", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.variant is not None:
        _, timer_ms, guard = VARIANTS[args.variant]
        return variant(args.elements, timer_ms, guard)
    print(f"Beam {beam.__version__}, FnApiRunner multi_processing, 2 workers, "
          f"{args.elements:,} elements of 2,048 bytes")  # fmt: skip
    print(f"{'variant':48} {'lost in each run':>28} {'wall s':>7}")
    for index, (label, _, _) in enumerate(VARIANTS):
        lost, seconds = [], 0.0
        for _ in range(args.runs):
            reached, wall = run_variant(index, args.elements)
            lost.append(f"{args.elements - reached:,}")
            seconds += wall
        print(f"{label:48} {' '.join(lost):>28} {seconds / args.runs:>7.1f}")


def run_variant(index: int, elements: int) -> tuple[int, float]:
    command = [sys.executable, "-m", "benchmarks.engine.beam_data_plane_race",
               "--elements", str(elements), "--variant", str(index)]  # fmt: skip
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=True)
    reached, seconds = done.stdout.split()
    return int(reached), float(seconds)


if __name__ == "__main__":
    main()
