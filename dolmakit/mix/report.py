"""The mix report: LLaMA's Table 1 for the mix as planned and as realized, and the accounting of
every document read (kept, removed by an include/exclude rule, or in error) per source."""

from __future__ import annotations

from dolmakit.mix.config import MixConfig, ResolvedMix
from dolmakit.mix.plan import HELD_OUT, TRAIN, MixPlan, SourceCounts
from dolmakit.report.build import step_counts

# reading a source is counted as a step of the source's name, as route() counts a run's steps:
# step/<source>/{in,kept,removed/<rule>,error/<kind>} (mix/transforms.py names every counter)
SOURCE_STEP = "mix source (read, include/exclude)"
# a source whose realized share of the training tokens is below this fraction of its plan is
# named in a warning: its documents are too few or too long to sample its share that finely
LOW_REALIZED = 0.5


def build_mix_report(
    mix: ResolvedMix,
    plan: MixPlan,
    counts: dict[str, SourceCounts],
    accounting: dict[str, int],
    realized: dict[str, int],
    sizes: dict[str, int],
) -> dict:
    rows = mix_rows(mix.config, plan, counts, realized, sizes)
    steps = [step_counts(accounting, spec.name, SOURCE_STEP) for spec in mix.config.sources]
    totals = {key: sum(_total(step[key]) for step in steps)
              for key in ("in", "kept", "removed", "errors")}  # fmt: skip
    totals["invariant_holds"] = (
        totals["in"] == totals["kept"] + totals["removed"] + totals["errors"]
    )
    return {
        "pipeline": mix.source_file,
        "mix": rows,
        "budget_tokens": {
            "planned": round(plan.budget_tokens),
            "realized": sum(row["tokens"] for row in rows),
        },
        "output": mix.config.output,
        "input": {"files": None, "bytes": sum(sizes.values())},
        "totals": totals,
        "steps": steps,
        "tables": [mix_table(rows)],
        "warnings": mix_warnings(rows, mix.config.held_out_fraction),
        "config": mix.to_data(),
    }


def mix_warnings(rows: list[dict], held_out_fraction: float) -> list[str]:
    """What a mix did that its file did not ask for: a source realized at less than half its
    planned share, and sources that hold out no document although the mix holds some out."""
    warnings = []
    for row in rows:
        planned, realized = row["proportion"]["planned"], row["proportion"]["realized"]
        if realized < LOW_REALIZED * planned:
            warnings.append(
                f"source {row['source']!r} is {realized:.2%} of the training tokens, planned "
                f"{planned:.2%}: its {row['source_documents']:,} training documents "
                f"({row['source_tokens']:,} tokens) are too few or too long for this budget to "
                "sample that share finely; a larger budget or more documents come closer"
            )
    empty = [row["source"] for row in rows if not row["held_out"]["documents"]]
    if held_out_fraction > 0 and empty:
        warnings.append(
            f"no document held out of {', '.join(map(repr, empty))} (held_out_fraction "
            f"{held_out_fraction}): too few documents for that fraction, so training on this "
            "mix measures no held-out loss on them"
        )
    return warnings


def mix_rows(
    config: MixConfig,
    plan: MixPlan,
    counts: dict[str, SourceCounts],
    realized: dict[str, int],
    sizes: dict[str, int],
) -> list[dict]:
    """One row per source, as LLaMA's Table 1: proportion and epochs, planned and realized."""
    total = sum(realized.get(f"{s.name}/{TRAIN}_tokens", 0) for s in config.sources) or 1
    rows = []
    for spec in config.sources:
        name, source_plan, c = spec.name, plan.sources[spec.name], counts[spec.name]
        tokens = realized.get(f"{name}/{TRAIN}_tokens", 0)
        rows.append({
            "source": name,
            "given": "proportion" if spec.proportion is not None else "epochs",
            "proportion": {"planned": source_plan.proportion, "realized": tokens / total},
            "epochs": {"planned": source_plan.epochs, "realized": tokens / c.train_tokens},
            "tokens": tokens,
            "documents": realized.get(f"{name}/{TRAIN}_documents", 0),
            "source_tokens": c.train_tokens,
            "source_documents": c.train_documents,
            "held_out": {"documents": realized.get(f"{name}/{HELD_OUT}_documents", 0),
                         "tokens": realized.get(f"{name}/{HELD_OUT}_tokens", 0)},
            "size_on_disk": sizes[name],
        })  # fmt: skip
    return rows


def mix_table(rows: list[dict]) -> dict:
    headers = ["Dataset", "Sampling prop. (planned)", "Sampling prop. (realized)",
               "Epochs (planned)", "Epochs (realized)", "Disk size", "Tokens", "Documents",
               "Held-out documents", "Held-out tokens"]  # fmt: skip
    body = [
        [row["source"], f"{row['proportion']['planned']:.2%}",
         f"{row['proportion']['realized']:.2%}", f"{row['epochs']['planned']:.2f}",
         f"{row['epochs']['realized']:.2f}", _human_bytes(row["size_on_disk"]), row["tokens"],
         row["documents"], row["held_out"]["documents"], row["held_out"]["tokens"]]
        for row in rows
    ]  # fmt: skip
    return {"title": "Mix (as in LLaMA's Table 1)", "headers": headers, "rows": body,
            "numeric": list(range(1, len(headers)))}  # fmt: skip


def _total(value: int | dict[str, int]) -> int:
    return sum(value.values()) if isinstance(value, dict) else value


def _human_bytes(size: int) -> str:
    value, unit = float(size), "B"
    for next_unit in ("KB", "MB", "GB", "TB"):
        if value < 1000:
            break
        value, unit = value / 1000, next_unit
    return f"{value:.1f} {unit}"
