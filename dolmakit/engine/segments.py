"""A run as passes over files: documents stay in files, keys travel.

The steps split at each global step (dedup) into segments of per-document steps. The first pass
reads each input file and runs the first segment; every later pass reads one staged file with
the labels of the global step before it (grouped by file, not by document) and runs the next
segment. Each pass writes, file by file and on the worker: the kept documents (the next pass's
staged file, or documents/ in the last pass), removed/ and errors/. It sends on only the keys of
the next global step. No whole document crosses a shuffle, and no text waits in the runner: a
global step that merges documents has the pass read them by address from the staged files of
the pass before (GlobalStep.wanted), all written by then, since its labels wait for every key.

Counted as every step is (dolmakit.core.routing): a global step's `in` is every document of the
files after it, so in = kept + removed + errors holds step by step.
"""

from __future__ import annotations

import json
import logging
import pickle
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from apache_beam import pvalue
from apache_beam.io.filesystems import FileSystems

from dolmakit.core.document import Document, ErrorRecord, Removed
from dolmakit.core.hashing import in_fraction
from dolmakit.core.histograms import counter_name
from dolmakit.core.nodes import node_address, node_key
from dolmakit.core.routing import CountingDoFn, route
from dolmakit.core.steps import Address, GlobalStep, Step
from dolmakit.engine.staged import StagedWriter, read_lines, read_staged
from dolmakit.engine.transforms import StepChain, name_file_as_given, step_stats
from dolmakit.io.file_writers import DOCUMENT_WRITERS, JsonLinesFile, replace
from dolmakit.io.inputs import InputFile
from dolmakit.io.readers import READ_STEP, ReadConfig, Reader

if TYPE_CHECKING:  # the config module registers every reader and step: not on a worker
    from dolmakit.engine.config import OutputConfig

LOG = logging.getLogger("dolmakit")
KEYS = "keys"  # the tagged output of a pass: the next global step's keys
# under the staging folder, never published: the passes' staged files, files being written,
# completion records
SEGMENTS, TEMPORARY, DONE = "_segments", "_tmp", "_done"


@dataclass
class Segment:
    before: GlobalStep | None  # the global step whose labels the pass applies first
    steps: list[Step]  # per-document steps, in order
    after: GlobalStep | None  # the global step whose keys the pass makes


def plan_segments(steps: list) -> list[Segment]:
    segments = [Segment(None, [], None)]
    for step in steps:
        if isinstance(step, GlobalStep):
            segments[-1].after = step
            segments.append(Segment(step, [], None))
        else:
            segments[-1].steps.append(step)
    return segments


@dataclass
class Outputs:
    """Where and how the passes write, under the run's staging folder (output settings copied
    out of OutputConfig: a worker unpickling it must not import the config module, which
    registers every reader and step)."""

    root: str
    passes: int
    format: str = "jsonl"
    compression: str = "gzip"
    removed: str = "all"
    removed_sample_rate: float = 0.01
    resumed: bool = False  # an unfinished run's staging folder: files may be done already

    @classmethod
    def of(cls, root: str, config: OutputConfig, passes: int, resumed: bool = False) -> Outputs:
        return cls(root, passes, config.format, config.compression, config.removed,
                   config.removed_sample_rate, resumed)  # fmt: skip

    def staged(self, segment: int, file: int) -> str:
        return f"{self.root}/{SEGMENTS}/{segment}/part-{file:05d}.staged"

    def done(self, segment: int, file: int) -> str:
        """The prefix of the file's completion record in this pass (`.json`, and `.keys`)."""
        return f"{self.root}/{DONE}/{segment}/part-{file:05d}"

    def all_done(self, segment: int, files: int) -> bool:
        """Whether every file of the pass has its completion record (a resumed run), so the
        global step before it need not decide again."""
        pattern = f"{self.root}/{DONE}/{segment}/part-*.json"
        return len(FileSystems.match([pattern])[0].metadata_list) == files

    @property
    def temporary(self) -> str:
        return f"{self.root}/{TEMPORARY}"


