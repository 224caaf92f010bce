"""Running a global step on literal documents through the engine's own passes: the documents
written to JSON lines files (one per `input_shard` in their metadata, so scopes over input
shards see them where they say), one run on the local runner, the outputs read back."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from helpers import read_jsonl_dir

from dolmakit.core.document import Document
from dolmakit.core.schema import from_data
from dolmakit.engine.config import PipelineConfig, ResolvedPipeline
from dolmakit.engine.pipeline import make_pipeline


def doc(doc_id: str, text: str, created: str = "", **metadata) -> Document:
    return Document(id=doc_id, text=text, source="test", created=created, metadata=metadata)


def run_engine(steps: list, docs: list[Document], folder: Path) -> tuple[list[dict], ...]:
    """(kept rows, removed rows, error rows) of a run of `steps` over the documents."""
    files: dict[int, list[str]] = {}
    for item in docs:
        row = {"id": item.id, "text": item.text, "source": item.source, "created": item.created,
               "metadata": item.metadata}  # fmt: skip
        files.setdefault(int(item.metadata.get("input_shard", 0)), []).append(json.dumps(row))
    paths = []
    for shard in range(max(files, default=0) + 1):
        path = folder / f"in-{shard:03d}.jsonl"
        path.write_text("".join(line + "\n" for line in files.get(shard, [])))
        paths.append(str(path))
    data = {"name": "test", "input": {"paths": paths, "source": "test"},
            "output": {"path": str(folder / "out")}}  # fmt: skip
    config = from_data(PipelineConfig, data, source="test", key="")
    launch = make_pipeline(ResolvedPipeline(config, steps, "test"), [])
    launch.pipeline.run().wait_until_finish()
    out = folder / "out"
    return tuple(read_jsonl_dir(out / name) for name in ("documents", "removed", "errors"))


def run_step(step, docs: list[Document], kept: list, removed: list) -> None:
    """Asserts kept as [(id, text)] and removed as [(id, reason, duplicate_of)], any order."""
    with tempfile.TemporaryDirectory() as folder:
        kept_rows, removed_rows, _ = run_engine([step], docs, Path(folder))
    assert sorted((row["id"], row["text"]) for row in kept_rows) == sorted(kept)
    found = [(row["id"], row["removed"]["reason"], row["metadata"].get("duplicate_of"))
             for row in removed_rows]  # fmt: skip
    assert sorted(found) == sorted(removed)
