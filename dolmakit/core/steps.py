"""Steps: the units a pipeline chains. Taggers add attributes; filters remove with a reason.

A step type is registered by name with a typed `Config` dataclass. A step instance is built on the
launching machine (so config errors surface before any data is read), pickled to workers, and its
`setup()` loads heavy resources there, once per worker.
"""

from __future__ import annotations

import dataclasses
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

import apache_beam as beam

from dolmakit.core.document import Document, Removed, Span
from dolmakit.core.histograms import counter_name
from dolmakit.core.registry import Registry

# (file, line): where a document waits in the staged files a pass reads (dolmakit.core.nodes)
Address = tuple[int, int]


@dataclasses.dataclass
class NoConfig:
    """For steps that take no settings."""


class StepBase:
    """What every step has: a registered type, typed settings, a name, counts for the report."""

    type_name: ClassVar[str] = ""
    Config: ClassVar[type] = NoConfig

    def __init__(self, name: str, config: Any):
        self.name = name
        self.config = config
        # counts for the report (per-language documents, documents without a model, ...);
        # the runner drains them into counters named `<step name>/<key>`
        self.stats: Counter[str] = Counter()

    def observe(self, histogram: str, value: float, series: str = "all") -> None:
        """Adds a value to a histogram of the report (see dolmakit.core.histograms)."""
        self.stats[counter_name(histogram, series, value)] += 1

    def setup(self) -> None:  # noqa: B027  (an optional hook, empty by design)
        """Loads heavy resources (models, lists); runs once per worker before any document."""


class Step(StepBase, ABC):
    """One stage over single documents: returns the document (possibly changed) or a Removed."""

    @abstractmethod
    def process(self, doc: Document) -> Document | Removed: ...


class KeyMaker:
    """Makes a global step's keys from the documents of one file, on the worker that writes the
    file: `add` as each document is written, `flush` at the file's end (for keys made in batches,
    MinHash signatures)."""

    def add(self, doc: Document, node: bytes) -> Iterable[Any]:
        raise NotImplementedError

    def flush(self) -> Iterable[Any]:
        return ()


class GlobalStep(StepBase, ABC):
    """A step over the whole collection (dedup) that decides from keys alone.

    Documents stay in their files: the pass over a file before this step makes each document's
    keys (`key_maker()`; a node key names the document and where it is, dolmakit.core.nodes);
    `decide()` is a composite PTransform from those keys to labels, `(node, label)` for each
    document the step changes; the pass over each file after it gives every document its labels,
    and `apply(doc, labels)` its fate. Only keys and labels cross a shuffle.

    A step that merges documents (Stack Exchange threads) names the others a label needs by
    their address (`wanted`); the pass over the file reads them from the staged files of the
    pass before, on its worker, and hands them to `apply_with`: text moves from file to file,
    never through a shuffle."""

    @abstractmethod
    def key_maker(self) -> KeyMaker: ...

    @abstractmethod
    def decide(self) -> beam.PTransform: ...

    @abstractmethod
    def apply(self, doc: Document, labels: list[Any]) -> Document | Removed: ...

    def wanted(self, label: Any) -> Iterable[Address]:
        """The addresses of the other documents that applying this label needs; most steps
        decide a document's fate from its own labels and need none."""
        return ()

    def apply_with(
        self, doc: Document, labels: list[Any], fetched: Mapping[Address, Document]
    ) -> Document | Removed:
        """`apply`, given every document the labels of the file want (`wanted`) by address."""
        return self.apply(doc, labels)

    def tag(self, doc: Document, labels: list[Any]) -> dict[str, list[Span]] | None:
        """The decision as attributes, for `dolmakit tag` (Dolma's dedupe writes them so that a
        mixer filters on them), or None for a step that has none to write."""
        return None


class Tagger(Step):
    """A step whose pure `predict(doc)` returns attributes; they are stored as `<name>__<key>`."""

    @abstractmethod
    def predict(self, doc: Document) -> dict[str, list[Span]]: ...

    def process(self, doc: Document) -> Document:
        for key, spans in self.predict(doc).items():
            doc.attributes[f"{self.name}__{key}"] = spans
        return doc


STEPS: Registry[type[StepBase]] = Registry("step type")


def register_step(cls: type[StepBase]) -> type[StepBase]:
    """Class decorator: registers a step under its `type_name`."""
    return STEPS.add(cls.type_name)(cls)
