"""dolmakit's signature stage alone, run as its own process by benchmarks/dedup/dedup.py:

    python -m benchmarks.dedup.signatures CORPUS_DIR RESULT_JSON

MinHasher.signatures over every text of the corpus in batches of 512 (the most the pipeline's
BatchElements hands its signature DoFn), one process: once with the "fast" hash the pipeline
uses, once with "xxh32" (bit-identical to datasketch's signatures). CPU seconds are per core.
"""

# ruff: noqa: E402
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from benchmarks.dedup.datasketch import read
from dolmakit.dedup.signatures import MinHashConfig, MinHasher

BATCH = 512


def timed(hasher: MinHasher, texts: list[str]) -> dict[str, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    for start in range(0, len(texts), BATCH):
        hasher.signatures(texts[start : start + BATCH])
    return {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", type=Path)
    parser.add_argument("result", type=Path)
    args = parser.parse_args()
    _, texts = read(args.corpus)
    hashers = {name: MinHasher(MinHashConfig(hash=name)) for name in ("fast", "xxh32")}
    result = {"docs": len(texts), "phases": {name: timed(h, texts) for name, h in hashers.items()}}
    args.result.write_text(json.dumps(result))


if __name__ == "__main__":
    main()
