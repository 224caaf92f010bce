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

from dolmakit.core.histograms import HISTOGRAMS, HistogramSpec, edges
from dolmakit.core.histograms import PREFIX as HIST_PREFIX
from dolmakit.core.routing import NAMESPACE
from dolmakit.report.html import render_html

_STRUCTURED = ("step/", HIST_PREFIX)  # counters the report shows in their own sections


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
    steps = [step_counts(counters, name, kind) for name, kind in step_names]
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
        "warnings": run_warnings(totals),
        "histograms": _histograms(counters, run.get("config") or {}),
        "bars": _bars(counters),
        "counters": {k: v for k, v in sorted(counters.items()) if not k.startswith(_STRUCTURED)},
    }


def run_warnings(totals: dict[str, Any]) -> list[str]:
    """What a run that published should still say out loud: it read nothing, or kept nothing."""
    if not totals["in"]:
        return ["no record was read: check the input paths and their format"]
    if not totals["kept"]:
        return [
            f"no document kept: all {totals['in']:,} were removed ({totals['removed']:,}) or "
            f"errors ({totals['errors']:,}); the report's removal reasons say by which step"
        ]
    return []


def write_report(report: dict, root: str) -> tuple[str, str]:
    """Writes report.html, then report.json, under root (each written whole, then renamed):
    report.json last, as a finished job is one whose report.json exists."""
    paths = (f"{root}/report.json", f"{root}/report.html")
    write_atomically(paths[1], render_html(report))
    write_atomically(paths[0], json.dumps(report, indent=2, ensure_ascii=False, default=str))
    return paths


def write_atomically(path: str, text: str) -> None:
    temporary = f"{path}.tmp"
    with FileSystems.create(temporary) as stream:
        stream.write(text.encode("utf-8"))
    if FileSystems.exists(path):
        FileSystems.delete([path])
    FileSystems.rename([temporary], [path])


def step_counts(counters: dict[str, int], name: str, kind: str) -> dict[str, Any]:
    """One step's row of the report from its `step/<name>/...` counters (what route() counts)."""
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


def _bars(counters: dict[str, int]) -> list[dict[str, Any]]:
    """Counters `<group>/<label>` whose group has two labels or more, as one chart per group:
    documents per language, per perplexity bucket, charset sources, skipped record types."""
    groups: dict[str, dict[str, int]] = defaultdict(dict)
    for key, value in counters.items():
        if not key.startswith(_STRUCTURED) and key.count("/") >= 2:  # <step>/<category>/<label>
            group, label = key.rsplit("/", 1)
            groups[group][label] = value
    return [{"title": group, "counts": counts} for group, counts in sorted(groups.items())
            if len(counts) >= 2]  # fmt: skip


def _histograms(counters: dict[str, int], config: dict) -> list[dict[str, Any]]:
    """Every `hist/<name>/<series>/<bucket>` counter, gathered into one histogram per name."""
    found: dict[str, dict[str, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    for key, value in counters.items():
        if key.startswith(HIST_PREFIX):
            name, series, index = key.removeprefix(HIST_PREFIX).rsplit("/", 2)
            found[name][series][int(index)] = value
    return [_histogram(name, series, config) for name, series in sorted(found.items())]


def _marks(spec: HistogramSpec, series: dict[str, dict[int, int]], config: dict) -> list[dict]:
    """The spec's marks for the series the histogram has, e.g. each language's cutoffs."""
    found = spec.marks(config) if spec.marks else {}
    return [{"series": name, "label": label, "value": value}
            for name in sorted(series) for label, value in found.get(name, [])]  # fmt: skip


def _histogram(name: str, series: dict[str, dict[int, int]], config: dict) -> dict[str, Any]:
    spec = HISTOGRAMS.get(name, HistogramSpec(name))
    used = [index for counts in series.values() for index, n in counts.items() if n]
    first, last = (min(used), max(used)) if used else (0, 0)
    ordered = sorted(series.items(), key=lambda item: -sum(item[1].values()))  # largest first
    return {
        "name": name,
        "title": spec.title,
        "log_scale": True,
        # from the first bucket with data: a perplexity axis need not start at 1
        "edges": edges(spec.per_octave, last + 1)[first:],
        "series": {
            label: [counts.get(i, 0) for i in range(first, last + 1)] for label, counts in ordered
        },  # fmt: skip
        "marks": _marks(spec, series, config),
    }
