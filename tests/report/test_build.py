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


def runner_counters(steps, docs) -> dict[str, int]:
    """What the runner's counters hold after `steps` ran over `docs`: histograms as they are,
    a step's other stats under its name (engine/transforms.py drains them so)."""
    counters: dict[str, int] = {}
    for doc in docs:
        for step in steps:
            doc = step.process(doc)
    for step in steps:
        for key, n in step.stats.items():
            name = key if key.startswith("hist/") else f"{step.name}/{key}"
            counters[name] = counters.get(name, 0) + n
    return counters


PII_DOCS = ["Mail a@example.com or b@example.org today", "Nothing personal here"]


def test_pii_spans_are_counted_once_per_document_when_tagged_then_masked():
    from dolmakit.core.document import Document
    from dolmakit.filters.pii_mask import PiiMask, PiiMaskConfig
    from dolmakit.taggers.pii import PiiConfig, PiiTagger

    docs = [Document(id=str(i), text=text, source="s") for i, text in enumerate(PII_DOCS)]
    steps = [PiiTagger("pii_v1", PiiConfig()), PiiMask("pii_mask_v1", PiiMaskConfig())]
    report = build_report(runner_counters(steps, docs), [("read", "read")])
    (histogram,) = report["histograms"]
    # two documents: one with no span (bucket 0), one with two (bucket 2: [2, 4))
    assert histogram["name"] == "pii_spans"
    assert histogram["series"] == {"all": [1, 0, 1]}
    assert histogram["edges"] == [0.0, 1.0, 2.0, 4.0]


def test_pii_mask_alone_counts_the_documents_it_tags_once():
    from dolmakit.core.document import Document
    from dolmakit.filters.pii_mask import PiiMask, PiiMaskConfig

    docs = [Document(id=str(i), text=text, source="s") for i, text in enumerate(PII_DOCS)]
    report = build_report(runner_counters([PiiMask("mask", PiiMaskConfig())], docs),
                          [("read", "read")])  # fmt: skip
    assert report["histograms"][0]["series"] == {"all": [1, 0, 1]}


def test_a_run_that_keeps_nothing_warns():
    counters = {**COUNTERS, "step/lang/kept": 0, "step/lang/removed/language_de": 7}
    report = build_report(counters, [("read", "read"), ("lang", "language_id_v1")])
    assert report["totals"]["kept"] == 0 and report["totals"]["invariant_holds"]
    assert report["warnings"] == [
        "no document kept: all 10 were removed (9) or errors (1); the report's removal "
        "reasons say by which step"
    ]
    assert "<h2>Warnings</h2>" in render_html(report)


def test_a_run_that_reads_nothing_warns_and_one_that_keeps_some_does_not():
    empty = build_report({}, [("read", "read")])
    assert empty["warnings"] == ["no record was read: check the input paths and their format"]
    assert build_report(COUNTERS, [("read", "read"), ("lang", "x")])["warnings"] == []
    assert "<h2>Warnings</h2>" not in render_html(build_report(COUNTERS, [("read", "read")]))


def test_histogram_marks_come_from_the_spec_and_the_run_config():
    from dolmakit.core.histograms import HISTOGRAMS, register_histogram

    def marks(config: dict) -> dict[str, list[tuple[str, float]]]:
        return {"en": [("cut", config["cut"])], "fr": [("cut", 9.0)]}

    register_histogram("test_marked", "Marked", marks=marks)
    try:
        counters = {"hist/test_marked/en/3": 2}
        report = build_report(counters, [("read", "read")], config={"cut": 5.5})
    finally:
        del HISTOGRAMS["test_marked"]
    # only the series the histogram has: no French documents, no French mark
    assert report["histograms"][0]["marks"] == [{"series": "en", "label": "cut", "value": 5.5}]
