"""`dolmakit <args>` in this process, with the CPU of each Beam stage written to a JSON file:
this process's (the FnApiRunner: the runner, which routes every element between stages) apart
from its SDK worker processes'.

    python -m benchmarks.engine.stage_probe OUT.json run pipelines/commoncrawl.yaml --set ...

FnApiRunner logs "Running bundle for stage S" (at DEBUG, on its run_bundle logger) when a stage's
bundle starts; stages run one after another, so the CPU between the first bundle of one stage and
the first bundle of the next is the first stage's. A worker's CPU is read from /proc (Linux only).
With one worker (in_memory) everything is this process's, and the worker column is 0.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from pathlib import Path

from benchmarks.common.procs import process_tree

BUNDLE_LOGGER = "apache_beam.runners.portability.fn_api_runner.fn_runner.run_bundle"
_TICKS = os.sysconf("SC_CLK_TCK")


class StageClock(logging.Handler):
    """Marks (stage, wall, runner CPU, workers' CPU) at the first bundle of every stage run."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.marks: list[tuple[str, float, float, float]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if not str(record.msg).startswith("Running bundle for stage"):
            return
        stage = str(record.args[0])
        if self.marks and self.marks[-1][0] == stage:
            return
        self.marks.append(now(stage))

    def stages(self) -> list[dict]:
        if not self.marks:  # not FnApiRunner (Prism): no stage marks
            return []
        ends = [*self.marks[1:], now("end")]
        return [
            {
                "stage": start[0],
                "wall": end[1] - start[1],
                "runner_cpu": end[2] - start[2],
                "workers_cpu": end[3] - start[3],
            }  # fmt: skip
            for start, end in zip(self.marks, ends, strict=True)
        ]


def now(stage: str) -> tuple[str, float, float, float]:
    return stage, time.perf_counter(), time.process_time(), descendants_cpu()


def descendants_cpu() -> float:
    """User + system seconds of every living descendant, and of the children already waited for."""
    finished = os.times()
    total = finished.children_user + finished.children_system
    for pid in process_tree(os.getpid())[1:]:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        total += (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime
    return total


def main() -> None:
    out, args = Path(sys.argv[1]), sys.argv[2:]
    clock = StageClock()
    logger = logging.getLogger(BUNDLE_LOGGER)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False  # the marks only, not Beam's debug lines in the log
    logger.addHandler(clock)
    from dolmakit.cli.main import cli

    code = 0
    try:
        cli.main(args, standalone_mode=False)
    except SystemExit as exit_:
        code = exit_.code or 0
    totals = {"runner_cpu": time.process_time(), "workers_cpu": descendants_cpu()}
    out.write_text(json.dumps({"stages": clock.stages(), "totals": totals, "exit": code}, indent=1))
    sys.exit(code)


if __name__ == "__main__":
    main()
