"""Data ablations: the same proxy-model recipe trained on several mixes, compared per source.

`ablate(mix_files, out, config, seeds)` builds every mix with one shared tokenizer (given, or
trained on a sample of the first mix), trains `config` on each mix once per seed and writes

- `<out>/mixes/<mix>/`: the mix's shards (run_mix with `output` and `tokenizer` overridden);
- `<out>/runs/<mix>/seed-<k>/`: each run's metrics.jsonl and final checkpoint;
- `<out>/ablation.json`: every run's result and the per-mix summary;
- `<out>/eval/<name>/`: each shared evaluation set (`eval_sets`), tokenized once. A mix's own
  held-out split is drawn from its own documents, so a filtered and an unfiltered mix are not
  measured on the same text; an evaluation set is the one text every mix is measured on;
- `<out>/ablation.md`, `<out>/ablation.csv`: one row per mix, held-out loss per source and per
  evaluation set and final train loss as mean and sample standard deviation over seeds ('-'
  where a mix has no held-out documents of a source: sources are compared on the union of the
  mixes' held-out sources); the markdown adds each mix's difference from the first mix, paired
  by seed (the same seed draws the same initial weights and batch order), mean ± std;
- `<out>/loss_curves.png` (train loss by step, mean over seeds) and `<out>/heldout.png`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import math
import shutil
import statistics
from dataclasses import replace
from pathlib import Path

from dolmakit.core.errors import ConfigError
from dolmakit.llama.train import TrainConfig, train
from dolmakit.mix.config import load_mix

LOG = logging.getLogger("dolmakit")
MISSING = "-"
ONE_SEED = "one seed: no spread, so nothing is marked significant (use --seeds 2 or more)"
CURVE_DOTS = 30  # a curve of this many points or fewer is drawn with a dot at each


def ablate(mix_files: list[str], out: str | Path, config: TrainConfig, seeds: int,
           tokenizer: str | None = None, vocab_size: int = 8192,
           sample_chars: int = 20_000_000,
           eval_sets: dict[str, list[str]] | None = None,
           mix_overrides: list[str] = ()) -> dict:  # fmt: skip
    """Builds, trains and compares; returns {"runs": {mix: [result per seed]}, "summary": ...}.

    eval_sets: name -> files of text every mix is evaluated on (read by dolmakit.io.texts).
    mix_overrides: `KEY=VALUE` settings applied to every mix (e.g. budget_tokens=7000)."""
    out = Path(out)
    names = [load_mix(f, require_tokenizer=False).config.name for f in mix_files]
    if len(set(names)) != len(names):
        raise ConfigError(f"mix names must differ to be compared: {', '.join(names)}", key="name")
    if seeds < 1:
        raise ConfigError(f"must be positive: {seeds}", key="seeds")
    tokenizer = tokenizer or shared_tokenizer(mix_files[0], out / "tokenizer", vocab_size,
                                              sample_chars)  # fmt: skip
    eval_dirs = {name: str(build_eval_set(paths, out / "eval" / name, str(tokenizer)))
                 for name, paths in (eval_sets or {}).items()}  # fmt: skip
    config = replace(config, eval_dirs={**config.eval_dirs, **eval_dirs})
    # every mix is built first: a mix its sources cannot give (budget, epochs, an empty
    # source) stops the ablation before any model trains
    mix_dirs = {name: build_mix(mix_file, out / "mixes" / name, str(tokenizer), mix_overrides)
                for mix_file, name in zip(mix_files, names, strict=True)}  # fmt: skip
    texts = {name: heldout_texts(mix_dir) for name, mix_dir in mix_dirs.items()}
    runs = {name: train_seeds(mix_dir, out / "runs" / name, config, seeds)
            for name, mix_dir in mix_dirs.items()}  # fmt: skip
    summary = summarize(runs, texts)
    write_outputs(out, runs, summary)
    return {"runs": runs, "summary": summary, "tokenizer": str(tokenizer)}


def train_seeds(mix_dir: Path, runs_dir: Path, config: TrainConfig, seeds: int) -> list[dict]:
    """The recipe trained on one mix once per seed 0..seeds-1; each result with its curve."""
    results = []
    for seed in range(seeds):
        run_dir = runs_dir / f"seed-{seed}"
        shutil.rmtree(run_dir, ignore_errors=True)  # metrics.jsonl appends: start clean
        LOG.info("ablation: training on %s, seed %d", mix_dir.name, seed)
        result = train(mix_dir, replace(config, seed=seed, out_dir=str(run_dir)))
        result["curve"] = read_curve(run_dir / "metrics.jsonl")
        results.append(result)
    return results


def shared_tokenizer(mix_file: str, out_dir: Path, vocab_size: int, sample_chars: int) -> Path:
    from dolmakit.mix.sample import mix_texts
    from dolmakit.tokens.tokenizer import train_tokenizer

    LOG.info("ablation: training a %d-piece tokenizer on %s", vocab_size, mix_file)
    return train_tokenizer(mix_texts(mix_file), out_dir, vocab_size, sample_chars)


def build_mix(mix_file: str, output: Path, tokenizer: str, overrides: list[str] = ()) -> Path:
    from dolmakit.core.errors import FatalError
    from dolmakit.mix.job import run_mix

    # paths in an override are parsed as YAML: quote them so any path stays a string
    result = run_mix(mix_file, [*overrides, f"output={json.dumps(str(output))}",
                                f"tokenizer={json.dumps(tokenizer)}"])  # fmt: skip
    if not result.published:
        raise FatalError("; ".join(result.status_lines(str(output))))
    return output


def build_eval_set(paths: list[str], out_dir: Path, tokenizer: str) -> Path:
    from dolmakit.io.texts import read_texts
    from dolmakit.tokens.texts import tokenize_texts

    shutil.rmtree(out_dir, ignore_errors=True)  # a rebuilt set must not keep old shards
    return tokenize_texts(read_texts(paths), tokenizer, out_dir, out_dir.name)


def heldout_texts(mix_dir: Path) -> dict[str, str]:
    """{source: digest of the ids of its held-out documents}: two mixes' losses on a source are
    compared only when they hold out the same documents (a filtered mix holds out fewer)."""
    digests = {}
    for folder in sorted((mix_dir / "heldout").glob("*")):
        ids = sorted(json.loads(line)["id"] for index in folder.glob("*.index.jsonl")
                     for line in index.read_text(encoding="utf-8").splitlines())  # fmt: skip
        digests[folder.name] = hashlib.sha1("\n".join(ids).encode()).hexdigest()
    return digests


def read_curve(metrics: Path) -> list[tuple[int, float]]:
    rows = [json.loads(line) for line in metrics.read_text(encoding="utf-8").splitlines()]
    return [(row["step"], row["loss"]) for row in rows if "loss" in row]


# --- the comparison --------------------------------------------------------------------------


def mean_std(values: list[float]) -> tuple[float, float]:
    """Mean and sample standard deviation (0 for a single value)."""
    return statistics.fmean(values), statistics.stdev(values) if len(values) > 1 else 0.0


def summarize(runs: dict[str, list[dict]], texts: dict[str, dict[str, str]] | None = None) -> dict:
    """{"sources": union of held-out sources, "mixes": {mix: {"heldout": {source: (mean, std)
    or None}, "train_loss": (mean, std), "seeds": n}}, "own_text": sources each mix holds out
    from its own documents (not the same text in every mix), "differences": ...}."""
    sources = sorted({s for results in runs.values() for r in results for s in r["eval"]})
    mixes = {}
    for name, results in runs.items():
        heldout = {}
        for source in sources:
            values = [r["eval"][source]["loss"] for r in results if source in r["eval"]]
            heldout[source] = mean_std(values) if values else None
        train_loss = mean_std([r["train_loss"] for r in results])
        mixes[name] = {"heldout": heldout, "train_loss": train_loss, "seeds": len(results)}
    texts = texts or {}
    own_text = [
        s
        for s in sources  # held out by two mixes or more, from different documents
        if len({texts[name][s] for name in runs if s in texts.get(name, {})}) > 1
    ]
    return {"sources": sources, "mixes": mixes, "own_text": own_text,
            "differences": differences(runs, sources, texts)}  # fmt: skip


def differences(runs: dict[str, list[dict]], sources: list[str],
                texts: dict[str, dict[str, str]]) -> dict:  # fmt: skip
    """{mix: {source: (mean, std) of mix - first mix, paired by seed, or None}} for every mix
    after the first: pairing removes what the seed does to both (same initial weights). None
    also where the two mixes' held-out documents of the source differ (`texts`: digests)."""
    baseline, *others = runs
    result = {}
    for name in others:
        result[name] = {}
        for source in sources:
            if texts.get(name, {}).get(source) != texts.get(baseline, {}).get(source):
                result[name][source] = None
                continue
            pairs = [(mine["eval"][source]["loss"], base["eval"][source]["loss"])
                     for mine, base in zip(runs[name], runs[baseline], strict=False)
                     if source in mine["eval"] and source in base["eval"]]  # fmt: skip
            result[name][source] = mean_std([a - b for a, b in pairs]) if pairs else None
    return result


