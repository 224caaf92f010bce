"""Every core: dolmakit's pipelines with 1 and 2 workers on Beam's two local runners.

    .venv/bin/python -m benchmarks.engine.cores                  # about 25 minutes on 2 cores
    .venv/bin/python -m benchmarks.engine.cores --cases x10 --runners local-1,local-2 --repeat 3

Cases (real pages; the repeated case too, since repeats flatter caches keyed on text):
  - distinct: pipelines/commoncrawl.yaml (the shipped job) on every shared real capture once
    (../shared/data/web/web-pages.warc.gz and warc/*.warc.gz, fresh record ids, --files 16);
  - fineweb: benchmarks/pipeline/end_to_end.yaml (FineWeb's chain: extract, lid, Gopher, C4,
    FineWeb, PII) on the same files;
  - x5, x10 (any xK): pipelines/commoncrawl.yaml on the same pages K times over, fresh ids
    (x5 is the issue's case: 0.68x with the engine of the time, which took 51.5 s on one core);
  - minhash: a pipeline of only minhash_dedup on benchmarks/engine/zero_loss.py's unique
    documents (--minhash-docs, 8 JSONL files).
Runners: local-N is Beam's FnApiRunner with N workers (N = 1: everything in the launching
process; N > 1: N SDK worker processes, the launching process being the runner that routes every
element between stages); prism is Beam's Prism (a Go job service) with the SDK harness in the
launching process (LOOPBACK); prism-pool is Prism with SDK workers from Beam's external worker
pool (--environment_type=EXTERNAL), asked for 2 of them with --sdk_worker_parallelism=2, the
pool's log saying how many it was asked to start. Prism 2.77 starts one SDK worker per
environment whatever the options say (sdks/go/pkg/beam/runners/prism/internal/execute.go,
RunPipeline: one j.MakeWorker per environment), and a Python SDK harness runs its bundles on
threads of one process, so Prism cannot give Python work more than one core.

Printed per case and runner: wall, CPU (the whole process tree), the peak PSS of the launching
process (the runner) and of the largest other process (an SDK worker; prism: the Go binary), the
documents kept and removed and whether they are byte-identical to local-1's (scripts/digest.py).
Then, from local-2's run, each stage's CPU in the runner process and in the workers per record
in (benchmarks/engine/stage_probe.py): a stage with N workers takes at least
max(workers' CPU / N, runner CPU), so the runner saturates at N = workers' CPU / runner CPU.
That figure is measured on 2 cores and extrapolated to 16 and 64 (an estimate: it assumes the
runner's cost per element stays the same and the machine has the memory for N workers).
Each runner runs --repeat times, interleaved with the others; the fastest counts (the machine is
shared) and every wall is printed. Goal (issue 27): local-2 at most 0.65x the wall of local-1
on the real pages.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from benchmarks import REPO
from benchmarks.common.corpus import ensure_corpus
from benchmarks.common.procs import run_measured
from benchmarks.engine.zero_loss import write_corpus
from benchmarks.pipeline.end_to_end import corpus_sources

WORKDIR = REPO / ".bench" / "cores"
GOAL = 0.65
POOL_PARALLELISM = 2  # SDK workers prism-pool asks Prism for
COMMONCRAWL, FINEWEB = "pipelines/commoncrawl.yaml", "benchmarks/pipeline/end_to_end.yaml"


def pipeline_of(case: str) -> str | None:
    """distinct, fineweb, x<K> (the pages K times over) or minhash (None: written per run)."""
    return {"fineweb": FINEWEB, "minhash": None}.get(case, COMMONCRAWL)


def distinct_mb() -> float:
    """One pass over the shared captures: their compressed size."""
    return round(sum(path.stat().st_size for path in corpus_sources()) / 1e6, 1)


def inputs(case: str, minhash_docs: int, files: int) -> str:
    if case == "minhash":
        folder = WORKDIR / "minhash"
        write_corpus(minhash_docs, folder)
        return f"{folder}/docs-{minhash_docs}-*.jsonl.gz"
    mb = distinct_mb() * (int(case[1:]) if case.startswith("x") else 1)
    folder = WORKDIR / f"corpus-{mb:g}mb-{files}"
    ensure_corpus(corpus_sources(), folder, mb, files=files, seed=0)
    return f"{folder}/*.warc.gz"


def pipeline(case: str, out: Path) -> str:
    if pipeline_of(case):
        return str(REPO / pipeline_of(case))
    path = out.parent / f"{case}.yaml"
    path.write_text(json.dumps({"name": "minhash-only", "steps": [{"type": "minhash_dedup"}],
                                "output": {"path": str(out)}}))  # fmt: skip
    return str(path)


def measure(case: str, runner: str, paths: str) -> dict:
    name, _, count = runner.partition("-")
    out = WORKDIR / f"out-{case}-{runner}"
    shutil.rmtree(out, ignore_errors=True)
    probe = WORKDIR / f"probe-{case}-{runner}.json"
    command = [sys.executable, "-m", "benchmarks.engine.stage_probe", str(probe), "run",
               pipeline(case, out), "--set", f"input.paths=[{paths}]", "--set",
               f"output.path={out}", "--set", f"run.runner={name}", "--set",
               f"run.workers={count if count.isdigit() else 0}", "--quiet"]  # fmt: skip
    pool_log = WORKDIR / f"{out.name}.pool.log"
    if count == "pool":
        command = with_worker_pool(command, pool_log)
    measured = run_measured(command, WORKDIR / f"{out.name}.log", cwd=REPO)
    if measured.returncode != 0:
        raise SystemExit(f"{case} {runner}: exit {measured.returncode}, see {measured.log}")
    digest = subprocess.run([sys.executable, "scripts/digest.py", str(out)], cwd=REPO,
                            check=True, capture_output=True, text=True)  # fmt: skip
    digest = digest.stdout.split(" ", 1)
    totals = json.loads((out / "report.json").read_text())["totals"]
    started = pool_log.read_text().count("Starting worker") if count == "pool" else None
    return {"measured": measured, "probe": json.loads(probe.read_text()), "totals": totals,
            "digest": digest[0], "counts": json.loads(digest[1]),
            "pool_workers": started}  # fmt: skip


def with_worker_pool(command: list[str], log: Path) -> list[str]:
    """The command on Prism with SDK workers from Beam's external worker pool, asked for
    POOL_PARALLELISM of them (--sdk_worker_parallelism), the pool started and stopped inside the
    measured command so its workers count in the process tree; its log says how many Prism
    asked for."""
    python = Path(sys.executable)
    port = 50000 + os.getpid() % 10000
    wait = (f"import socket, time\nwhile socket.socket().connect_ex(('localhost', {port})):\n"
            "    time.sleep(0.1)")  # fmt: skip
    run = " ".join(shlex.quote(part) for part in [*command, "--environment_type=EXTERNAL",
                   f"--environment_config=localhost:{port}",
                   f"--sdk_worker_parallelism={POOL_PARALLELISM}"])  # fmt: skip
    script = (f"PATH={python.parent}:$PATH {python} -m apache_beam.runners.worker.worker_pool_main"
              f" --service_port={port} > {log} 2>&1 & pool=$!; {python} -c {shlex.quote(wait)};"
              f" {run}; status=$?; kill $pool; wait $pool; exit $status")  # fmt: skip
    return ["sh", "-c", script]


STAGE_GROUPS = (
    (r"ReadPassFn", "read pass"),
    (r"Apply-(\w+?)-ParDo-ApplyPassFn", r"\1 pass"),
    (r"Decide-(\w+?)-", r"\1 keys"),
    (r"List-files", "list files"),
)


def fastest(case: str, runners: list[str], paths: str, repeat: int) -> dict[str, dict]:
    """Each runner's fastest of `repeat` runs, the runners interleaved (the machine is shared:
    a busy spell slows one run, not one runner); every run's wall is kept for the table."""
    best: dict[str, dict] = {}
    for _ in range(repeat):
        for runner in runners:
            got = measure(case, runner, paths)
            walls = [*best.get(runner, {}).get("walls", []), got["measured"].seconds]
            if runner not in best or got["measured"].seconds < best[runner]["measured"].seconds:
                best[runner] = got
            best[runner]["walls"] = walls
    return best


