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
import uuid
from collections.abc import Iterator
from typing import Any, BinaryIO

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems

from dolmakit.core.document import Document, ErrorRecord
from dolmakit.core.routing import ERRORS, KEPT, CountingDoFn, route
from dolmakit.core.steps import Step
from dolmakit.engine.transforms import StepChain
from dolmakit.io.dolma import ATTRIBUTES, DOCUMENTS, DolmaReader, attribute_files, attributes_line
from dolmakit.io.dolma import encode as encode_line
from dolmakit.io.readers import READ_STEP, ReadConfig
from dolmakit.io.writers import WriteJsonLines
from dolmakit.tag.config import ResolvedTag


class TagFileFn(CountingDoFn):
    """One documents file -> one attribute file per tagger (written under the staging folder),
    every document counted by route() as the reader and each tagger see it; errors out."""

    def __init__(self, root: str, staging: str, steps: list[Step], joined: list[str]):
        self.root, self.staging, self.steps, self.joined = root, staging, steps, joined

    def setup(self) -> None:
        self.chain = StepChain(self.steps)
        self.chain.setup()
        self.counters = {step.name: self.step_tally(step.name) for step in self.steps}
        self.stats = self.tally("")
        self.read_counters = self.step_tally(READ_STEP)
        self.reader = DolmaReader(ReadConfig(), "", "")

    def finish_bundle(self) -> None:
        for key, n in self.chain.drain_stats():
            self.stats.inc(key, n)
        super().finish_bundle()

    def process(self, relative: str) -> Iterator[Any]:
        path = f"{self.root}/{DOCUMENTS}/{relative}"
        joined = attribute_files(path, self.joined) if self.joined else {}
        temporary = {step.name: f"{self.staging}/tmp/{uuid.uuid4().hex}/{relative}"
                     for step in self.steps}  # fmt: skip
        streams = {name: FileSystems.create(temp) for name, temp in temporary.items()}
        try:
            for number, line, item in self.reader.read_lines(path, joined):
                yield from self._line(number, line, item, relative, streams)
        finally:
            for stream in streams.values():
                stream.close()
        for name, temp in temporary.items():
            _move(temp, f"{self.staging}/{ATTRIBUTES}/{name}/{relative}")

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


def _move(source: str, destination: str) -> None:
    """Renames a closed file to its name (replacing what an earlier try of the bundle left)."""
    folder = destination.rsplit("/", 1)[0]
    if "://" not in folder and not FileSystems.exists(folder):
        FileSystems.mkdirs(folder)
    if FileSystems.exists(destination):
        FileSystems.delete([destination])
    FileSystems.rename([source], [destination])


class TagFiles(beam.PTransform):
    """The dataset's documents files -> attribute files under `staging`, errors beside them."""

    def __init__(self, tag: ResolvedTag, staging: str):
        super().__init__()
        self.tag, self.staging = tag, staging

    def expand(self, pbegin: beam.pvalue.PBegin) -> beam.pvalue.PValue:
        tag = self.tag
        tagged = (
            pbegin
            | "List files" >> beam.Create(tag.files)
            | "Spread files" >> beam.Reshuffle()
            | "Tag files"
            >> beam.ParDo(
                TagFileFn(tag.root, self.staging, tag.steps, tag.config.attributes)
            ).with_outputs(ERRORS, main=KEPT)
        )
        return tagged[ERRORS] | "Write errors" >> WriteJsonLines(
            f"{self.staging}/{tag.report_dir}/errors/part"
        )
