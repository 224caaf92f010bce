"""Render a pipeline run report (the dict saved as report.json) as one HTML page.

The page is fully self-contained - inline CSS, inline SVG charts, no scripts,
web fonts or network references - so it can be attached to a CI run, mailed, or
opened on an air-gapped cluster. Every value taken from the report is escaped:
removal reasons, file names and config values come from crawled data or users.
Only `totals` and `steps` are required; every other section is optional.
"""

from __future__ import annotations

import json
import pprint
from collections.abc import Mapping, Sequence
from typing import Any

from dolmakit.report.svg import as_number, esc, exact, funnel_svg, hbars_svg, histogram_svg

_MAX_BARS = 30  # the largest categories; a long tail of languages would be unreadable

__all__ = ["render_html"]

_CSS = """
:root { --fg: #1f2328; --muted: #57606a; --line: #d0d7de; --soft: #f6f8fa;
  --bad: #b42318; --bad-bg: #fef3f2; --ok: #05603a; --ok-bg: #ecfdf3; }
body { margin: 0; color: var(--fg); line-height: 1.45; font-family: system-ui, -apple-system,
  "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1040px; margin: 0 auto; padding: 24px 20px 48px; }
h1 { font-size: 1.6rem; margin: 0 0 2px; }
h2 { font-size: 1.2rem; margin: 32px 0 8px; padding-bottom: 4px;
  border-bottom: 1px solid var(--line); }
h3 { font-size: 1rem; margin: 18px 0 6px; }
.subtitle, .muted { color: var(--muted); }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 12px 0; }
dl.meta dt { color: var(--muted); } dl.meta dd { margin: 0; overflow-wrap: anywhere; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; min-width: 130px;
  background: var(--soft); }
.card .label { font-size: .78rem; color: var(--muted); text-transform: uppercase;
  letter-spacing: .04em; }
.card .value { font-size: 1.4rem; font-weight: 600; font-variant-numeric: tabular-nums; }
.card .sub { font-size: .85rem; color: var(--muted); }
.invariant { margin: 12px 0; padding: 8px 12px; border-radius: 6px; font-weight: 600; }
.invariant-ok { color: var(--ok); background: var(--ok-bg); border: 1px solid #abefc6; }
.invariant-bad { color: var(--bad); background: var(--bad-bg); border: 2px solid var(--bad); }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: .92rem; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: left;
  vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
td { overflow-wrap: anywhere; }
th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
figure { margin: 12px 0 24px; } figcaption { font-weight: 600; margin-bottom: 4px; }
svg { display: block; max-width: 100%; height: auto; }
pre { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: 12px;
  overflow: auto; font-size: .85rem; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas,
  monospace; }
"""

# Friendly names for the throughput keys we know; unknown keys are shown verbatim.
_THROUGHPUT_LABELS = {
    "records_per_s": "records / s",
    "input_mb_per_s": "input MB / s",
    "kept_per_s": "kept documents / s",
}


def render_html(report: Mapping[str, Any]) -> str:
    """Return a complete, self-contained HTML document describing one pipeline run."""
    steps = [s for s in _seq(report.get("steps")) if isinstance(s, Mapping)]
    sections = [
        _header(report),
        _summary(report),
        _warnings_section(_seq(report.get("warnings"))),
        _tables_section(_seq(report.get("tables"))),
        _steps_section(steps),
        _reasons_section(steps, "removed", "Removal reasons", "Reason"),
        _reasons_section(steps, "errors", "Errors", "Cause"),
        _histograms_section(_seq(report.get("histograms"))),
        _bars_section(_seq(report.get("bars"))),
        _counters_section(report.get("counters")),
        _config_section(report.get("config")),
    ]
    title = f"dolmakit report — {report.get('pipeline') or 'pipeline run'}"
    return _page(title, "\n".join(s for s in sections if s))


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{_CSS}</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


# --- small helpers --------------------------------------------------------------------


def _seq(value: object) -> Sequence[Any]:
    """A list-like value or an empty list, so a malformed section never breaks the page."""
    return value if isinstance(value, Sequence) and not isinstance(value, str) else []


def _total(value: object) -> int | float:
    """A count, or the sum of a {reason: count} mapping (steps store removals per reason)."""
    if isinstance(value, Mapping):
        return sum(as_number(v) for v in value.values())
    return as_number(value)


def _reasons(value: object) -> list[tuple[str, int | float]]:
    """(reason, count) pairs, largest first; ties by name so the page is deterministic."""
    if isinstance(value, Mapping):
        pairs = [(str(k), as_number(v)) for k, v in value.items()]
    else:
        pairs = [("(unspecified)", as_number(value))] if as_number(value) else []
    return sorted(pairs, key=lambda p: (-p[1], p[0]))


def _pct(part: float, whole: float) -> str:
    if not whole:
        return "—"
    share = 100 * part / whole
    # A handful of errors in a million documents must not read as "0.0%".
    return "<0.1%" if 0 < share < 0.05 else f"{share:.1f}%"


