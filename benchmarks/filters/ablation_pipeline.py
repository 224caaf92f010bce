"""pipelines/commoncrawl.yaml with some of its steps left out, run as a user runs it, for
quality_ablation.py's stages and held-out pages."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import yaml

from benchmarks import REPO

PIPELINE = REPO / "pipelines" / "commoncrawl.yaml"


def shared_data() -> Path:
    return Path(os.environ.get("DOLMAKIT_SHARED_DATA", REPO.parent / "shared" / "data"))


def step_names() -> set[str]:
    """The names and types of the pipeline's steps."""
    steps = yaml.safe_load(PIPELINE.read_text(encoding="utf-8"))["steps"]
    return {s.get("name") for s in steps} | {s["type"] for s in steps}


def derived_pipeline(work: Path, name: str, keep: Callable[[dict], bool]) -> Path:
    """The pipeline with only the steps `keep` accepts, written as work/commoncrawl-NAME.yaml."""
    config = yaml.safe_load(PIPELINE.read_text(encoding="utf-8"))
    config["steps"] = [step for step in config["steps"] if keep(step)]
    config["name"] = f"commoncrawl-{name}"
    path = work / f"commoncrawl-{name}.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def run_pipeline(pipeline: Path, inputs: list[Path], out: Path) -> dict:
    """`dolmakit run` as a subprocess (as a user runs it); returns its report's totals."""
    paths = ",".join(map(str, inputs))
    command = [sys.executable, "-m", "dolmakit", "run", str(pipeline),
               "--set", f"input.paths=[{paths}]", "--set", f"output.path={out}",
               "--quiet"]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    subprocess.run(command, cwd=REPO, env=env, check=True, stdout=subprocess.DEVNULL)
    return json.loads((out / "report.json").read_text(encoding="utf-8"))["totals"]


def documents(out: Path) -> dict[str, str]:
    """{id: text} of the documents a `dolmakit run` wrote."""
    rows = {}
    for path in sorted((out / "documents").glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as stream:
            rows.update((row["id"], row["text"]) for row in map(json.loads, stream))
    return rows
