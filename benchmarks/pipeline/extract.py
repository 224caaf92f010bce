"""WARC -> kept documents: throughput of the full dolmakit pipeline next to a floor.

What it measures
  The real `dolmakit run benchmarks/pipeline/extract.yaml` (read WARC, decode, extract with
  resiliparse, text_stats_v1, length filter, write documents/removed/errors as gzipped JSONL and
  the report) on a corpus of at least 20 MB of compressed WARC, as a subprocess: once by the wall
  clock of the whole command (interpreter start, Beam startup and teardown included) and once by
  the pipeline's own wall_seconds from its report.json.

The peer (the floor)
  The least any WARC -> text extractor must do, measured in the same run on the same files:
  fastwarc iteration of response records plus charset detection and resiliparse main-content
  extraction of the HTML 200s, in a bare loop, one process per core (multiprocessing.Pool),
  nothing written. Goal: the pipeline reaches at least 70% of the floor's records/s.

The corpus
  Built from the shared real captures (../shared/data/warc or $DOLMAKIT_SHARED_DATA/warc): every
  record re-written, again and again, with fresh ids, into N .warc.gz files with one gzip member
  per record; cached under --workdir and reused (see benchmarks/common/corpus.py).

Run
  .venv/bin/python -m benchmarks.pipeline.extract    (256 MB corpus; --mb 20 for a quick look)
  (--repeat K keeps the best of K runs of each; --skip-floor / --skip-pipeline for debugging)
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from resiliparse.extract.html2text import extract_plain_text

from benchmarks import REPO
from benchmarks.common.corpus import (
    MB,
    Manifest,
    ensure_corpus,
    html_responses,
    shared_warc_dir,
    source_files,
)

PIPELINE = "benchmarks/pipeline/extract.yaml"
GOAL = 0.70
MIN_MB = 20


@dataclass
class Measurement:
    label: str
    records: int  # WARC response records read
    seconds: float
    input_bytes: int
    kept: int | None = None  # documents written (the pipeline) or texts extracted (the floor)

    @property
    def records_per_s(self) -> float:
        return self.records / self.seconds

    @property
    def mb_per_s(self) -> float:
        return self.input_bytes / MB / self.seconds


# --- the floor -------------------------------------------------------------------------------


def floor_file(path: str) -> tuple[int, int]:
    """(response records, texts extracted) of one file: fastwarc + resiliparse, nothing else."""
    records = texts = 0
    for _, html in html_responses(path):
        records += 1
        if html is not None:
            text = extract_plain_text(
                html, main_content=True, preserve_formatting=True, list_bullets=True
            )
            texts += bool(text)
    return records, texts


def measure_floor(files: list[Path], processes: int) -> Measurement:
    started = time.perf_counter()
    with multiprocessing.Pool(processes=processes) as pool:
        results = pool.map(floor_file, [str(path) for path in files], chunksize=1)
    seconds = time.perf_counter() - started
    size = sum(path.stat().st_size for path in files)
    records, texts = (sum(column) for column in zip(*results, strict=True))
    return Measurement("floor", records, seconds, size, texts)


# --- the pipeline ----------------------------------------------------------------------------


def run_pipeline(corpus: Path, output: Path) -> tuple[float, dict]:
    """(wall seconds of the whole command, its report.json)."""
    command = [
        str(Path(sys.executable).parent / "dolmakit"),
        "run",
        PIPELINE,
        "--set",
        f"input.paths={json.dumps([str(corpus / '*.warc.gz')])}",
        "--output",
        str(output),
        "--quiet",
    ]
    report_path = output / "report.json"
    report_path.unlink(missing_ok=True)  # a failed run must not be read as an earlier one
    started = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if not report_path.is_file():
        sys.exit(f"dolmakit run failed (exit {done.returncode}):\n{done.stdout}\n{done.stderr}")
    if done.returncode != 0:
        print(f"note: dolmakit run exited {done.returncode}:\n{done.stdout.strip()}")
    return seconds, json.loads(report_path.read_text())


def measure_pipeline(corpus: Path, output: Path) -> tuple[Measurement, Measurement, dict]:
    command_seconds, report = run_pipeline(corpus, output)
    totals, size = report["totals"], report["input"]["bytes"]
    command = Measurement(
        "dolmakit (command wall)", totals["in"], command_seconds, size, totals["kept"]
    )
    inner = Measurement(
        "dolmakit (pipeline wall)", totals["in"], report["wall_seconds"], size, totals["kept"]
    )
    return command, inner, report


# --- reporting -------------------------------------------------------------------------------


@dataclass
class Results:
    floors: list[Measurement] = field(default_factory=list)
    # (by the command wall, by the pipeline wall, report.json) per run
    pipelines: list[tuple[Measurement, Measurement, dict]] = field(default_factory=list)


def best(runs: list[Measurement]) -> Measurement:
    return min(runs, key=lambda run: run.seconds)


def table(rows: list[Measurement], floor: Measurement | None) -> str:
    header = f"{'':26}{'records':>9}{'seconds':>10}{'records/s':>11}{'MB/s':>8}{'vs floor':>10}"
    lines = [header, "-" * len(header)]
    for row in rows:
        ratio = f"{row.records_per_s / floor.records_per_s:.0%}" if floor else "-"
        lines.append(
            f"{row.label:26}{row.records:>9,}{row.seconds:>10.2f}{row.records_per_s:>11,.1f}"
            f"{row.mb_per_s:>8.2f}{ratio:>10}"
        )
    return "\n".join(lines)


def verdict(pipeline: Measurement, floor: Measurement) -> str:
    ratio = pipeline.records_per_s / floor.records_per_s
    if ratio >= GOAL:
        return f"GOAL MET ({ratio:.0%} >= {GOAL:.0%}, by the command wall)"
    return f"GOAL NOT MET ({ratio:.0%} < {GOAL:.0%}, by the command wall)"


def describe_corpus(manifest: Manifest, folder: Path) -> str:
    kinds = ", ".join(f"{n:,} {kind}" for kind, n in manifest.records.items())
    skipped = (
        f"; {manifest.skipped_truncated:,} clipped records left out"
        if manifest.skipped_truncated
        else ""
    )
    return (
        f"corpus: {folder} ({len(manifest.files)} files, {manifest.total_bytes / MB:.1f} MB "
        f"compressed, {manifest.passes} passes over {len(manifest.sources)} source files)\n"
        f"records: {kinds}{skipped}"
    )


def describe_pipeline(report: dict, command: Measurement) -> str:
    totals = report["totals"]
    read_removed = report["steps"][0]["removed"]
    top = ", ".join(f"{reason} {n:,}" for reason, n in list(read_removed.items())[:4])
    startup = command.seconds - report["wall_seconds"]
    return (
        f"dolmakit: in {totals['in']:,} = kept {totals['kept']:,} + removed "
        f"{totals['removed']:,} + errors {totals['errors']:,}; "
        f"{totals['kept'] / command.seconds:,.1f} kept/s by the command wall, "
        f"{totals['kept'] / report['wall_seconds']:,.1f} by the pipeline wall\n"
        f"dolmakit: read removed {top}\n"
        f"dolmakit: {startup:.2f} s of the command is outside the pipeline wall "
        f"(interpreter, imports, graph, report); runner {report['runner']}"
    )


# --- main ------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=256, help="corpus size, compressed MB")
    parser.add_argument("--files", type=_positive, default=8, help="corpus files (default 8)")
    parser.add_argument("--workdir", type=Path, default=REPO / ".bench" / "extract")
    parser.add_argument("--repeat", type=_positive, default=1, help="runs of each; best counts")
    parser.add_argument("--seed", type=int, default=0, help="seed of the fresh record ids")
    parser.add_argument("--skip-floor", action="store_true")
    parser.add_argument("--skip-pipeline", action="store_true")
    return parser.parse_args()


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return number


def measure(args: argparse.Namespace, corpus: Path, files: list[Path], processes: int) -> Results:
    results = Results()
    for _ in range(args.repeat):  # interleaved, so a slow spell of the machine hits both
        if not args.skip_floor:
            results.floors.append(measure_floor(files, processes))
        if not args.skip_pipeline:
            results.pipelines.append(measure_pipeline(corpus, args.workdir / "out"))
    return results


def print_results(results: Results, processes: int) -> None:
    floor = best(results.floors) if results.floors else None
    rows = [floor] if floor else []
    if results.pipelines:
        command, inner, report = min(results.pipelines, key=lambda run: run[0].seconds)
        rows += [command, inner]
    print()
    print(table(rows, floor))
    print()
    print(f"floor: fastwarc + resiliparse bare loop, {processes} processes")
    if floor:
        print(f"floor: extracted {floor.kept:,} texts from {floor.records:,} response records")
    if len(results.floors) + len(results.pipelines) > 2:
        print(f"runs (best counts): floor {_seconds(results.floors)}; dolmakit command "
              f"{_seconds([run[0] for run in results.pipelines])}")  # fmt: skip
    if results.pipelines:
        print(describe_pipeline(report, command))
        if floor and floor.records != command.records:
            print(f"note: the floor read {floor.records:,} responses, dolmakit {command.records:,}")
    if floor and results.pipelines:
        print(verdict(command, floor))
        print(f"(by the pipeline wall: {inner.records_per_s / floor.records_per_s:.0%})")


def _seconds(runs: list[Measurement]) -> str:
    return ", ".join(f"{run.seconds:.2f}" for run in runs) + " s" if runs else "-"


def main() -> None:
    args = parse_args()
    warc_dir = shared_warc_dir(REPO)
    sources = source_files(warc_dir)
    if not sources:
        print(f"skipped: no shared WARC captures in {warc_dir} (set DOLMAKIT_SHARED_DATA)")
        return
    if args.mb < MIN_MB:
        print(f"note: --mb {args.mb:g} is below the {MIN_MB} MB the benchmark is specified for")
    corpus = args.workdir / f"corpus-{args.mb:g}mb-{args.files}f"
    started = time.perf_counter()
    manifest = ensure_corpus(sources, corpus, args.mb, args.files, args.seed)
    print(describe_corpus(manifest, corpus) + f" (ready in {time.perf_counter() - started:.1f} s)")
    files = sorted(corpus / name for name in manifest.files)
    processes = os.cpu_count() or 1
    print_results(measure(args, corpus, files, processes), processes)


if __name__ == "__main__":
    main()
