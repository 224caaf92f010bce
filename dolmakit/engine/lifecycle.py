"""The one job lifecycle of `dolmakit run`, `dolmakit tag` and `dolmakit mix`.

0. The job holds its output path for its whole life (engine/output_lock.py): a second job into
   the same path stops before launch (exit 2).
1. Before launch: every name the job would write under its output path holds only files an
   earlier dolmakit job recorded (engine/ownership.py); anything else stops the job with a
   ConfigError listing the paths (exit 2), and nothing is deleted.
2. The job runs to its end into a new staging folder, `<root>/_incomplete-<time>-<id>/`, while
   a line says how far it is (engine/watcher.py).
3. Its report is judged: every record accounted for, errors within run.max_error_fraction (each
   job says how it counts). A job that fails the judgement, or whose run fails, publishes
   nothing: its files and report stay in the staging folder, the previous outputs as they were
   (exit 1).
4. Publication: the previous report.json goes first, then the files of the jobs this one
   supersedes and whatever dolmakit wrote under its names; the staged outputs move to their final
   names; the ledger records what this job wrote; report.html, then report.json, last. A
   finished job is one whose report.json exists.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from apache_beam.io.filesystems import FileSystems

from dolmakit.core.errors import ConfigError, FatalError
from dolmakit.engine.output_lock import holding_output
from dolmakit.engine.ownership import (
    LEDGER,
    STAGING_MARK,
    Ledger,
    delete_files,
    delete_folder,
    files_under,
    foreign_files,
    open_staging,
    own_staging_folders,
    read_mark,
    staging_path,
)
from dolmakit.engine.watcher import watching
from dolmakit.io.file_writers import make_folder
from dolmakit.report.build import write_report

if TYPE_CHECKING:
    from dolmakit.engine.progress import Snapshot

LOG = logging.getLogger("dolmakit")
REPORT_FILES = ("report.json", "report.html")
_SHOWN = 20  # foreign paths listed in an error; the rest are counted


class Job:
    """What a command brings to the lifecycle; run, tag and mix subclass it."""

    command = "job"  # the command's name, for logs and the staging mark
    key = "job"  # the ledger's key of this job's files
    root = ""  # the output path
    report_dir = ""  # where report.json and report.html go, relative to root ("" = root)
    source = ""  # the config file, named by configuration errors

    def outputs(self) -> list[str]:
        """Names (files or folders, relative to root) the job may write, known before launch."""
        raise NotImplementedError

    def prepare(self, staging: str) -> None:
        """Everything that can fail on configuration before anything is written (a pipeline's
        graph, its inputs), with outputs to go under `staging`, which does not exist yet."""

    def execute(self, staging: str) -> dict:
        """Runs the job to its end with every output under `staging`; returns the report."""
        raise NotImplementedError

    def judge(self, report: dict, staging: str) -> list[str]:
        """Why the job's outputs must not be published; none when they add up."""
        raise NotImplementedError

    def progress(self, staging: str) -> Snapshot | None:
        """What the job has finished so far, counted from what it wrote under `staging`; asked
        by a thread while execute() runs (engine/watcher.py). None: the job shows no progress."""
        return None

    def staged_outputs(self, staging: str) -> list[str]:
        """The names under `staging` to publish: by default the outputs the job wrote."""
        return [name for name in self.outputs() if files_under(staging, name)]

    def fingerprint(self) -> str | None:
        """What makes an unfinished staging folder this job's to resume (its resolved config
        and inputs), or None for a job that always starts over."""
        return None

    def resume_state(self, mark: dict) -> None:
        """Takes back what the staging folder's mark recorded of the job it resumes."""

    def mark(self) -> dict:
        """What the staging folder's mark records for a later resume (the job's fingerprint)."""
        return {"fingerprint": self.fingerprint()}

    def supersedes(self, ledger: Ledger) -> list[str]:
        """Ledger keys of earlier jobs whose every file this job's publication removes."""
        return [self.key]

    def report_files(self) -> list[str]:
        return [f"{self.report_dir}/{name}".lstrip("/") for name in REPORT_FILES]


@dataclass
class JobResult:
    report: dict
    published: bool
    where: str  # the root when published, else the staging folder
    report_paths: tuple[str, str]
    reasons: list[str] = field(default_factory=list)  # why it was not published
    text: str = ""  # the command's summary

    @property
    def ok(self) -> bool:
        return self.published

    def status_lines(self, root: str) -> list[str]:
        lines = [f"FAILED: {reason}" for reason in self.reasons]
        if not self.published:
            lines.append(f"NOT PUBLISHED: nothing under {root}/ changed; "
                         f"this run's files: {self.where}/")  # fmt: skip
        return lines


def run_job(job: Job, fresh: bool = False) -> JobResult:
    """The lifecycle, holding the output path against other jobs from start to end; an
    unfinished staging folder of the same job (fingerprint) is resumed unless `fresh`."""
    with holding_output(job.root, job.source):
        return _run_held(job, fresh)


