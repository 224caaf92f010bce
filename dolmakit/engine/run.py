"""One `dolmakit run`: resolve, launch on Beam, wait, report, and judge the outcome."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import yaml
from apache_beam.options.pipeline_options import TestOptions

from dolmakit.engine.config import ResolvedPipeline, load_pipeline
from dolmakit.engine.launch import (
    TAG_REPORTS,
    clear_outputs,
    promote,
    run_to_end,
    staging_folder,
    stale_staging,
)
from dolmakit.engine.pipeline import Launch, make_pipeline
from dolmakit.io.readers import READ_STEP
from dolmakit.report.build import build_report, counters_of, write_atomically, write_report

LOG = logging.getLogger("dolmakit")
# what a run writes under output.path and a new run replaces; report.json comes last
_PUBLISHED = ("documents", "attributes", "removed", "errors", "config.yaml")
# a new run's documents make the reports of earlier `dolmakit tag` runs over them stale
_OUTPUTS = (*_PUBLISHED, "report.json", "report.html", TAG_REPORTS)


@dataclass
class Summary:
    text: str
    ok: bool
    report: dict | None = None


def run_pipeline(pipeline_file: str, overrides: list[str], beam_args: list[str]) -> Summary:
    """Runs the pipeline into a staging folder under output.path and publishes its outputs
    under their final names only when every record adds up and the error fraction is within
    bounds; report.json, written last, is the sign of a finished, published run."""
    resolved = load_pipeline(pipeline_file, overrides)
    root = resolved.config.output.path.rstrip("/")
    staging = staging_folder(root)
    launch = make_pipeline(resolved, beam_args, output_root=staging)
    if launch.pipeline.options.view_as(TestOptions).dry_run:
        launch.pipeline.run()
        return Summary(f"dry run: job graph for {launch.runner_label} built, nothing ran", True)
    clear_outputs(root, [*_OUTPUTS, *_relative(root, stale_staging(root))], "run")
    config_text = yaml.safe_dump(resolved.to_data(), sort_keys=False)
    write_atomically(f"{staging}/config.yaml", config_text)
    count = len(launch.files)
    files = f"{count} file{'' if count == 1 else 's'}"
    LOG.info("running %s on %s with %s", pipeline_file, files, launch.runner_label)
    report = _execute(launch, resolved, pipeline_file, root)
    published = _adds_up(report, resolved)
    if published:
        promote(staging, root, _PUBLISHED)
    where = root if published else staging
    summary = _summarize(report, resolved, where, write_report(report, where))
    if not published:
        summary.text += f"\nNOT PUBLISHED: nothing under {root}/ but this folder: {staging}/"
    return summary


def _adds_up(report: dict, resolved: ResolvedPipeline) -> bool:
    """Whether every record is accounted for and the errors are within run.max_error_fraction."""
    totals = report["totals"]
    fraction = totals["errors"] / totals["in"] if totals["in"] else 0.0
    return totals["invariant_holds"] and fraction <= resolved.config.run.max_error_fraction


def _relative(root: str, paths: list[str]) -> list[str]:
    return [path[len(root) + 1 :] for path in paths]


def _execute(launch: Launch, resolved: ResolvedPipeline, pipeline_file: str, root: str) -> dict:
    """Runs the pipeline to its end and returns its report."""
    started, clock = datetime.now(UTC), time.monotonic()
    result = run_to_end(launch.pipeline, "pipeline")
    return build_report(
        counters_of(result),
        [(READ_STEP, "read")] + [(step.name, step.type_name) for step in resolved.steps],
        pipeline=pipeline_file,
        output=root,
        runner=launch.runner_label,
        started=started.isoformat(timespec="seconds"),
        finished=datetime.now(UTC).isoformat(timespec="seconds"),
        wall_seconds=round(time.monotonic() - clock, 3),
        input={"files": len(launch.files), "bytes": launch.input_bytes},
        config=resolved.to_data(),
    )


def _summarize(
    report: dict, resolved: ResolvedPipeline, root: str, paths: tuple[str, str]
) -> Summary:
    totals = report["totals"]
    bound = resolved.config.run.max_error_fraction
    fraction = totals["errors"] / totals["in"] if totals["in"] else 0.0
    lines = [
        f"in {totals['in']:,} = kept {totals['kept']:,} + removed {totals['removed']:,}"
        f" + errors {totals['errors']:,}"
        + ("" if totals["invariant_holds"] else "   <-- DOES NOT ADD UP"),
        f"{report['throughput']['records_per_s']:,} records/s, "
        f"{report['throughput']['input_mb_per_s']} MB/s in {report['wall_seconds']} s",
        f"documents: {root}/documents/",
        f"removed:   {root}/removed/",
        f"errors:    {root}/errors/",
        f"report:    {paths[0]}  {paths[1]}",
    ]
    ok = _adds_up(report, resolved)
    if fraction > bound:
        lines.append(
            f"FAILED: error fraction {fraction:.4f} is above run.max_error_fraction {bound}"
        )
    return Summary("\n".join(lines), ok, report)
