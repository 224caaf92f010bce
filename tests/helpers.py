"""Reading a run's outputs back, for the end-to-end tests."""

from __future__ import annotations

import gzip
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from apache_beam.io.filesystem import MatchResult
from apache_beam.io.localfilesystem import LocalFileSystem


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


SCHEME = "dolmakit-folder"


class FolderFileSystem(LocalFileSystem):
    """`dolmakit-folder:///abs/path` as the local /abs/path: a Beam filesystem like gs:// or
    s3:// (Beam finds it by its scheme, and dolmakit treats it as remote), with no network."""

    @classmethod
    def scheme(cls):
        return SCHEME

    @staticmethod
    def local(path: str) -> str:
        return path.removeprefix(f"{SCHEME}://")

    def match(self, patterns, limits=None):
        results = super().match([self.local(p) for p in patterns], limits)
        for result in results:
            for metadata in result.metadata_list:
                metadata.path = f"{SCHEME}://{metadata.path}"
        return [MatchResult(f"{SCHEME}://{r.pattern}", r.metadata_list) for r in results]

    def open(self, path, *args, **kwargs):
        return super().open(self.local(path), *args, **kwargs)

    def create(self, path, *args, **kwargs):
        return super().create(self.local(path), *args, **kwargs)

    def exists(self, path):
        return super().exists(self.local(path))

    def rename(self, sources, destinations):
        """Like an object store's: a destination needs no folder made first."""
        destinations = list(map(self.local, destinations))
        for destination in destinations:
            os.makedirs(os.path.dirname(destination), exist_ok=True)
        return super().rename(list(map(self.local, sources)), destinations)

    def delete(self, paths):
        """Like an object store's: a name that is only a prefix of objects (a "folder") deletes
        nothing, as GCS does for a path without a trailing slash."""
        for path in map(self.local, paths):
            if not os.path.isdir(path):
                os.remove(path)
