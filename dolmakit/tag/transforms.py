"""The Beam side of a tag run: one documents file in, one attribute file per tagger out.

Each documents file `<dataset>/documents/<rel>` gets `attributes/<step>/<rel>` per tagger (under
the run's staging folder until it is published): one `{"id", "source", "attributes"}` line per
line of the documents file, in its order, so Dolma's mixer and `input.format: dolma` join them by
line. A worker writes each attribute file under the staging folder's tmp/ and renames it to its
name once closed, so a retried bundle leaves no partial file behind.

A document a tagger fails on is an error (errors/ holds the cause, the file and the line) and
gets an empty attributes line in that tagger's folder and in every later one, as a failed
document leaves `dolmakit run` at the step that failed.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
from apache_beam.pvalue import TaggedOutput

from dolmakit.core.document import Document, ErrorRecord
from dolmakit.core.nodes import node_address, node_key
from dolmakit.core.routing import ERRORS, KEPT, CountingDoFn, route
from dolmakit.core.steps import GlobalStep, Step
from dolmakit.engine.progress import record_done
from dolmakit.engine.segments import KEYS
from dolmakit.engine.transforms import StepChain, step_stats
from dolmakit.io.dolma import ATTRIBUTES, DOCUMENTS, DolmaReader, attribute_files, attributes_line
from dolmakit.io.dolma import encode as encode_line
from dolmakit.io.file_writers import TemporaryFile, replace
from dolmakit.io.readers import READ_STEP, ReadConfig
from dolmakit.io.writers import WriteJsonLines
from dolmakit.tag.config import ResolvedTag

LOG = logging.getLogger("dolmakit")


class TagFileFn(CountingDoFn):
    """One documents file -> one attribute file per tagger (written under the staging folder),
    every document counted by route() as the reader and each tagger see it; errors out; the
    keys of each global step out (tagged `keys`: (step's place, key)), with node keys naming
    the document by (file, line of the documents file)."""

    def __init__(self, root: str, staging: str, steps: list[Step], joined: list[str],
                 global_steps: list[GlobalStep] = ()):  # fmt: skip
        self.root, self.staging, self.steps, self.joined = root, staging, steps, joined
        self.global_steps = list(global_steps)

    def setup(self) -> None:
        self.chain = StepChain(self.steps)
        self.chain.setup()
        for step in self.global_steps:
            step.setup()
        self.counters = {step.name: self.step_tally(step.name) for step in self.steps}
        self.stats = self.tally("")
        self.read_counters = self.step_tally(READ_STEP)
        self.reader = DolmaReader(ReadConfig(), "", "")

    def finish_bundle(self) -> None:
        self.drain_stats()
        super().finish_bundle()

    def drain_stats(self) -> None:
        for key, n in self.chain.drain_stats():
            self.stats.inc(key, n)
        for step in self.global_steps:
            for key, n in step_stats(step):
                self.stats.inc(key, n)

    def process(self, element: tuple[int, str]) -> Iterator[Any]:
        self.file, relative = element
        self.drain_stats()  # the counts before this file, so its own are told apart
        before = self.tallied()
        self.keys = [step.key_maker() for step in self.global_steps]
        path = f"{self.root}/{DOCUMENTS}/{relative}"
        joined = attribute_files(path, self.joined) if self.joined else {}
        temporary = {step.name: f"{self.staging}/tmp/{uuid.uuid4().hex}/{relative}"
                     for step in self.steps}  # fmt: skip
        streams = {name: FileSystems.create(temp) for name, temp in temporary.items()}
        started, lines = time.monotonic(), 0
        try:
            for number, line, item in self.reader.read_lines(path, joined):
                lines += 1
                yield from self._line(number, line, item, relative, streams)
        finally:
            for stream in streams.values():
                stream.close()
        for name, temp in temporary.items():
            replace(temp, f"{self.staging}/{ATTRIBUTES}/{name}/{relative}")
        for place, maker in enumerate(self.keys):
            yield from (TaggedOutput(KEYS, (place, key)) for key in maker.flush())
        self.drain_stats()
        record_done(self.staging, 0, f"part-{self.file:05d}", lines, self.counted_since(before))
        LOG.info("file %d: %s, %d lines in %.1f s", self.file + 1, relative, lines,
                 time.monotonic() - started)  # fmt: skip

    def _line(self, number: int | None, line: bytes, item: Any, relative: str,
              streams: dict[str, BinaryIO]) -> Iterator[Any]:  # fmt: skip
        if number is None:  # not a line of the file: a damaged stream, extra attribute lines
            yield route(item, self.read_counters)
            return
        if item is None:  # a blank line stays blank
            for stream in streams.values():
                stream.write(b"\n")
            return
        routed = route(item, self.read_counters)
        if not isinstance(item, Document):
            yield routed
            doc_id, source = _id_and_source(line)
            for stream in streams.values():
                stream.write(encode_line(attributes_line(doc_id, source, {})))
            return
        for place, maker in enumerate(self.keys):
            node = node_key(item, self.file, number)
            yield from (TaggedOutput(KEYS, (place, key)) for key in maker.add(item, node))
        failed, error = self._tag(item, relative, number)
        tagged = True
        for step in self.steps:
            tagged = tagged and step.name != failed  # the failed tagger and later ones: empty
            prefix = f"{step.name}__"
            attributes = {k: v for k, v in item.attributes.items() if k.startswith(prefix)}
            line_out = attributes_line(item.id, item.source, attributes if tagged else {})
            streams[step.name].write(encode_line(line_out))
        if error is not None:
            yield error

    def _tag(self, doc: Document, relative: str, number: int) -> tuple[str | None, Any]:
        """Runs the taggers on the document: (the name of the one that failed, its error
        tagged for the errors output), or (None, None)."""
        prefixes = tuple(f"{step.name}__" for step in self.steps)
        for key in [k for k in doc.attributes if k.startswith(prefixes)]:
            del doc.attributes[key]  # a joined folder's keys of these taggers' names
        for step, outcome in self.chain.run(doc):
            routed = route(outcome, self.counters[step.name])
            if isinstance(outcome, ErrorRecord):
                outcome.location.update(file=f"{DOCUMENTS}/{relative}", line=number)
                return step.name, routed
        return None, None


def _id_and_source(line: bytes) -> tuple[Any, Any]:
    """The id and source of a line that is no document, when it is a JSON object."""
    try:
        row = json.loads(line)
    except ValueError:
        return None, None
    return (row.get("id"), row.get("source")) if isinstance(row, dict) else (None, None)


class GlobalTagsFn(CountingDoFn):
    """A documents file with the labels of every global step -> attributes/<step>/<rel> of each
    (its `tag()`), line for line with the documents file; each document counted by the steps."""

    def __init__(self, root: str, staging: str, global_steps: list[GlobalStep]):
        self.root, self.staging, self.global_steps = root, staging, global_steps

    def setup(self) -> None:
        self.counters = [self.step_tally(step.name) for step in self.global_steps]
        self.reader = DolmaReader(ReadConfig(), "", "")

    def process(self, joined: tuple[int, dict[str, Iterable[Any]]]) -> Iterator[None]:
        file, groups = joined
        (relative,) = groups["file"]
        labels: list[dict[int, list[Any]]] = [{} for _ in self.global_steps]
        for place, line, label in groups["labels"]:
            labels[place].setdefault(line, []).append(label)
        files = [TemporaryFile(f"{self.staging}/{ATTRIBUTES}/{step.name}/{relative}",
                               f"{self.staging}/tmp") for step in self.global_steps]  # fmt: skip
        path = f"{self.root}/{DOCUMENTS}/{relative}"
        lines, before = 0, self.tallied()
        for number, line, item in self.reader.read_lines(path, {}):
            if number is not None:
                lines += 1
                self._line(number, line, item, labels, files)
        for written in files:
            written.close()
        record_done(self.staging, 1, f"part-{file:05d}", lines, self.counted_since(before))
        return iter(())

    def _line(self, number: int, line: bytes, item: Any, labels: list[dict[int, list[Any]]],
              files: list[TemporaryFile]) -> None:  # fmt: skip
        if item is None:  # a blank line stays blank
            for file in files:
                file.stream.write(b"\n")
            return
        if not isinstance(item, Document):  # counted as an error by the tagging pass
            doc_id, source = _id_and_source(line)
            for file in files:
                file.stream.write(encode_line(attributes_line(doc_id, source, {})))
            return
        for step, counters, found, file in zip(self.global_steps, self.counters, labels, files,
                                               strict=True):  # fmt: skip
            route(item, counters)
            attributes = step.tag(item, found.get(number, [])) or {}
            named = {f"{step.name}__{key}": spans for key, spans in attributes.items()}
            file.stream.write(encode_line(attributes_line(item.id, item.source, named)))


class TagFiles(beam.PTransform):
    """The dataset's documents files -> attribute files under `staging`, errors beside them:
    taggers in one pass over each file; global steps (dedup) from the keys that pass makes,
    then a second pass writing each file's labels as attributes."""

    def __init__(self, tag: ResolvedTag, staging: str):
        super().__init__()
        self.tag, self.staging = tag, staging

    def expand(self, pbegin: beam.pvalue.PBegin) -> beam.pvalue.PValue:
        tag, staging = self.tag, self.staging
        tagging = TagFileFn(tag.root, staging, tag.taggers, tag.config.attributes, tag.global_steps)
        files = (
            pbegin
            | "List files" >> beam.Create(list(enumerate(tag.files)))
            | "Spread files" >> beam.Reshuffle()
        )
        tagged = files | "Tag files" >> beam.ParDo(tagging).with_outputs(ERRORS, KEYS, main=KEPT)
        if tag.global_steps:
            labels = [
                tagged[KEYS]
                | f"Keys of {step.name}" >> beam.FlatMap(_keys_of, place)
                | f"Decide {step.name}" >> step.decide()
                | f"{step.name} labels by file" >> beam.Map(_by_file, place)
                for place, step in enumerate(tag.global_steps)
            ]
            _ = (
                {"file": files, "labels": labels | "All labels" >> beam.Flatten()}
                | "Join labels to files" >> beam.CoGroupByKey()
                | "Write labels" >> beam.ParDo(GlobalTagsFn(tag.root, staging, tag.global_steps))
            )
        return tagged[ERRORS] | "Write errors" >> WriteJsonLines(
            f"{staging}/{tag.report_dir}/errors/part"
        )


def _keys_of(keyed: tuple[int, Any], place: int) -> Iterator[Any]:
    if keyed[0] == place:
        yield keyed[1]


def _by_file(label: tuple[bytes, Any], place: int) -> tuple[int, tuple[int, int, Any]]:
    file, line = node_address(label[0])
    return file, (place, line, label[1])
