"""The CCNet/LLaMA quality stage on real text: the bundled Wikipedia LM, its crawl cutoffs, the
reference classifier, and what pipelines/commoncrawl.yaml keeps and removes.

What it prints
  1. Median perplexity (bundled dolmakit/data/lm) of: WikiText-103's test articles (never trained
     on), the English real web pages (web/web-pages.warc.gz, main content), the boilerplate of the
     same pages (their visible lines that main-content extraction drops: menus, footers, share
     bars), and the other real WARCs' English pages (warc/*.warc.gz).
  2. Head/middle/tail fractions under the shipped cutoffs, on the web pages (the cutoff sample:
     30/30/40 by construction) and on the other real WARCs' English pages (never in any sample).
  3. The reference classifier (dolmakit/data/classifier/reference-en): its held-out figures from
     metrics.json, and ROC AUC on text it never saw: wiki.test.tokens chunks versus the other
     real WARCs' English pages.
  4. pipelines/commoncrawl.yaml run on web-pages.warc.gz: records in and removed per step, with
     examples of each perplexity bucket and of pages the classifier keeps and removes.

Data: ../shared/data (or $DOLMAKIT_SHARED_DATA); without it, prints `skipped: ...` and exits 0.
Run: .venv/bin/python -m benchmarks.filters.quality_stage [--skip-pipeline] [--examples 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from benchmarks import REPO
from dolmakit.core.document import Document
from dolmakit.fasttext_models.fasttext import load_model
from dolmakit.fasttext_models.quality import prepare_text, probabilities
from dolmakit.fasttext_training.fit import (
    NEGATIVE,
    Example,
    roc_auc,
)
from dolmakit.fasttext_training.wikipedia import _article_chunks, _shuffled_lengths
from dolmakit.io.readers import ReadConfig
from dolmakit.io.warc import WarcReader
from dolmakit.kenlm_models.cutoffs import bucket_of, load_cutoffs
from dolmakit.kenlm_models.kenlm import LanguageModel, default_model_dir
from dolmakit.kenlm_training.crawl import language_pages
from dolmakit.sources.wikipedia.wikitext103 import read_articles
from dolmakit.taggers.quality import DEFAULT_MODEL


def shared_data() -> Path:
    return Path(os.environ.get("DOLMAKIT_SHARED_DATA", REPO.parent / "shared" / "data"))


def other_warcs(data: Path) -> list[Path]:
    return sorted(p for p in (data / "warc").glob("*.warc.gz") if ".wet." not in p.name
                  and ".wat." not in p.name)  # fmt: skip


def boilerplate_texts(warc: Path) -> list[str]:
    """Per page, the visible lines that main-content extraction drops (at least 3 of them)."""
    texts = {}
    for main_content in (True, False):
        options = {"html": {"main_content": main_content}}
        reader = WarcReader(ReadConfig(options=options), "b", "")
        for item in reader.read(str(warc)):
            if isinstance(item, Document):
                texts.setdefault(item.id, {})[main_content] = item.text
    out = []
    for versions in texts.values():
        kept = set(versions.get(True, "").split("\n"))
        dropped = [line for line in versions.get(False, "").split("\n")
                   if line.strip() and line not in kept]  # fmt: skip
        if len(dropped) >= 3:
            out.append("\n".join(dropped))
    return out


def medians(model: LanguageModel, sets: dict[str, list[str]]) -> dict[str, float]:
    return {
        name: round(statistics.median(p for p in map(model.perplexity, texts) if p), 1)
        for name, texts in sets.items()
    }


def bucket_fractions(scores: list[float], cutoffs: dict) -> str:
    counts = Counter(bucket_of(score, cutoffs) for score in scores)
    return " / ".join(f"{b} {counts[b] / len(scores):.0%}" for b in ("head", "middle", "tail"))


def print_perplexity(data: Path, model: LanguageModel, web, others) -> None:
    sets = {
        "wiki.test.tokens articles (held out)": [
            a.text for a in read_articles(data / "wiki" / "wiki.test.tokens")
        ],
        "English real web pages (main content)": [p.text for p in web],
        "their boilerplate (lines main content drops)": boilerplate_texts(
            data / "web" / "web-pages.warc.gz"
        ),
        "other real WARCs, English pages": [p.text for p in others],
    }
    print("1. Median perplexity under the bundled Wikipedia LM (dolmakit/data/lm)")
    for name, value in medians(model, sets).items():
        print(f"   {name:48} {value:>8}  ({len(sets[name])} documents)")


def print_buckets(model: LanguageModel, web, others) -> None:
    cutoffs = load_cutoffs(default_model_dir())["en"]
    print(f"\n2. Buckets at the shipped cutoffs (head < {cutoffs['head']} <= middle <"
          f" {cutoffs['tail']} <= tail)")  # fmt: skip
    web_scores = [s for s in (model.perplexity(p.text) for p in web) if s]
    print(f"   web-pages.warc.gz ({len(web_scores)} English pages, the cutoff sample):"
          f" {bucket_fractions(web_scores, cutoffs)}")  # fmt: skip
    by_file: dict[str, list[float]] = {}
    for page, name in others:
        if (score := model.perplexity(page.text)) is not None:
            by_file.setdefault(name, []).append(score)
    every = [s for scores in by_file.values() for s in scores]
    print(f"   other real WARCs ({len(every)} English pages): {bucket_fractions(every, cutoffs)}")
    for name, scores in sorted(by_file.items()):
        print(f"     {name:38} {len(scores):>3} pages: {bucket_fractions(scores, cutoffs)}")


def print_classifier(data: Path, others) -> None:
    metrics = json.loads((DEFAULT_MODEL / "metrics.json").read_text())
    held = metrics["quantized"]["heldout"]
    chosen = metrics["filter"]
    print("\n3. Reference classifier (dolmakit/data/classifier/reference-en, model.ftz)")
    print(f"   held out ({metrics['counts']['heldout']}): AUC {held['auc']}, at 0.5 precision"
          f" {held['precision']} recall {held['recall']}; filter threshold {chosen['threshold']}"
          f" keeps {chosen['heldout_wikipedia_kept']:.1%} of Wikipedia,"
          f" {chosen['heldout_web_pages_kept']:.1%} of web pages")  # fmt: skip
    model = load_model(str(DEFAULT_MODEL / "model.ftz"))
    negatives = [Example(p.text, NEGATIVE, p.id) for p, _ in others]
    articles = ((a.title, a.text) for a in read_articles(data / "wiki" / "wiki.test.tokens"))
    positives = list(_article_chunks(articles, _shuffled_lengths(negatives)))
    texts = [prepare_text(e.text) for e in positives + negatives]
    scores = probabilities(model, texts)
    truth = [True] * len(positives) + [False] * len(negatives)
    threshold = chosen["threshold"]
    kept_wiki = sum(s >= threshold for s in scores[: len(positives)]) / len(positives)
    kept_web = sum(s >= threshold for s in scores[len(positives) :]) / len(negatives)
    print(f"   never seen (wiki.test.tokens {len(positives)} chunks vs other real WARCs"
          f" {len(negatives)} English pages): AUC {roc_auc(truth, scores):.4f}; at {threshold}"
          f" keeps {kept_wiki:.1%} of Wikipedia, {kept_web:.1%} of pages")  # fmt: skip


def print_pipeline(data: Path, examples: int) -> None:
    print("\n4. pipelines/commoncrawl.yaml on web-pages.warc.gz (465 real pages)")
    with tempfile.TemporaryDirectory(prefix="quality-stage-") as out:
        command = [sys.executable, "-m", "dolmakit", "run", "pipelines/commoncrawl.yaml",
                   "--set", f"input.paths=[{data / 'web' / 'web-pages.warc.gz'}]",
                   "--set", f"output.path={out}", "--quiet"]  # fmt: skip
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        subprocess.run(command, cwd=REPO, env=env, check=True, stdout=subprocess.DEVNULL)
        report = json.loads((Path(out) / "report.json").read_text())
        for step in report["steps"]:
            if step.get("removed"):
                removed = sum(step["removed"].values())
                top = ", ".join(f"{r} {n}" for r, n in Counter(step["removed"]).most_common(4))
                print(f"   {step['name']:22} in {step['in']:>4}  removed {removed:>4}  ({top})")
        totals = report["totals"]
        print(f"   kept {totals['kept']} of {totals['in']} records")
        print_examples(Path(out), examples)


def records(folder: Path) -> list[dict]:
    import gzip

    rows = []
    for path in sorted(folder.rglob("*.json*")):
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as stream:
            rows += [json.loads(line) for line in stream if line.strip()]
    return rows


def print_examples(out: Path, count: int) -> None:
    rows = records(out / "documents") + records(out / "removed")
    groups: dict[str, list[dict]] = {}
    for row in rows:
        attributes = row.get("attributes", {})
        if "ccnet_perplexity_v1__perplexity" not in attributes:
            continue
        bucket = next(b for b in ("head", "middle", "tail")
                      if f"ccnet_perplexity_v1__{b}" in attributes)  # fmt: skip
        groups.setdefault(bucket, []).append(row)
        if "quality_classifier_v1__hq" in attributes:
            fate = (row.get("removed") or {}).get("reason") == "not_reference_like"
            groups.setdefault("classifier removes" if fate else "classifier keeps", []).append(row)
    for name in ("head", "middle", "tail", "classifier keeps", "classifier removes"):
        print(f"   {name} ({len(groups.get(name, []))}):")
        for row in sorted(groups.get(name, []), key=lambda r: r["id"])[:count]:
            a = row["attributes"]
            pp = a["ccnet_perplexity_v1__perplexity"][0][2]
            scored = a.get("quality_classifier_v1__hq")
            hq = f"{scored[0][2]:.3f}" if scored else "  -  "  # removed before the classifier
            line = " ".join(row["text"].split())[:70]
            print(f"     pp {pp:7.1f}  hq {hq}  {row['metadata'].get('url', '')[:60]}")
            print(f"       {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--skip-pipeline", action="store_true")
    parser.add_argument("--examples", type=int, default=3)
    args = parser.parse_args()
    data = shared_data()
    if not (data / "web" / "web-pages.warc.gz").is_file() or not (data / "wiki").is_dir():
        print(f"skipped: no shared data in {data} (set DOLMAKIT_SHARED_DATA)")
        return
    model = LanguageModel.load(default_model_dir(), "en")
    web = list(language_pages([data / "web" / "web-pages.warc.gz"], "en"))
    others = [(page, path.name) for path in other_warcs(data)
              for page in language_pages([path], "en")]  # fmt: skip
    print_perplexity(data, model, web, [page for page, _ in others])
    print_buckets(model, web, others)
    print_classifier(data, others)
    if not args.skip_pipeline:
        print_pipeline(data, args.examples)


if __name__ == "__main__":
    main()
