"""The printed results of quality_ablation.py: per evaluation set, each stage's loss and its
difference from the first stage paired by seed; then the stage-by-stage tables of differences
(against the first stage, and against the stage before)."""

from __future__ import annotations

import math
import statistics

SIGNIFICANT = " *"  # |mean| > 2 x std over seeds, and only with 2 seeds or more (as ablate marks)


def mean_std(values: list[float]) -> tuple[float, float]:
    return statistics.fmean(values), statistics.stdev(values) if len(values) > 1 else 0.0


def spread(values: list[float], digits: int = 4) -> str:
    mean, std = mean_std(values)
    return f"{mean:.{digits}f} ± {std:.{digits}f}"


def difference(values: list[float]) -> str:
    """`-0.1087 ± 0.0558 *`: mean ± std, marked beyond twice its spread (2 seeds or more)."""
    mean, std = mean_std(values)
    mark = SIGNIFICANT if len(values) >= 2 and abs(mean) > 2 * std else "  "
    return f"{mean:+.4f} ± {std:.4f}{mark}"


def losses(result: dict, mix: str, eval_set: str) -> list[float]:
    """The mix's loss on the set, per seed (seed 0 first)."""
    return [run["eval"][eval_set]["loss"] for run in result["runs"][mix]]


def paired(result: dict, mix: str, base: str, eval_set: str) -> list[float]:
    """mix - base per seed: the same seed draws the same initial weights and batch positions."""
    return [a - b for a, b in zip(losses(result, mix, eval_set), losses(result, base, eval_set),
                                  strict=True)]  # fmt: skip


def print_eval_set(result: dict, stages: dict[str, str], eval_set: str, about: str) -> None:
    """stages: {mix name: label}, the first the baseline."""
    base = next(iter(stages))
    print(f"\n{eval_set}: {about}")
    print(f"   {'stage':33} {'loss':>17} {'perplexity':>17}   "
          f"{'- ' + stages[base] + ', paired':>26}  {'range':>17}")  # fmt: skip
    for mix, label in stages.items():
        values = losses(result, mix, eval_set)
        perplexity = spread([math.exp(x) for x in values], 1)
        line = f"   {label:33} {spread(values):>17} {perplexity:>17}"
        if mix != base:
            deltas = paired(result, mix, base, eval_set)
            line += f"   {difference(deltas):>26}  {min(deltas):+.4f} .. {max(deltas):+.4f}"
        print(line)


def print_stage_table(result: dict, stages: dict[str, str], eval_sets: list[str],
                      against_previous: bool) -> None:  # fmt: skip
    names = list(stages)
    print(f"   {'':28}" + "".join(f"{name:>21}" for name in eval_sets))
    for before, mix in zip(names, names[1:], strict=False):
        base = before if against_previous else names[0]
        cells = "".join(f"{difference(paired(result, mix, base, s)):>21}" for s in eval_sets)
        print(f"   {stages[mix]:28}{cells}")


def print_tables(result: dict, stages: dict[str, str], eval_sets: list[str], seeds: int) -> None:
    base = stages[next(iter(stages))]
    print(f"\nStage by stage, the paired difference in loss (nats/token, mean ± std over {seeds} "
          f"seeds; * where |mean| > 2 std)\n  each stage - {base}:")  # fmt: skip
    print_stage_table(result, stages, eval_sets, against_previous=False)
    print("  each stage - the stage above it (what that stage adds):")
    print_stage_table(result, stages, eval_sets, against_previous=True)
