"""The run report, built from Beam counters so it works the same on every runner.

Counters are named `step/<step>/{in,kept,removed/<reason>,error/<kind>}`, `hist/<name>/<series>/
<bucket>` and free-form `<group>/<name>`; this module turns them into report.json and report.html
and checks the invariant in = kept + removed + errors.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics.metric import MetricsFilter

from dolmakit.io.report_html import render_html
from dolmakit.transforms import NAMESPACE

_MAX_BUCKET = 32  # log2 buckets of text length: 2**31 characters is far past any document


def counters_of(result: Any) -> dict[str, int]:
    """Committed counter values of a finished Beam run, by name."""
    query = result.metrics().query(MetricsFilter().with_namespace(NAMESPACE))
    totals: dict[str, int] = defaultdict(int)
    for counter in query["counters"]:
        value = counter.committed if counter.committed is not None else counter.attempted
        totals[counter.key.metric.name] += value or 0
    return dict(totals)


def build_report(counters: dict[str, int], step_names: list[tuple[str, str]], **run: Any) -> dict:
    """`step_names` is [(name, type)] in pipeline order, the reader first."""
    steps = [_step(counters, name, kind) for name, kind in step_names]
    first, last = steps[0], steps[-1]
    removed = sum(sum(step["removed"].values()) for step in steps)
    errors = sum(sum(step["errors"].values()) for step in steps)
    totals = {"in": first["in"], "kept": last["kept"], "removed": removed, "errors": errors}
    totals["invariant_holds"] = totals["in"] == totals["kept"] + removed + errors
    wall = max(run.get("wall_seconds") or 0.0, 1e-9)
    return {
        **run,
        "totals": totals,
        "throughput": {
            "records_per_s": round(totals["in"] / wall, 2),
            "kept_per_s": round(totals["kept"] / wall, 2),
            "input_mb_per_s": round(run.get("input", {}).get("bytes", 0) / 1e6 / wall, 3),
        },
        "steps": steps,
        "histograms": [_length_histogram(counters)],
        "counters": {
            k: v for k, v in sorted(counters.items()) if not k.startswith(("step/", "hist/"))
        },
    }


def write_report(report: dict, root: str) -> tuple[str, str]:
    """Writes report.json and report.html under root (each written whole, then renamed)."""
    paths = (f"{root}/report.json", f"{root}/report.html")
    write_atomically(paths[0], json.dumps(report, indent=2, ensure_ascii=False, default=str))
    write_atomically(paths[1], render_html(report))
    return paths


def write_atomically(path: str, text: str) -> None:
    temporary = f"{path}.tmp"
    with FileSystems.create(temporary) as stream:
        stream.write(text.encode("utf-8"))
    if FileSystems.exists(path):
        FileSystems.delete([path])
    FileSystems.rename([temporary], [path])


def _step(counters: dict[str, int], name: str, kind: str) -> dict[str, Any]:
    prefix = f"step/{name}/"
    return {
        "name": name,
        "type": kind,
        "in": counters.get(prefix + "in", 0),
        "kept": counters.get(prefix + "kept", 0),
        "removed": _with_prefix(counters, prefix + "removed/"),
        "errors": _with_prefix(counters, prefix + "error/"),
    }


def _with_prefix(counters: dict[str, int], prefix: str) -> dict[str, int]:
    found = {k.removeprefix(prefix): v for k, v in counters.items() if k.startswith(prefix)}
    return dict(sorted(found.items(), key=lambda item: -item[1]))


def _length_histogram(counters: dict[str, int]) -> dict[str, Any]:
    series = {
        label: [counters.get(f"hist/text_chars/{key}/{b}", 0) for b in range(_MAX_BUCKET)]
        for label, key in (("before steps", "before"), ("after steps", "after"))
    }
    used = max((b for counts in series.values() for b, n in enumerate(counts) if n), default=0) + 1
    # bucket b holds lengths with bit_length b: 0, 1, 2-3, 4-7, ...
    edges = [0, 1] + [2**b for b in range(1, used)]
    return {
        "name": "text_chars",
        "title": "Document length (characters)",
        "log_scale": True,
        "edges": edges,
        "series": {label: counts[:used] for label, counts in series.items()},
    }
