"""The datatrove peer of benchmarks/dedup/dedup.py, run in its own venv (.bench/datatrove-venv, with
datatrove 0.10.1 and the extras its MinHash needs: xxhash<4, orjson, tokenizers):

    python -m benchmarks.peers.dedup_datatrove pipeline CORPUS_DIR WORK_DIR RESULT_JSON \
        --bands 9 --rows 13 --workers 2
    python -m benchmarks.peers.dedup_datatrove signatures CORPUS_DIR RESULT_JSON --sample 10000 ...

pipeline: datatrove's four MinHash stages, each a LocalPipelineExecutor run after the other and
timed apart: 1. JsonlReader + MinhashDedupSignature (tasks = workers), 2. MinhashDedupBuckets
(tasks = bands, as datatrove requires a multiple), 3. MinhashDedupCluster (1 task),
4. JsonlReader + MinhashDedupFilter + JsonlWriter of the kept documents, its exclusion_writer
writing the removed ones (tasks = workers). MinhashConfig(n_grams, num_buckets=bands,
hashes_per_bucket=rows) with datatrove's defaults otherwise (64-bit xxhash, its text
normalization and spaCy English word tokenizer).
signatures: get_shingles + get_signature of stage 1 alone on the first --sample texts, one
process; CPU seconds are per core.
"""

# ruff: noqa: E402
from __future__ import annotations

import argparse
import gzip
import json
import shutil
import time
from pathlib import Path

from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.dedup.minhash import (
    MinhashConfig,
    MinhashDedupBuckets,
    MinhashDedupCluster,
    MinhashDedupFilter,
    MinhashDedupSignature,
)
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter

GLOB = "*.jsonl.gz"


def stages(args: argparse.Namespace, work: Path) -> list[tuple[str, LocalPipelineExecutor]]:
    config = MinhashConfig(
        n_grams=args.ngram, num_buckets=args.bands, hashes_per_bucket=args.rows, seed=args.seed
    )
    corpus, logs = str(args.corpus), work / "logs"

    def reader() -> JsonlReader:
        return JsonlReader(corpus, glob_pattern=GLOB)

    def executor(name: str, pipeline: list, tasks: int) -> LocalPipelineExecutor:
        return LocalPipelineExecutor(
            pipeline,
            tasks=tasks,
            workers=min(args.workers, tasks),
            logging_dir=str(logs / name),
            skip_completed=False,
        )

    return [
        (
            "1 signatures",
            executor(
                "signatures",
                [reader(), MinhashDedupSignature(str(work / "signatures"), config=config)],
                args.workers,
            ),
        ),
        (
            "2 buckets",
            executor(
                "buckets",
                [
                    MinhashDedupBuckets(
                        str(work / "signatures"), str(work / "buckets"), config=config
                    )
                ],
                args.bands,
            ),
        ),
        (
            "3 cluster",
            executor(
                "cluster",
                [
                    MinhashDedupCluster(
                        str(work / "buckets"), str(work / "remove_ids"), config=config
                    )
                ],
                1,
            ),
        ),
        (
            "4 filter",
            executor(
                "filter",
                [
                    reader(),
                    MinhashDedupFilter(
                        str(work / "remove_ids"),
                        exclusion_writer=JsonlWriter(str(work / "removed")),
                    ),
                    JsonlWriter(str(work / "kept")),
                ],
                args.workers,
            ),
        ),
    ]


def run_pipeline(args: argparse.Namespace) -> dict:
    work = args.work
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    phases = {}
    for name, executor in stages(args, work):
        wall, cpu = time.perf_counter(), time.process_time()
        executor.run()
        phases[name] = {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}
    removed = []
    for path in sorted((work / "removed").glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as stream:
            removed += [json.loads(line)["id"] for line in stream]
    kept = 0
    for path in sorted((work / "kept").glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as stream:
            kept += sum(1 for _ in stream)
    return {"phases": phases, "removed": sorted(removed), "kept": kept}


def signatures(args: argparse.Namespace) -> dict:
    texts = []
    for path in sorted(args.corpus.glob(GLOB)):
        with gzip.open(path, "rt", encoding="utf-8") as stream:
            texts += [json.loads(line)["text"] for line in stream]
        if len(texts) >= args.sample:
            break
    texts = texts[: args.sample]
    config = MinhashConfig(
        n_grams=args.ngram, num_buckets=args.bands, hashes_per_bucket=args.rows, seed=args.seed
    )
    step = MinhashDedupSignature(str(args.result.parent / "unused"), config=config)
    step.get_signature(step.get_shingles(texts[0]))  # loads the tokenizer outside the clock
    wall, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        shingles = step.get_shingles(text)
        if shingles.size:
            step.get_signature(shingles)
    phase = {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}
    return {"docs": len(texts), "phases": {"signatures": phase}}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=("pipeline", "signatures"))
    parser.add_argument("corpus", type=Path)
    parser.add_argument("paths", type=Path, nargs="+", help="[WORK_DIR] RESULT_JSON")
    parser.add_argument("--bands", type=int, required=True)
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--ngram", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1, help="of the hash permutations")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sample", type=int, default=10_000)
    args = parser.parse_args()
    if args.mode == "pipeline":
        args.work, args.result = args.paths
        result = run_pipeline(args)
    else:
        (args.result,) = args.paths
        result = signatures(args)
    args.result.write_text(json.dumps(result))


if __name__ == "__main__":
    main()