def _run_held(job: Job, fresh: bool) -> JobResult:
    staging = None if fresh else resumable(job)
    if staging is None:
        staging = staging_path(job.root)
    else:
        job.resume_state(read_mark(staging))
    job.prepare(staging)
    ledger = Ledger.read(job.root)
    refuse_foreign(job, ledger)
    if not FileSystems.exists(f"{staging}/{STAGING_MARK}"):
        open_staging(staging, job.command, job.mark())
    try:
        with watching(lambda: job.progress(staging), remote="://" in staging):
            report = job.execute(staging)
    except ConfigError:  # found only once the job ran (a mix's plan): nothing worth keeping
        delete_folder(staging)
        raise
    except FatalError as error:
        raise FatalError(f"{error}; nothing published, this run's files: {staging}/") from error
    reasons = job.judge(report, staging)
    reasons += [f"{path} appeared during the run and was not written by dolmakit"
                for path in foreign_files(ledger, job.staged_outputs(staging))]  # fmt: skip
    if reasons:
        paths = write_report(report, _join(staging, job.report_dir))
        return JobResult(report, False, staging, paths, reasons)
    publish(job, staging, ledger)
    return JobResult(report, True, job.root, write_report(report, _join(job.root, job.report_dir)))


def resumable(job: Job) -> str | None:
    """The newest unfinished staging folder of the same job (its mark's fingerprint), to go on
    with; a folder of the same command with another fingerprint is left for publication to
    remove, and the log says why the job starts over."""
    fingerprint = job.fingerprint()
    if fingerprint is None:
        return None
    folders = sorted(own_staging_folders(job.root, keep=""), reverse=True)
    marks = [(folder, read_mark(folder)) for folder in folders]  # one read each
    for folder, mark in marks:
        if mark.get("command") == job.command and mark.get("fingerprint") == fingerprint:
            LOG.info("resuming the unfinished %s in %s/ (--fresh starts over)", job.command, folder)
            return folder
    if any(mark.get("command") == job.command for _, mark in marks):
        LOG.info("starting over: the config or the inputs changed since the unfinished %s "
                 "under %s/", job.command, job.root)  # fmt: skip
    return None


def refuse_foreign(job: Job, ledger: Ledger) -> None:
    """A ConfigError naming every file under the job's names that dolmakit did not write."""
    foreign = foreign_files(ledger, [*job.outputs(), *job.report_files()])
    if not foreign:
        return
    shown = [f"  {job.root}/{path}" for path in foreign[:_SHOWN]]
    if len(foreign) > _SHOWN:
        shown.append(f"  ... and {len(foreign) - _SHOWN} more")
    raise ConfigError(
        f"{job.root}/ holds files that dolmakit did not write (its ledger {LEDGER} does not list "
        f"them) where this {job.command} would write; nothing was deleted. Move them, or choose "
        "another output path:\n" + "\n".join(shown),
        source=job.source,
    )


def publish(job: Job, staging: str, ledger: Ledger) -> None:
    """Replaces what earlier dolmakit jobs wrote under the job's names (and every file of the
    jobs it supersedes) with the staged outputs, and records them in the ledger."""
    root, names = job.root, job.staged_outputs(staging)
    reports = [path for path in job.report_files() if path in ledger.owned()]
    delete_files(root, reports)  # first: no report.json over a half-replaced output
    superseded = [path for key in job.supersedes(ledger) for path in ledger.jobs.get(key, [])]
    replaced = sorted({*superseded, *(p for name in names for p in files_under(root, name))})
    delete_files(root, [path for path in replaced if path not in reports])
    ledger.forget(replaced)
    for name in names:
        _move(f"{staging}/{name}", f"{root}/{name}")
    written = [path for name in names for path in files_under(root, name)]
    ledger.record(job.key, [*written, *job.report_files()])
    ledger.write()
    for folder in [*own_staging_folders(root, keep=staging), staging]:
        delete_folder(folder)
    LOG.info("published %d files under %s (replaced %d)", len(written), root, len(replaced))


def records_add_up(report: dict, max_error_fraction: float) -> list[str]:
    """The judgement of run and tag: in = kept + removed + errors, errors within the bound."""
    totals, reasons = report["totals"], []
    if not totals["invariant_holds"]:
        reasons.append(f"in {totals['in']:,} != kept {totals['kept']:,} + removed "
                       f"{totals['removed']:,} + errors {totals['errors']:,}")  # fmt: skip
    fraction = totals["errors"] / totals["in"] if totals["in"] else 0.0
    if fraction > max_error_fraction:
        reasons.append(f"error fraction {fraction:.4f} is above run.max_error_fraction "
                       f"{max_error_fraction}")  # fmt: skip
    return reasons


def _move(source: str, target: str) -> None:
    """A local file or folder is renamed whole; on object stores every object is renamed."""
    if "://" not in source:
        if os.path.isdir(target):  # left by the user holding no file (files are refused)
            _merge_into(source, target)
            return
        make_folder(target.rsplit("/", 1)[0])
        FileSystems.rename([source], [target])
        return
    files = [meta.path for meta in FileSystems.match([f"{source}/**"])[0].metadata_list]
    files = files or [source]
    FileSystems.rename(files, [target + path[len(source) :] for path in files])


def _merge_into(source: str, target: str) -> None:
    """Moves a local folder's files one by one into an existing folder, so that folders the
    user made there (empty ones: a file would have stopped the job) stay as they were."""
    for folder, _, names in os.walk(source):
        into = target + folder[len(source) :]
        make_folder(into)
        if names:
            FileSystems.rename([f"{folder}/{n}" for n in names], [f"{into}/{n}" for n in names])


def _join(root: str, relative: str) -> str:
    return f"{root}/{relative}" if relative else root
