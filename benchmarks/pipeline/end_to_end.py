"""WARC -> filtered JSONL, end to end: dolmakit, datatrove 0.10.1 and a bare-library floor.

What it measures
  One chain, FineWeb's without its URL filter and dedup, in three implementations run one after
  the other on the same corpus, 2 workers each: extract (resiliparse main content) -> fastText
  lid.176, English >= 0.65 -> Gopher repetition -> Gopher quality -> C4 line rules (FineWeb
  preset) + C4 quality -> FineWeb quality -> PII masking -> gzipped JSONL of the kept documents.
  - dolmakit: `dolmakit run benchmarks/pipeline/end_to_end.yaml` (the chain in dolmakit's step
    names), as a subprocess.
  - datatrove 0.10.1 (the peer): benchmarks/peers/end_to_end_datatrove.py in
    .bench/datatrove-venv (built on first use from PyPI), one LocalPipelineExecutor: WarcReader,
    a resiliparse extractor (it ships none), LanguageFilter,
    GopherRepetition/GopherQuality/C4Quality(FineWeb's filter_no_terminal_punct=False)/
    FineWebQuality filters, PIIFormatter, JsonlWriter.
  - the floor: the same chain as a plain loop over the bare libraries, no Beam: fastwarc's
    ArchiveIterator, resiliparse's charset detection and extraction, fastText's predict, then
    dolmakit's own rule steps (Step.process of the yaml's steps from gopher_repetition_v1 on) and
    json + gzip, one file per task in a multiprocessing.Pool of 2.
  For each: the wall clock of the whole command, MB/s of compressed input by it, CPU ms per
  response record (user + system of the command and every process under it: the children's
  rusage, checked against /proc samples of the process tree), records in and documents kept
  (each tool's own counts: datatrove's reader drops records without saying so, which shows
  here), peak memory (the sum of the tree's RSS, sampled every 0.2 s) and the load average
  before and after (the machine is shared): the fastest of --repeat interleaved runs counts, and
  every run's wall and load are printed. Start-up is the same command on a one-file corpus
  (commoncrawl_whirlwind.warc.gz, 18 kB), reported apart. The ratios: dolmakit / datatrove and
  dolmakit / floor by MB/s, and datatrove / dolmakit by CPU per record. Goals (issue 18):
  >= 4x datatrove by MB/s and >= 70% of the floor.

The corpus
  Every record of the shared real captures (../shared/data/web/web-pages.warc.gz, 460 real
  pages, and ../shared/data/warc/*.warc.gz) re-written again and again with fresh ids into 8
  .warc.gz files until --mb compressed MB (benchmarks/common/corpus.py), cached in
  .bench/end_to_end/. The pages repeat, so caches keyed on text (dolmakit's spaCy-word chunk
  cache) hit more often than on a crawl of unique pages.

Run
  .venv/bin/python -m benchmarks.pipeline.end_to_end                 (150 MB, about 13 minutes)
  .venv/bin/python -m benchmarks.pipeline.end_to_end --mb 20 --repeat 1      (a quick look)
  --repeat K (3): interleaved runs of dolmakit and the floor, the fastest of each counts (the
  machine is shared: a busy spell slows one run by half); --peer-repeat K (1): datatrove's runs,
  about 6 minutes each, in the first rounds; --only dolmakit,floor runs a subset.
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import REPO
from benchmarks.common.corpus import (
    MB,
    ensure_corpus,
    html_responses,
    shared_warc_dir,
    source_files,
)
from benchmarks.peers.datatrove_venv import ensure_datatrove_venv

PIPELINE = "benchmarks/pipeline/end_to_end.yaml"
WORKDIR = REPO / ".bench" / "end_to_end"
MODEL = REPO / "dolmakit" / "data" / "lid" / "lid.176.ftz"
TINY = "commoncrawl_whirlwind.warc.gz"
# what the chain imports in datatrove 0.10.1, and resiliparse for the extractor
DATATROVE_EXTRAS = ["warcio", "faust-cchardet", "python-magic", "fasttext-numpy2-wheel",
                    "fasteners", "orjson", "resiliparse==2.0.0"]  # fmt: skip
DATATROVE_IMPORTS = ["warcio", "cchardet", "magic", "fasttext", "orjson", "resiliparse"]
SIDES = ("dolmakit", "datatrove", "floor")
GOAL_PEER, GOAL_FLOOR = 4.0, 0.70
# dolmakit's read.options.html in benchmarks/pipeline/end_to_end.yaml (the rest: resiliparse's
# defaults)
EXTRACT = {"main_content": True, "preserve_formatting": True, "list_bullets": True,
           "alt_texts": False, "links": False, "noscript": False}  # fmt: skip
_TICK = 0.2  # seconds between samples of the process tree
_CLOCK = os.sysconf("SC_CLK_TCK")


# --- measuring a command and everything under it ------------------------------------------


@dataclass
class Usage:
    wall: float
    cpu: float  # user + system of the command's whole tree: the larger of the two below
    reaped_cpu: float  # the children's rusage (only processes that were waited for)
    peak_rss: int  # bytes, the tree's summed RSS at its largest sample
    load: tuple[float, float]  # 1-minute load average before and after


class TreeSampler(threading.Thread):
    """Samples the CPU ticks and RSS of every process under `root` until stopped."""

    def __init__(self, root: int):
        super().__init__(daemon=True)
        self.root, self.ticks, self.peak = root, {}, 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(_TICK):
            self.sample()

    def sample(self) -> None:
        stats = {}
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                try:
                    with open(f"/proc/{entry.name}/stat", "rb") as stream:
                        fields = stream.read().rsplit(b")", 1)[1].split()
                except OSError:  # gone meanwhile
                    continue
                # after the name: state ppid ... utime(12) stime(13) ... rss(22) pages
                stats[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]),
                                          int(fields[21]))  # fmt: skip
        tree, grown = {self.root}, True
        while grown:
            before = len(tree)
            tree |= {pid for pid, (ppid, _, _) in stats.items() if ppid in tree}
            grown = len(tree) > before
        rss = 0
        for pid in tree & stats.keys():
            self.ticks[pid] = stats[pid][1]  # a pid is not reused within one short run
            rss += stats[pid][2] * os.sysconf("SC_PAGE_SIZE")
        self.peak = max(self.peak, rss)


def run_measured(command: list[str], log: Path, env: dict | None = None) -> Usage:
    """Runs the command to its end (stdout and stderr to `log`); exits on failure."""
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=REPO, stdout=out, stderr=subprocess.STDOUT,
                                   env=env)  # fmt: skip
        sampler = TreeSampler(process.pid)
        sampler.start()
        code = process.wait()
    wall = time.perf_counter() - started
    sampler.done.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if code != 0:
        sys.exit(f"{' '.join(command[:3])} ... failed (exit {code}); see {log}:\n"
                 + log.read_text()[-3000:])  # fmt: skip
    reaped = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    sampled = sum(sampler.ticks.values()) / _CLOCK
    # rusage is exact for the processes that were waited for; datatrove's pool workers are
    # not, so what they spent is only in the samples (short of their last 0.2 s)
    return Usage(wall, max(reaped, sampled), reaped, sampler.peak, (load, os.getloadavg()[0]))


# --- the floor -------------------------------------------------------------------------------

_FLOOR: dict = {}  # per pool process: the model and the rule steps, loaded once


def _floor_setup() -> None:
    from fasttext.FastText import _FastText

    from dolmakit.engine.config import load_pipeline

    steps = load_pipeline(REPO / PIPELINE).steps
    first_rule = next(i for i, s in enumerate(steps) if s.type_name == "gopher_repetition_v1")
    for step in steps[first_rule:]:
        step.setup()
    _FLOOR.update(model=_FastText(str(MODEL)), steps=steps[first_rule:])


def floor_file(task: tuple[str, str]) -> tuple[int, int, int]:
    """(response records, texts extracted, documents written) of one file."""
    from resiliparse.extract.html2text import extract_plain_text

    from dolmakit.core.document import Document, Removed

    path, out = task
    predict, steps = _FLOOR["model"].f.predict, _FLOOR["steps"]
    records = texts = kept = 0
    with gzip.open(out, "wb", compresslevel=6) as sink:
        for record, html in html_responses(path):
            records += 1
            if html is None:
                continue
            text = extract_plain_text(html, **EXTRACT).strip()
            if not text:
                continue
            texts += 1
            (score, label), *_ = predict(text.replace("\n", " ") + "\n", 1, 0.0, "strict") or [
                (0.0, "")
            ]
            if label != "__label__en" or score < 0.65:
                continue
            doc = Document(id=record.record_id, text=text, source="common-crawl")
            for step in steps:
                doc = step.process(doc)
                if isinstance(doc, Removed):
                    break
            else:
                sink.write(json.dumps(doc.to_dict(), ensure_ascii=False).encode() + b"\n")
                kept += 1
    return records, texts, kept


def floor_main(corpus: Path, out: Path, result: Path, workers: int) -> None:
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    files = sorted(corpus.glob("*.warc.gz"))
    tasks = [(str(path), str(out / f"part-{i:05d}.jsonl.gz")) for i, path in enumerate(files)]
    with multiprocessing.Pool(min(workers, len(files)), initializer=_floor_setup) as pool:
        counts = pool.map(floor_file, tasks, chunksize=1)
    records, texts, kept = (sum(column) for column in zip(*counts, strict=True))
    result.write_text(json.dumps({"records": records, "texts": texts, "kept": kept}))


# --- the three sides -------------------------------------------------------------------------


@dataclass
class Side:
    name: str
    usage: Usage
    records_in: int  # what the tool says it read
    kept: int
    notes: list[str] = field(default_factory=list)


def run_dolmakit(corpus: Path, work: Path, workers: int) -> Side:
    out = work / "dolmakit"
    command = [str(Path(sys.executable).parent / "dolmakit"), "run", PIPELINE, "--set",
               f"input.paths={json.dumps([str(corpus / '*.warc.gz')])}", "--set",
               f"run.workers={workers}", "--output", str(out), "--quiet"]  # fmt: skip
    (out / "report.json").unlink(missing_ok=True)
    usage = run_measured(command, work / "dolmakit.log")
    report = json.loads((out / "report.json").read_text())
    totals = report["totals"]
    removed = report["steps"][0]["removed"]
    read = sum(removed.values())
    note = (f"pipeline wall {report['wall_seconds']:.2f} s; read removed {read:,} "
            f"({', '.join(f'{k} {n:,}' for k, n in list(removed.items())[:3])}), "
            f"errors {totals['errors']:,}")  # fmt: skip
    return Side("dolmakit", usage, totals["in"], totals["kept"], [note])


def run_datatrove(python: Path, corpus: Path, work: Path, workers: int) -> Side:
    result = work / "datatrove.json"
    result.unlink(missing_ok=True)
    command = [str(python), "-m", "benchmarks.peers.end_to_end_datatrove", str(corpus),
               str(work / "datatrove"), str(result), "--workers", str(workers),
               "--model", str(MODEL)]  # fmt: skip
    usage = run_measured(command, work / "datatrove.log")
    data = json.loads(result.read_text())
    stats = {step["name"]: step["stats"] for step in data["steps"]}
    reader = next(s for name, s in stats.items() if "READER" in name)
    extracted = next(s for name, s in stats.items() if "EXTRAC" in name)
    failed = {k: _count(extracted, k) for k in ("timeout", "clean_error", "broken_process")
              if k in extracted}  # fmt: skip
    note = (f"executor wall {data['executor_seconds']:.2f} s; extractor dropped "
            f"{_count(extracted, 'dropped'):,} empty, failed {failed or 0}")  # fmt: skip
    return Side("datatrove", usage, _count(reader, "documents"), data["written"], [note])


def _count(stats: dict, key: str) -> int:
    """A datatrove stat: a number, or a {"total": n, ...} summary."""
    value = stats.get(key, 0)
    return int(value["total"] if isinstance(value, dict) else value)


def run_floor(corpus: Path, work: Path, workers: int) -> Side:
    result = work / "floor.json"
    command = [sys.executable, "-m", "benchmarks.pipeline.end_to_end", "--floor", str(corpus),
               str(work / "floor"), str(result), "--workers", str(workers)]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get(
        "PYTHONPATH", "")])}  # fmt: skip
    usage = run_measured(command, work / "floor.log", env)
    data = json.loads(result.read_text())
    note = f"extracted {data['texts']:,} texts"
    return Side("floor", usage, data["records"], data["kept"], [note])


def run_side(name: str, corpus: Path, work: Path, workers: int, python: Path | None) -> Side:
    work.mkdir(parents=True, exist_ok=True)
    if name == "dolmakit":
        return run_dolmakit(corpus, work, workers)
    if name == "datatrove":
        return run_datatrove(python, corpus, work, workers)
    return run_floor(corpus, work, workers)


# --- reporting -------------------------------------------------------------------------------


def table(sides: dict[str, Side], startup: dict[str, Side], size: int, responses: int) -> str:
    header = (f"{'':10}{'wall s':>7}{'MB/s':>7}{'CPU s':>7}{'ms/rec':>7}{'in':>7}{'kept':>6}"
              f"{'peak MB':>8}{'load':>11}  {'start-up: wall (CPU) s'}")  # fmt: skip
    lines = [header, "-" * len(header)]
    for name, side in sides.items():
        u, s = side.usage, startup.get(name)
        lines.append(
            f"{name:10}{u.wall:>7.2f}{size / MB / u.wall:>7.2f}{u.cpu:>7.1f}"
            f"{u.cpu / responses * 1e3:>7.2f}{side.records_in:>7,}{side.kept:>6,}"
            f"{u.peak_rss / MB:>8.0f}{'{:.2f}-{:.2f}'.format(*u.load):>11}  "
            + (f"{s.usage.wall:.2f} ({s.usage.cpu:.2f})" if s else "-")
        )
    return "\n".join(lines)


def verdicts(sides: dict[str, Side], size: int) -> list[str]:
    rate = {name: size / MB / side.usage.wall for name, side in sides.items()}
    lines = []
    if "dolmakit" in rate and "datatrove" in rate:
        ratio = rate["dolmakit"] / rate["datatrove"]
        cpu = sides["datatrove"].usage.cpu / sides["dolmakit"].usage.cpu
        met = "GOAL MET" if ratio >= GOAL_PEER else "GOAL NOT MET"
        lines.append(f"dolmakit / datatrove: {ratio:.2f}x by MB/s (goal >= {GOAL_PEER:g}x: "
                     f"{met}); datatrove uses {cpu:.2f}x dolmakit's CPU per record")  # fmt: skip
    if "dolmakit" in rate and "floor" in rate:
        ratio = rate["dolmakit"] / rate["floor"]
        met = "GOAL MET" if ratio >= GOAL_FLOOR else "GOAL NOT MET"
        cpu = sides["dolmakit"].usage.cpu / sides["floor"].usage.cpu
        lines.append(f"dolmakit / floor: {ratio:.0%} by MB/s (goal >= {GOAL_FLOOR:.0%}: {met}); "
                     f"dolmakit uses {cpu:.2f}x the floor's CPU per record")  # fmt: skip
    return lines


# --- main ------------------------------------------------------------------------------------


def corpus_sources() -> list[Path]:
    warc = shared_warc_dir(REPO)
    return [*sorted((warc.parent / "web").glob("*.warc.gz")), *source_files(warc)]


def tiny_corpus() -> Path:
    folder = WORKDIR / "tiny"
    folder.mkdir(parents=True, exist_ok=True)
    link = folder / TINY
    if not link.exists():
        link.symlink_to(shared_warc_dir(REPO) / TINY)
    return folder


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=150, help="corpus size, compressed MB")
    parser.add_argument("--files", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="interleaved runs of dolmakit and the floor; the fastest counts",
    )
    parser.add_argument(
        "--peer-repeat",
        type=int,
        default=1,
        help="runs of datatrove (about 6 minutes each), in the first rounds",
    )
    parser.add_argument("--only", default=",".join(SIDES), help="comma-separated sides to run")
    parser.add_argument("--floor", nargs=3, type=Path, help=argparse.SUPPRESS)
    return parser.parse_args()


def _print_all_runs(runs: dict[str, list[Side]]) -> None:
    """Every run's wall time, when a side ran more than once."""
    if any(len(found) > 1 for found in runs.values()):
        print("all runs, wall s (load before-after):")
        for name, found in runs.items():
            print(
                f"  {name}: "
                + ", ".join(
                    f"{s.usage.wall:.2f} ({s.usage.load[0]:.1f}-{s.usage.load[1]:.1f})"
                    for s in found
                )
            )


