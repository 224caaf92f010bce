"""Reading a run's outputs back, for the end-to-end tests."""

from __future__ import annotations

import gzip
import json
from pathlib import Path


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
