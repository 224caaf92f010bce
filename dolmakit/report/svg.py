"""Tiny inline-SVG chart builders for the HTML run report.

Plain string building on purpose: the report has to be one self-contained file
that opens anywhere (air-gapped clusters, CI artefacts, mail), so there is no
plotting library, no fonts and no scripts. Every string that comes from data
goes through `esc`, because inline SVG is parsed as XML-ish markup too.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

SVG_NS = "http://www.w3.org/2000/svg"
# Okabe-Ito palette: stays distinguishable under the common colour-vision deficiencies.
# Yellow goes last because it has poor contrast on white.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442")
_FONT = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif"
_MUTED = "#57606a"
_SMALL = ' font-size="11" fill="#57606a"'
# C0 controls (except tab/LF/CR) are illegal in XML and lone surrogates cannot be
# encoded as UTF-8; reasons and names come from crawled data, so scrub them.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")

# Histogram canvas: wide enough that 21 power-of-two buckets keep every edge label.
_W, _H = 760, 300
_LEFT, _RIGHT, _TOP, _BOTTOM = 64, 16, 34, 58


def esc(value: object) -> str:
    """Escape any value for HTML text, HTML attributes and inline SVG."""
    return html.escape(_ILLEGAL.sub("\ufffd", str(value)), quote=True)


def as_number(value: object) -> int | float:
    """The value if it is a finite, non-negative number, else 0 (reports may be partial)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0
    return value if math.isfinite(value) and value > 0 else 0


def exact(value: object) -> str:
    """Full-precision number with thousands separators, for tables and tooltips."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "—" if value is None else str(value)
    if not math.isfinite(value):
        return "∞" if value > 0 else "−∞" if value < 0 else "NaN"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}" if abs(value) >= 1 else f"{value:g}"


def compact_number(value: object, base: int = 1000) -> str:
    """Short axis label: 1024 -> '1k' with base 1024, 12345 -> '12.3k' with base 1000."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return exact(value)
    scaled, unit = float(value), ""
    for next_unit in ("k", "M", "G", "T", "P"):
        if abs(scaled) < base:
            break
        scaled, unit = scaled / base, next_unit
    return (f"{scaled:.0f}" if abs(scaled) >= 100 else f"{scaled:.3g}") + unit


def edge_base(edges: Sequence[Any]) -> int:
    """1024 when the edges are powers of two (byte/char buckets) so labels read 1k, 16k, 1M."""
    positive = [e for e in edges if as_number(e) >= 1 and float(e).is_integer()]
    if len(positive) < len([e for e in edges if as_number(e) > 0]) or not positive:
        return 1000
    if all(int(e) & (int(e) - 1) == 0 for e in positive) and max(positive) >= 1024:
        return 1024
    return 1000


def nice_ticks(top: float, target: int = 4) -> list[int]:
    """Integer y ticks in 1-2-5 steps from 0 to at least `top` (counts are whole numbers)."""
    if top <= 0:
        return [0, 1]
    raw = top / target
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(1, round(step))
    return [i * step for i in range(math.ceil(top / step) + 1)]


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _text(x: float, y: float, content: str, anchor: str = "start", extra: str = "") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{extra}>{esc(content)}</text>'


def _rect(x: float, y: float, w: float, h: float, fill: str, tip: str | None = None) -> str:
    # The <title> child is what browsers show as a hover tooltip: exact numbers live there.
    head = f'<rect x="{x:.2f}" y="{y:.2f}" width="{max(w, 0):.2f}" height="{max(h, 0):.2f}"'
    if tip is None:
        return f'{head} fill="{fill}"/>'
    return f'{head} fill="{fill}"><title>{esc(tip)}</title></rect>'


def _svg(width: int, height: int, label: str, body: Iterable[str]) -> str:
    head = (
        f'<svg xmlns="{SVG_NS}" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{esc(label)}" font-family="{_FONT}" font-size="12">'
    )
    return head + "".join(body) + "</svg>"


def _empty_svg(label: str, message: str) -> str:
    """Placeholder chart so every histogram/funnel still gets its own (readable) figure."""
    return _svg(_W, 60, label, [_text(_W / 2, 35, message, "middle", f' fill="{_MUTED}"')])


