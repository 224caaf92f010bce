"""Does the CCNet/LLaMA quality stage matter? The tiny proxy model trained on the pages
pipelines/commoncrawl.yaml keeps versus on the same pages without its quality filters, same
token budget, several seeds, both evaluated on WikiText-103's test articles (as Paloma does).

The two sides, from the 465 real pages of web/web-pages.warc.gz:
  - filtered: the documents pipelines/commoncrawl.yaml keeps, every step on;
  - unfiltered: the documents of the same pipeline with its two quality filters left out
    (`perplexity_filter`, the CCNet tail, and `quality_filter`, the LLaMA reference classifier),
    every other step as it is. "The same pages unfiltered" means precisely: every page that
    reaches the quality stage (read, URL filter, dedup, English by language ID, Gopher, C4 and
    FineWeb rules passed; C4's line cleaning applied), processed afterwards as the kept ones are
    (MinHash dedup, PII masking). The filtered pages are a subset of them, byte for byte: the
    script checks it. Pages that are not English, or that the rule filters removed, are on
    neither side: the ablation measures the quality stage, not the whole pipeline.

The mixes (one source each, proportion 1.0, nothing held out: the evaluation text is external):
  - the same budget_tokens B on both sides, B = every token of the filtered side (EOS
    included, counted with the shared tokenizer): the filtered mix is its pages once, the
    unfiltered mix a deterministic sample of its pages by document hash (mix seed 0) of about
    B tokens, about a third of them. Training then draws --tokens tokens of seq-len chunks from
    each mix (with replacement, the same number of draws), so both are repeated alike;
  - one tokenizer for both, `dolmakit ablate`'s default: 8,192 SentencePiece pieces trained on
    the unfiltered side's pages (a superset of the filtered ones, never on Wikipedia). The
    bundled dolmakit/data/lm/en.sp.model is not used: it is CCNet's normalized vocabulary
    (lower case, digits as 0), so capitals and digits 1-9 would all be <unk>.

Evaluation: `wikitext103-test`, the articles of wiki/wiki.test.tokens detokenized by the project's
WikiText reader (62 articles, never trained on: no model or tokenizer here saw them), one
document each; --eval-batches * batch-size evenly spaced seq-len chunks of it, the same chunks
for every run. Each mix trains once per seed (seeds 0..K-1); seed k draws the same initial
weights and the same batch positions on both sides, so the difference filtered - unfiltered is
taken per seed and then averaged.

Prints, per side, the mean and sample std over seeds of the loss (nats/token) and perplexity on
wikitext103-test, then the per-seed difference filtered - unfiltered: mean, std and its range.
Work files: .bench/quality_ablation/ (--workdir). Data: ../shared/data (or
$DOLMAKIT_SHARED_DATA); without it, prints `skipped: ...` and exits 0.
Run: .venv/bin/python -m benchmarks.filters.quality_ablation [--tokens 131072] [--seeds 3]
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import torch
import yaml

from benchmarks import REPO
from dolmakit.io.texts import read_texts
from dolmakit.llama.ablate import ablate
from dolmakit.llama.train import TrainConfig
from dolmakit.sources.wikipedia.wikitext103 import read_articles
from dolmakit.tokens.tokenizer import train_tokenizer

QUALITY_FILTERS = ("perplexity_filter", "quality_filter")
EVAL_NAME = "wikitext103-test"
SIDES = ("unfiltered", "filtered")  # ablate's differences are each mix minus the first


def shared_data() -> Path:
    return Path(os.environ.get("DOLMAKIT_SHARED_DATA", REPO.parent / "shared" / "data"))


def run_pipeline(pipeline: Path, warc: Path, out: Path) -> dict:
    """`dolmakit run` as a subprocess (as a user runs it); returns its report's totals."""
    command = [sys.executable, "-m", "dolmakit", "run", str(pipeline),
               "--set", f"input.paths=[{warc}]", "--set", f"output.path={out}",
               "--quiet"]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    subprocess.run(command, cwd=REPO, env=env, check=True, stdout=subprocess.DEVNULL)
    return json.loads((out / "report.json").read_text(encoding="utf-8"))["totals"]


