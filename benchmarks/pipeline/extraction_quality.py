"""Main-content extraction quality on a public benchmark, with the benchmark's own metric.

The benchmark
  scrapinghub/article-extraction-benchmark: 181 real article pages (html/<id>.html.gz, utf-8)
  with their article bodies written out by hand (ground-truth.json). It is read by path:
  the first argument, else $DOLMAKIT_ARTICLE_BENCHMARK, else .bench/article-extraction-benchmark.
  When that folder is absent and a git directory of the benchmark's repository is known
  (--git-dir, $DOLMAKIT_ARTICLE_BENCHMARK_GIT, or ../.mirror/scrapinghub+article-extraction-
  benchmark/repo beside the checkout), the folder is written from it with `git archive` (html/,
  ground-truth.json, evaluate.py). Without either it prints `skipped: ...` and exits 0.

The metric
  The benchmark's evaluate.py: per page, the multiset of word 4-gram shingles (`\\w+` tokens) of
  the prediction against the ground truth gives TP/FP/FN normalized to sum 1; precision and
  recall are the means over pages, F1 their harmonic mean; accuracy is the share of pages whose
  tokens are exactly the truth's. It is re-implemented below (`shingle_counts`, `metrics`), and
  when the folder has evaluate.py the same figures are also computed by importing that file and
  must be identical (the script stops otherwise). The ± is the standard deviation over 1,000
  bootstrap resamples of the pages, as evaluate.py prints it (seeded here).

The extractors (side by side, on the same decoded pages)
  dolmakit       dolmakit.extract.html.html_to_text with the default HtmlConfig (what the WARC
                 reader does with `read.options.html` left as it is)
  resiliparse    bare resiliparse: extract_plain_text(html, main_content=True)
  trafilatura    FineWeb's choice, datatrove's Trafilatura extractor defaults:
                 trafilatura.extract(html, favor_precision=True, include_comments=False,
                 deduplicate=True); needs the `trafilatura` extra, left out without it

Timing
  Each extractor's call on each page (the HTML already decoded to str; parsing included) by
  perf_counter, the extractors in turn on each page, --repeat passes, the fastest of a page's
  passes counts; median and 90th percentile over pages. trafilatura's caches (its
  deduplication LRU among them) are reset before each pass so every pass sees the same state.

Run
  .venv/bin/python -m benchmarks.pipeline.extraction_quality [BENCHMARK_DIR] [--repeat 3]
      [--worst 10]
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from resiliparse.extract.html2text import extract_plain_text

from benchmarks import REPO
from dolmakit.extract.html import HtmlConfig, html_to_text

DEFAULT_DIR = REPO / ".bench" / "article-extraction-benchmark"
MIRROR = REPO.parent / ".mirror" / "scrapinghub+article-extraction-benchmark" / "repo"
MEMBERS = ["html", "ground-truth.json", "evaluate.py"]
GOAL_F1, GOAL_MS = 0.95, 3.0
BOOTSTRAP = 1000
TOKEN = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)

Extractor = Callable[[str], str]


# --- the benchmark's metric (evaluate.py, re-implemented) ------------------------------------


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text or "")


def shingles(text: str, n: int = 4) -> Counter:
    words = tokens(text)
    grams = (tuple(words[i : i + n]) for i in range(max(1, len(words) - n + 1)))
    return Counter(gram for gram in grams if gram)


def shingle_counts(true: str, pred: str) -> tuple[float, float, float]:
    """(TP, FP, FN) over 4-gram shingles, normalized to sum 1 (evaluate.py's
    string_shingle_matching)."""
    truth, predicted = shingles(true), shingles(pred)
    tp = fp = fn = 0.0
    for key in set(truth) | set(predicted):
        t, p = truth.get(key, 0), predicted.get(key, 0)
        tp += min(t, p)
        fp += max(0, p - t)
        fn += max(0, t - p)
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total > 0 else (tp, fp, fn)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


def metrics(counts: list[tuple[float, float, float]]) -> dict[str, float]:
    """evaluate.py's metrics_from_tp_fp_fns: mean precision and recall over pages, F1 of both."""
    precision = statistics.mean([_precision(*c) for c in counts if c[0] + c[1] > 0])
    recall = statistics.mean([_recall(*c) for c in counts if c[0] + c[2] > 0])
    return {"f1": 2 * precision * recall / (precision + recall), "precision": precision,
            "recall": recall}  # fmt: skip


