from dolmakit.report.build import build_report
from dolmakit.report.html import render_html

COUNTERS = {
    "step/read/in": 10,
    "step/read/kept": 7,
    "step/read/removed/http_status_404": 2,
    "step/read/error/truncated_record": 1,
    "step/lang/in": 7,
    "step/lang/kept": 5,
    "step/lang/removed/language_de": 2,
    "lang/language/en": 5,
    "lang/language/de": 2,
    "read/files": 3,
    "hist/text_chars/before steps/3": 7,
    "hist/text_chars/after steps/3": 5,
}


def test_totals_invariant_and_sections():
    report = build_report(COUNTERS, [("read", "read"), ("lang", "language_id_v1")], wall_seconds=2)
    assert report["totals"] == {"in": 10, "kept": 5, "removed": 4, "errors": 1,
                                "invariant_holds": True}  # fmt: skip
    assert report["steps"][1]["removed"] == {"language_de": 2}
    assert report["bars"] == [{"title": "lang/language", "counts": {"en": 5, "de": 2}}]
    (histogram,) = report["histograms"]
    # trimmed to the buckets with data: bucket 3 holds lengths 4 to 7
    assert histogram["series"] == {"before steps": [7], "after steps": [5]}
    assert histogram["edges"] == [4.0, 8.0]
    assert report["counters"] == {"lang/language/de": 2, "lang/language/en": 5, "read/files": 3}
    html = render_html(report)
    assert "Breakdowns" in html and "lang/language" in html


def test_invariant_broken_when_counts_do_not_add_up():
    counters = {**COUNTERS, "step/lang/kept": 6}
    report = build_report(counters, [("read", "read"), ("lang", "language_id_v1")])
    assert report["totals"]["invariant_holds"] is False
