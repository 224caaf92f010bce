"""Digest of a run's outputs, to check that a change leaves documents byte-identical:

    .venv/bin/python scripts/digest.py out/commoncrawl

Every row of documents/ and removed/ minus its `added` timestamp, as canonical JSON, sorted per
folder, into one sha256; prints it with the row counts.
"""

import gzip
import hashlib
import json
import sys
from pathlib import Path


def rows(folder: Path) -> list[str]:
    found = []
    for path in sorted(folder.glob("*.jsonl*")):
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as stream:
            for line in stream:
                row = json.loads(line)
                row.pop("added", None)
                found.append(json.dumps(row, sort_keys=True, ensure_ascii=False))
    return sorted(found)


def main() -> None:
    root = Path(sys.argv[1])
    digest, counts = hashlib.sha256(), {}
    for folder in ("documents", "removed"):
        found = rows(root / folder)
        counts[folder] = len(found)
        digest.update(folder.encode())
        for row in found:
            digest.update(row.encode() + b"\n")
    print(digest.hexdigest(), json.dumps(counts))


if __name__ == "__main__":
    main()
