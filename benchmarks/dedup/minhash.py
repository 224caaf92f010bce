"""MinHash near-dedup: the LSH detection curve on edited real text, and signature throughput.

    .venv/bin/python -m benchmarks.dedup.minhash                 # both parts
    .venv/bin/python -m benchmarks.dedup.minhash --skip-speed    # the curve only

Curve: passages of 300 to 1,000 words of real public-domain text (State of the Union addresses
and the Brown corpus, dolmakit.io.corpora) are copied and edited word by word (60% substitutions,
20% deletions, 20% insertions of corpus words) until the TRUE Jaccard of the two shingle sets
lies within --tolerance of s, for s = 0.5, 0.7, 0.8, 0.9 and --pairs pairs each. Every document
gets a signature and band keys (bands x rows from optimal_params(--threshold, num_perm) unless
--bands/--rows are given); a pair is detected when it shares a band key. The measured rate is
compared with the LSH curve 1 - (1 - J**r)**b averaged over the pairs' true J (and at s itself).

Speed: signatures of --docs 1,000-word documents (num_perm 128, 5-word shingles) in one
process; docs per CPU-second of the process is the per-core rate (wall docs/s is printed too; it
drops when other jobs share the cores). The peer is datasketch 2.0.0 end to end as text-dedup
uses it: shingle bytes built in Python, then MinHash.bulk(hashfunc=xxh32_intdigest). Best of
--repeat interleaved runs.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import xxhash
from datasketch import MinHash

from dolmakit.dedup.lsh import detection_probability, optimal_params
from dolmakit.dedup.signatures import MinHashConfig, MinHasher, band_keys, shingle_tokens, shingles
from dolmakit.io.corpora import texts

TARGETS = (0.5, 0.7, 0.8, 0.9)
NGRAM, NUM_PERM, BATCH = 5, 128, 32


@dataclass
class Pair:
    a: str
    b: str
    jaccard: float


def corpus_texts() -> list[str]:
    return [text for name in ("sotu", "brown") for _, text in texts(name)]


# --- the curve ---


def windows(tokens: list[str]) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + NGRAM]) for i in range(len(tokens) - NGRAM + 1)}


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b)


def edit(tokens: list[str], vocabulary: list[str], rng: random.Random) -> None:
    position, op = rng.randrange(len(tokens)), rng.random()
    if op < 0.6:
        tokens[position] = rng.choice(vocabulary)
    elif op < 0.8:
        del tokens[position]
    else:
        tokens.insert(position, rng.choice(vocabulary))


def controlled_pair(
    documents: list[list[str]], target: float, tolerance: float, rng: random.Random
) -> Pair | None:
    """A real passage and an edited copy of shingle Jaccard target +- tolerance, or None when
    the last edit jumped over the window."""
    document = rng.choice(documents)
    length = min(len(document), rng.randint(300, 1000))
    start = rng.randrange(len(document) - length + 1)
    base = document[start : start + length]
    base_windows, edited = windows(base), list(base)
    # most edits at once: each one removes about NGRAM shingles and adds as many
    for _ in range(int(0.7 * len(base_windows) * (1 - target) / (NGRAM * (1 + target)))):
        edit(edited, document, rng)
    while (measured := jaccard(base_windows, windows(edited))) > target + tolerance:
        edit(edited, document, rng)
    if measured < target - tolerance:
        return None
    return Pair(" ".join(base), " ".join(edited), measured)


def build_pairs(count: int, target: float, tolerance: float, seed: int) -> list[Pair]:
    rng = random.Random(f"{seed}-{target}")
    documents = [tokens for text in corpus_texts() if len(tokens := shingle_tokens(text)) >= 300]
    pairs: list[Pair] = []
    while len(pairs) < count:
        if pair := controlled_pair(documents, target, tolerance, rng):
            pairs.append(pair)
    return pairs


def detection_rate(hasher: MinHasher, pairs: list[Pair], bands: int, rows: int) -> float:
    detected = 0
    for start in range(0, len(pairs), BATCH):
        chunk = pairs[start : start + BATCH]
        sigs = hasher.signatures([text for pair in chunk for text in (pair.a, pair.b)])
        for a, b in zip(sigs[::2], sigs[1::2], strict=True):
            detected += not set(band_keys(a, bands, rows)).isdisjoint(band_keys(b, bands, rows))
    return detected / len(pairs)


def curve(args: argparse.Namespace) -> None:
    bands, rows = (
        (args.bands, args.rows) if args.bands else optimal_params(args.threshold, NUM_PERM)
    )
    print(f"LSH curve: num_perm {NUM_PERM}, {NGRAM}-word shingles, {bands} bands x {rows} rows "
          f"({'given' if args.bands else f'optimal_params({args.threshold}, {NUM_PERM})'}); "
          f"{args.pairs} pairs per s, true Jaccard within +-{args.tolerance}")  # fmt: skip
    started = time.perf_counter()
    pairs = {s: build_pairs(args.pairs, s, args.tolerance, args.seed) for s in TARGETS}
    print(f"pairs built in {time.perf_counter() - started:.0f} s")
    header = (
        "hash    s     pairs  mean J   P(s)    E[P(J)]  measured  |m-E|   |m-P(s)|  within 0.05"
    )
    print(header)
    for hash_name in args.hashes.split(","):
        hasher = MinHasher(MinHashConfig(num_perm=NUM_PERM, ngram=NGRAM, hash=hash_name))
        for s, group in pairs.items():
            js = np.array([pair.jaccard for pair in group])
            expected = float(np.mean(detection_probability(js, bands, rows)))
            at_s = float(detection_probability(s, bands, rows))
            measured = detection_rate(hasher, group, bands, rows)
            ok = abs(measured - expected) <= 0.05 and abs(measured - at_s) <= 0.05
            print(f"{hash_name:6s}  {s:.1f}  {len(group):6d}  {js.mean():.4f}  {at_s:.4f}  "
                  f"{expected:.4f}   {measured:.4f}    {abs(measured - expected):.4f}  "
                  f"{abs(measured - at_s):.4f}    {'yes' if ok else 'NO'}")  # fmt: skip


# --- the speed ---


def thousand_word_documents(count: int) -> list[str]:
    documents = []
    for text in corpus_texts():
        words = text.split()
        documents += [" ".join(words[i : i + 1000]) for i in range(0, len(words) - 999, 1000)]
    return random.Random(0).sample(documents, min(count, len(documents)))


def contenders(documents: list[str]) -> dict[str, Callable[[], object]]:
    fast, compatible = MinHasher(), MinHasher(MinHashConfig(hash="xxh32"))

    def batches(hasher: MinHasher) -> Callable[[], object]:
        return lambda: [
            hasher.signatures(documents[i : i + BATCH]) for i in range(0, len(documents), BATCH)
        ]

    def peer() -> list[MinHash]:
        shingled = [shingles(text, NGRAM) for text in documents]
        return MinHash.bulk(shingled, num_perm=NUM_PERM, hashfunc=xxhash.xxh32_intdigest)

    return {
        "datasketch MinHash.bulk, xxh32 (peer)": peer,
        "dolmakit xxh32 (bit-identical), per doc": lambda: list(
            map(compatible.signature, documents)
        ),
        f"dolmakit xxh32 (bit-identical), batch {BATCH}": batches(compatible),
        "dolmakit fast (default), per doc": lambda: list(map(fast.signature, documents)),
        f"dolmakit fast (default), batch {BATCH}": batches(fast),
    }


def speed(args: argparse.Namespace) -> None:
    documents = thousand_word_documents(args.docs)
    words = np.mean([len(text.split()) for text in documents])
    print(f"\nSignature throughput: {len(documents)} documents of {words:.0f} words, num_perm "
          f"{NUM_PERM}, {NGRAM}-word shingles, 1 process; best of {args.repeat}")  # fmt: skip
    runs = contenders(documents)
    compatible = MinHasher(MinHashConfig(hash="xxh32")).signatures(documents)
    same = all(np.array_equal(m.hashvalues, s) for m, s in zip(runs["datasketch MinHash.bulk, "
               "xxh32 (peer)"](), compatible, strict=True))  # fmt: skip
    print(f"xxh32 signatures bit-identical to datasketch on all documents: {same}")
    # CPU seconds of this process: per core, and not stretched when other jobs share the cores
    cpu, wall = dict.fromkeys(runs, float("inf")), dict.fromkeys(runs, float("inf"))
    for _ in range(args.repeat):
        for name, run in runs.items():
            started, started_cpu = time.perf_counter(), time.process_time()
            run()
            cpu[name] = min(cpu[name], time.process_time() - started_cpu)
            wall[name] = min(wall[name], time.perf_counter() - started)
    peer = cpu["datasketch MinHash.bulk, xxh32 (peer)"]
    print(f"{'':44s} {'docs/CPU-s':>10s}  {'vs peer':>7s}  {'docs/s wall':>11s}")
    for name in runs:
        rate, ratio, wall_rate = (
            len(documents) / cpu[name],
            peer / cpu[name],
            len(documents) / wall[name],
        )
        print(f"{name:44s} {rate:10.0f}  {ratio:6.2f}x  {wall_rate:11.0f}")


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=1000)
    parser.add_argument("--tolerance", type=float, default=0.005)
    parser.add_argument("--threshold", type=float, default=0.8)
    parser.add_argument("--bands", type=int)
    parser.add_argument("--rows", type=int)
    parser.add_argument("--hashes", default="fast,xxh32")
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-curve", action="store_true")
    parser.add_argument("--skip-speed", action="store_true")
    args = parser.parse_args()
    print(f"load average (1, 5, 15 min) at start: {load()}")
    if not args.skip_curve:
        curve(args)
    if not args.skip_speed:
        speed(args)
    print(f"load average at end: {load()}")


if __name__ == "__main__":
    main()
