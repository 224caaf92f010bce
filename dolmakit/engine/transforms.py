"""The Beam side: DoFns that do the work and count it, composite transforms that only wire.

Every DoFn has three outputs, kept documents (main), `removed` and `errors`, and counts what it
sends to each under `step/<name>/...` so the report can prove in = kept + removed + errors.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any

import apache_beam as beam
from apache_beam import pvalue

from dolmakit.core.document import Document, ErrorRecord
from dolmakit.core.histograms import PREFIX as HIST_PREFIX
from dolmakit.core.histograms import counter_name
from dolmakit.core.routing import ERRORS, KEPT, REMOVED, CountingDoFn, route
from dolmakit.core.steps import Step
from dolmakit.io.inputs import InputFile
from dolmakit.io.readers import READ_STEP, READERS, ReadConfig, Reader

LOG = logging.getLogger("dolmakit")


class ReadFileFn(CountingDoFn):
    """A file -> every record of the file as a document, removal or error.

    It carries the reader class of each input format, found on the launcher: unpickled on a
    worker, a class imports its own module only, so a worker does not import every reader and
    step that registers itself (a third of a second of each worker's start-up)."""

    def __init__(self, config: ReadConfig, source: str, added: str,
                 readers: dict[str, type[Reader]]):  # fmt: skip
        self.config, self.source, self.added = config, source, added
        self.readers = readers

    def setup(self) -> None:
        self.counters = self.step_tally(READ_STEP)
        self.stats = self.tally(READ_STEP)

    def process(self, element: InputFile) -> Iterator[Any]:
        path = element.path
        reader = self.readers[element.format](self.config, self.source, self.added)
        started, records = time.monotonic(), 0
        for item in reader.read(element.opened):
            records += 1
            if element.opened != path:
                _name_file_as_given(item, element.opened, path)
            if isinstance(item, Document):  # for dedup scopes over groups of input shards
                item.metadata["input_shard"] = element.index
            yield route(item, self.counters)
        for name, n in reader.stats.items():
            self.stats.inc(name, n)
        self.stats.inc("files")
        seconds = time.monotonic() - started
        position = f"file {element.index + 1} of {element.total}"
        LOG.info("%s: %s, %d records in %.1f s", position, path, records, seconds)


def _name_file_as_given(item: Any, opened: str, given: str) -> None:
    """Records name their file as the pipeline does (a relative path stays relative, the same on
    every machine), though the worker opened it by its absolute path."""
    fields = item.location if isinstance(item, ErrorRecord) else _document_of(item).metadata
    for key, value in fields.items():
        if value == opened:
            fields[key] = given


def _document_of(item: Any) -> Document:
    return item if isinstance(item, Document) else item.doc


class StepChain:
    """Consecutive per-document steps run on one document in order, a removal or an error
    ending its way: the plain object behind StepsFn (a run) and a tag run's TagFileFn."""

    def __init__(self, steps: list[Step]):
        self.steps = steps

    def setup(self) -> None:
        for step in self.steps:
            step.setup()

    def run(self, doc: Document) -> Iterator[tuple[Step, Any]]:
        """(step, its outcome: the document, a Removed or an ErrorRecord) for every step the
        document reached."""
        for step in self.steps:
            outcome = run_step(step, doc)
            yield step, outcome
            if outcome is not doc:
                return

    def drain_stats(self) -> Iterator[tuple[str, int]]:
        """The steps' own statistics since the last drain, named for the report."""
        for step in self.steps:
            for key, n in step.stats.items():
                yield (key if key.startswith(HIST_PREFIX) else f"{step.name}/{key}"), n
            step.stats.clear()


class StepsFn(CountingDoFn):
    """Runs consecutive per-document steps in one DoFn (Beam's per-element cost is paid once,
    not once per step), each counted as its own step; an exception in a step is that
    document's error, a removal ends its way through the rest."""

    def __init__(self, steps: list[Step]):
        self.steps = steps

    def setup(self) -> None:
        self.chain = StepChain(self.steps)
        self.chain.setup()
        self.counters = {step.name: self.step_tally(step.name) for step in self.steps}
        self.stats = self.tally("")

    def finish_bundle(self) -> None:
        for key, n in self.chain.drain_stats():
            self.stats.inc(key, n)
        super().finish_bundle()

    def process(self, doc: Document) -> Iterator[Any]:
        for step, outcome in self.chain.run(doc):
            routed = route(outcome, self.counters[step.name])
            if routed is not doc:  # removed or failed: tagged for its output
                yield routed
                return
        yield doc


def run_step(step: Step, doc: Document) -> Any:
    """The step's result on the document, or the document's step_failed error."""
    try:
        return step.process(doc)
    except Exception as error:  # one bad document must not end the run
        cause = f"{type(error).__name__}: {error}"
        return ErrorRecord(step.name, "step_failed", cause, {"id": doc.id})


class LengthHistogramFn(CountingDoFn):
    """Counts documents into log2 buckets of text length (a histogram that works on any runner)."""

    def __init__(self, series: str):
        self.series = series

    def setup(self) -> None:
        self.counters = self.tally("")
        # one name per log2 bucket, made once: formatting it per document showed in profiles
        self.names = [counter_name("text_chars", self.series, 2**b // 2) for b in range(64)]

    def process(self, doc: Document) -> Iterator[Document]:
        self.counters.inc(self.names[len(doc.text).bit_length()])
        yield doc


def check_read_options(files: list[InputFile], config: ReadConfig) -> None:
    """`read.options` against the reader of every input file, before launch: a key that one of
    them lacks is a ConfigError listing the keys it has (with input.format auto a glob may
    bring in WARC and WET files, and only the WARC reader has, say, `html`)."""
    for fmt in sorted({file.format for file in files}):
        source = f"the input's {fmt} files"
        READERS.get(fmt).parse_options(config.options, source)


class ReadDocuments(beam.PTransform):
    """Files -> (documents, removed, errors); files are spread over workers one file each."""

    def __init__(self, files: list[InputFile], config: ReadConfig, source: str, added: str):
        super().__init__()
        self.files, self.config, self.source, self.added = files, config, source, added
        check_read_options(files, config)

    def expand(self, pbegin: beam.pvalue.PBegin) -> pvalue.DoOutputsTuple:
        readers = {fmt: READERS.get(fmt) for fmt in sorted({file.format for file in self.files})}
        return (
            pbegin
            | "List files" >> beam.Create(self.files)
            | "Spread files" >> beam.Reshuffle()
            | "Read records"
            >> beam.ParDo(ReadFileFn(self.config, self.source, self.added, readers)).with_outputs(
                REMOVED, ERRORS, main=KEPT
            )
        )


class ApplySteps(beam.PTransform):
    """Consecutive per-document steps -> (kept, removed, errors)."""

    def __init__(self, steps: list[Step]):
        super().__init__()
        self.steps = steps

    def expand(self, docs: beam.PCollection) -> pvalue.DoOutputsTuple:
        return docs | beam.ParDo(StepsFn(self.steps)).with_outputs(REMOVED, ERRORS, main=KEPT)


class MeasureLengths(beam.PTransform):
    def __init__(self, series: str):
        super().__init__()
        self.series = series

    def expand(self, docs: beam.PCollection) -> beam.PCollection:
        return docs | beam.ParDo(LengthHistogramFn(self.series))
