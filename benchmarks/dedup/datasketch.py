"""The datasketch peer of benchmarks/dedup/dedup.py, run as its own process (dolmakit's venv):

    python -m benchmarks.dedup.datasketch CORPUS_DIR RESULT_JSON [--threshold 0.8]

datasketch 2.0.0 as text-dedup uses it, in one process: the shingle bytes of each text
(dolmakit.dedup.signatures.shingles, 5 words, so the shingles are dolmakit's), MinHash.bulk with
hashfunc xxh32 (num_perm 128), MinHashLSH(threshold, num_perm 128) filled in an insertion
session, then every document queried; the query results are joined by union-find and each
cluster keeps its smallest id. Wall and CPU seconds of each phase go to RESULT_JSON with the
removed ids.
"""

# ruff: noqa: E402
from __future__ import annotations

import argparse
import gzip
import json
import time
from pathlib import Path

import xxhash
from datasketch import MinHash, MinHashLSH

from dolmakit.dedup.signatures import shingles

NGRAM, NUM_PERM, CHUNK = 5, 128, 1000


class Clock:
    def __init__(self) -> None:
        self.phases: dict[str, dict[str, float]] = {}

    def phase(self, name: str) -> _Phase:
        return _Phase(self, name)


class _Phase:
    def __init__(self, clock: Clock, name: str):
        self.clock, self.name = clock, name

    def __enter__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def __exit__(self, *_: object) -> None:
        self.clock.phases[self.name] = {
            "wall": time.perf_counter() - self.wall,
            "cpu": time.process_time() - self.cpu,
        }


def read(folder: Path) -> tuple[list[str], list[str]]:
    ids, texts = [], []
    for path in sorted(folder.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as stream:
            for line in stream:
                row = json.loads(line)
                ids.append(row["id"])
                texts.append(row["text"])
    return ids, texts


def signatures(texts: list[str], seed: int) -> tuple[list[int], list[MinHash]]:
    """(indices of the texts with a shingle, their MinHashes), in chunks to bound memory."""
    kept, sketches = [], []
    for start in range(0, len(texts), CHUNK):
        chunk = [
            (i, shingles(text, NGRAM)) for i, text in enumerate(texts[start : start + CHUNK], start)
        ]
        chunk = [(i, s) for i, s in chunk if s]
        kept += [i for i, _ in chunk]
        sketches += MinHash.bulk(
            [s for _, s in chunk], num_perm=NUM_PERM, seed=seed, hashfunc=xxhash.xxh32_intdigest
        )
    return kept, sketches


def clusters(
    lsh: MinHashLSH, indices: list[int], sketches: list[MinHash], ids: list[str]
) -> dict[int, int]:
    """Union-find over every query result: document index -> its cluster's smallest-id member."""
    parent: dict[int, int] = {}

    def find(node: int) -> int:
        root = node
        while parent.get(root, root) != root:
            root = parent[root]
        while node != root:  # path compression
            parent[node], node = root, parent[node]
        return root

    for index, sketch in zip(indices, sketches, strict=True):
        for other in lsh.query(sketch):
            a, b = find(index), find(other)
            if a != b:  # the root is the smaller id, so it is the one kept
                parent[max(a, b, key=ids.__getitem__)] = min(a, b, key=ids.__getitem__)
    return {node: find(node) for node in parent}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", type=Path)
    parser.add_argument("result", type=Path)
    parser.add_argument("--threshold", type=float, default=0.8)
    parser.add_argument("--seed", type=int, default=1, help="of the hash permutations")
    args = parser.parse_args()
    clock = Clock()
    with clock.phase("read"):
        ids, texts = read(args.corpus)
    with clock.phase("signatures"):
        indices, sketches = signatures(texts, args.seed)
    lsh = MinHashLSH(threshold=args.threshold, num_perm=NUM_PERM)
    with clock.phase("lsh insert"), lsh.insertion_session() as session:
        for index, sketch in zip(indices, sketches, strict=True):
            session.insert(index, sketch, check_duplication=False)
    with clock.phase("lsh query + union-find"):
        roots = clusters(lsh, indices, sketches, ids)
    removed = [ids[node] for node, root in roots.items() if node != root]
    result = {
        "docs": len(ids),
        "too_short": len(ids) - len(indices),
        "bands": lsh.b,
        "rows": lsh.r,
        "clusters": len(set(roots.values())),
        "phases": clock.phases,
        "removed": sorted(removed),
    }
    args.result.write_text(json.dumps(result))


if __name__ == "__main__":
    main()
