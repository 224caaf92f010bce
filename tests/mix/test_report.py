"""The mix report's warnings and the table `dolmakit mix` prints."""

from __future__ import annotations

from dolmakit.cli.mix import format_table
from dolmakit.mix.report import mix_warnings


def row(source: str, planned: float, realized: float, held_out: int, tokens: int = 100) -> dict:
    return {"source": source, "proportion": {"planned": planned, "realized": realized},
            "epochs": {"planned": 1.0, "realized": 1.0}, "tokens": tokens,
            "source_documents": 3, "source_tokens": 17_174, "size_on_disk": 8_563,
            "held_out": {"documents": held_out, "tokens": 10 * held_out}}  # fmt: skip


def report(rows: list[dict], held_out_fraction: float = 0.1) -> dict:
    return {"mix": rows, "budget_tokens": {"planned": 6000, "realized": 5970}, "output": "out/m",
            "warnings": mix_warnings(rows, held_out_fraction)}  # fmt: skip


def test_a_source_far_below_its_plan_is_named():
    rows = [row("web", 0.955, 1.0, 2), row("books", 0.045, 0.0, 1)]
    assert mix_warnings(rows, 0.1) == [
        "source 'books' is 0.00% of the training tokens, planned 4.50%: its 3 training "
        "documents (17,174 tokens) are too few or too long for this budget to sample that "
        "share finely; a larger budget or more documents come closer"
    ]


def test_half_the_plan_is_the_line():
    assert mix_warnings([row("a", 0.5, 0.25, 1), row("b", 0.5, 0.75, 1)], 0.1) == []
    assert len(mix_warnings([row("a", 0.5, 0.2499, 1), row("b", 0.5, 0.7501, 1)], 0.1)) == 1


def test_sources_holding_out_nothing_are_named_when_the_mix_holds_out():
    rows = [row("web", 0.5, 0.5, 0), row("wiki", 0.5, 0.5, 4), row("code", 0.0, 0.0, 0)]
    assert mix_warnings(rows, 0.1) == [
        "no document held out of 'web', 'code' (held_out_fraction 0.1): too few documents "
        "for that fraction, so training on this mix measures no held-out loss on them"
    ]
    assert mix_warnings(rows, 0.0) == []  # asked for none: nothing to say


def test_the_table_names_only_held_out_folders_that_exist_and_prints_the_warnings():
    nothing = format_table(report([row("web", 1.0, 1.0, 0, 2980)]))
    assert nothing.splitlines()[-3:] == [
        "shards: out/m/train/  held out: none",
        "report: out/m/report.json  out/m/report.html",
        "WARNING: no document held out of 'web' (held_out_fraction 0.1): too few documents for "
        "that fraction, so training on this mix measures no held-out loss on them",
    ]
    some = format_table(report([row("web", 0.5, 0.5, 0), row("wiki", 0.5, 0.5, 2)]))
    assert "shards: out/m/train/  held out: out/m/heldout/wiki/" in some.splitlines()
    every = format_table(report([row("web", 0.5, 0.5, 1), row("wiki", 0.5, 0.5, 2)]))
    assert "shards: out/m/train/  held out: out/m/heldout/" in every.splitlines()
    assert "WARNING" not in every
    staged = format_table(report([row("web", 1.0, 1.0, 1)]), "out/m/_incomplete-x")
    assert staged.splitlines()[-2:] == [
        "shards: out/m/_incomplete-x/train/  held out: out/m/_incomplete-x/heldout/",
        "report: out/m/_incomplete-x/report.json  out/m/_incomplete-x/report.html",
    ]  # an unpublished mix's files are in its staging folder
