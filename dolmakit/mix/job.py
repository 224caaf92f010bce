"""One `dolmakit mix` through the job lifecycle (engine/lifecycle.py): count, plan, sample and
write into a staging folder, judge the mix's own accounting (mix/accounting.py), publish
train/, heldout/, errors/ and mix.yaml, then the report.

A budget the sources cannot give stops the mix after the count pass with a configuration error
(exit 2), before anything is written under the output path.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime

import yaml

from dolmakit.engine.launch import input_bytes
from dolmakit.engine.lifecycle import Job, JobResult, run_job
from dolmakit.engine.progress import DoneRecords, Snapshot, records_of, snapshot
from dolmakit.io.files import absolute
from dolmakit.mix.accounting import accounting_rows, discrepancies
from dolmakit.mix.config import ResolvedMix, load_mix
from dolmakit.mix.passes import count_sources, write_mix
from dolmakit.mix.plan import SourceCounts, plan_mix
from dolmakit.mix.read import expand_sources
from dolmakit.mix.report import build_mix_report
from dolmakit.mix.tokenizers import load_tokenizer
from dolmakit.mix.transforms import WRITTEN
from dolmakit.report.build import write_atomically

LOG = logging.getLogger("dolmakit")


class MixJob(Job):
    command = key = "mix"

    def __init__(self, mix: ResolvedMix, beam_args: list[str]):
        self.mix, self.beam_args = mix, beam_args
        # absolute: the workers that write shards and counts may run in other folders
        self.root, self.source = absolute(mix.config.output.rstrip("/")), mix.source_file
        self.done = DoneRecords()

    def outputs(self) -> list[str]:
        return ["train", "heldout", "errors", "mix.yaml"]

    def prepare(self, staging: str) -> None:
        self.files = expand_sources(self.mix)
        self.tokenizer = load_tokenizer(self.mix.config.tokenizer)  # a bad model fails here

    def execute(self, staging: str) -> dict:
        config = self.mix.config
        started, clock = datetime.now(UTC), time.monotonic()
        LOG.info("mix %s: counting tokens of %d sources", config.name, len(config.sources))
        counts, _, label = count_sources(config, self.files, self.beam_args, staging)
        plan = plan_mix(config, counts, self.mix.source_file)
        write_atomically(f"{staging}/mix.yaml", yaml.safe_dump(self.mix.to_data(), sort_keys=False))
        LOG.info("mix %s: sampling %s training tokens", config.name, f"{plan.budget_tokens:,.0f}")
        counters = write_mix(config, self.files, plan, counts, self.beam_args, staging,
                             self.tokenizer)  # fmt: skip
        _write_manifests(staging, counts)
        sizes = {name: input_bytes(found) for name, found in self.files.items()}
        realized = {k.removeprefix(f"{WRITTEN}/"): v for k, v in counters.items()
                    if k.startswith(f"{WRITTEN}/")}  # fmt: skip
        report = build_mix_report(self.mix, plan, counts, counters, realized, sizes)
        report["accounting"] = accounting_rows(config, counts, counters)
        report.update(runner=label, started=started.isoformat(timespec="seconds"),
                      finished=datetime.now(UTC).isoformat(timespec="seconds"),
                      wall_seconds=round(time.monotonic() - clock, 3))  # fmt: skip
        return report

    def judge(self, report: dict, staging: str) -> list[str]:
        return discrepancies(report["accounting"], self.mix.config.run.max_error_fraction)

    def progress(self, staging: str) -> Snapshot:
        """The files read by the count pass, then by the sample pass (whose shards are written
        after its last file is read: the line reaches its end a little early)."""
        found = [self.files[spec.name] for spec in self.mix.config.sources]
        offsets = [sum(map(len, found[:place])) for place in range(len(found))]
        sizes = [file.size for files in found for file in files]
        done = records_of(self.done.look(staging, 2, len(sizes)), offsets)
        return snapshot(done, 2, sizes, ["count", "sample"])


def _write_manifests(root: str, counts: dict[str, SourceCounts]) -> None:
    from dolmakit.tokens.shards import write_manifest

    write_manifest(f"{root}/train")
    for name, c in counts.items():
        if c.held_out_documents:
            write_manifest(f"{root}/heldout/{name}")


def run_mix(mix_file: str, overrides: list[str] = (), beam_args: list[str] = ()) -> JobResult:
    """Counts, plans, samples and writes a mix; publishes it when it adds up."""
    job = MixJob(load_mix(mix_file, overrides), list(beam_args))
    return run_job(job)
