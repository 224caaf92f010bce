"""One `dolmakit run`: resolve, launch on Beam through the job lifecycle, report, summarize."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from datetime import UTC, datetime

import yaml
from apache_beam.options.pipeline_options import PipelineOptions, TestOptions

from dolmakit.core.version import package_version
from dolmakit.engine.config import ResolvedPipeline, load_pipeline
from dolmakit.engine.launch import run_to_end
from dolmakit.engine.lifecycle import Job, JobResult, records_add_up, run_job
from dolmakit.engine.ownership import Ledger, files_under, staging_path
from dolmakit.engine.pipeline import list_inputs, make_pipeline
from dolmakit.engine.progress import DoneRecords, Snapshot, snapshot
from dolmakit.engine.segments import plan_segments, recorded_counters
from dolmakit.io.dolma import ATTRIBUTES
from dolmakit.io.files import absolute
from dolmakit.io.inputs import InputFile
from dolmakit.io.readers import READ_STEP
from dolmakit.report.build import build_report, counters_of, write_atomically

LOG = logging.getLogger("dolmakit")
_NAMES = ("documents", "removed", "errors", "config.yaml")


class RunJob(Job):
    """A pipeline's run: documents, attributes/<step>, removed, errors and config.yaml."""

    command = key = "run"

    def __init__(self, resolved: ResolvedPipeline, pipeline_file: str, beam_args: list[str]):
        self.resolved, self.pipeline_file, self.beam_args = resolved, pipeline_file, beam_args
        self.root = absolute(resolved.config.output.path.rstrip("/"))
        self.source = pipeline_file
        self.added = datetime.now(UTC).isoformat(timespec="seconds")
        self.resumed = False
        self.files: list[InputFile] | None = None
        self.done = DoneRecords()

    def fingerprint(self) -> str:
        """The resolved config, the input files with their sizes and dolmakit's version: a
        staging folder of another fingerprint is never resumed."""
        files = [(file.path, file.size) for file in self.inputs()]
        what = [self.resolved.to_data(), files, package_version(), self.beam_args]
        return hashlib.sha256(json.dumps(what, sort_keys=True, default=str).encode()).hexdigest()

    def inputs(self) -> list[InputFile]:
        """The input files, listed once (a listing of gs:// or s3:// is a request)."""
        if self.files is None:
            self.files = list_inputs(self.resolved)
        return self.files

    def mark(self) -> dict:
        return {**super().mark(), "added": self.added}

    def resume_state(self, mark: dict) -> None:
        self.added = mark["added"]  # the documents' `added` as the first launch wrote them
        self.resumed = True

    def outputs(self) -> list[str]:
        steps = [f"{ATTRIBUTES}/{step.name}" for step in self.resolved.steps]
        return [*_NAMES, *(steps if self.resolved.config.output.format == "dolma" else [])]

    def staged_outputs(self, staging: str) -> list[str]:
        """What the run wrote: attribute folders are named by the attributes the documents
        carry (attributes/input for those without a step's prefix), known only after the run."""
        folders = {path.split("/")[1] for path in files_under(staging, ATTRIBUTES)}
        named = [*_NAMES, *(f"{ATTRIBUTES}/{folder}" for folder in sorted(folders))]
        return [name for name in named if files_under(staging, name)]

    def supersedes(self, ledger: Ledger) -> list[str]:
        """New documents make every earlier run's outputs and every tag run's attributes
        (which describe the documents line by line) stale."""
        return [key for key in ledger.jobs if key == self.key or key.startswith("tag:")]

    def prepare(self, staging: str) -> None:
        self.launch = make_pipeline(self.resolved, self.beam_args, output_root=staging,
                                    added=self.added, resumed=self.resumed,
                                    files=self.inputs())  # fmt: skip

    def execute(self, staging: str) -> dict:
        launch = self.launch
        config_text = yaml.safe_dump(self.resolved.to_data(), sort_keys=False)
        write_atomically(f"{staging}/config.yaml", config_text)
        count = len(launch.files)
        files = f"{count} file{'' if count == 1 else 's'}"
        LOG.info("running %s on %s with %s", self.pipeline_file, files, launch.runner_label)
        started, clock = datetime.now(UTC), time.monotonic()
        result = run_to_end(launch.pipeline, "pipeline")
        # Beam's metrics for what only they count (a global step's decisions); the passes'
        # counts from their completion records, which count every file exactly once
        counters = {**counters_of(result), **recorded_counters(staging)}
        return build_report(
            counters,
            [(READ_STEP, "read")] + [(step.name, step.type_name) for step in self.resolved.steps],
            pipeline=self.pipeline_file,
            output=self.root,
            runner=launch.runner_label,
            started=started.isoformat(timespec="seconds"),
            finished=datetime.now(UTC).isoformat(timespec="seconds"),
            wall_seconds=round(time.monotonic() - clock, 3),
            input={"files": count, "bytes": launch.input_bytes},
            config=self.resolved.to_data(),
        )

    def judge(self, report: dict, staging: str) -> list[str]:
        return records_add_up(report, self.resolved.config.run.max_error_fraction)

    def progress(self, staging: str) -> Snapshot:
        """Each pass's files done, from their completion records: the records a pass went over
        (its first step's `in`) and those it sent on (its last step's `kept`)."""
        passes, sizes = pass_counters(self.resolved.steps), [f.size for f in self.inputs()]
        done = []
        for (index, part), record in self.done.look(staging, len(passes), len(sizes)).items():
            _, counted, kept = passes[index]
            counters = record["counters"]  # only counts that are not 0
            done.append((index, int(part.removeprefix("part-")), counters.get(counted, 0),
                         counters.get(kept, 0)))  # fmt: skip
        return snapshot(done, len(passes), sizes, [name for name, _, _ in passes])


