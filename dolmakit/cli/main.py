"""`dolmakit` on the command line. Exit codes: 0 success, 1 runtime failure or too many errors,
2 configuration error (the message names the file, the key and what is allowed)."""

from __future__ import annotations

import os
import sys

import click

from dolmakit.cli.options import quiet_flag, set_overrides
from dolmakit.core.errors import ConfigError, DolmakitError
from dolmakit.core.logs import configure as configure_logging
from dolmakit.core.version import versions_line


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(versions_line(), "--version", message="%(version)s")
def cli() -> None:
    """Turn web crawls and curated sources into LLM pretraining data, on Apache Beam."""


@cli.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("pipeline_file", type=click.Path(dir_okay=False))
@set_overrides("Override a config value, e.g. --set output.format=parquet (repeatable).")
@click.option("--output", help="Output prefix (local path, gs:// or s3://); same as output.path.")
@quiet_flag("the summary")
@click.option("--fresh", is_flag=True, help="Start over: do not resume an unfinished run of the "
              "same config and inputs under the output path.")  # fmt: skip
@click.pass_context
def run(ctx: click.Context, pipeline_file: str, overrides: tuple[str, ...], output: str | None,
        quiet: bool, fresh: bool) -> None:  # fmt: skip
    """Run PIPELINE_FILE (YAML). Other options pass through to Beam, e.g. --runner DataflowRunner
    --project P --region R --temp_location gs://B/tmp; without --runner it runs locally, a
    worker process per core (run.workers). The same command again after a run was
    stopped goes on where it stopped (files already done are not read again)."""
    from dolmakit.core.config_files import text_override
    from dolmakit.engine.run import run_pipeline

    configure_logging(quiet)
    settings = list(overrides) + ([text_override("output.path", output)] if output else [])
    summary = run_pipeline(pipeline_file, settings, list(ctx.args), fresh)
    click.echo(summary.text)
    echo_warnings(summary.report)
    if not summary.ok:
        sys.exit(1)


def echo_warnings(report: dict | None) -> None:
    """The report's warnings (a run that kept nothing, ...), after its summary."""
    for warning in (report or {}).get("warnings", []):
        click.echo(f"WARNING: {warning}")


@cli.command()
@click.argument("name", required=False)
def steps(name: str | None) -> None:
    """List every registered step and input format with its config fields and defaults, or
    show step (or input format) NAME: each setting explained, and its presets."""
    from dolmakit.engine.describe import describe_one, describe_steps

    click.echo(describe_one(name) if name else describe_steps())


@cli.command()
@click.argument("output")
@click.option("--reason", help="Only this removal reason (or error kind, or `kept`).")
@click.option(
    "--sample",
    default=3,
    show_default=True,
    type=click.IntRange(min=0),
    help="Documents shown per reason.",
)
def inspect(output: str, reason: str | None, sample: int) -> None:
    """Show what the finished run in OUTPUT (local, gs://, s3://) kept and removed: counts by
    step and reason, the opening of a few documents per reason, errors by cause. Reads only."""
    from dolmakit.report.inspect import inspect_output

    click.echo(inspect_output(output, reason, sample), nl=False)


def _add_command_groups() -> None:
    from dolmakit.cli.ablate import ablate
    from dolmakit.cli.classifier import classifier
    from dolmakit.cli.decontaminate import decontaminate
    from dolmakit.cli.lm import lm
    from dolmakit.cli.mix import mix
    from dolmakit.cli.tag import tag
    from dolmakit.cli.tokens import tokenizer
    from dolmakit.cli.train import train

    cli.add_command(lm)
    cli.add_command(classifier)
    cli.add_command(decontaminate)
    cli.add_command(tokenizer)
    cli.add_command(mix)
    cli.add_command(tag)
    cli.add_command(train)
    cli.add_command(ablate)


_add_command_groups()


def main() -> None:
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        sys.exit(1)
    except click.ClickException as error:
        error.show()
        sys.exit(2 if isinstance(error, click.UsageError) else 1)
    except ConfigError as error:
        click.echo(f"configuration error: {error}", err=True)
        sys.exit(2)
    except DolmakitError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    except Exception as error:  # a bug or an environment problem: say what, keep the trace
        if os.environ.get("DOLMAKIT_DEBUG"):
            raise
        click.echo(
            f"error: {type(error).__name__}: {error} (DOLMAKIT_DEBUG=1 shows the trace)", err=True
        )
        sys.exit(1)
