"""`dolmakit mix MIX.yaml`: sample sources into token shards and report the realized mix."""

from __future__ import annotations

import sys

import click

from dolmakit.cli.options import quiet_flag, set_overrides
from dolmakit.core.logs import configure as configure_logging


@click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("mix_file", type=click.Path(dir_okay=False))
@set_overrides("Override a mix value, e.g. --set budget_tokens=2000000 or "
               "--set sources.wikipedia.epochs=3 (repeatable).")  # fmt: skip
@click.option("--output", help="Output folder; same as --set output=...")
@quiet_flag("the table")
@click.pass_context
def mix(ctx: click.Context, mix_file: str, overrides: tuple[str, ...], output: str | None,
        quiet: bool) -> None:  # fmt: skip
    """Mix the sources of MIX_FILE (YAML) into token shards: count tokens per source, sample
    whole documents to the proportions or epochs, split a held-out set, shuffle, write. Other
    options pass through to Beam."""
    from dolmakit.core.config_files import text_override
    from dolmakit.mix.job import run_mix

    configure_logging(quiet)
    settings = list(overrides) + ([text_override("output", output)] if output else [])
    result = run_mix(mix_file, settings, list(ctx.args))
    click.echo(format_table(result.report, None if result.published else result.where))
    for line in result.status_lines(result.report["output"]):
        click.echo(line)
    if not result.published:
        sys.exit(1)


def format_table(report: dict, where: str | None = None) -> str:
    """The realized mix as text, the way LLaMA's Table 1 reads; its files are under `where`
    (the output path once published, else the staging folder), by default the output path."""
    where = where or report["output"]
    lines = [f"{'source':<16} {'prop. plan':>10} {'realized':>9} {'epochs plan':>11} "
             f"{'realized':>9} {'tokens':>14} {'disk':>14}"]  # fmt: skip
    for row in report["mix"]:
        lines.append(
            f"{row['source']:<16} {row['proportion']['planned']:>10.2%} "
            f"{row['proportion']['realized']:>9.2%} {row['epochs']['planned']:>11.2f} "
            f"{row['epochs']['realized']:>9.2f} {row['tokens']:>14,} {row['size_on_disk']:>14,}"
        )
    budget = report["budget_tokens"]
    lines.append(f"training tokens: {budget['realized']:,} (planned {budget['planned']:,})")
    lines.append(f"shards: {where}/train/  held out: {_held_out(report, where)}")
    lines.append(f"report: {where}/report.json  {where}/report.html")
    lines += [f"WARNING: {warning}" for warning in report.get("warnings", [])]
    return "\n".join(lines)


def _held_out(report: dict, where: str) -> str:
    """The held-out folders that exist: one per source that holds out a document."""
    sources = [row["source"] for row in report["mix"] if row["held_out"]["documents"]]
    if not sources:
        return "none"
    if len(sources) == len(report["mix"]):
        return f"{where}/heldout/"
    return "  ".join(f"{where}/heldout/{name}/" for name in sources)
