import apache_beam as beam
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from dedup.dedup_helpers import doc, run_step
from dolmakit.core.routing import REMOVED
from dolmakit.core.steps import fused
from dolmakit.dedup.exact import ExactDedup, ExactDedupConfig
from dolmakit.dedup.exact_lines import ExactThenLineDedup
from dolmakit.dedup.lines import LineDedup, LineDedupConfig

EXACT = ExactDedup("exact", ExactDedupConfig())
LINES = LineDedup("lines", LineDedupConfig(min_chars=5))

DOCS = [
    doc("1", "Welcome to our site\nA first article line\nCookie policy", "2020"),
    doc("2", "welcome TO our site\na first article line\ncookie   policy", "2021"),  # exact of 1
    # the same words as 1 broken into other lines: exact_dedup removes it; had its lines counted,
    # "welcome to" below would be a second occurrence in 4
    doc("3", "Welcome to\nour site A first article\nline Cookie policy", "2022"),
    doc("4", "Welcome to\nSomething new here\nCookie policy", "2023"),
    doc("5", "Cookie policy", "2024"),
    doc("1", "Welcome to our site\nA first article line\nCookie policy", "2020"),  # read twice
]
KEPT = [("1", "Welcome to our site\nA first article line\nCookie policy"),
        ("4", "Welcome to\nSomething new here")]  # fmt: skip
REMOVED_ROWS = [("2", "exact_duplicate", "1"), ("3", "exact_duplicate", "1"),
                ("1", "exact_duplicate", "1"), ("5", "line_dedup_too_short", None)]  # fmt: skip


def test_adjacent_exact_and_line_dedup_fuse():
    assert isinstance(fused(EXACT, LINES), ExactThenLineDedup)
    assert fused(LINES, EXACT) is None
    assert fused(EXACT, EXACT) is None


def test_fused_gives_what_the_two_steps_give_in_sequence():
    run_step(ExactThenLineDedup(EXACT, LINES), DOCS, kept=KEPT, removed=REMOVED_ROWS)
    with TestPipeline() as pipeline:
        first = pipeline | beam.Create(DOCS) | "exact" >> EXACT.transform()
        second = first.kept | "lines" >> LINES.transform()
        removed = (first[REMOVED], second[REMOVED]) | beam.Flatten()
        rows = removed | beam.Map(
            lambda r: (r.doc.id, r.reason, r.doc.metadata.get("duplicate_of"))
        )
        assert_that(second.kept | beam.Map(lambda d: (d.id, d.text)), equal_to(KEPT), label="kept")
        assert_that(rows, equal_to(REMOVED_ROWS), label="removed")
