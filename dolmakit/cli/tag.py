"""`dolmakit tag TAG.yaml`: run taggers over an existing Dolma dataset, writing only their
attributes/<step>/ folders."""

from __future__ import annotations

import sys

import click

from dolmakit.cli.options import quiet_flag, set_overrides
from dolmakit.core.logs import configure as configure_logging


@click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("tag_file", type=click.Path(dir_okay=False))
@set_overrides("Override a value, e.g. --set steps.pii_v1.config.kinds=[email] (repeatable).")
@click.option("--dataset", help="The Dolma dataset's root (local, gs://, s3://); same as "
              "--set dataset=...")  # fmt: skip
@quiet_flag("the summary")
@click.pass_context
def tag(ctx: click.Context, tag_file: str, overrides: tuple[str, ...], dataset: str | None,
        quiet: bool) -> None:  # fmt: skip
    """Tag the Dolma dataset TAG_FILE (YAML) names: each documents file gets one file per
    tagger under attributes/<step>/, line for line; documents/ and other folders stay as they
    are. Other options pass through to Beam, e.g. --runner DataflowRunner."""
    from dolmakit.cli.main import echo_warnings
    from dolmakit.core.config_files import text_override
    from dolmakit.tag.job import run_tag

    configure_logging(quiet)
    settings = list(overrides) + ([text_override("dataset", dataset)] if dataset else [])
    summary = run_tag(tag_file, settings, list(ctx.args))
    click.echo(summary.text)
    echo_warnings(summary.report)
    if not summary.ok:
        sys.exit(1)
