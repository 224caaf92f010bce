"""Where every record goes, and the counters that prove it: in = kept + removed + errors.

Every stage that decides a record's fate sends it through `route()`, which counts it under
`step/<name>/{in,kept,removed/<reason>,error/<kind>}` and tags it for its output.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import apache_beam as beam
from apache_beam import pvalue
from apache_beam.metrics import Metrics

from dolmakit.core.document import ErrorRecord, Removed

NAMESPACE = "dolmakit"
KEPT, REMOVED, ERRORS = "kept", "removed", "errors"


class Counters:
    """Counts tallied in memory and handed to Beam's counters by flush(): one Beam counter
    update per document costs more than the work of many steps."""

    def __init__(self, prefix: str):
        self.prefix = prefix
        self._tally: defaultdict[str, int] = defaultdict(int)

    def inc(self, name: str, n: int = 1) -> None:
        self._tally[name] += n

    def counts(self) -> dict[str, int]:
        """What is tallied since the last flush, by full counter name."""
        return {f"{self.prefix}/{name}" if self.prefix else name: n
                for name, n in self._tally.items()}  # fmt: skip

    def flush(self) -> None:
        for name, n in self._tally.items():
            Metrics.counter(NAMESPACE, f"{self.prefix}/{name}" if self.prefix else name).inc(n)
        self._tally.clear()


class CountingDoFn(beam.DoFn):
    """A DoFn whose Counters (made with tally()) reach Beam at the end of every bundle."""

    def tally(self, prefix: str) -> Counters:
        counters = Counters(prefix)
        self.__dict__.setdefault("_tallies", []).append(counters)
        return counters

    def step_tally(self, step_name: str) -> Counters:
        """The counters route() needs: `step/<name>/{in,kept,removed/..,error/..}`."""
        return self.tally(f"step/{step_name}")

    def tallied(self) -> dict[str, int]:
        """Every count since the bundle's last flush, by full counter name."""
        found: dict[str, int] = defaultdict(int)
        for counters in self.__dict__.get("_tallies", ()):
            for name, n in counters.counts().items():
                found[name] += n
        return dict(found)

    def counted_since(self, before: dict[str, int]) -> dict[str, int]:
        """The counts made since `before` (an earlier tallied(), in the same bundle), non-zero
        ones only: what one file added, for its completion record."""
        after = self.tallied()
        counts = {name: n - before.get(name, 0) for name, n in after.items()}
        return {name: n for name, n in counts.items() if n}

    def finish_bundle(self) -> None:
        for counters in self.__dict__.get("_tallies", ()):
            counters.flush()


def route(item: Any, counters: Counters) -> Any:
    """Counts a document, Removed or ErrorRecord and wraps it for the output it belongs to."""
    counters.inc("in")
    if isinstance(item, Removed):
        counters.inc(f"removed/{item.reason}")
        return pvalue.TaggedOutput(REMOVED, item)
    if isinstance(item, ErrorRecord):
        counters.inc(f"error/{item.kind}")
        return pvalue.TaggedOutput(ERRORS, item)
    counters.inc("kept")
    return item