def markdown_table(summary: dict) -> str:
    def cell(value: tuple[float, float] | None) -> str:
        return MISSING if value is None else f"{value[0]:.4f} ± {value[1]:.4f}"

    header = ["mix", "seeds", *summary["sources"], "train loss"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name, row in summary["mixes"].items():
        cells = [name, str(row["seeds"]), *map(cell, row["heldout"].values())]
        lines.append("| " + " | ".join([*cells, cell(row["train_loss"])]) + " |")
    note = "Held-out loss per source and final train loss, nats/token: mean ± std over seeds."
    return "\n".join(["# Ablation", "", note, "", *lines, "", *difference_table(summary)])


def difference_table(summary: dict) -> list[str]:
    """Markdown lines: each mix minus the first, paired by seed; '*' marks a difference larger
    than twice its spread over seeds (negative: the mix has the lower loss), and only with 2
    seeds or more: one seed has no spread to compare to."""
    if not summary["differences"]:
        return []
    baseline = next(iter(summary["mixes"]))
    seeds = min(row["seeds"] for row in summary["mixes"].values())

    def cell(value: tuple[float, float] | None) -> str:
        if value is None:
            return MISSING
        mark = " *" if seeds >= 2 and abs(value[0]) > 2 * value[1] else ""
        return f"{value[0]:+.4f} ± {value[1]:.4f}{mark}"

    header = ["mix", *summary["sources"]]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name, row in summary["differences"].items():
        lines.append("| " + " | ".join([f"{name} − {baseline}", *map(cell, row.values())]) + " |")
    significance = "* where |mean| > 2 std" if seeds >= 2 else ONE_SEED
    note = (f"Difference from {baseline} per seed (mix − {baseline}, same seed), mean ± std "
            f"over seeds; {significance}; '-' where the two hold out different "
            "documents (compare those on a shared --eval set).")  # fmt: skip
    return ["## Difference from the first mix", "", note, "", *lines, ""]


def csv_table(summary: dict) -> str:
    columns = [
        f"{s}_{stat}" for s in [*summary["sources"], "train_loss"] for stat in ("mean", "std")
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["mix", "seeds", *columns])
    for name, row in summary["mixes"].items():
        values = [*row["heldout"].values(), row["train_loss"]]
        cells = [MISSING if v is None else f"{x:.6f}" for v in values for x in (v or (0, 0))]
        writer.writerow([name, row["seeds"], *cells])
    return buffer.getvalue()


def write_outputs(out: Path, runs: dict[str, list[dict]], summary: dict) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "ablation.json").write_text(json.dumps({"runs": runs, "summary": summary}, indent=1))
    (out / "ablation.md").write_text(markdown_table(summary), encoding="utf-8")
    (out / "ablation.csv").write_text(csv_table(summary), encoding="utf-8")
    plot_curves(runs, out / "loss_curves.png")
    plot_heldout(summary, out / "heldout.png")