def stage_group(stage: str) -> str:
    """A fused FnApiRunner stage by the dolmakit transform that does its work."""
    labels = re.findall(r"ref_AppliedPTransform_([A-Za-z0-9_-]+?)_\d+", stage)
    for pattern, name in STAGE_GROUPS:
        for label in labels:
            if found := re.search(pattern, label):
                return found.expand(name)
    return "other"


def per_stage(probe: dict) -> dict[str, list[float]]:
    groups: dict[str, list[float]] = {}
    for row in probe["stages"]:
        group = groups.setdefault(stage_group(row["stage"]), [0.0, 0.0, 0.0])
        for index, key in enumerate(("wall", "runner_cpu", "workers_cpu")):
            group[index] += row[key]
    return groups


def print_case(case: str, results: dict[str, dict]) -> None:
    first = next(iter(results.values()))
    records = first["totals"]["in"]
    print(f"\n{case}: {pipeline_of(case) or 'minhash_dedup only'}, {records:,} records in")
    print(f"  {'runner':<8} {'wall s':>7} {'x local-1':>9} {'CPU s':>7} {'runner MiB':>10} "
          f"{'worker MiB':>10} {'tree MiB':>8}  {'kept':>6} {'removed':>7}  same docs")  # fmt: skip
    base = results.get("local-1", first)
    for runner, got in results.items():
        m = got["measured"]
        other = max((v for k, v in m.peak_by_role_mib.items() if k != "command"), default=0.0)
        ratio = m.seconds / base["measured"].seconds
        print(f"  {runner:<8} {m.seconds:7.1f} {ratio:9.2f} {m.cpu_seconds:7.1f} "
              f"{m.peak_by_role_mib.get('command', 0):10.0f} {other:10.0f} {m.peak_tree_mib:8.0f}  "
              f"{got['counts']['documents']:6,} {got['counts']['removed']:7,}  "
              f"{'yes' if got['digest'] == base['digest'] else 'NO'}"
              + (f"  (SDK workers the pool started: {got['pool_workers']})"
                 if got["pool_workers"] is not None else "")
              + (f"  (walls {', '.join(f'{w:.1f}' for w in got['walls'])})"
                 if len(got["walls"]) > 1 else ""))  # fmt: skip
    if "local-2" in results:
        print_stages(results["local-2"], records)


