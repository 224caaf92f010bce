"""The mix's own accounting, per source, from the write pass's counters: every document read is
removed by a rule, an error, or kept; every kept document is sampled for training, left out by
the sampler, or held out; every copy the sampler made was written, and so was every held-out
document. The count pass must have seen the same kept documents as the write pass."""

from __future__ import annotations

from dolmakit.mix.config import MixConfig
from dolmakit.mix.plan import HELD_OUT, TRAIN, SourceCounts
from dolmakit.mix.transforms import SAMPLED, WRITTEN


def accounting_rows(config: MixConfig, counts: dict[str, SourceCounts],
                    counters: dict[str, int]) -> list[dict]:  # fmt: skip
    return [_row(spec.name, counts[spec.name], counters) for spec in config.sources]


def _row(name: str, counted: SourceCounts, counters: dict[str, int]) -> dict:
    def total(prefix: str) -> int:
        return sum(v for k, v in counters.items() if k.startswith(prefix))

    def get(key: str) -> int:
        return counters.get(key, 0)

    return {
        "source": name,
        "read": get(f"step/{name}/in"),
        "removed": total(f"step/{name}/removed/"),
        "errors": total(f"step/{name}/error/"),
        "kept": get(f"step/{name}/kept"),
        "counted": counted.documents,  # kept, as the count pass saw them
        "sampled": get(f"{SAMPLED}/{name}/{TRAIN}_documents"),
        "not_sampled": get(f"{SAMPLED}/{name}/unsampled_documents"),
        "held_out": get(f"{SAMPLED}/{name}/{HELD_OUT}_documents"),
        "copies": get(f"{SAMPLED}/{name}/{TRAIN}_copies"),
        "copies_written": get(f"{WRITTEN}/{name}/{TRAIN}_documents"),
        "held_out_written": get(f"{WRITTEN}/{name}/{HELD_OUT}_documents"),
    }


def discrepancies(rows: list[dict], max_error_fraction: float) -> list[str]:
    """Why the mix does not add up; none when it does."""
    reasons = [reason for row in rows for reason in _row_discrepancies(row)]
    read, errors = sum(row["read"] for row in rows), sum(row["errors"] for row in rows)
    fraction = errors / read if read else 0.0
    if fraction > max_error_fraction:
        reasons.append(f"error fraction {fraction:.4f} is above run.max_error_fraction "
                       f"{max_error_fraction}")  # fmt: skip
    return reasons


def _row_discrepancies(row: dict) -> list[str]:
    name = row["source"]
    checks = [
        (row["read"], row["kept"] + row["removed"] + row["errors"],
         "documents read != kept + removed + errors"),
        (row["kept"], row["sampled"] + row["not_sampled"] + row["held_out"],
         "documents kept != sampled + not sampled + held out"),
        (row["kept"], row["counted"], "documents kept != documents the count pass saw"),
        (row["copies"], row["copies_written"], "training copies made != copies written"),
        (row["held_out"], row["held_out_written"], "held-out documents != held-out written"),
    ]  # fmt: skip
    return [f"{name}: {what} ({left:,} != {right:,})" for left, right, what in checks
            if left != right]  # fmt: skip