def _table(headers: Sequence[str], rows: Sequence[Sequence[object]], numeric: set[int]) -> str:
    """Plain table; columns in `numeric` are right-aligned and thousands-separated."""
    head = "".join(
        f"<th{' class=num' if i in numeric else ''}>{esc(h)}</th>" for i, h in enumerate(headers)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{esc(exact(c))}</td>' if i in numeric else f"<td>{esc(c)}</td>"
            for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _meta(pairs: Sequence[tuple[str, object]]) -> str:
    """Definition list of the pairs that have a value (missing report keys are skipped)."""
    items = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in pairs if v not in (None, ""))
    return f'<dl class="meta">{items}</dl>' if items else ""


def _duration(seconds: object) -> str | None:
    if isinstance(seconds, bool) or not isinstance(seconds, int | float):
        return None
    value = as_number(seconds)
    minutes, secs = divmod(value, 60)
    hours, minutes = divmod(int(minutes), 60)
    if hours:
        return f"{hours} h {minutes:02d} min {secs:02.0f} s"
    return f"{minutes} min {secs:04.1f} s" if minutes else f"{secs:.1f} s"


def _size(num_bytes: object) -> str:
    value, unit = float(as_number(num_bytes)), "B"
    for next_unit in ("KiB", "MiB", "GiB", "TiB"):
        if value < 1024:
            break
        value, unit = value / 1024, next_unit
    return f"{value:.1f} {unit} ({exact(as_number(num_bytes))} bytes)"


# --- sections -------------------------------------------------------------------------


def _header(report: Mapping[str, Any]) -> str:
    inp = report.get("input") if isinstance(report.get("input"), Mapping) else {}
    files = f"{exact(as_number(inp.get('files')))} files, " if "files" in inp else ""
    size = _size(inp.get("bytes")) if "bytes" in inp else ""
    pairs = [
        ("Output", report.get("output")),
        ("Runner", report.get("runner")),
        ("Started", report.get("started")),
        ("Finished", report.get("finished")),
        ("Wall time", _duration(report.get("wall_seconds"))),
        ("Input", (files + size).rstrip(", ") or None),
    ]
    name = esc(report.get("pipeline") or "pipeline run")
    title = f'<h1>dolmakit run report</h1><div class="subtitle">{name}</div>'
    return f"<header>{title}{_meta(pairs)}</header>"


def _card(label: str, value: object, sub: str = "") -> str:
    sub_html = f'<div class="sub">{esc(sub)}</div>' if sub else ""
    return (
        f'<div class="card"><div class="label">{esc(label)}</div>'
        f'<div class="value">{esc(exact(value))}</div>{sub_html}</div>'
    )


def _invariant(totals: Mapping[str, Any]) -> str:
    """in = kept + removed + errors, checked here too: a report must not hide lost documents."""
    n_in = _total(totals.get("in"))
    n_out = sum(_total(totals.get(k)) for k in ("kept", "removed", "errors"))
    if n_in == n_out and totals.get("invariant_holds") is not False:
        ok = f"✓ in = kept + removed + errors ({exact(n_in)})"
        return f'<div class="invariant invariant-ok">{esc(ok)}</div>'
    detail = f"in {exact(n_in)} ≠ kept + removed + errors {exact(n_out)}"
    if n_in == n_out:
        detail = "the pipeline flagged the invariant as broken"
    return f'<div class="invariant invariant-bad">✗ INVARIANT VIOLATED: {esc(detail)}</div>'


def _summary(report: Mapping[str, Any]) -> str:
    totals = report.get("totals") if isinstance(report.get("totals"), Mapping) else {}
    n_in = _total(totals.get("in"))
    cards = [_card("In", n_in)] + [
        _card(key.capitalize(), _total(totals.get(key)), _pct(_total(totals.get(key)), n_in))
        for key in ("kept", "removed", "errors")
    ]
    tp = report.get("throughput") if isinstance(report.get("throughput"), Mapping) else {}
    pairs = [(_THROUGHPUT_LABELS.get(str(k), str(k)), exact(v)) for k, v in tp.items()]
    throughput = f"<h3>Throughput</h3>{_meta(pairs)}" if pairs else ""
    return (
        f'<section id="summary"><h2>Summary</h2><div class="cards">{"".join(cards)}</div>'
        f"{_invariant(totals)}{throughput}</section>"
    )


def _warnings_section(warnings: Sequence[Any]) -> str:
    """What the run did that its config did not ask for (nothing kept, a source under its
    share, no held-out documents), above everything else a reader looks at."""
    items = "".join(f"<li>{esc(warning)}</li>" for warning in warnings)
    if not items:
        return ""
    listed = f'<ul class="invariant-bad">{items}</ul>'
    return f'<section id="warnings"><h2>Warnings</h2>{listed}</section>'