class FileOutputs:
    """What one pass over one file writes: kept documents (staged or final), removed, errors."""

    def __init__(self, outputs: Outputs, segment: int, file: int):
        self.config = config = outputs
        self.last = segment == outputs.passes - 1
        part = f"part-{file:05d}"
        if self.last:
            writer = DOCUMENT_WRITERS[config.format]
            self.documents = writer(outputs.root, part, config.compression, outputs.temporary)
        else:
            self.documents = StagedWriter(outputs.staged(segment, file), outputs.temporary)
        named = f"{part}-{segment}" if outputs.passes > 1 else part
        self.removed = JsonLinesFile(f"{outputs.root}/removed/{named}", config.compression,
                                     outputs.temporary)  # fmt: skip
        self.errors = JsonLinesFile(f"{outputs.root}/errors/{named}", config.compression,
                                    outputs.temporary)  # fmt: skip
        self.lines = 0

    def keep(self, doc: Document) -> int:
        """Writes a kept document; returns its line in the file."""
        self.documents.write(doc)
        self.lines += 1
        return self.lines - 1

    def drop(self, item: Removed | ErrorRecord) -> None:
        config = self.config
        if isinstance(item, ErrorRecord):
            self.errors.write(item.to_dict())
        elif config.removed == "all" or (
            config.removed == "sample" and in_fraction(item.doc.id, config.removed_sample_rate)
        ):
            self.removed.write(item.to_dict())

    def close(self) -> list[str]:
        """Closes every file; returns the attribute folders of Dolma output."""
        self.removed.close()
        self.errors.close()
        folders = self.documents.close()
        return folders or []


