"""Where dolmakit's MinHash pipeline spends its time, run as its own process by
benchmarks/dedup/dedup.py --breakdown:

    python -m benchmarks.dedup.breakdown PIPELINE_YAML RESULT_JSON

Runs the pipeline as `dolmakit run` would (same graph, same runner, no report) and sums Beam's
ptransform_execution_time:total_msecs monitoring metric per part of the graph: the time the SDK
workers spent in each transform (processing, start and finish bundle), summed over the workers.
What the local runner itself spends on shuffles, on moving data between processes and on
starting the fused stages is not in it; the wall minus the SDK time per worker hints at it.
"""

# ruff: noqa: E402
from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

from dolmakit.engine.config import load_pipeline
from dolmakit.engine.pipeline import make_pipeline

METRIC = "ptransform_execution_time:total_msecs"


def part(transform: str) -> str:
    """`Decide minhash_dedup/Components/Large star 3/Star` -> `minhash_dedup/Components`
    (the engine's passes over files: `Read files`, `Apply minhash_dedup`, as they are); an
    earlier commit's `Step minhash_dedup/...` the same way."""
    names = transform.split("/")
    for prefix in ("Decide ", "Step "):
        if names[0].startswith(prefix):
            return "/".join([names[0].removeprefix(prefix), *names[1:2]])
    return names[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("pipeline", type=Path)
    parser.add_argument("result", type=Path)
    args = parser.parse_args()
    launch = make_pipeline(load_pipeline(args.pipeline), [])
    started = time.perf_counter()
    result = launch.pipeline.run()
    result.wait_until_finish()
    wall = time.perf_counter() - started
    parts: Counter[str] = Counter()
    for counter in result.monitoring_metrics().query().get("counters", []):
        if METRIC in str(getattr(counter.key.metric, "name", counter.key.metric)):
            parts[part(counter.key.step)] += (counter.committed or 0) / 1000
    found = {name: round(seconds, 2) for name, seconds in parts.most_common() if seconds >= 0.05}
    args.result.write_text(json.dumps({"wall": wall, "parts": found}))


if __name__ == "__main__":
    main()
