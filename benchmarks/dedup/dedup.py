"""MinHash near-dedup end to end: dolmakit's minhash_dedup next to datasketch and datatrove.

What it measures
  On one corpus of planted near-duplicates (--docs documents, 200,000 by default), in the same
  run, three systems with the same settings: 5-word shingles, num_perm 128, threshold 0.8, and
  the LSH bands x rows of dolmakit's optimal_params(0.8, 128) (9 x 13, datasketch's own choice
  too). For each: the signature stage alone (docs per CPU-second of one process: per core), the
  whole job by the wall clock of its command, the peak memory of its process tree, and how its
  removed set agrees with the planted duplicates (benchmarks/dedup/score.py: precision and
  recall per document, clusters resolved).

The systems
  - dolmakit: `dolmakit run` of a pipeline with one step, minhash_dedup (default "fast" hash),
    run.workers 2, as a subprocess; its report.json and removed/ folder. The signature stage
    alone is MinHasher.signatures over the corpus texts (benchmarks/dedup/signatures.py). The
    same pipeline without steps (read + write) is timed too, to split off what dedup costs.
  - datasketch 2.0.0 (peer): MinHash.bulk(hashfunc=xxh32) over dolmakit's shingle bytes,
    MinHashLSH insert + query, union-find; one process (benchmarks/dedup/datasketch.py).
  - datatrove 0.10.1 (peer, a benchmark-only dependency in .bench/datatrove-venv): its four
    MinHash stages with LocalPipelineExecutor, 2 tasks/workers where it allows, on the same
    JSONL (benchmarks/peers/dedup_datatrove.py). Its signature stage alone is timed on the first
    --datatrove-sample texts (it is about 100x slower than dolmakit's).

Goals (the issue's acceptance)
  signatures >= 2.5x datasketch's docs/s per core; end to end faster than datatrove; precision
  and recall against the planted duplicates at least those of both peers.

The corpus
  benchmarks/dedup/corpus.py: bases of 100-300 words of mixed real sentences (State of the Union,
  Brown corpus), clusters of a base and 1 to 99 planted copies (20% exact, the others edited to
  a true shingle Jaccard of 0.85-0.97 with their base), in 4 gzipped Dolma JSONL files; cached
  under --workdir with a manifest and the truth, and reused.

Run
  .venv/bin/python -m benchmarks.dedup.dedup                 (200,000 documents, about 7 minutes)
  .venv/bin/python -m benchmarks.dedup.dedup --docs 20000    (a quick look)
  (--skip-datatrove, --skip-datasketch, --skip-baseline; --breakdown runs dolmakit once more
  and sums Beam's time per part of the graph; take figures when `uptime` is low)
"""

# ruff: noqa: E402
from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from benchmarks import REPO
from benchmarks.common.checkout import helper_env
from benchmarks.common.procs import Measured, run_measured
from benchmarks.dedup.corpus import CorpusSpec, Manifest, Truth, ensure_corpus, load_truth
from benchmarks.dedup.score import Agreement, agreement, describe
from dolmakit.dedup.signatures import MinHashConfig

PYTHON = Path(sys.executable)
CHECKOUT: Path | None = None  # --checkout: dolmakit's code from another tree (a "before" run)
DATATROVE_PYTHON = REPO / ".bench" / "datatrove-venv" / "bin" / "python"
THRESHOLD, NUM_PERM, NGRAM = 0.8, 128, 5
SIGNATURE_GOAL = 2.5
DOLMAKIT, DATASKETCH, DATATROVE = "dolmakit", "datasketch 2.0.0", "datatrove 0.10.1"


@dataclass
class System:
    name: str
    processes: int  # worker processes doing the work
    signature_rate: float | None = None  # docs per CPU-second, one process
    run: Measured | None = None
    docs: int = 0
    score: Agreement | None = None
    stages: list[tuple[str, float, int]] = field(default_factory=list)  # (stage, s, docs)
    notes: list[str] = field(default_factory=list)
    load: str = ""  # the load average right after its run
    seed_scores: list[Agreement] = field(default_factory=list)  # one per hash seed (--seeds)

    @property
    def docs_per_s(self) -> float:
        return self.docs / self.run.seconds


