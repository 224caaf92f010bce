"""Where every record goes, and the counters that prove it: in = kept + removed + errors.

Every stage that decides a record's fate sends it through `route()`, which counts it under
`step/<name>/{in,kept,removed/<reason>,error/<kind>}` and tags it for its output.
"""

from __future__ import annotations

from typing import Any

from apache_beam import pvalue
from apache_beam.metrics import Metrics

from dolmakit.document import ErrorRecord, Removed

NAMESPACE = "dolmakit"
KEPT, REMOVED, ERRORS = "kept", "removed", "errors"


class Counters:
    """Beam counters created on first use (creating one per element would be wasteful)."""

    def __init__(self, prefix: str):
        self.prefix = prefix
        self._counters: dict[str, Any] = {}

    def inc(self, name: str, n: int = 1) -> None:
        counter = self._counters.get(name)
        if counter is None:
            full_name = f"{self.prefix}/{name}" if self.prefix else name
            counter = self._counters[name] = Metrics.counter(NAMESPACE, full_name)
        counter.inc(n)


def step_counters(step_name: str) -> Counters:
    return Counters(f"step/{step_name}")


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