def print_stages(got: dict, records: int) -> None:
    print(f"  local-2 by stage, per record in: {'wall ms':>8} {'runner CPU ms':>13} "
          f"{'workers CPU ms':>14} {'saturates at N':>14}")  # fmt: skip
    stages = per_stage(got["probe"])
    for group, (wall, runner, workers) in stages.items():
        print(f"    {group:<28} {wall / records * 1e3:8.3f} {runner / records * 1e3:13.3f} "
              f"{workers / records * 1e3:14.3f} {saturation(runner, workers):>14}")  # fmt: skip
    runner = sum(row[1] for row in stages.values())
    workers = sum(row[2] for row in stages.values())
    print(f"    {'all stages':<28} {'':8} {runner / records * 1e3:13.3f} "
          f"{workers / records * 1e3:14.3f} {saturation(runner, workers):>14}")  # fmt: skip
    for count in (2, 16, 64):
        print(f"    {count:>2} workers (estimate): {predicted_speedup(stages, count):.1f}x one "
              "worker's throughput, stages runner-bound: "
              f"{', '.join(runner_bound(stages, count)) or 'none'}")  # fmt: skip
    totals = got["probe"]["totals"]
    print(f"    whole run: runner process {totals['runner_cpu']:.1f} CPU s, workers "
          f"{totals['workers_cpu']:.1f} CPU s")  # fmt: skip


def predicted_speedup(stages: dict[str, list[float]], count: int) -> float:
    """Sum of the workers' CPU over the wall with `count` workers, each stage taking at least
    its runner CPU (one Python process routes every element) and its workers' CPU / count;
    worker start-up, the launch and a shared machine's slowdown are left out."""
    work = sum(row[2] for row in stages.values())
    wall = sum(max(row[2] / count, row[1]) for row in stages.values())
    return work / wall if wall else float(count)


def runner_bound(stages: dict[str, list[float]], count: int) -> list[str]:
    return [name for name, (_, runner, workers) in stages.items() if workers / count < runner]


def saturation(runner: float, workers: float) -> str:
    return f"{workers / runner:.0f}" if runner > 0.005 else "-"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", default="distinct,fineweb,x5,x10,minhash")
    parser.add_argument("--runners", default="local-1,local-2,prism,prism-pool")
    parser.add_argument("--minhash-docs", type=int, default=50_000)
    parser.add_argument("--files", type=int, default=16, help="WARC files of the page corpora")
    parser.add_argument("--repeat", type=int, default=1, help="runs per runner; the fastest counts")
    args = parser.parse_args()
    if not corpus_sources():
        print("skipped: no shared real captures (../shared/data or $DOLMAKIT_SHARED_DATA)")
        return
    WORKDIR.mkdir(parents=True, exist_ok=True)
    print(f"{os.cpu_count()} cores; load average before: {os.getloadavg()[0]:.2f}")
    print(f"peer: local-1, the same pipeline in one process (the default before); goal local-2 "
          f"<= {GOAL}x its wall on the real pages")  # fmt: skip
    for case in args.cases.split(","):
        paths = inputs(case, args.minhash_docs, args.files)
        print_case(case, fastest(case, args.runners.split(","), paths, args.repeat))
    print(f"\nload average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
