"""One `dolmakit run`: resolve, launch on Beam, wait, report, and judge the outcome."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import yaml
from apache_beam.options.pipeline_options import TestOptions

from dolmakit.engine.config import ResolvedPipeline, load_pipeline
from dolmakit.engine.launch import clear_outputs, run_to_end
from dolmakit.engine.pipeline import Launch, make_pipeline
from dolmakit.io.readers import READ_STEP
from dolmakit.report.build import build_report, counters_of, write_atomically, write_report

LOG = logging.getLogger("dolmakit")
# what a run writes under output.path and a new run replaces (config.yaml is rewritten whole)
_OUTPUTS = ("documents", "attributes", "removed", "errors", "report.json", "report.html")


@dataclass
class Summary:
    text: str
    ok: bool
    report: dict | None = None


def run_pipeline(pipeline_file: str, overrides: list[str], beam_args: list[str]) -> Summary:
    resolved = load_pipeline(pipeline_file, overrides)
    launch = make_pipeline(resolved, beam_args)
    root = resolved.config.output.path.rstrip("/")
    if launch.pipeline.options.view_as(TestOptions).dry_run:
        launch.pipeline.run()
        return Summary(f"dry run: job graph for {launch.runner_label} built, nothing ran", True)
    clear_outputs(root, _OUTPUTS, "run")
    write_atomically(f"{root}/config.yaml", yaml.safe_dump(resolved.to_data(), sort_keys=False))
    count = len(launch.files)
    files = f"{count} file{'' if count == 1 else 's'}"
    LOG.info("running %s on %s with %s", pipeline_file, files, launch.runner_label)
    report = _execute(launch, resolved, pipeline_file, root)
    json_path, html_path = write_report(report, root)
    return _summarize(report, resolved, root, json_path, html_path)


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


def _summarize(report: dict, resolved: ResolvedPipeline, root: str, *paths: str) -> Summary:
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
    ok = totals["invariant_holds"] and fraction <= bound
    if fraction > bound:
        lines.append(
            f"FAILED: error fraction {fraction:.4f} is above run.max_error_fraction {bound}"
        )
    return Summary("\n".join(lines), ok, report)
