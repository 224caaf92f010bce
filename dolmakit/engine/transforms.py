"""Per-document work shared by the passes of a run and by a tag run: a chain of steps run on
one document, the error a failing step makes of it, and the checks of the read options."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dolmakit.core.document import Document, ErrorRecord
from dolmakit.core.histograms import PREFIX as HIST_PREFIX
from dolmakit.core.steps import Step
from dolmakit.io.inputs import InputFile
from dolmakit.io.readers import READERS, ReadConfig


class StepChain:
    """Consecutive per-document steps run on one document in order, a removal or an error
    ending its way: the plain object behind a run's passes and a tag run's TagFileFn."""

    def __init__(self, steps: list[Step]):
        self.steps = steps

    def setup(self) -> None:
        for step in self.steps:
            step.setup()

    def run(self, doc: Document) -> Iterator[tuple[Step, Any]]:
        """(step, its outcome: a document, a Removed or an ErrorRecord) for every step the
        document reached; a step may return another document in its place, which the next
        step gets."""
        for step in self.steps:
            outcome = run_step(step, doc)
            yield step, outcome
            if not isinstance(outcome, Document):
                return
            doc = outcome

    def drain_stats(self) -> Iterator[tuple[str, int]]:
        """The steps' own statistics since the last drain, named for the report."""
        for step in self.steps:
            yield from step_stats(step)


def step_stats(step: Any) -> Iterator[tuple[str, int]]:
    """A step's statistics since the last call, named for the report (histograms keep their
    own names, the rest go under `<step name>/`), then cleared."""
    for key, n in step.stats.items():
        yield (key if key.startswith(HIST_PREFIX) else f"{step.name}/{key}"), n
    step.stats.clear()


def run_step(step: Step, doc: Document) -> Any:
    """The step's result on the document, or the document's step_failed error."""
    try:
        return step.process(doc)
    except Exception as error:  # one bad document must not end the run
        cause = f"{type(error).__name__}: {error}"
        return ErrorRecord(step.name, "step_failed", cause, {"id": doc.id})


def name_file_as_given(item: Any, opened: str, given: str) -> None:
    """Records name their file as the pipeline does (a relative path stays relative, the same on
    every machine), though the worker opened it by its absolute path."""
    fields = item.location if isinstance(item, ErrorRecord) else _document_of(item).metadata
    for key, value in fields.items():
        if value == opened:
            fields[key] = given


def _document_of(item: Any) -> Document:
    return item if isinstance(item, Document) else item.doc


def check_read_options(files: list[InputFile], config: ReadConfig) -> None:
    """`read.options` against the reader of every input file, before launch: a key that one of
    them lacks is a ConfigError listing the keys it has (with input.format auto a glob may
    bring in WARC and WET files, and only the WARC reader has, say, `html`)."""
    for fmt in sorted({file.format for file in files}):
        source = f"the input's {fmt} files"
        READERS.get(fmt).parse_options(config.options, source)
