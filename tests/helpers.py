"""Reading a run's outputs back, for the end-to-end tests."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def read_jsonl_dir(folder: Path) -> list[dict]:
    rows = []
    for path in sorted(folder.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as stream:
            rows.extend(json.loads(line) for line in stream)
    return rows


def without_added(rows: list[dict]) -> list[dict]:
    """Documents minus the run timestamp, sorted by id: what must not depend on how a run ran."""
    return sorted(({k: v for k, v in row.items() if k != "added"} for row in rows),
                  key=lambda row: row["id"])  # fmt: skip


@dataclass
class PipelineRun:
    """A finished `dolmakit run` and its outputs read back."""

    summary: Any
    steps: dict[str, dict]  # the report's steps by name
    docs: dict[str, dict]  # kept documents by id
    removed: dict[str, dict]  # removed records by id
    errors: list[dict]


def run_shipped_pipeline(name: str, out: Path, *overrides: str) -> PipelineRun:
    """pipelines/<name>.yaml run into `out` with --set overrides."""
    from dolmakit.engine.run import run_pipeline

    path = Path(__file__).resolve().parents[1] / "pipelines" / f"{name}.yaml"
    summary = run_pipeline(str(path), [*overrides, f"output.path={out}"], [])
    return PipelineRun(
        summary,
        {step["name"]: step for step in summary.report["steps"]},
        {doc["id"]: doc for doc in read_jsonl_dir(out / "documents")},
        {doc["id"]: doc for doc in read_jsonl_dir(out / "removed")},
        read_jsonl_dir(out / "errors"),
    )
