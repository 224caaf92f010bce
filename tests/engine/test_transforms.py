"""The Beam transforms on their own, with TestPipeline and assert_that."""

from __future__ import annotations

import apache_beam as beam
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from dolmakit.core.document import Document, Removed
from dolmakit.core.routing import ERRORS, REMOVED
from dolmakit.core.steps import Step
from dolmakit.engine.transforms import ApplySteps


class DropOdd(Step):
    """Removes documents with an odd number in their text, fails on 'boom'."""

    type_name = "drop_odd_test"

    def process(self, doc: Document) -> Document | Removed:
        if doc.text == "boom":
            raise RuntimeError("kaboom")
        return Removed(doc, self.name, "odd") if int(doc.text) % 2 else doc


def test_apply_step_routes_kept_removed_and_errors():
    docs = [Document(id=str(i), text=str(i), source="t") for i in range(5)]
    docs.append(Document(id="x", text="boom", source="t"))
    with TestPipeline() as pipeline:
        outputs = pipeline | beam.Create(docs) | ApplySteps([DropOdd("drop_odd", None)])
        kept = outputs.kept | "kept ids" >> beam.Map(lambda doc: doc.id)
        removed = outputs[REMOVED] | "removed" >> beam.Map(lambda r: (r.doc.id, r.step, r.reason))
        errors = outputs[ERRORS] | "errors" >> beam.Map(lambda e: (e.location["id"], e.cause))
        assert_that(kept, equal_to(["0", "2", "4"]), label="kept")
        expected = [("1", "drop_odd", "odd"), ("3", "drop_odd", "odd")]
        assert_that(removed, equal_to(expected), label="removed")
        assert_that(errors, equal_to([("x", "RuntimeError: kaboom")]), label="errors")


class CountLetters(Step):
    """Counts documents by first letter and observes text lengths."""

    type_name = "count_letters_test"

    def process(self, doc: Document) -> Document:
        self.stats[f"first/{doc.text[0]}"] += 1
        self.observe("test_lengths", len(doc.text))
        return doc


def test_step_stats_become_counters_and_histograms(tmp_path):
    from dolmakit.report.build import build_report, counters_of

    docs = [Document(id=str(i), text="ab" * i + "x", source="t") for i in range(1, 6)]
    pipeline = TestPipeline()
    _ = pipeline | beam.Create(docs) | ApplySteps([CountLetters("letters", None)])
    counters = counters_of(pipeline.run())
    assert counters["letters/first/a"] == 5
    report = build_report(counters, [("letters", "count_letters_test")], wall_seconds=1.0)
    (histogram,) = report["histograms"]
    assert histogram["name"] == "test_lengths"
    assert sum(histogram["series"]["all"]) == 5
    # lengths 3 to 11: buckets [2, 4), [4, 8), [8, 16), from the first with data
    assert histogram["edges"] == [2.0, 4.0, 8.0, 16.0]
    assert report["counters"]["letters/first/a"] == 5


def test_consecutive_steps_share_a_dofn_but_are_counted_apart():
    from dolmakit.report.build import counters_of

    docs = [Document(id=str(i), text=str(i), source="t") for i in range(6)]
    pipeline = TestPipeline()
    _ = pipeline | beam.Create(docs) | ApplySteps([CountLetters("letters", None),
                                                   DropOdd("drop_odd", None)])  # fmt: skip
    counters = counters_of(pipeline.run())
    assert counters["step/letters/in"] == counters["step/letters/kept"] == 6
    assert counters["step/drop_odd/in"] == 6 and counters["step/drop_odd/kept"] == 3
    assert counters["step/drop_odd/removed/odd"] == 3
