"""Tests for the self-contained HTML run report (dolmakit.report.html)."""

from __future__ import annotations

import copy
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from typing import Any

import pytest

from dolmakit.report.html import render_html

SVG_NS = "http://www.w3.org/2000/svg"
MALICIOUS = "<script>alert(1)</script>"
OK_MARKER = 'class="invariant invariant-ok"'
BAD_MARKER = 'class="invariant invariant-bad"'
EDGES = [0] + [2**i for i in range(21)]  # 0, 1, 2, 4, ..., 1048576 -> 21 buckets


def example_report() -> dict[str, Any]:
    """A full report in the shape the pipeline writes to report.json."""
    before = [0, 1, 2, 3, 5, 8, 13, 40, 120, 400, 900, 1500, 1234, 700, 300, 90, 20, 5, 1, 0, 0]
    after = [0, 0, 0, 0, 0, 0, 0, 0, 10, 200, 700, 1400, 1200, 650, 280, 80, 15, 3, 0, 0, 0]
    return {
        "pipeline": "pipelines/commoncrawl.yaml",
        "output": "out/commoncrawl",
        "started": "2026-11-24T09:00:00+00:00",
        "finished": "2026-11-24T09:02:03+00:00",
        "wall_seconds": 123.4,
        "runner": "local (2 workers, multi_processing)",
        "input": {"files": 3, "bytes": 123456789},
        "totals": {"in": 1234567, "kept": 600000, "removed": 634467, "errors": 100},
        "throughput": {"records_per_s": 8.1, "input_mb_per_s": 0.01, "kept_per_s": 4.9},
        "steps": [
            {
                "name": "read",
                "type": "read_warc",
                "in": 1234567,
                "kept": 1000000,
                "removed": {"http_status_404": 200000, "non_html:application/pdf": 34467},
                "errors": {"truncated_record": 100},
            },
            {"name": "text_stats", "type": "text_stats_v1", "in": 1000000, "kept": 1000000},
            {
                "name": "length_filter",
                "type": "filter",
                "in": 1000000,
                "kept": 600000,
                "removed": {"too_few_words": 250000, "too_many_words": 150000},
                "errors": {},
            },
        ],
        "counters": {
            "read/charset_source/http_header": 70,
            "read/skipped_record_type/request": 100,
            "text_stats/empty_documents": 3,
            "ungrouped_counter": 7,
        },
        "histograms": [
            {
                "name": "text_chars",
                "title": "Document length (characters)",
                "log_scale": True,
                "edges": EDGES,
                "series": {"before filters": before, "after filters": after},
            },
            {
                "name": "language",
                "title": "Language score",
                "edges": [0.0, 0.25, 0.5, 0.75, 1.0],
                "series": {"all": [5, 10, 20, 65]},
            },
        ],
        "config": {"steps": [{"name": "length_filter", "min_words": 50}], "workers": 2},
    }


def svg_fragments(page: str) -> list[str]:
    return re.findall(r"<svg\b.*?</svg>", page, flags=re.DOTALL)


def parse_svgs(page: str) -> list[ET.Element]:
    """Parsing every inline SVG as XML proves it is well-formed on its own."""
    return [ET.fromstring(fragment) for fragment in svg_fragments(page)]


class TagBalance(HTMLParser):
    """Counts opening and closing tags so unbalanced markup shows up as a mismatch."""

    TRACKED = ("html", "body", "main", "section", "table", "tr", "svg", "figure", "pre")

    def __init__(self) -> None:
        super().__init__()
        self.opened = dict.fromkeys(self.TRACKED, 0)
        self.closed = dict.fromkeys(self.TRACKED, 0)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.opened:
            self.opened[tag] += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.closed:
            self.closed[tag] += 1


@pytest.fixture
def page() -> str:
    return render_html(example_report())


