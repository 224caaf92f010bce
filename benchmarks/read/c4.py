"""Reading C4 with the `c4` reader: documents/s, MB/s and memory, against a bare gzip+json loop.

It builds once, cached under `--workdir` (default .bench/read_c4/), a synthetic C4 release of at
least `--mb` MB (decimal, uncompressed JSON lines) in gzip shards named as C4's are
(`c4-train.0000N-of-0000M.json.gz`, level 6), each line `{"text", "url", "timestamp"}` with pages
of 3 to 40 lines drawn from a fixed, seeded pool of generated sentences, a few lines per page of
the kinds C4's rules drop. Then, in this process and without Beam, it streams every shard
(1) through `C4Reader.read` alone, (2) through the reader and C4's line cleaning
(`c4_lines_v1`, preset c4, the source's text cleaning in pipelines/c4.yaml), and (3) through the
peer, the least any C4 reader does: `gzip.open` + `json.loads` of every line in a bare loop. For
each it prints documents/s, MB/s of uncompressed input, the resident memory every `--every`
documents (flat: one line in memory at a time) and the peak RSS, and the machine's load average.

Run: nice -n 10 .venv/bin/python -m benchmarks.read.c4 [--mb 500] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
from collections.abc import Iterable
from pathlib import Path

from benchmarks.read.streaming import timed
from dolmakit.core.document import Document
from dolmakit.core.schema import from_data
from dolmakit.engine.config import load_preset
from dolmakit.filters.c4_lines import C4Lines, C4LinesConfig
from dolmakit.io.readers import ReadConfig
from dolmakit.sources.c4.reader import C4Reader

MB = 1_000_000
SHARD_BYTES = 64 * MB  # uncompressed bytes per shard
VERSION = 1
_VOCABULARY = ("river garden market winter library bicycle village bread morning evening station "
         "mountain harbour kitchen window teacher student council summer autumn festival road "
         "bridge forest meadow orchard castle museum theatre painter farmer baker engineer "
         "doctor nurse captain sailor letter journey question answer history science music "
         "quiet bright heavy narrow ancient modern gentle simple careful early late small large "
         "walks builds carries finds opens closes watches writes reads sings paints follows "
         "remembers explains repairs visits")  # fmt: skip
WORDS = _VOCABULARY.split()
DROPPED_LINES = ("Please enable JavaScript to view the comments.", "Home | About | Contact",
                 "This site uses cookies to improve your experience.", "Read more...")  # fmt: skip


def sentence_pool(rng: random.Random, size: int = 20_000) -> list[str]:
    """Sentences of 5 to 25 words ending in a full stop, question or exclamation mark."""
    pool = []
    for _ in range(size):
        words = rng.choices(WORDS, k=rng.randint(5, 25))
        pool.append(" ".join(words).capitalize() + rng.choice(".....?!"))
    return pool


def page(rng: random.Random, pool: list[str], number: int) -> str:
    lines = rng.choices(pool, k=rng.randint(3, 40))
    if number % 3 == 0:  # one page in three carries lines that C4 drops
        lines.insert(rng.randrange(len(lines)), rng.choice(DROPPED_LINES))
    return json.dumps({"text": "\n".join(lines), "url": f"https://site{number % 9973}.example/p/"
                       f"{number}", "timestamp": "2019-04-25T12:57:54Z"})  # fmt: skip


def build(workdir: Path, mb: int) -> tuple[list[Path], int]:
    """The shards and their uncompressed bytes (reused when built for the same size)."""
    manifest = workdir / "manifest.json"
    wanted = {"version": VERSION, "mb": mb}
    if manifest.is_file() and (built := json.loads(manifest.read_text()))["built"] == wanted:
        return [workdir / name for name in built["files"]], built["bytes"]
    workdir.mkdir(parents=True, exist_ok=True)
    rng, count = random.Random(2019), -(-mb * MB // SHARD_BYTES)
    pool, number, files, total = sentence_pool(rng), 0, [], 0
    for shard in range(count):
        path = workdir / f"c4-train.{shard:05d}-of-{count:05d}.json.gz"
        written = 0
        with gzip.open(path, "wb", compresslevel=6) as stream:
            while written < min(SHARD_BYTES, mb * MB - shard * SHARD_BYTES):
                line = (page(rng, pool, number) + "\n").encode("utf-8")
                stream.write(line)
                written, number = written + len(line), number + 1
        files.append(path.name)
        total += written
        print(f"  built {path.name}: {written / MB:.0f} MB", flush=True)
    manifest.write_text(json.dumps({"built": wanted, "files": files, "bytes": total}))
    return [workdir / name for name in files], total


def reader_items(files: list[Path]) -> Iterable[Document]:
    reader = C4Reader(ReadConfig(), source="c4", added="2026-01-01T00:00:00Z")
    for path in files:
        yield from reader.read(str(path))


def cleaned_items(files: list[Path]) -> Iterable[object]:
    settings = load_preset("c4_lines_v1", "c4", "benchmark", "c4")
    step = C4Lines("c4_lines_v1", from_data(C4LinesConfig, settings, source="c4", key="c4"))
    for item in reader_items(files):
        yield step.process(item) if isinstance(item, Document) else item


def peer_items(files: list[Path]) -> Iterable[dict]:
    for path in files:
        with gzip.open(path, "rb") as stream:
            for line in stream:
                yield json.loads(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=int, default=500, help="uncompressed MB to build (500)")
    parser.add_argument("--workdir", type=Path, default=Path(".bench/read_c4"))
    parser.add_argument("--every", type=int, default=50_000, help="RSS sample interval (docs)")
    args = parser.parse_args()
    files, size = build(args.workdir, args.mb)
    packed = sum(os.path.getsize(path) for path in files)
    print(f"corpus: {len(files)} shards, {packed / MB:.0f} MB gzip, {size / MB:.0f} MB "
          f"uncompressed, in {args.workdir}")  # fmt: skip
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    timed("dolmakit c4 reader", reader_items(files), size, args.every)
    timed("dolmakit c4 reader + c4_lines_v1 (preset c4)", cleaned_items(files), size, args.every)
    timed("peer: gzip.open + json.loads, bare loop", peer_items(files), size, args.every)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