class PassFn(CountingDoFn):
    """One pass over one file: a segment's steps on each document, everything counted and
    written by this worker; the next global step's keys out (tagged `keys`), and (file, the
    staged file or the attribute folders written) as the main output."""

    def __init__(self, outputs: Outputs, index: int, segment: Segment):
        self.outputs, self.index, self.segment = outputs, index, segment

    def setup(self) -> None:
        self.chain = StepChain(self.segment.steps)
        self.chain.setup()
        for step in (self.segment.before, self.segment.after):
            if step is not None:
                step.setup()
        named = [*self.segment.steps, *filter(None, [self.segment.before])]
        self.counters = {step.name: self.step_tally(step.name) for step in named}
        self.stats = self.tally("")
        self.after_steps = [counter_name("text_chars", "after steps", 2**b // 2)
                            for b in range(64)]  # fmt: skip
        self.replayed = self.tally("")

    def finish_bundle(self) -> None:
        self.drain_stats()
        super().finish_bundle()

    def drain_stats(self) -> None:
        for key, n in self.chain.drain_stats():
            self.stats.inc(key, n)
        for step in filter(None, (self.segment.before, self.segment.after)):
            for key, n in step_stats(step):
                self.stats.inc(key, n)

    def done_before(self, file: int) -> Iterator[Any] | None:
        """What an earlier try of this run did for the file, when it finished it (a resumed
        run): its counts and keys again, and its main output; None when it is to be done."""
        if not self.outputs.resumed:  # a new run: no record to look for
            return None
        record = read_record(self.outputs.done(self.index, file))
        if record is None:
            return None
        for name, n in record["counters"].items():
            self.replayed.inc(name, n)
        LOG.info("pass %d: file %d done before this run, its outputs kept", self.index + 1,
                 file + 1)  # fmt: skip
        keys = read_keys(self.outputs.done(self.index, file)) if record["keys"] else []
        return iter([*(pvalue.TaggedOutput(KEYS, key) for key in keys), tuple(record["main"])])

    def open(self, file: int) -> None:
        self.file = file
        self.written = FileOutputs(self.outputs, self.index, file)
        after = self.segment.after
        self.keys = after.key_maker() if after is not None else None
        self.emitted: list[Any] = []
        self.drain_stats()  # the counts before this file, so its own are told apart
        self.counted_before = self.tallied()

    def through_steps(self, doc: Document) -> Iterator[Any]:
        """The segment's steps on the document; kept: written, its keys out."""
        for step, outcome in self.chain.run(doc):
            route(outcome, self.counters[step.name])
            if not isinstance(outcome, Document):
                self.written.drop(outcome)
                return
            doc = outcome
        line = self.written.keep(doc)
        if self.written.last:
            self.stats.inc(self.after_steps[len(doc.text).bit_length()])
        if self.keys is not None:
            yield from self.send(self.keys.add(doc, node_key(doc, self.file, line)))

    def send(self, keys: Iterable[Any]) -> Iterator[Any]:
        for key in keys:
            self.emitted.append(key)
            yield pvalue.TaggedOutput(KEYS, key)

    def close(self) -> Iterator[Any]:
        """Closes the file's outputs, then records that the file is done (its counts, keys and
        main output), so that a resumed run does not do it again."""
        if self.keys is not None:
            yield from self.send(self.keys.flush())
        folders = self.written.close()
        staged = self.outputs.staged(self.index, self.file)
        main = (self.file, folders if self.written.last else staged)
        self.drain_stats()
        counts = self.counted_since(self.counted_before)
        write_record(self.outputs.done(self.index, self.file), counts, self.emitted, main)
        yield main


class ReadPassFn(PassFn):
    """The first pass: an input file's records read, each a document, a removal or an error.

    It carries the reader class of each input format, found on the launcher: unpickled on a
    worker, a class imports its own module only, so a worker does not import every reader and
    step that registers itself (a third of a second of each worker's start-up)."""

    def __init__(self, outputs: Outputs, segment: Segment, config: ReadConfig, source: str,
                 added: str, readers: dict[str, type[Reader]]):  # fmt: skip
        super().__init__(outputs, 0, segment)
        self.config, self.source, self.added, self.readers = config, source, added, readers

    def setup(self) -> None:
        super().setup()
        self.read_counters = self.step_tally(READ_STEP)
        self.read_stats = self.tally(READ_STEP)
        self.before_steps = [counter_name("text_chars", "before steps", 2**b // 2)
                             for b in range(64)]  # fmt: skip

    def process(self, element: InputFile) -> Iterator[Any]:
        if (done := self.done_before(element.index)) is not None:
            yield from done
            return
        self.open(element.index)
        reader = self.readers[element.format](self.config, self.source, self.added)
        started, records = time.monotonic(), 0
        for item in reader.read(element.opened):
            records += 1
            if element.opened != element.path:
                name_file_as_given(item, element.opened, element.path)
            route(item, self.read_counters)
            if not isinstance(item, Document):
                self.written.drop(item)
                continue
            item.metadata["input_shard"] = element.index  # for dedup scopes over input shards
            self.stats.inc(self.before_steps[len(item.text).bit_length()])
            yield from self.through_steps(item)
        for name, n in reader.stats.items():
            self.read_stats.inc(name, n)
        self.read_stats.inc("files")
        yield from self.close()
        position = f"file {element.index + 1} of {element.total}"
        LOG.info("%s: %s, %d records in %.1f s", position, element.path, records,
                 time.monotonic() - started)  # fmt: skip


class ApplyPassFn(PassFn):
    """A later pass: a staged file with the labels of the global step before it, by line."""

    def process(self, joined: tuple[int, dict[str, Iterable[Any]]]) -> Iterator[Any]:
        file, groups = joined
        if (done := self.done_before(file)) is not None:
            yield from done
            return
        (path,) = groups["staged"]  # the pipeline's STAGED side
        labels: dict[int, list[Any]] = {}
        for line, label in groups["labels"]:
            labels.setdefault(line, []).append(label)
        self.open(file)
        step = self.segment.before
        counters = self.counters[step.name]
        started, line = time.monotonic(), -1
        fetched = self.fetch(wanted_lines(step, labels.values()))
        for line, doc in enumerate(read_staged(path)):
            outcome = apply_labels(step, doc, labels.get(line, []), fetched)
            route(outcome, counters)
            if isinstance(outcome, Document):  # the same, changed, or one in its place
                yield from self.through_steps(outcome)
            else:
                self.written.drop(outcome)
        yield from self.close()
        LOG.info("pass %d (%s): file %d, %d documents, %d labels in %.1f s", self.index + 1,
                 step.name, file + 1, line + 1, sum(map(len, labels.values())),
                 time.monotonic() - started)  # fmt: skip

    def fetch(self, wanted: dict[int, set[int]]) -> dict[Address, Document]:
        """The documents at the wanted lines of each file, read here from the staged files of
        the pass before (this file's own included), each file once."""
        fetched: dict[Address, Document] = {}
        for file, lines in sorted(wanted.items()):
            staged = self.outputs.staged(self.index - 1, file)
            fetched.update(((file, line), doc) for line, doc in read_lines(staged, lines))
        return fetched


def wanted_lines(step: GlobalStep, labels: Iterable[list[Any]]) -> dict[int, set[int]]:
    """The lines of each file that a file's labels want (GlobalStep.wanted)."""
    wanted: dict[int, set[int]] = defaultdict(set)
    for label in (label for line_labels in labels for label in line_labels):
        for file, line in step.wanted(label):
            wanted[file].add(line)
    return wanted


def write_record(prefix: str, counts: dict[str, int], keys: list[Any], main: tuple) -> None:
    """A file's completion record: its keys (pickled), then `.json` with its counts and main
    output, written last (each whole, then renamed), so a record never outlives its outputs."""
    if keys:
        write_bytes(f"{prefix}.keys", pickle.dumps(keys, protocol=5))
    record = {"counters": counts, "keys": bool(keys), "main": list(main)}
    write_bytes(f"{prefix}.json", json.dumps(record).encode("utf-8"))


def read_record(prefix: str) -> dict | None:
    if not FileSystems.exists(f"{prefix}.json"):
        return None
    return read_json(f"{prefix}.json")


def read_json(path: str) -> dict:
    """A completion record (or any JSON file) through Beam's FileSystems."""
    with FileSystems.open(path) as stream:
        return json.loads(stream.read().decode("utf-8"))


def recorded_counters(root: str, index: int | None = None) -> dict[str, int]:
    """Every pass's counts over every file, summed from the completion records under the run's
    staging folder `root`: each file counted exactly once whatever the runner did (a bundle
    retried after a worker's loss writes its record again, where Beam's attempted metrics would
    count it twice; Prism 2.77 lost counts of whole bundles, 2,117 of 5,414 pages' removals).
    `index`: one pass's records only."""
    totals: dict[str, int] = defaultdict(int)
    passes = "*" if index is None else str(index)
    for metadata in FileSystems.match([f"{root}/{DONE}/{passes}/part-*.json"])[0].metadata_list:
        for name, n in read_json(metadata.path).get("counters", {}).items():
            totals[name] += n
    return dict(totals)


def read_keys(prefix: str) -> list[Any]:
    with FileSystems.open(f"{prefix}.keys") as stream:
        return pickle.loads(stream.read())


def write_bytes(path: str, data: bytes) -> None:
    temporary = f"{path}.{uuid.uuid4().hex}.tmp"
    with FileSystems.create(temporary) as stream:
        stream.write(data)
    replace(temporary, path)


def apply_labels(step: GlobalStep, doc: Document, labels: list[Any],
                 fetched: Mapping[Address, Document]) -> Any:  # fmt: skip
    """The step's decision on the document, or the document's step_failed error."""
    try:
        return step.apply_with(doc, labels, fetched)
    except Exception as error:  # one bad document must not end the run
        cause = f"{type(error).__name__}: {error}"
        return ErrorRecord(step.name, "step_failed", cause, {"id": doc.id})


def by_file(label: tuple[bytes, Any]) -> tuple[int, tuple[int, Any]]:
    """(node, label) -> (file, (line, label)): labels travel to their file, not their document."""
    node, value = label
    file, line = node_address(node)
    return file, (line, value)
