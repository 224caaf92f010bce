"""Shuffle bytes per document per stage: what each GroupByKey of a dedup pipeline moves.

    .venv/bin/python -m benchmarks.engine.shuffle_bytes                   # this checkout vs da9b5ce
    .venv/bin/python -m benchmarks.engine.shuffle_bytes --before <commit> # vs another commit

The shuffles are read off the Dataflow job graph, built offline with Beam's --dry_run (nothing
reaches Google): every GroupByKey in it is a shuffle on Dataflow. Their bytes are measured by
running the same pipeline on Beam's local runner in this process, with the runner's grouping
buffer counting the encoded bytes that enter each GroupByKey: the elements in the pipeline's own
coders, windowed as Dataflow's shuffle receives them. Pipeline: exact_dedup, line_dedup and
minhash_dedup over the text of the real pages of ../shared/data/web/web-pages.warc.gz, extracted
once by this checkout into JSONL (.bench/shuffle_bytes/pages) so that both sides read the same
documents. The peer is the same pipeline at an earlier commit (a git
worktree under .bench/), printed side by side; bytes per document = bytes / documents read.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks import REPO
from benchmarks.common.checkout import checkout, helper_env

SHARED = Path(os.environ.get("DOLMAKIT_SHARED_DATA", REPO.parent / "shared" / "data"))
PAGES = SHARED / "web" / "web-pages.warc.gz"
BEFORE = "da9b5ce"  # main before dedup moved keys and packed documents
DATAFLOW_ARGS = [
    "--runner=DataflowRunner",
    "--project=dolmakit-bench",
    "--region=europe-west4",
    "--temp_location=gs://dolmakit-bench/tmp",
    "--dry_run=True",
]
GBK_URN = "beam:transform:group_by_key:v1"
WORKDIR = REPO / ".bench" / "shuffle_bytes"
# the extracted pages; a checkout measured with --before reads this checkout's (its own REPO
# would point into the checkout)
TEXTS = Path(os.environ.get("DOLMAKIT_SHUFFLE_TEXTS", WORKDIR / "pages"))
STEPS = [{"type": "exact_dedup"}, {"type": "line_dedup"}, {"type": "minhash_dedup"}]


def dataflow_shuffles(pipeline_file: Path) -> list[str]:
    """The unique names of the GroupByKeys in the Dataflow job graph (dry run)."""
    from dolmakit.engine.config import load_pipeline
    from dolmakit.engine.pipeline import make_pipeline

    resolved = load_pipeline(pipeline_file, ["output.path=gs://dolmakit-bench/out"])
    job = make_pipeline(resolved, DATAFLOW_ARGS).pipeline.run().job
    transforms = job.proto_pipeline.components.transforms.values()
    return sorted(t.unique_name for t in transforms if t.spec.urn == GBK_URN)


def local_shuffle_bytes(pipeline_file: Path, out: Path) -> tuple[dict, int]:
    """{GroupByKey name: [elements, bytes]} of a local run, and the documents read."""
    from apache_beam.runners.portability.fn_api_runner import execution

    tallies: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    get_buffer, append = execution.BundleContextManager.get_buffer, execution.GroupingBuffer.append

    def named_buffer(self, buffer_id, transform_id):
        buffer = get_buffer(self, buffer_id, transform_id)
        kind, name = execution.split_buffer_id(buffer_id)
        if kind == "group":
            transforms = self.execution_context.pipeline_components.transforms
            buffer.bench_name = transforms[name].unique_name
        return buffer

    def counting_append(self, elements_data):
        tally = tallies[self.bench_name]
        tally[1] += len(elements_data)
        before = sum(map(len, self._table.values()))
        append(self, elements_data)
        tally[0] += sum(map(len, self._table.values())) - before

    execution.BundleContextManager.get_buffer = named_buffer
    execution.GroupingBuffer.append = counting_append
    from dolmakit.engine.run import run_pipeline

    overrides = [f"output.path={out}", "run.workers=1"]
    run_pipeline(str(pipeline_file), overrides, [])
    report = json.loads((out / "report.json").read_text())
    return dict(tallies), report["totals"]["in"]


def measure(result_file: Path) -> None:
    """One checkout's figures into result_file (run in that checkout's interpreter path)."""
    with tempfile.TemporaryDirectory() as folder:
        pipeline_file = Path(folder) / "pipeline.yaml"
        pipeline = {"name": "shuffle-bytes", "steps": STEPS, "output": {"path": "unused"},
                    "input": {"paths": [str(TEXTS / "documents" / "*.jsonl.gz")]}}  # fmt: skip
        pipeline_file.write_text(json.dumps(pipeline))
        shuffles = dataflow_shuffles(pipeline_file)
        tallies, docs = local_shuffle_bytes(pipeline_file, Path(folder) / "out")
    result = {"dataflow_shuffles": shuffles, "tallies": tallies, "docs": docs}
    result_file.write_text(json.dumps(result))


def run_in(root: Path, result_file: Path) -> dict:
    command = [sys.executable, "-m", "benchmarks.engine.shuffle_bytes", "--measure",
               str(result_file)]  # fmt: skip
    env = {**helper_env(root), "DOLMAKIT_SHUFFLE_TEXTS": str(TEXTS)}
    subprocess.run(command, cwd=root, env=env, check=True, capture_output=True)
    return json.loads(result_file.read_text())


def step_of(name: str) -> str:
    return name.split("/", 1)[0]


def print_side_by_side(before: dict, after: dict, commit: str) -> None:
    print(f"{after['docs']} documents extracted from {PAGES.name}; steps exact_dedup, line_dedup, "
          "minhash_dedup; bytes into each GroupByKey of the Dataflow graph (dry run)")  # fmt: skip
    print(f"Dataflow shuffles: {commit} {len(before['dataflow_shuffles'])}, "
          f"now {len(after['dataflow_shuffles'])}")  # fmt: skip
    for label, result in ((commit, before), ("now", after)):
        print(f"\n{label}:")
        per_step: dict[str, int] = collections.Counter()
        for name in result["dataflow_shuffles"]:
            elements, size = result["tallies"].get(name, [0, 0])
            per_step[step_of(name)] += size
            if size:
                print(f"  {name:<62} {elements:>7,} elements {size / result['docs']:>9,.0f} B/doc")
        total = sum(per_step.values())
        print("  per step: " + ", ".join(
            f"{step} {size / result['docs']:,.0f} B/doc" for step, size in per_step.items() if size
        ) + f"; total {total / result['docs']:,.0f} B/doc")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", default=BEFORE)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        return measure(args.measure)
    if not PAGES.is_file():
        print(f"skipped: {PAGES} not found")
        return
    WORKDIR.mkdir(parents=True, exist_ok=True)
    if not (TEXTS / "report.json").is_file():
        extract = WORKDIR / "extract.yaml"
        extract.write_text(json.dumps({"name": "pages", "input": {"paths": [str(PAGES)]},
                                       "steps": [], "output": {"path": str(TEXTS)}}))  # fmt: skip
        command = [sys.executable, "-m", "dolmakit", "run", str(extract), "--quiet"]
        subprocess.run(command, cwd=REPO, check=True, capture_output=True)
    before = run_in(checkout(args.before), WORKDIR / "before.json")
    after = run_in(REPO, WORKDIR / "after.json")
    print_side_by_side(before, after, args.before)


if __name__ == "__main__":
    main()