def unfiltered_pipeline(work: Path) -> Path:
    """pipelines/commoncrawl.yaml without its two quality filters (their taggers stay: they
    only write attributes)."""
    config = yaml.safe_load((REPO / "pipelines" / "commoncrawl.yaml").read_text(encoding="utf-8"))
    names = [step.get("name") for step in config["steps"]]
    missing = [name for name in QUALITY_FILTERS if name not in names]
    if missing:
        raise SystemExit(f"pipelines/commoncrawl.yaml has no step named {', '.join(missing)}")
    config["steps"] = [s for s in config["steps"] if s.get("name") not in QUALITY_FILTERS]
    config["name"] = "commoncrawl-unfiltered"
    path = work / "commoncrawl-unfiltered.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def documents(out: Path) -> dict[str, str]:
    rows = {}
    for path in sorted((out / "documents").glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as stream:
            rows.update((row["id"], row["text"]) for row in map(json.loads, stream))
    return rows


def check_subset(filtered: dict[str, str], unfiltered: dict[str, str]) -> None:
    """The filtered side must be the unfiltered side minus what the quality filters removed."""
    missing = [i for i in filtered if i not in unfiltered]
    changed = [i for i in filtered if i in unfiltered and unfiltered[i] != filtered[i]]
    if missing or changed:
        raise SystemExit(f"filtered pages not in the unfiltered side: {len(missing)} missing, "
                         f"{len(changed)} with other text")  # fmt: skip


def write_eval_set(wiki: Path, path: Path) -> int:
    articles = list(read_articles(wiki))
    with open(path, "w", encoding="utf-8") as out:
        for number, article in enumerate(articles):
            out.write(json.dumps({"id": f"wikitext103-test-{number}", "text": article.text}) + "\n")
    return len(articles)


def count_tokens(tokenizer: Path, texts) -> int:
    """Tokens as a mix counts them: the pieces of each text plus its EOS."""
    import sentencepiece

    model = sentencepiece.SentencePieceProcessor(model_file=str(tokenizer))
    return sum(len(model.encode(text)) + 1 for text in texts)


def write_mix(work: Path, side: str, docs_dir: Path, budget: int) -> Path:
    mix = {
        "name": side,
        "tokenizer": "whitespace",  # replaced by the shared tokenizer in ablate
        "output": str(work / "ablation" / "mixes" / side),
        "budget_tokens": budget,
        "seed": 0,
        "held_out_fraction": 0.0,
        "max_epochs": 2.0,  # the filtered side: once, give or take the sampler's granularity
        "sources": [
            {"name": "commoncrawl", "paths": [str(docs_dir / "*.jsonl.gz")], "proportion": 1.0}
        ],  # fmt: skip
    }
    path = work / f"mix-{side}.yaml"
    path.write_text(yaml.safe_dump(mix, sort_keys=False), encoding="utf-8")
    return path


def mix_tokens(work: Path, side: str) -> tuple[int, int]:
    """(documents, tokens) of a built mix's training split, from its shards' manifest."""
    manifest = json.loads((work / "ablation" / "mixes" / side / "train" / "manifest.json")
                          .read_text(encoding="utf-8"))  # fmt: skip
    return manifest["documents"], manifest["tokens"]


def spread(values: list[float]) -> str:
    mean = statistics.fmean(values)
    std = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{mean:.4f} ± {std:.4f}"


def print_results(result: dict, seeds: int) -> None:
    losses = {side: [r["eval"][EVAL_NAME]["loss"] for r in result["runs"][side]] for side in SIDES}
    print(f"\n{EVAL_NAME}, {seeds} seeds (mean ± sample std over seeds)")
    print(f"   {'side':11} {'loss (nats/token)':>20} {'perplexity':>20}   per seed (loss)")
    for side in SIDES:
        perplexity = [math.exp(x) for x in losses[side]]
        per_seed = " ".join(f"{x:.4f}" for x in losses[side])
        print(f"   {side:11} {spread(losses[side]):>20} {spread(perplexity):>20}   {per_seed}")
    deltas = [f - u for f, u in zip(losses["filtered"], losses["unfiltered"], strict=True)]
    ratios = [math.exp(d) for d in deltas]
    print(f"   filtered - unfiltered, paired by seed: loss {spread(deltas)} nats/token "
          f"(range {min(deltas):+.4f} .. {max(deltas):+.4f}); perplexity ratio "
          f"{spread(ratios)}")  # fmt: skip
    std = statistics.stdev(deltas) if len(deltas) > 1 else 0.0
    within = abs(statistics.fmean(deltas)) <= 2 * std
    spreads = max(statistics.stdev(losses[s]) if seeds > 1 else 0.0 for s in SIDES)
    print(f"   |mean difference| {'<=' if within else '>'} 2 x its std over seeds; the "
          f"largest seed std of one side is {spreads:.4f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--tokens",
        type=int,
        default=131_072,
        help="training tokens per run (steps = tokens / (batch * seq-len))",
    )
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--seq-len", type=int, default=256)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--eval-batches", type=int, default=32)
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="torch threads; on the shared 2-core machine one thread trained "
        "3-4x faster than two (1.4 s versus 2.7-5.5 s a step)",
    )
    parser.add_argument("--vocab-size", type=int, default=8192)
    parser.add_argument("--workdir", type=Path, default=REPO / ".bench" / "quality_ablation")
    args = parser.parse_args()
    data = shared_data()
    warc, wiki = data / "web" / "web-pages.warc.gz", data / "wiki" / "wiki.test.tokens"
    if not warc.is_file() or not wiki.is_file():
        print(f"skipped: no {warc.name} or {wiki.name} in {data} (set DOLMAKIT_SHARED_DATA)")
        return
    work = args.workdir.resolve()
    work.mkdir(parents=True, exist_ok=True)
    clock = time.monotonic()

    print("1. pipelines/commoncrawl.yaml on web-pages.warc.gz, with and without its quality "
          "filters")  # fmt: skip
    outs = {"filtered": work / "pipeline-filtered", "unfiltered": work / "pipeline-unfiltered"}
    pipelines = {"filtered": REPO / "pipelines" / "commoncrawl.yaml",
                 "unfiltered": unfiltered_pipeline(work)}  # fmt: skip
    for side in SIDES:
        totals = run_pipeline(pipelines[side], warc, outs[side])
        print(f"   {side:11} kept {totals['kept']:>4} of {totals['in']} records")
    docs = {side: documents(outs[side]) for side in SIDES}
    check_subset(docs["filtered"], docs["unfiltered"])
    print(f"   the {len(docs['filtered'])} filtered pages are {len(docs['filtered'])} of the "
          f"{len(docs['unfiltered'])} unfiltered ones, same text")  # fmt: skip

    articles = write_eval_set(wiki, work / "wikitext103-test.jsonl")
    tokenizer = train_tokenizer(docs["unfiltered"].values(), work / "tokenizer", args.vocab_size)
    budget = count_tokens(tokenizer, docs["filtered"].values())
    available = count_tokens(tokenizer, docs["unfiltered"].values())
    mixes = {side: write_mix(work, side, outs[side] / "documents", budget) for side in SIDES}
    eval_texts = list(read_texts([work / "wikitext103-test.jsonl"]))
    eval_tokens = count_tokens(tokenizer, eval_texts) - len(eval_texts)
    print(f"2. mixes: budget {budget:,} tokens on both sides (every filtered token once; the "
          f"unfiltered side has {available:,}); tokenizer {args.vocab_size} pieces trained on "
          f"the unfiltered pages; eval {articles} articles, {eval_tokens:,} tokens")  # fmt: skip

    torch.set_num_threads(args.threads)
    steps = max(1, args.tokens // (args.batch_size * args.seq_len))
    config = TrainConfig(preset="tiny", seq_len=args.seq_len, batch_size=args.batch_size,
                         steps=steps, lr=args.lr, warmup_steps=max(1, steps // 10),
                         eval_every=steps, eval_batches=args.eval_batches,
                         checkpoint_every=steps, log_every=max(1, steps // 4),
                         precision="fp32")  # fmt: skip
    result = ablate([str(mixes[s]) for s in SIDES], work / "ablation", config, args.seeds,
                    tokenizer=str(tokenizer),
                    eval_sets={EVAL_NAME: [str(work / "wikitext103-test.jsonl")]})  # fmt: skip
    for side in SIDES:
        count, tokens = mix_tokens(work, side)
        print(f"   {side:11} mix: {count} documents, {tokens:,} training tokens")
    chunks = min(args.eval_batches * args.batch_size, eval_tokens // args.seq_len)
    print(f"3. training: tiny preset, {steps} steps of {args.batch_size} x {args.seq_len} tokens "
          f"({steps * args.batch_size * args.seq_len:,} per run), lr {args.lr}, fp32, "
          f"{args.threads} thread(s), "
          f"{args.seeds} seeds per side; eval on about {chunks} chunks of {args.seq_len} "
          "tokens")  # fmt: skip
    print_results(result, args.seeds)
    print(f"\nwall {time.monotonic() - clock:.0f} s; tables and plots: {work / 'ablation'}")


if __name__ == "__main__":
    main()