# --- plots -----------------------------------------------------------------------------------


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt

    return plt


def mean_curves(runs: dict[str, list[dict]]) -> dict[str, list[tuple[int, float]]]:
    """{mix: [(step, train loss averaged over the seeds that logged that step)]}."""
    curves = {}
    for name, results in runs.items():
        by_step: dict[int, list[float]] = {}
        for result in results:
            for step, loss in result["curve"]:
                by_step.setdefault(step, []).append(loss)
        curves[name] = [(step, statistics.fmean(by_step[step])) for step in sorted(by_step)]
    return curves


def plot_curves(runs: dict[str, list[dict]], path: Path) -> None:
    """Train loss by step, one line per mix; a short run's few points are drawn as dots (a
    line through one point draws nothing), and a figure without any point says so."""
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(7, 4.5))
    curves = mean_curves(runs)
    for name, points in curves.items():
        marker = "o" if len(points) <= CURVE_DOTS else None
        axes.plot([s for s, _ in points], [loss for _, loss in points], marker=marker, label=name)
    if not any(curves.values()):
        axes.text(0.5, 0.5, "no train loss was logged", ha="center", transform=axes.transAxes)
    axes.set(xlabel="step", ylabel="train loss (nats/token)", title="Train loss, mean over seeds")
    axes.legend()
    axes.grid(alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


def plot_heldout(summary: dict, path: Path) -> None:
    plt = _pyplot()
    sources, mixes = summary["sources"], summary["mixes"]
    figure, axes = plt.subplots(figsize=(max(5, 1.5 * len(sources) * len(mixes)), 4.5))
    width = 0.8 / max(len(mixes), 1)
    for i, (name, row) in enumerate(mixes.items()):
        cells = [row["heldout"][s] or (math.nan, 0.0) for s in sources]  # nan: no bar
        positions = [j + (i - (len(mixes) - 1) / 2) * width for j in range(len(sources))]
        axes.bar(positions, [c[0] for c in cells], width, yerr=[c[1] for c in cells],
                 capsize=3, label=name)  # fmt: skip
    own = set(summary.get("own_text", ()))
    axes.set_xticks(
        range(len(sources)),
        [f"{s}\n(each mix's own documents)" if s in own else s for s in sources],
    )
    axes.set(ylabel="held-out loss (nats/token)", title="Held-out loss per source (± std)")
    axes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