def funnel_svg(rows: Sequence[tuple[str, float]]) -> str:
    """Horizontal bars of documents left after each step, with the share of the first row."""
    base = rows[0][1] if rows else 0
    return hbars_svg(rows, "documents kept after each step", base, grey_first=True)


def hbars_svg(
    rows: Sequence[tuple[str, float]], label: str, total: float, grey_first: bool = False
) -> str:
    """Horizontal bars, one per (name, value) row, each with its share of `total`."""
    if not rows:
        return _empty_svg(label, "nothing recorded")
    label_w, value_w, row_h = 190, 150, 26
    scale = (_W - label_w - value_w) / max(max(v for _, v in rows), 1)
    out: list[str] = []
    for i, (name, value) in enumerate(rows):
        y, width = 8 + i * row_h, scale * value
        share = f" ({100 * value / total:.1f}%)" if total else ""
        fill = "#8c959f" if grey_first and i == 0 else PALETTE[0]
        out.append(_text(label_w - 8, y + 15, _clip(name, 28), "end"))
        out.append(_rect(label_w, y + 3, width, row_h - 8, fill, f"{name}: {exact(value)}{share}"))
        out.append(_text(label_w + width + 6, y + 15, f"{exact(value)}{share}", extra=_SMALL))
    return _svg(_W, 16 + len(rows) * row_h, label, out)


def _hist_data(hist: Mapping[str, Any]) -> tuple[list[Any] | None, list[tuple[str, list[Any]]]]:
    """Series padded to a common length; edges only if they match that length."""
    raw = hist.get("series")
    raw = raw if isinstance(raw, Mapping) else {}
    series = [
        (str(name), [as_number(c) for c in counts])
        for name, counts in raw.items()
        if isinstance(counts, Sequence) and not isinstance(counts, str)
    ]
    n = max((len(counts) for _, counts in series), default=0)
    series = [(name, counts + [0] * (n - len(counts))) for name, counts in series]
    edges = hist.get("edges")
    edges = list(edges) if isinstance(edges, Sequence) and not isinstance(edges, str) else []
    return (edges if len(edges) == n + 1 else None), series


def _bucket(edges: list[Any] | None, i: int) -> str:
    return f"bucket {i}" if edges is None else f"[{exact(edges[i])}, {exact(edges[i + 1])})"


def _bars(series: list[tuple[str, list[Any]]], edges: list[Any] | None, ymax: int) -> list[str]:
    """Grouped bars: one slot per bucket, one bar per series side by side inside the slot."""
    pw, ph = _W - _LEFT - _RIGHT, _H - _TOP - _BOTTOM
    slot = pw / len(series[0][1])
    bar_w = slot * 0.86 / len(series)
    out = []
    for j, (name, counts) in enumerate(series):
        fill = PALETTE[j % len(PALETTE)]
        for i, count in enumerate(counts):
            h = ph * count / ymax
            x = _LEFT + i * slot + slot * 0.07 + j * bar_w
            tip = f"{name} · {_bucket(edges, i)}: {exact(count)}"
            out.append(_rect(x, _TOP + ph - h, bar_w, h, fill, tip))
    return out


def _y_axis(ticks: list[int], title: str) -> list[str]:
    pw, ph = _W - _LEFT - _RIGHT, _H - _TOP - _BOTTOM
    out = []
    for tick in ticks:
        y = _TOP + ph - ph * tick / ticks[-1]
        out.append(
            f'<line x1="{_LEFT}" x2="{_LEFT + pw}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e3e6ea"/>'
        )
        out.append(_text(_LEFT - 6, y + 4, compact_number(tick), "end", _SMALL))
    cy = _TOP + ph / 2
    out.append(_text(16, cy, title, "middle", f' transform="rotate(-90 16 {cy:.1f})"'))
    return out