def page_f1(counts: tuple[float, float, float]) -> float:
    p, r = _precision(*counts), _recall(*counts)
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Score:
    name: str
    counts: list[tuple[float, float, float]]
    accuracy: float
    ms: list[float] = field(default_factory=list)

    def figures(self) -> dict[str, float]:
        return metrics(self.counts)

    def stds(self, seed: int = 0) -> dict[str, float]:
        rng, n = random.Random(seed), len(self.counts)
        samples: dict[str, list[float]] = {}
        for _ in range(BOOTSTRAP):
            picked = [self.counts[rng.randrange(n)] for _ in range(n)]
            for key, value in metrics(picked).items():
                samples.setdefault(key, []).append(value)
        return {key: statistics.stdev(values) for key, values in samples.items()}


def score(name: str, truth: dict[str, str], predicted: dict[str, str]) -> Score:
    counts = [shingle_counts(truth[key], predicted[key]) for key in truth]
    accuracy = statistics.mean(float(tokens(truth[k]) == tokens(predicted[k])) for k in truth)
    return Score(name, counts, accuracy)


def cross_check(folder: Path, truth: dict[str, str], predicted: dict[str, str], mine: Score):
    """The same figures from the benchmark's own evaluate.py, which must agree exactly."""
    spec = importlib.util.spec_from_file_location("article_benchmark_evaluate",
                                                  folder / "evaluate.py")  # fmt: skip
    evaluate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(evaluate)
    theirs = [evaluate.string_shingle_matching(true=truth[k], pred=predicted[k]) for k in truth]
    if evaluate.metrics_from_tp_fp_fns(theirs) != mine.figures() or theirs != mine.counts:
        sys.exit(f"{mine.name}: the re-implemented metric disagrees with evaluate.py")


# --- the extractors -----------------------------------------------------------------------------


def dolmakit_extractor() -> Extractor:
    config = HtmlConfig()
    return lambda html: html_to_text(html, config)[0]


def resiliparse_extractor() -> Extractor:
    return lambda html: extract_plain_text(html, main_content=True)


def trafilatura_extractor() -> Extractor | None:
    try:
        import trafilatura
    except ImportError:
        return None

    def extract(html: str) -> str:
        # datatrove's Trafilatura defaults, as FineWeb ran it
        text = trafilatura.extract(
            html, favor_precision=True, include_comments=False, deduplicate=True
        )
        return text or ""

    return extract


def reset_trafilatura() -> None:
    from trafilatura.meta import reset_caches

    reset_caches()


# --- the run -------------------------------------------------------------------------------------


def materialize(folder: Path, git_dir: Path | None) -> bool:
    """Writes the benchmark folder from a git directory of its repository; False if none."""
    if git_dir is None or not git_dir.is_dir():
        return False
    folder.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", f"--git-dir={git_dir}", "archive", "HEAD", *MEMBERS],
                             check=True, capture_output=True)  # fmt: skip
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return True


def load(folder: Path) -> tuple[dict[str, str], dict[str, str]]:
    """(id -> ground-truth article body, id -> page HTML)."""
    truth_data = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    truth = {key: item.get("articleBody", "") for key, item in truth_data.items()}
    pages = {}
    for key in truth:
        with gzip.open(folder / "html" / f"{key}.html.gz", "rt", encoding="utf8") as f:
            pages[key] = f.read()
    return truth, pages


def run(extractors: dict[str, Extractor], pages: dict[str, str], repeat: int):
    """(name -> id -> text of the first pass, name -> id -> fastest ms over the passes)."""
    texts: dict[str, dict[str, str]] = {name: {} for name in extractors}
    best: dict[str, dict[str, float]] = {name: {} for name in extractors}
    for _ in range(repeat):
        if "trafilatura" in extractors:
            reset_trafilatura()
        for key, html in pages.items():  # page by page, so a change of load hits all alike
            for name, extract in extractors.items():
                start = time.perf_counter()
                text = extract(html)
                ms = (time.perf_counter() - start) * 1000
                texts[name].setdefault(key, text)
                best[name][key] = min(ms, best[name].get(key, ms))
    return texts, best