def main() -> None:
    args = parse_args()
    if args.floor:
        floor_main(*args.floor, args.workers)
        return
    sources = corpus_sources()
    if not sources:
        print(f"skipped: no shared WARC captures under {shared_warc_dir(REPO).parent}")
        return
    wanted = [side for side in args.only.split(",") if side]
    python = ensure_datatrove_venv(DATATROVE_EXTRAS, DATATROVE_IMPORTS) if (
        "datatrove" in wanted) else None  # fmt: skip
    corpus = WORKDIR / f"corpus-{args.mb:g}mb-{args.files}f"
    manifest = ensure_corpus(sources, corpus, args.mb, args.files, seed=0)
    size, responses = manifest.total_bytes, manifest.responses
    print(f"corpus: {corpus} ({len(manifest.files)} files, {size / MB:.1f} MB compressed, "
          f"{manifest.passes} passes over {len(sources)} real WARC files; {responses:,} "
          f"response records of {sum(manifest.records.values()):,})")  # fmt: skip
    print(f"machine: {os.cpu_count()} cores, load {_load()}; {args.workers} workers each")
    startup = {name: run_side(name, tiny_corpus(), WORKDIR / "tiny-run", args.workers, python)
               for name in wanted}  # fmt: skip
    runs: dict[str, list[Side]] = {name: [] for name in wanted}
    for round_ in range(args.repeat):  # interleaved, so a slow spell of the machine hits all
        for name in wanted:
            if name != "datatrove" or round_ < args.peer_repeat:
                runs[name].append(run_side(name, corpus, WORKDIR / "run", args.workers, python))
    sides = {name: min(found, key=lambda side: side.usage.wall) for name, found in runs.items()}
    print()
    print(table(sides, startup, size, responses))
    print()
    print(f"ms/rec: CPU (user + system, the whole process tree) per response record of the "
          f"corpus ({responses:,}); in: the records the tool counts as read")  # fmt: skip
    print(f"start-up: the same command on {TINY} (1 file, 18 kB), wall (CPU) seconds")
    for name, side in sides.items():
        print(f"{name}: " + "; ".join(side.notes))
        if side.records_in != responses:
            print(f"{name}: read {side.records_in:,} of the corpus' {responses:,} response "
                  f"records ({responses - side.records_in:,} not counted anywhere)")  # fmt: skip
    _print_all_runs(runs)
    for line in verdicts(sides, size):
        print(line)
    print(f"load average at the end: {_load()}")


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


if __name__ == "__main__":
    main()
