"""Marks on the report's histograms: CCNet's head/middle/tail cutoffs on the perplexity one."""

from __future__ import annotations

import re

from dolmakit.report.build import build_report
from dolmakit.report.svg import histogram_svg, mark_x
from dolmakit.taggers.perplexity import cutoff_marks

# a run's resolved config with the perplexity step on the bundled model (cutoffs.json: the
# 30th and 60th percentiles of 405 English web pages, 272.6 and 324.4)
CONFIG = {"steps": [{"type": "ccnet_perplexity_v1", "name": "ccnet_perplexity_v1", "preset": None,
                     "config": {"models": "default", "cutoffs": "models"}}]}  # fmt: skip
# perplexity buckets are quarter octaves: bucket 33 holds [2**8, 2**8.25) = [256, 304.4)
COUNTERS = {"hist/perplexity/en/33": 3, "hist/perplexity/en/35": 1}
DASHED = re.compile(r'<line x1="([\d.]+)"[^>]*stroke-dasharray="4 3"><title>([^<]*)</title>')


def perplexity_histogram() -> dict:
    (histogram,) = build_report(COUNTERS, [("read", "read")], config=CONFIG)["histograms"]
    return histogram


def test_the_perplexity_step_marks_its_models_cutoffs():
    assert cutoff_marks(CONFIG) == {"en": [("head | middle", 272.6), ("middle | tail", 324.4)]}
    assert cutoff_marks({"steps": [{**CONFIG["steps"][0], "config": {"cutoffs": "ccnet"}}]}) == {
        "en": [("head | middle", 340.0), ("middle | tail", 520.0)]
    }
    assert cutoff_marks({"steps": [{"type": "pii_v1", "config": {}}]}) == {}


def test_the_report_histogram_carries_the_cutoffs():
    histogram = perplexity_histogram()
    assert histogram["edges"] == [256.0, 304.437, 362.039, 430.539]
    assert histogram["series"] == {"en": [3, 0, 1]}
    assert histogram["marks"] == [
        {"series": "en", "label": "head | middle", "value": 272.6},
        {"series": "en", "label": "middle | tail", "value": 324.4},
    ]


def test_cutoffs_are_drawn_where_they_fall_on_the_log_axis():
    histogram = perplexity_histogram()
    # 3 slots of 680 / 3 px from x = 64; 272.8 is ln(272.8 / 256) / ln(304.437 / 256) = 0.367
    # of the way through the first, 324.5 is 0.455 of the way through the second
    assert round(mark_x(histogram["edges"], 272.8), 1) == 147.1
    assert round(mark_x(histogram["edges"], 324.5), 1) == 374.1
    assert mark_x(histogram["edges"], 500.0) is None  # past the last edge: not drawn
    assert DASHED.findall(histogram_svg(histogram)) == [  # the shipped model's cutoffs
        ("146.2", "head | middle 272.60"),
        ("373.7", "middle | tail 324.40"),
    ]


def test_a_histogram_without_marks_draws_no_line_and_several_series_name_theirs():
    histogram = perplexity_histogram()
    assert DASHED.findall(histogram_svg({**histogram, "marks": []})) == []
    two = {**histogram, "series": {"en": [3, 0, 1], "de": [0, 1, 0]}}
    assert [title for _, title in DASHED.findall(histogram_svg(two))] == [
        "en head | middle 272.60",
        "en middle | tail 324.40",
    ]


def test_a_bucket_from_zero_places_marks_linearly():
    assert mark_x([0.0, 1.0, 2.0], 0.5) == 64 + 0.5 * 340