def pass_counters(steps: list) -> list[tuple[str, str, str]]:
    """Each pass's name (the global step it applies, `read` for the first) and the counters of
    the records it goes over and of those it keeps."""
    passes = []
    for segment in plan_segments(steps):
        first = segment.before.name if segment.before else READ_STEP
        last = segment.steps[-1].name if segment.steps else first
        passes.append((first, f"step/{first}/in", f"step/{last}/kept"))
    return passes


def run_pipeline(pipeline_file: str, overrides: list[str], beam_args: list[str],
                 fresh: bool = False) -> JobResult:  # fmt: skip
    """Runs the pipeline through the job lifecycle (engine/lifecycle.py): staged, judged,
    published under output.path only when every record adds up; an unfinished run of the same
    config and inputs is resumed unless `fresh`. Returns the outcome with its summary in
    `text`."""
    resolved = load_pipeline(pipeline_file, overrides)
    job = RunJob(resolved, pipeline_file, beam_args)
    if PipelineOptions(beam_args).view_as(TestOptions).dry_run:
        job.prepare(staging_path(job.root))
        job.launch.pipeline.run()  # builds the job graph (Dataflow's dry run), runs nothing
        text = f"dry run: job graph for {job.launch.runner_label} built, nothing ran"
        return JobResult({}, True, job.root, ("", ""), text=text)
    result = run_job(job, fresh)
    result.text = summarize(result, job)
    return result


def summarize(result: JobResult, job: RunJob) -> str:
    report, where = result.report, result.where
    totals = report["totals"]
    lines = [
        f"in {totals['in']:,} = kept {totals['kept']:,} + removed {totals['removed']:,}"
        f" + errors {totals['errors']:,}"
        + ("" if totals["invariant_holds"] else "   <-- DOES NOT ADD UP"),
        f"{report['throughput']['records_per_s']:,} records/s, "
        f"{report['throughput']['input_mb_per_s']} MB/s in {report['wall_seconds']} s",
        *(f"{name + ':':<10} {folder(where, name)}" for name in ("documents", "removed", "errors")),
        f"report:    {result.report_paths[0]}  {result.report_paths[1]}",
    ]
    if result.published:
        stale = unowned_attribute_folders(job.root)
        lines += [f"WARNING: {name}/ was not written by dolmakit and describes the previous "
                  "documents; left as it was" for name in stale]  # fmt: skip
    return "\n".join(lines + result.status_lines(job.root))


def folder(root: str, name: str) -> str:
    """`<root>/<name>/`, or `none` where the run wrote nothing there (removed/ and errors/ are
    made at their first record)."""
    return f"{root}/{name}/" if files_under(root, name) else "none"


def unowned_attribute_folders(root: str) -> list[str]:
    """attributes/<name> folders under root with files no dolmakit job recorded."""
    owned = Ledger.read(root).owned()
    return sorted({"/".join(path.split("/")[:2]) for path in files_under(root, ATTRIBUTES)
                   if path not in owned})  # fmt: skip
