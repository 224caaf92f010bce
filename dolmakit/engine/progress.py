"""How far a running job is, and the line that says so.

Beam's local runner gives no metrics before a pipeline ends, but every file a pass finishes
leaves a completion record under the staging folder (`_done/<pass>/<part>.json`): a run's
carry its counters (engine/segments.py), tag's and mix's the records the file held. A record
is written whole and then renamed, so one seen once never changes and is read once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from apache_beam.io.filesystems import FileSystems

from dolmakit.core.logs import duration
from dolmakit.engine.segments import DONE, read_json, write_bytes


@dataclass(frozen=True)
class PassDone:
    """What one pass over the input files has finished."""

    files: int = 0
    records: int = 0  # the records those files held
    kept: int = 0  # of those, the records the next pass goes over
    bytes: int = 0  # the input bytes of those files


@dataclass(frozen=True)
class Snapshot:
    """A job's progress: each pass's finished part of `files` input files (every pass goes
    over each, one pass after another: a global step decides between two)."""

    passes: tuple[PassDone, ...]
    files: int
    bytes: int = 0  # the input files' bytes; 0 when a size is not known (a listing's files)
    names: tuple[str, ...] = ()  # each pass's name in the line ("": none)

    def fraction(self) -> float:
        """The part of the job done: each pass an equal part, each file its share of the input
        bytes (an equal share where they are not known)."""
        shares = [done.bytes / self.bytes if self.bytes else done.files / max(self.files, 1)
                  for done in self.passes]  # fmt: skip
        return sum(shares) / len(shares)

    def current(self) -> int:
        """The first pass with files left; the last one when every pass is done."""
        left = (index for index, done in enumerate(self.passes) if done.files < self.files)
        return next(left, len(self.passes) - 1)

    def records_total(self, index: int) -> int | None:
        """The records pass `index` goes over: known once the pass before it finished."""
        if index == 0 or self.passes[index - 1].files < self.files:
            return None
        return self.passes[index - 1].kept


def progress_line(now: Snapshot, start: Snapshot, elapsed: float) -> str:
    """`pass 2/3 (exact_dedup)  files 37/120  records 51,203/80,000  12.4 MB/s  ETA 3m10s`:
    the pass under way (said only for a job of several), its files and records done (of the
    total once known), the pace since `start` (a resumed job's files done before this launch
    do not count) and the time left at that pace."""
    index = now.current()
    done, total = now.passes[index], now.records_total(index)
    parts = [
        f"files {done.files:,}/{now.files:,}",
        f"records {done.records:,}" + ("" if total is None else f"/{total:,}"),
        _pace(now, start, elapsed),
        f"ETA {_left(now, start, elapsed)}",
    ]
    if len(now.passes) > 1:
        name = now.names[index] if now.names else ""
        parts.insert(0, f"pass {index + 1}/{len(now.passes)}" + (f" ({name})" if name else ""))
    return "  ".join(parts)


def _pace(now: Snapshot, start: Snapshot, elapsed: float) -> str:
    """Input MB per second of the whole job (at its end, the report's input MB/s: a pass of
    two moves it half as fast as it reads), or records per second where bytes are not known."""
    seconds = max(elapsed, 1e-9)
    if now.bytes:
        rate = (now.fraction() - start.fraction()) * now.bytes / 1e6 / seconds
        return f"{rate:.1f} MB/s" if rate >= 10 else f"{rate:.2f} MB/s"
    records = sum(done.records for done in now.passes) - sum(d.records for d in start.passes)
    return f"{records / seconds:,.0f} records/s"


def _left(now: Snapshot, start: Snapshot, elapsed: float) -> str:
    gained = now.fraction() - start.fraction()
    if gained <= 0:  # nothing finished since the start: no pace to go by
        return "--"
    return duration(elapsed * (1 - now.fraction()) / gained)


def snapshot(
    done: Iterable[tuple[int, int, int, int]],
    passes: int,
    sizes: Sequence[int],
    names: Sequence[str] = (),
) -> Snapshot:
    """(pass, file, records, kept) of every file a pass finished -> the snapshot; `sizes`: each
    input file's bytes, by its place (-1: not known)."""
    passed = [PassDone() for _ in range(passes)]
    for index, file, records, kept in done:
        was = passed[index]
        passed[index] = PassDone(was.files + 1, was.records + records, was.kept + kept,
                                 was.bytes + max(sizes[file], 0))  # fmt: skip
    known = all(size >= 0 for size in sizes)
    return Snapshot(tuple(passed), len(sizes), sum(sizes) if known else 0, tuple(names))


class DoneRecords:
    """The completion records under a staging folder, by (pass, part), each read once. One
    listing per look on an object store: a pass whose files are all done is not listed again,
    and none after the first with files left (passes run one after another)."""

    def __init__(self) -> None:
        self.found: dict[int, dict[str, dict]] = {}

    def look(self, staging: str, passes: int, files: int) -> dict[tuple[int, str], dict]:
        for index in range(passes):
            records = self.found.setdefault(index, {})
            if len(records) < files:
                self._read_new(f"{staging}/{DONE}/{index}", records)
            if len(records) < files:
                break
        return {(index, part): record for index, records in self.found.items()
                for part, record in records.items()}  # fmt: skip

    @staticmethod
    def _read_new(folder: str, records: dict[str, dict]) -> None:
        for metadata in FileSystems.match([f"{folder}/*.json"])[0].metadata_list:
            part = metadata.path.rsplit("/", 1)[-1].removesuffix(".json")
            if part not in records:
                records[part] = read_json(metadata.path)


def record_done(staging: str, index: int, part: str, records: int,
                counters: dict[str, int] | None = None) -> None:  # fmt: skip
    """A file's completion record in pass `index` (tag's and mix's; a run's serve its resume
    too): the records the file held, for the progress line, and the counts it made, which a
    job's report sums (engine/segments.recorded_counters) where it has them."""
    record = {"records": records, **({"counters": counters} if counters is not None else {})}
    data = json.dumps(record).encode("utf-8")
    write_bytes(f"{staging}/{DONE}/{index}/{part}.json", data)


def records_of(found: dict[tuple[int, str], dict], offsets: Sequence[int] = (0,)) -> list:
    """(pass, file, records, kept) of tag's and mix's records, named `part-<file>` or, with
    `offsets` (the place of each group's first file), `part-<group>-<file>`."""
    done = []
    for (index, part), record in found.items():
        *group, file = part.removeprefix("part-").split("-")
        place = offsets[int(group[0]) if group else 0] + int(file)
        done.append((index, place, record["records"], record["records"]))
    return done