# --- dolmakit ----------------------------------------------------------------------------------


def pipeline_file(corpus: Path, output: Path, workers: int, dedup: bool, seed: int = 1) -> Path:
    minhash = {"threshold": THRESHOLD, "num_perm": NUM_PERM, "ngram": NGRAM, "seed": seed}
    steps = [{"type": "minhash_dedup", "config": {"minhash": minhash}}] if dedup else []
    config = {
        "name": "bench-dedup",
        "input": {"paths": [str(corpus / "*.jsonl.gz")]},
        "output": {"path": str(output)},
        "steps": steps,
        "run": {"workers": workers},
    }
    path = output.parent / f"{output.name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def dolmakit_run(
    corpus: Path, output: Path, workers: int, dedup: bool, seed: int = 1
) -> tuple[Measured, dict]:
    command = [
        str(PYTHON.parent / "dolmakit"),
        "run",
        str(pipeline_file(corpus, output, workers, dedup, seed)),
        "--quiet",
    ]
    report_path = output / "report.json"
    report_path.unlink(missing_ok=True)  # a failed run must not be read as an earlier one
    env = {**os.environ, "PYTHONPATH": str(CHECKOUT)} if CHECKOUT else None
    log = output.parent / f"{output.name}.log"
    measured = run_measured(command, log, cwd=CHECKOUT or REPO, env=env)  # workers import from cwd
    if measured.returncode != 0 or not report_path.is_file():
        sys.exit(f"dolmakit run failed (exit {measured.returncode}), see {measured.log}")
    return measured, json.loads(report_path.read_text())