def _x_axis(edges: list[Any] | None, n: int, title: str) -> list[str]:
    """Edge labels at bucket boundaries, thinned only when they would overlap."""
    pw, base_y = _W - _LEFT - _RIGHT, _H - _BOTTOM
    slot = pw / n
    if edges is None:  # no usable edges: number the buckets at their centres instead
        ticks = [(_LEFT + (i + 0.5) * slot, str(i)) for i in range(n)]
    else:
        base = edge_base(edges)
        ticks = [(_LEFT + i * slot, compact_number(e, base)) for i, e in enumerate(edges)]
    needed = max(len(t) for _, t in ticks) * 6.2 + 6  # ~6px per glyph at 11px
    stride = max(1, math.ceil(needed / slot))
    out = [f'<line x1="{_LEFT}" x2="{_LEFT + pw}" y1="{base_y}" y2="{base_y}" stroke="{_MUTED}"/>']
    for x, tick in ticks[::stride]:
        out.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{base_y}" y2="{base_y + 4}" stroke="{_MUTED}"/>'
        )
        out.append(_text(x, base_y + 16, tick, "middle", _SMALL))
    out.append(_text(_LEFT + pw / 2, _H - 12, title, "middle"))
    return out


def _legend(series: list[tuple[str, list[Any]]]) -> list[str]:
    out, x = [], float(_LEFT)
    for j, (name, _) in enumerate(series):
        shown = _clip(name, 40)
        out.append(_rect(x, 10, 12, 12, PALETTE[j % len(PALETTE)]))
        out.append(_text(x + 17, 20, shown))
        x += 17 + 7 * len(shown) + 18
    return out


def mark_x(edges: Sequence[Any], value: float) -> float | None:
    """Where `value` falls on a histogram's x axis: its bucket's slot, and within the slot by
    the log of the value (linear in a bucket starting at 0); None outside the edges."""
    bounds = [float(as_number(e)) for e in edges]
    slot = (_W - _LEFT - _RIGHT) / (len(bounds) - 1)
    for i, (low, high) in enumerate(zip(bounds, bounds[1:], strict=False)):
        if low <= value <= high and high > low:
            if low > 0:
                share = math.log(value / low) / math.log(high / low)
            else:
                share = (value - low) / (high - low)
            return _LEFT + (i + share) * slot
    return None


def _marks(marks: Sequence[Any], edges: list[Any] | None, several: bool) -> list[str]:
    """A dashed line across the plot at each mark (a cutoff the step compares to), labelled
    with its value (and its series when the histogram has several)."""
    placed = [(mark_x(edges, float(m["value"])), m) for m in marks
              if edges and isinstance(m, Mapping) and as_number(m.get("value"))]  # fmt: skip
    out = []
    for row, (x, mark) in enumerate((x, m) for x, m in placed if x is not None):
        label = (f"{mark.get('series')} " if several else "") + str(mark.get("label", ""))
        label += f" {exact(mark['value'])}"
        line = f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{_TOP}" y2="{_H - _BOTTOM}" stroke="#000000"'
        out.append(f'{line} stroke-dasharray="4 3"><title>{esc(label)}</title></line>')
        left = x < _W - 160  # a label near the right edge goes to the left of its line
        y = _TOP + 12 + 13 * row
        out.append(_text(x + 4 if left else x - 4, y, label, "start" if left else "end", _SMALL))
    return out


def histogram_svg(hist: Mapping[str, Any]) -> str:
    """Grouped bar chart of one report histogram (edges + named series of counts), with its
    marks (e.g. perplexity cutoffs) as dashed lines."""
    label = str(hist.get("title") or hist.get("name") or "histogram")
    edges, series = _hist_data(hist)
    if not series or not series[0][1]:
        return _empty_svg(label, "no data")
    n = len(series[0][1])
    ticks = nice_ticks(max(c for _, counts in series for c in counts))
    x_title = str(hist.get("x_label") or label)
    if hist.get("log_scale"):
        x_title += " — log-scale buckets"
    y_title = str(hist.get("y_label") or "documents")
    body = _y_axis(ticks, y_title) + _bars(series, edges, ticks[-1])
    body += _marks(_seq_of(hist.get("marks")), edges, len(series) > 1)
    return _svg(_W, _H, label, body + _x_axis(edges, n, x_title) + _legend(series))


def _seq_of(value: object) -> Sequence[Any]:
    return value if isinstance(value, Sequence) and not isinstance(value, str) else []