def report(scores: list[Score], n_pages: int, scorer: str) -> None:
    print(f"article-extraction-benchmark: {n_pages} pages; scored with {scorer}")
    header = (f"{'':<13}{'F1':>15}{'precision':>16}{'recall':>16}{'accuracy':>10}"
              f"{'F1<0.8':>8}{'median ms':>11}{'p90 ms':>8}")  # fmt: skip
    print(header)
    for s in scores:
        fig, std = s.figures(), s.stds()
        low = sum(page_f1(c) < 0.8 for c in s.counts)
        p90 = statistics.quantiles(s.ms, n=10)[-1]
        cells = "".join(f"{fig[k]:>8.3f} ± {std[k]:.3f}" for k in ("f1", "precision", "recall"))
        print(f"{s.name:<13}{cells}{s.accuracy:>10.3f}{low:>8}"
              f"{statistics.median(s.ms):>11.2f}{p90:>8.2f}")  # fmt: skip
    print(f"goal: F1 >= {GOAL_F1} at <= {GOAL_MS} ms per page median")


def show_worst(score_: Score, keys: list[str], texts: dict[str, str], worst: int) -> None:
    ranked = sorted(zip(keys, score_.counts, strict=True), key=lambda kc: page_f1(kc[1]))
    print(f"\n{score_.name}: the {worst} pages of lowest F1 (id, F1, precision, recall, chars)")
    for key, c in ranked[:worst]:
        print(f"  {key[:16]} {page_f1(c):.3f} {_precision(*c):.3f} {_recall(*c):.3f} "
              f"{len(texts[key]):>7}")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    folder_default = Path(os.environ.get("DOLMAKIT_ARTICLE_BENCHMARK", DEFAULT_DIR))
    parser.add_argument("folder", nargs="?", type=Path, default=folder_default)
    git_default = os.environ.get("DOLMAKIT_ARTICLE_BENCHMARK_GIT")
    parser.add_argument("--git-dir", type=Path, default=Path(git_default) if git_default else None)
    parser.add_argument("--repeat", type=int, default=3, help="timing passes (fastest counts)")
    parser.add_argument("--worst", type=int, default=0, help="list each extractor's worst pages")
    parser.add_argument("--skip-trafilatura", action="store_true")
    args = parser.parse_args(argv)

    folder = args.folder
    if not (folder / "ground-truth.json").is_file():
        git_dir = args.git_dir or (MIRROR if folder == DEFAULT_DIR else None)
        if not materialize(folder, git_dir):
            where = "its folder, $DOLMAKIT_ARTICLE_BENCHMARK, or its git directory as --git-dir"
            print(f"skipped: no article-extraction-benchmark at {folder} (give {where})")
            return 0
    truth, pages = load(folder)

    extractors = {"dolmakit": dolmakit_extractor(), "resiliparse": resiliparse_extractor()}
    trafilatura = None if args.skip_trafilatura else trafilatura_extractor()
    if trafilatura is not None:
        extractors["trafilatura"] = trafilatura
    elif not args.skip_trafilatura:
        print("trafilatura not installed (pip install dolmakit[trafilatura]): left out")
    texts, best = run(extractors, pages, args.repeat)

    has_evaluate = (folder / "evaluate.py").is_file()
    scores = []
    for name in extractors:
        s = score(name, truth, texts[name])
        s.ms = list(best[name].values())
        if has_evaluate:
            cross_check(folder, truth, texts[name], s)
        scores.append(s)
    scorer = ("the benchmark's evaluate.py (the re-implementation here agrees exactly)"
              if has_evaluate else "the re-implementation of evaluate.py's metric")  # fmt: skip
    report(scores, len(pages), scorer)
    for s in scores if args.worst else []:
        show_worst(s, list(truth), texts[s.name], args.worst)
    return 0


if __name__ == "__main__":
    sys.exit(main())
