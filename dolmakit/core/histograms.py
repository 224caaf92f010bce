"""Histograms as counters, so they work on every runner: `hist/<name>/<series>/<bucket>`.

Buckets are logarithmic, `per_octave` to each doubling: bucket 0 holds values below 1, bucket i
holds [2**((i-1)/p), 2**(i/p)). A step registers a spec for a title and resolution; the report
draws every histogram it finds in the counters, with the marks (thresholds such as CCNet's
perplexity cutoffs) its spec derives from the run's resolved config.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

PREFIX = "hist/"

# the run's resolved config (report.json's "config") -> {series: [(label, value)]}: the values
# a step compares to, drawn as lines across the histogram
Marks = Callable[[dict], dict[str, list[tuple[str, float]]]]


@dataclass(frozen=True)
class HistogramSpec:
    title: str
    per_octave: int = 1
    marks: Marks | None = None


HISTOGRAMS: dict[str, HistogramSpec] = {
    "text_chars": HistogramSpec("Document length (characters)"),
}


def register_histogram(
    name: str, title: str, per_octave: int = 1, marks: Marks | None = None
) -> str:
    HISTOGRAMS[name] = HistogramSpec(title, per_octave, marks)
    return name


def bucket(value: float, per_octave: int = 1) -> int:
    if not value >= 1:  # also catches NaN
        return 0
    return 1 + math.floor(math.log2(value) * per_octave + 1e-9)


def counter_name(name: str, series: str, value: float) -> str:
    per_octave = HISTOGRAMS.get(name, HistogramSpec(name)).per_octave
    return f"{PREFIX}{name}/{series}/{bucket(value, per_octave)}"


def edges(per_octave: int, buckets: int) -> list[float]:
    return [0.0] + [round(2 ** (i / per_octave), 3) for i in range(buckets)]
