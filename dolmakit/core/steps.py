"""Steps: the units a pipeline chains. Taggers add attributes; filters remove with a reason.

A step type is registered by name with a typed `Config` dataclass. A step instance is built on the
launching machine (so config errors surface before any data is read), pickled to workers, and its
`setup()` loads heavy resources there, once per worker.
"""

from __future__ import annotations

import dataclasses
from abc import ABC, abstractmethod
from collections import Counter
from typing import Any, ClassVar

import apache_beam as beam

from dolmakit.core.document import Document, Removed, Span
from dolmakit.core.histograms import counter_name
from dolmakit.core.registry import Registry


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


class CollectionStep(StepBase, ABC):
    """A stage over the whole collection (dedup): `transform()` is a composite PTransform from
    documents to the three outputs kept (main), removed and errors, like a Step's, its last
    ParDo routing every document through dolmakit.core.routing.route so it is counted once."""

    @abstractmethod
    def transform(self) -> beam.PTransform: ...


class Tagger(Step):
    """A step whose pure `predict(doc)` returns attributes; they are stored as `<name>__<key>`."""

    @abstractmethod
    def predict(self, doc: Document) -> dict[str, list[Span]]: ...

    def process(self, doc: Document) -> Document:
        for key, spans in self.predict(doc).items():
            doc.attributes[f"{self.name}__{key}"] = spans
        return doc


STEPS: Registry[type[StepBase]] = Registry("step type")

# (earlier step type, later step type) -> a CollectionStep running the two as one stage, for
# collection steps that give the same result with fewer shuffles together than apart
FUSIONS: dict[tuple[type, type], type] = {}


def register_fusion(first: type, second: type):
    """Class decorator: `cls(first_step, second_step)` replaces the two when they are adjacent."""

    def add(cls: type) -> type:
        FUSIONS[(first, second)] = cls
        return cls

    return add


def fused(first: StepBase, second: StepBase) -> CollectionStep | None:
    """The one stage that replaces two adjacent steps, or None when they do not fuse."""
    fusion = FUSIONS.get((type(first), type(second)))
    return fusion(first, second) if fusion else None


def register_step(cls: type[StepBase]) -> type[StepBase]:
    """Class decorator: registers a step under its `type_name`."""
    return STEPS.add(cls.type_name)(cls)