def test_page_is_balanced_html(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>")
    parser = TagBalance()
    parser.feed(page)
    parser.close()
    assert parser.opened == parser.closed
    assert parser.opened["table"] >= 5  # steps, removals, errors, counter groups


def test_one_well_formed_svg_per_histogram_plus_funnel(page: str) -> None:
    svgs = parse_svgs(page)
    assert len(svgs) == len(example_report()["histograms"]) + 1
    assert all(svg.tag == f"{{{SVG_NS}}}svg" for svg in svgs)


def test_header_summary_and_throughput(page: str) -> None:
    for text in ("pipelines/commoncrawl.yaml", "out/commoncrawl", "multi_processing"):
        assert text in page
    assert "2026-11-24T09:00:00+00:00" in page and "2 min 03.4 s" in page
    assert "1,234,567" in page and "117.7 MiB" in page
    assert "records / s" in page and "8.10" in page
    assert OK_MARKER in page and BAD_MARKER not in page


def test_contains_every_step_and_reason(page: str) -> None:
    report = example_report()
    for step in report["steps"]:
        assert step["name"] in page and step["type"] in page
        for reason in {**step.get("removed", {}), **step.get("errors", {})}:
            assert reason in page


def test_numbers_are_right_aligned_with_separators(page: str) -> None:
    assert '<td class="num">1,000,000</td>' in page
    assert '<td class="num">250,000</td>' in page


def test_reasons_sorted_by_count_with_share_of_step_input(page: str) -> None:
    removed = page[page.index('id="removed"') : page.index('id="errors"')]
    assert removed.index("http_status_404") < removed.index("non_html:application/pdf")
    assert removed.index("too_few_words") < removed.index("too_many_words")
    assert "25.0%" in removed  # 250,000 of the 1,000,000 documents entering length_filter
    errors = page[page.index('id="errors"') :]
    assert "truncated_record" in errors


def test_histogram_has_readable_log_labels_legend_and_tooltips(page: str) -> None:
    chart = parse_svgs(page)[1]  # [0] is the funnel
    texts = [t.text for t in chart.iter(f"{{{SVG_NS}}}text")]
    for label in ("1k", "16k", "1M", "before filters", "after filters", "documents"):
        assert label in texts
    assert any("log-scale" in (t or "") for t in texts)
    tips = [t.text for t in chart.iter(f"{{{SVG_NS}}}title")]
    assert len(tips) == 2 * (len(EDGES) - 1)  # one tooltip per bar, per series
    assert "before filters · [2,048, 4,096): 1,234" in tips


def test_funnel_shows_kept_after_each_step(page: str) -> None:
    funnel = parse_svgs(page)[0]
    tips = [t.text for t in funnel.iter(f"{{{SVG_NS}}}title")]
    assert tips[0] == "input (read): 1,234,567 (100.0%)"
    assert tips[-1] == "length_filter: 600,000 (48.6%)"


def test_counters_grouped_by_prefix(page: str) -> None:
    counters = page[page.index('id="counters"') :]
    assert "<h3>read</h3>" in counters and "<h3>text_stats</h3>" in counters
    assert "charset_source/http_header" in counters and "(ungrouped)" in counters


def test_config_is_pretty_printed(page: str) -> None:
    pre = re.search(r"<pre>(.*?)</pre>", page, flags=re.DOTALL)
    assert pre is not None
    assert "&quot;min_words&quot;: 50" in pre.group(1) and "\n" in pre.group(1)


def test_no_external_references(page: str) -> None:
    assert "http://" not in page.replace(f'xmlns="{SVG_NS}"', "")
    assert "https://" not in page
    for marker in ("<script", "<link", "<img", "src=", "href=", "url(", "@import"):
        assert marker not in page


def test_escapes_malicious_strings() -> None:
    report = example_report()
    report["pipeline"] = MALICIOUS
    report["steps"][2]["name"] = f'evil "step" & {MALICIOUS}'
    report["steps"][2]["removed"][MALICIOUS] = 5
    report["steps"][0]["errors"][MALICIOUS] = 1
    report["counters"][f"x/{MALICIOUS}"] = 1
    report["config"]["note"] = MALICIOUS
    report["histograms"][0]["series"][MALICIOUS] = [1] * (len(EDGES) - 1)
    page = render_html(report)
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert len(parse_svgs(page)) == 3  # escaped names keep the SVG well-formed


def test_control_characters_keep_svg_well_formed() -> None:
    report = example_report()
    report["steps"][0]["name"] = "read\x00\x1b[31m\ud800"
    page = render_html(report)
    assert len(parse_svgs(page)) == 3
    page.encode("utf-8")  # lone surrogates would make writing the file fail


def test_invariant_failure_is_marked() -> None:
    report = example_report()
    report["totals"]["kept"] -= 1
    page = render_html(report)
    assert BAD_MARKER in page and "INVARIANT VIOLATED" in page
    assert "1,234,567 ≠ kept + removed + errors 1,234,566" in page


def test_invariant_flag_from_pipeline_is_respected() -> None:
    report = example_report()
    report["totals"]["invariant_holds"] = False
    page = render_html(report)
    assert BAD_MARKER in page and "INVARIANT VIOLATED" in page


def test_minimal_report_renders() -> None:
    page = render_html({"totals": {"in": 0, "kept": 0, "removed": 0, "errors": 0}, "steps": []})
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert len(parse_svgs(page)) == 1  # the (empty) funnel
    assert OK_MARKER in page and "No steps recorded" in page


def test_degenerate_sections_do_not_break_the_page() -> None:
    report = copy.deepcopy(example_report())
    report["totals"] = {}
    report["input"] = None
    report["wall_seconds"] = "n/a"
    report["steps"].append({"name": "zero", "in": 0, "kept": 0, "removed": {"r": 0}})
    report["histograms"] = [
        {"name": "empty", "series": {}},
        {"name": "zeros", "edges": [0, 1, 2], "series": {"a": [0, 0]}},
        {"name": "bad_edges", "edges": [0, 1], "series": {"a": [1, 2, 3], "b": [4]}},
        "not a histogram",
    ]
    report["counters"] = {"a/b": None}
    report["config"] = {(1, 2): object()}
    page = render_html(report)
    assert len(parse_svgs(page)) == 4
    assert "bucket 2" in page  # mismatched edges fall back to bucket indices