def _tables_section(tables: Sequence[Any]) -> str:
    """Tables a report brings along as {title, headers, rows, numeric (column indices)}, such
    as a mix's realized proportions and epochs."""
    parts = []
    for table in tables:
        if not isinstance(table, Mapping):
            continue
        headers = [str(h) for h in _seq(table.get("headers"))]
        rows = [list(_seq(row)) for row in _seq(table.get("rows"))]
        numeric = {i for i in _seq(table.get("numeric")) if isinstance(i, int)}
        title = esc(table.get("title") or "table")
        parts.append(f"<h3>{title}</h3>{_table(headers, rows, numeric)}")
    return f'<section id="tables"><h2>Tables</h2>{"".join(parts)}</section>' if parts else ""


def _steps_section(steps: Sequence[Mapping[str, Any]]) -> str:
    headers = ["Step", "Type", "In", "Kept", "Removed", "Errors", "Kept % of in"]
    rows = [
        [
            s.get("name", f"step {i}"),
            s.get("type", ""),
            _total(s.get("in")),
            _total(s.get("kept")),
            _total(s.get("removed")),
            _total(s.get("errors")),
            _pct(_total(s.get("kept")), _total(s.get("in"))),
        ]
        for i, s in enumerate(steps)
    ]
    table = (
        _table(headers, rows, {2, 3, 4, 5, 6})
        if rows
        else '<p class="muted">No steps recorded.</p>'
    )
    funnel = _funnel_rows(steps)
    return (
        f'<section id="steps"><h2>Steps</h2>{table}<figure><figcaption>Documents kept after '
        f"each step</figcaption>{funnel_svg(funnel)}</figure></section>"
    )


def _funnel_rows(steps: Sequence[Mapping[str, Any]]) -> list[tuple[str, float]]:
    """Input of the first step, then what survives each step - the shape of the funnel."""
    if not steps:
        return []
    first = steps[0]
    rows = [(f"input ({first.get('name', 'step 0')})", _total(first.get("in")))]
    return rows + [
        (str(s.get("name", f"step {i}")), _total(s.get("kept"))) for i, s in enumerate(steps)
    ]


def _reasons_section(steps: Sequence[Mapping[str, Any]], key: str, title: str, what: str) -> str:
    """One row per (step, reason), largest first within each step, as % of the step's input."""
    rows = [
        [s.get("name", f"step {i}"), reason, count, _pct(count, _total(s.get("in")))]
        for i, s in enumerate(steps)
        for reason, count in _reasons(s.get(key))
    ]
    if not rows:
        return f'<section id="{key}"><h2>{esc(title)}</h2><p class="muted">None.</p></section>'
    headers = ["Step", what, "Count", "% of step input"]
    return f'<section id="{key}"><h2>{esc(title)}</h2>{_table(headers, rows, {2, 3})}</section>'


def _histograms_section(histograms: Sequence[Any]) -> str:
    figures = [
        f"<figure><figcaption>{esc(h.get('title') or h.get('name') or 'histogram')}</figcaption>"
        f"{histogram_svg(h)}</figure>"
        for h in histograms
        if isinstance(h, Mapping)
    ]
    if not figures:
        return ""
    return f'<section id="histograms"><h2>Distributions</h2>{"".join(figures)}</section>'


def _bars_section(bars: Sequence[Any]) -> str:
    """Counts by category (documents per language, per perplexity bucket, ...) as bar charts."""
    charts = []
    for bar in bars:
        if not isinstance(bar, Mapping) or not isinstance(bar.get("counts"), Mapping):
            continue
        rows = sorted(((str(k), _total(v)) for k, v in bar["counts"].items()), key=lambda r: -r[1])
        title = str(bar.get("title") or "counts")
        total = sum(value for _, value in rows)
        charts.append(f"<h3>{esc(title)}</h3>{hbars_svg(rows[:_MAX_BARS], title, total)}")
    return f'<section id="bars"><h2>Breakdowns</h2>{"".join(charts)}</section>' if charts else ""


def _counters_section(counters: object) -> str:
    """Free-form counters, one table per prefix ('read/charset_source/x' -> group 'read')."""
    if not isinstance(counters, Mapping) or not counters:
        return ""
    groups: dict[str, list[list[object]]] = {}
    for key in sorted(counters, key=str):
        group, _, rest = str(key).partition("/")
        group, rest = (group, rest) if rest else ("(ungrouped)", group)
        groups.setdefault(group, []).append([rest, counters[key]])
    tables = "".join(
        f"<h3>{esc(g)}</h3>{_table(['Counter', 'Value'], rows, {1})}" for g, rows in groups.items()
    )
    return f'<section id="counters"><h2>Counters</h2>{tables}</section>'


def _config_section(config: object) -> str:
    if config is None:
        return ""
    try:
        text = json.dumps(config, indent=2, ensure_ascii=False, default=str)
    except (TypeError, ValueError):  # non-string keys or cycles: still show something
        text = pprint.pformat(config, width=96)
    return f'<section id="config"><h2>Resolved config</h2><pre>{esc(text)}</pre></section>'