def removed_ids(folder: Path) -> set[str]:
    ids = set()
    for path in sorted(folder.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as stream:
            ids.update(json.loads(line)["id"] for line in stream)
    return ids


def run_dolmakit(corpus: Path, work: Path, args: argparse.Namespace) -> tuple[System, set[str]]:
    system = System(DOLMAKIT, args.workers)
    alone = helper([str(PYTHON), "-m", "benchmarks.dedup.signatures"], corpus, work / "signatures")
    system.signature_rate = alone["docs"] / alone["phases"]["fast"]["cpu"]
    for name in ("fast", "xxh32"):
        label = f"signatures alone, {name} hash, 1 process (CPU s)"
        system.stages.append((label, alone["phases"][name]["cpu"], alone["docs"]))
    if not args.skip_baseline:
        base, report = dolmakit_run(corpus, work / "read-write", args.workers, dedup=False)
        label = f"read + write only, no steps, {args.workers} workers (command)"
        system.stages.append((label, base.seconds, report["totals"]["in"]))
    system.run, report = dolmakit_run(corpus, work / "minhash", args.workers, dedup=True)
    system.docs = report["totals"]["in"]
    label = f"whole pipeline, {args.workers} workers (report wall_seconds)"
    system.stages.append((label, report["wall_seconds"], system.docs))
    label = f"whole pipeline, {args.workers} workers (CPU s of the process tree: per core)"
    system.stages.append((label, system.run.cpu_seconds, system.docs))
    if not args.skip_baseline:
        label = "  minhash_dedup alone (command wall minus read + write)"
        system.stages.append((label, system.run.seconds - base.seconds, system.docs))
        label = "  minhash_dedup alone (CPU s minus read + write's: per core)"
        cpu = system.run.cpu_seconds - base.cpu_seconds
        system.stages.append((label, cpu, system.docs))
    system.notes += report_notes(report)
    removed = removed_ids(work / "minhash" / "removed")
    if args.breakdown:
        script = [str(PYTHON), "-m", "benchmarks.dedup.breakdown"]
        system.notes.append(breakdown_note(helper(script, work / "minhash.yaml", work / "parts")))
    return system, removed


def report_notes(report: dict) -> list[str]:
    totals = report["totals"]
    step = next(s for s in report["steps"] if s["type"] == "minhash_dedup")
    counters = {k: v for k, v in report["counters"].items() if k.startswith("minhash_dedup/")}
    absent = "" if "minhash_dedup/too_short" in counters else " (too_short absent: 0)"
    return [
        f"runner {report['runner']}; in {totals['in']:,} = kept {totals['kept']:,} + removed "
        f"{totals['removed']:,} + errors {totals['errors']:,}; step removed {step['removed']}",
        f"counters {counters}{absent}",
    ]


def breakdown_note(found: dict) -> str:
    total = sum(found["parts"].values())
    parts = ", ".join(f"{name} {seconds:.1f} s ({seconds / total:.0%})"
                      for name, seconds in found["parts"].items())  # fmt: skip
    return (
        f"Beam SDK time by part (--breakdown, one more run of {found['wall']:.1f} s wall, "
        f"summed over workers, {total:.1f} s in all; runner-side shuffles not included): {parts}"
    )


# --- the peers ---------------------------------------------------------------------------------


def helper(command: list[str], *paths: Path, options: list[str] = ()) -> dict:
    """Runs a helper script that writes its result as JSON to the last path."""
    result = paths[-1].with_suffix(".json")
    result.unlink(missing_ok=True)
    result.parent.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [*command, *map(str, paths[:-1]), str(result), *options],
        cwd=CHECKOUT or REPO,  # dolmakit's helpers import the code under test from there
        env=helper_env(CHECKOUT) if CHECKOUT else None,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0 or not result.is_file():
        sys.exit(f"{command[-1]} failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(result.read_text())


def measured_helper(
    command: list[str], paths: list[Path], options: list[str] = ()
) -> tuple[Measured, dict]:
    result = paths[-1].with_suffix(".json")
    result.unlink(missing_ok=True)
    result.parent.mkdir(parents=True, exist_ok=True)
    full = [*command, *map(str, paths[:-1]), str(result), *options]
    measured = run_measured(full, result.with_suffix(".log"), cwd=REPO)
    if measured.returncode != 0 or not result.is_file():
        sys.exit(f"{command[-1]} failed (exit {measured.returncode}), see {measured.log}")
    return measured, json.loads(result.read_text())


def run_datasketch(corpus: Path, work: Path) -> tuple[System, set[str]]:
    system = System(DATASKETCH, 1)
    system.run, result = measured_helper(
        [str(PYTHON), "-m", "benchmarks.dedup.datasketch"], [corpus, work / "result"]
    )
    system.docs = result["docs"]
    system.signature_rate = result["docs"] / result["phases"]["signatures"]["cpu"]
    for name, phase in result["phases"].items():
        system.stages.append(
            (f"{name} (wall s; CPU {phase['cpu']:.1f} s)", phase["wall"], result["docs"])
        )
    system.notes.append(
        f"MinHashLSH chose {result['bands']} bands x {result['rows']} rows; "
        f"{result['clusters']:,} clusters; too short "
        f"{result['too_short']}"
    )
    return system, set(result["removed"])


def run_datatrove(
    corpus: Path, work: Path, bands: int, rows: int, args: argparse.Namespace
) -> tuple[System, set[str]]:
    system = System(DATATROVE, args.workers)
    script = [str(DATATROVE_PYTHON), "-m", "benchmarks.peers.dedup_datatrove"]
    config = [
        "--bands",
        str(bands),
        "--rows",
        str(rows),
        "--ngram",
        str(NGRAM),
        "--workers",
        str(args.workers),
    ]
    alone = helper(
        [*script, "signatures"],
        corpus,
        work / "signatures",
        options=[*config, "--sample", str(args.datatrove_sample)],
    )
    phase = alone["phases"]["signatures"]
    system.signature_rate = alone["docs"] / phase["cpu"]
    system.stages.append(("signatures alone, 1 process (CPU s)", phase["cpu"], alone["docs"]))
    system.run, result = measured_helper(
        [*script, "pipeline"], [corpus, work / "work", work / "result"], config
    )
    system.docs = args.docs
    for name, stage in result["phases"].items():
        system.stages.append((f"stage {name} (wall s)", stage["wall"], args.docs))
    system.notes.append(
        f"MinhashConfig(n_grams={NGRAM}, num_buckets={bands}, hashes_per_bucket="
        f"{rows}), 64-bit xxhash; kept {result['kept']:,}"
    )
    return system, set(result["removed"])


# --- more hash seeds: the agreement only ---


def removed_with_seed(
    name: str, seed: int, corpus: Path, work: Path, bands: int, rows: int, workers: int
) -> set[str]:
    """The removed set of one more run of a system with other hash permutations (seed)."""
    if name == DOLMAKIT:
        output = work / "dolmakit" / f"minhash-seed{seed}"
        dolmakit_run(corpus, output, workers, dedup=True, seed=seed)
        return removed_ids(output / "removed")
    if name == DATASKETCH:
        script = [str(PYTHON), "-m", "benchmarks.dedup.datasketch"]
        _, result = measured_helper(script, [corpus, work / "datasketch" / f"seed{seed}"],
                                    ["--seed", str(seed)])  # fmt: skip
        return set(result["removed"])
    script = [str(DATATROVE_PYTHON), "-m", "benchmarks.peers.dedup_datatrove", "pipeline"]
    options = ["--bands", str(bands), "--rows", str(rows), "--ngram", str(NGRAM),
               "--workers", str(workers), "--seed", str(seed)]  # fmt: skip
    folder = work / "datatrove" / f"seed{seed}"
    _, result = measured_helper(script, [corpus, folder / "work", folder / "result"], options)
    return set(result["removed"])


def mean_sd(values: list[float]) -> tuple[float, float]:
    return statistics.fmean(values), statistics.stdev(values) if len(values) > 1 else 0.0


# --- reporting ---------------------------------------------------------------------------------


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def describe_corpus(manifest: Manifest, truth: Truth, folder: Path) -> str:
    spec = manifest.spec
    sizes = Counter(len(members) for members in truth.clusters)
    edited = [j for j in truth.jaccard.values() if j < 1.0]
    megabytes, mean = sum(manifest.files.values()) / 1e6, sum(edited) / len(edited)
    return "\n".join(
        [
            f"corpus: {folder} ({len(manifest.files)} files, {megabytes:.1f} MB gzipped; "
            f"built in {manifest.seconds:.0f} s, seed {spec.seed})",
            f"corpus: {spec.docs:,} documents of {spec.min_words}-{spec.max_words} words (mean "
            f"{manifest.words / spec.docs:.0f}), {manifest.words / 1e6:.1f}M words",
            f"corpus: {manifest.clusters:,} planted clusters holding {manifest.duplicates:,} "
            f"duplicates ({manifest.exact_copies:,} exact copies, {len(edited):,} edited to a "
            f"true Jaccard of {min(edited):.3f}-{max(edited):.3f}, mean {mean:.3f})",
            "corpus: cluster sizes " + ", ".join(f"{n}: {k}" for n, k in sorted(sizes.items())),
        ]
    )


def print_system(system: System) -> None:
    run = system.run
    print(
        f"\n{system.name}: {run.seconds:.1f} s by the command wall, "
        f"{system.docs_per_s:,.0f} docs/s; peak tree PSS {run.peak_tree_mib:,.0f} MiB "
        f"(largest process {run.max_rss_mib:,.0f} MiB RSS, up to {run.processes} "
        f"processes); load after it {system.load}"
    )
    for name, seconds, docs in system.stages:
        print(f"  {name:62s} {seconds:8.2f} s {docs / seconds:10,.0f} docs/s")
    for line in system.notes + describe(system.score):
        print(f"  {line}")


def table(systems: list[System]) -> str:
    header = (
        f"{'system':18s}{'procs':>6s}{'sig docs/s/core':>16s}{'end-to-end s':>13s}"
        f"{'docs/s':>8s}{'peak MiB':>10s}{'precision':>10s}{'recall':>8s}"
        f"{'clusters ok':>12s}"
    )
    lines = [header, "-" * len(header)]
    for s in systems:
        lines.append(
            f"{s.name:18s}{s.processes:>6d}{s.signature_rate:>16,.0f}{s.run.seconds:>13.1f}"
            f"{s.docs_per_s:>8,.0f}{s.run.peak_tree_mib:>10,.0f}{s.score.precision:>10.4f}"
            f"{s.score.recall:>8.4f}{s.score.cluster_recall:>12.2%}"
        )
    return "\n".join(lines)


def goals(systems: dict[str, System]) -> list[str]:
    ours, lines = systems[DOLMAKIT], []
    if peer := systems.get(DATASKETCH):
        ratio = ours.signature_rate / peer.signature_rate
        lines.append(
            f"signatures >= {SIGNATURE_GOAL}x {DATASKETCH} per core: {ratio:.2f}x -> "
            f"{'met' if ratio >= SIGNATURE_GOAL else 'NOT MET'}"
        )
    if peer := systems.get(DATATROVE):
        ratio = peer.run.seconds / ours.run.seconds
        lines.append(
            f"end to end faster than {DATATROVE}: {ours.run.seconds:.1f} s vs "
            f"{peer.run.seconds:.1f} s ({ratio:.2f}x) -> "
            f"{'met' if ratio > 1 else 'NOT MET'}"
        )
    peers = [s for name, s in systems.items() if name != DOLMAKIT]
    if peers:
        lines.append(agreement_goal(ours, peers))
    return lines


def agreement_goal(ours: System, peers: list[System]) -> str:
    """Precision and recall each at least every peer's, as means over the hash seeds (--seeds).
    A shortfall is set against the noise of the difference: 2 standard errors, from the spread
    over seeds or, at least, from the sampling noise of one rate, sqrt(2 v (1 - v) / n / K) (v the
    peer's rate, n the removed documents or the planted duplicates, K seeds): the hash functions
    differ, so which pairs near the threshold each system finds is a matter of chance."""
    short, beyond = [], False
    for peer in peers:
        for measure, n in (("precision", peer.score.removed), ("recall", peer.score.duplicates)):
            gap, noise = gap_and_noise(ours, peer, measure, n)
            if gap > 0:
                beyond |= gap > noise
                side = "beyond" if gap > noise else "within"
                short.append(
                    f"{measure} {gap:.4f} (~{gap * n:.0f} documents) below {peer.name}, "
                    f"{side} noise {noise:.4f}"
                )
    names = " and ".join(peer.name for peer in peers)
    if not short:
        verdict = "met"
    else:
        tie = "" if beyond else " (a tie within sampling noise)"
        verdict = f"NOT MET{tie}: " + "; ".join(short)
    seeds = len(ours.seed_scores)
    over = f" (means over {seeds} hash seeds)" if seeds > 1 else ""
    precision, recall = rate(ours, "precision")[0], rate(ours, "recall")[0]
    return (
        f"agreement with the planted duplicates at least {names}'s{over}: precision "
        f"{precision:.4f}, recall {recall:.4f} -> {verdict}"
    )


def rate(system: System, measure: str) -> tuple[float, float, int]:
    """(mean, standard deviation, seeds) of precision or recall over the seeds run."""
    values = [getattr(score, measure) for score in system.seed_scores or [system.score]]
    return (*mean_sd(values), len(values))


def gap_and_noise(ours: System, peer: System, measure: str, n: int) -> tuple[float, float]:
    mine, my_sd, k = rate(ours, measure)
    theirs, their_sd, j = rate(peer, measure)
    sampling = (2 * theirs * (1 - theirs) / max(n, 1) / min(k, j)) ** 0.5
    spread = (my_sd**2 / k + their_sd**2 / j) ** 0.5
    return theirs - mine, 2 * max(sampling, spread)


def print_seeds(systems: dict[str, System]) -> None:
    for system in systems.values():
        recalls = " ".join(f"{score.recall:.4f}" for score in system.seed_scores)
        mean, sd, k = rate(system, "recall")
        print(f"{system.name:18s} recall per hash seed 1..{k}: {recalls}; "
              f"mean {mean:.4f} ± {sd:.4f}")  # fmt: skip


# --- main --------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=200_000)
    parser.add_argument("--files", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", type=Path, default=REPO / ".bench" / "dedup")
    parser.add_argument(
        "--datatrove-sample",
        type=int,
        default=10_000,
        help="texts of datatrove's signature stage timed alone",
    )
    parser.add_argument(
        "--seeds", type=int, default=1,
        help="hash seeds 1..K: every system runs K times (seeds after the first: agreement only)",
    )  # fmt: skip
    parser.add_argument("--skip-datatrove", action="store_true")
    parser.add_argument("--skip-datasketch", action="store_true")
    parser.add_argument(
        "--checkout", type=Path, help="run dolmakit's code from this tree (e.g. an earlier commit)"
    )
    parser.add_argument(
        "--skip-baseline", action="store_true", help="do not time dolmakit's read + write pipeline"
    )
    parser.add_argument(
        "--breakdown", action="store_true", help="run dolmakit once more, Beam's time per part"
    )
    return parser.parse_args()


def main() -> None:
    global CHECKOUT
    args = parse_args()
    CHECKOUT = args.checkout and args.checkout.resolve()
    print(f"load average (1, 5, 15 min) at start: {load()}; {os.cpu_count()} cores")
    spec = CorpusSpec(docs=args.docs, files=args.files, seed=args.seed)
    folder = args.workdir / f"corpus-{args.docs}-{args.files}f-s{args.seed}"
    manifest = ensure_corpus(folder, spec)
    truth = load_truth(folder)
    print(describe_corpus(manifest, truth, folder))
    bands, rows = MinHashConfig(threshold=THRESHOLD, num_perm=NUM_PERM).lsh_params()
    print(
        f"settings: {NGRAM}-word shingles, num_perm {NUM_PERM}, threshold {THRESHOLD}: "
        f"{bands} bands x {rows} rows (optimal_params({THRESHOLD}, {NUM_PERM})); datatrove "
        f"MinhashConfig(num_buckets={bands}, hashes_per_bucket={rows}), {bands * rows} hashes"
    )
    print(
        "peak memory: largest sum of PSS over the command's process tree, /proc polled every "
        "0.2 s; 'largest process' is os.wait4's ru_maxrss"
    )
    work = args.workdir / "runs"
    runs = [("dolmakit", lambda: run_dolmakit(folder, work / "dolmakit", args))]
    if not args.skip_datasketch:
        runs.append(("datasketch", lambda: run_datasketch(folder, work / "datasketch")))
    if not args.skip_datatrove:
        runs.append(
            ("datatrove", lambda: run_datatrove(folder, work / "datatrove", bands, rows, args))
        )
    systems: dict[str, System] = {}
    for label, run in runs:
        print(f"\nrunning {label} (load {load()}) ...", flush=True)
        started = time.perf_counter()
        system, removed = run()
        system.score = agreement(removed, truth, bands, rows)
        system.seed_scores.append(system.score)
        system.load = load()
        systems[system.name] = system
        print(f"  done in {time.perf_counter() - started:.0f} s", flush=True)
    for seed in range(2, args.seeds + 1):
        for system in systems.values():
            print(f"running {system.name} with hash seed {seed} (load {load()}) ...", flush=True)
            removed = removed_with_seed(system.name, seed, folder, work, bands, rows, args.workers)
            system.seed_scores.append(agreement(removed, truth, bands, rows))
    for system in systems.values():
        print_system(system)
    print()
    print(table(list(systems.values())))
    print(
        "(procs: worker processes; sig docs/s/core: the signature stage alone, docs per "
        "CPU-second of one process; clusters ok: planted clusters left with exactly one member)"
    )
    if args.seeds > 1:
        print()
        print_seeds(systems)
    print()
    for line in goals(systems):
        print(line)
    print(f"load average at end: {load()}")


if __name__ == "__main__":
    main()
