"""One `dolmakit tag` run through the job lifecycle (engine/lifecycle.py).

It writes only attributes/<step>/ for each of its taggers, and its report, config.yaml and
errors/ under `_tag/<name>/`; it publishes when every document adds up (in = tagged + errors,
errors within run.max_error_fraction) and every documents file has its file in every new folder.
documents/ and other attribute folders are never written.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime

import yaml

from dolmakit.engine.launch import new_pipeline, run_to_end
from dolmakit.engine.lifecycle import Job, JobResult, records_add_up, run_job
from dolmakit.engine.ownership import files_under
from dolmakit.engine.progress import DoneRecords, Snapshot, records_of, snapshot
from dolmakit.engine.segments import recorded_counters
from dolmakit.io.dolma import ATTRIBUTES
from dolmakit.io.readers import READ_STEP
from dolmakit.report.build import build_report, counters_of, write_atomically
from dolmakit.tag.config import ResolvedTag, load_tag
from dolmakit.tag.transforms import TagFiles

LOG = logging.getLogger("dolmakit")


class TagJob(Job):
    command = "tag"

    def __init__(self, tag: ResolvedTag, tag_file: str, beam_args: list[str]):
        self.tag, self.tag_file, self.beam_args = tag, tag_file, beam_args
        self.key = f"tag:{tag.config.name}"
        self.root, self.report_dir, self.source = tag.root, tag.report_dir, tag_file
        self.done = DoneRecords()

    def outputs(self) -> list[str]:
        folders = [f"{ATTRIBUTES}/{step.name}" for step in self.tag.steps]
        return [*folders, f"{self.report_dir}/errors", f"{self.report_dir}/config.yaml"]

    def prepare(self, staging: str) -> None:
        config = self.tag.config
        self.pipeline, self.label = new_pipeline(self.beam_args, config.run.runner,
                                                 config.run.workers, self.tag.sizes)  # fmt: skip
        self.pipeline | "Tag" >> TagFiles(self.tag, staging)

    def execute(self, staging: str) -> dict:
        tag = self.tag
        config_text = yaml.safe_dump(tag.to_data(), sort_keys=False)
        write_atomically(f"{staging}/{self.report_dir}/config.yaml", config_text)
        count = len(tag.files)
        LOG.info("tagging %s (%d file%s) with %s", tag.root, count, "" if count == 1 else "s",
                 self.label)  # fmt: skip
        started, clock = datetime.now(UTC), time.monotonic()
        result = run_to_end(self.pipeline, "tag run")
        # each file's counts from its completion records, exactly once whatever the runner
        counters = {**counters_of(result), **recorded_counters(staging)}
        return build_report(
            counters,
            # global steps see every document read; a document a tagger fails on ends there
            [(READ_STEP, "read")]
            + [(step.name, step.type_name) for step in [*tag.global_steps, *tag.taggers]],
            pipeline=self.tag_file,
            output=f"{tag.root}/{ATTRIBUTES}",
            runner=self.label,
            started=started.isoformat(timespec="seconds"),
            finished=datetime.now(UTC).isoformat(timespec="seconds"),
            wall_seconds=round(time.monotonic() - clock, 3),
            input={"files": count, "bytes": tag.input_bytes},
            config=tag.to_data(),
        )

    def judge(self, report: dict, staging: str) -> list[str]:
        reasons = records_add_up(report, self.tag.config.run.max_error_fraction)
        missing = missing_files(self.tag, staging)
        if missing:
            reasons.append(f"{len(missing)} attribute files not written, e.g. {missing[0]}")
        return reasons

    def progress(self, staging: str) -> Snapshot:
        """The files tagged, then (with global steps) those given the steps' attributes."""
        global_steps = "+".join(step.name for step in self.tag.global_steps)
        names = ["tag", global_steps] if global_steps else ["tag"]
        found = self.done.look(staging, len(names), len(self.tag.files))
        return snapshot(records_of(found), len(names), self.tag.sizes, names)


def missing_files(tag: ResolvedTag, staging: str) -> list[str]:
    """`<step>/<rel>` of every attribute file the run should have written and did not."""
    written = {path.removeprefix(f"{ATTRIBUTES}/") for path in files_under(staging, ATTRIBUTES)}
    expected = [f"{step.name}/{relative}" for step in tag.steps for relative in tag.files]
    return [name for name in expected if name not in written]


def run_tag(tag_file: str, overrides: list[str] = (), beam_args: list[str] = ()) -> JobResult:
    """Tags the dataset and publishes the new attribute folders (each replacing only the
    folder of its own name, and only what dolmakit wrote there) when every document adds up."""
    job = TagJob(load_tag(tag_file, overrides), tag_file, list(beam_args))
    result = run_job(job)
    result.text = summarize(result, job)
    return result


def summarize(result: JobResult, job: TagJob) -> str:
    report, tag = result.report, job.tag
    totals = report["totals"]
    lines = [
        f"in {totals['in']:,} = tagged {totals['kept']:,} + errors {totals['errors']:,}"
        + ("" if totals["invariant_holds"] else "   <-- DOES NOT ADD UP"),
        f"{report['throughput']['records_per_s']:,} records/s in {report['wall_seconds']} s",
        *(f"attributes: {result.where}/{ATTRIBUTES}/{step.name}/" for step in tag.steps),
        f"errors:     {result.where}/{tag.report_dir}/errors/",
        f"report:     {result.report_paths[0]}  {result.report_paths[1]}",
    ]
    return "\n".join(lines + result.status_lines(tag.root))
