"""Span replacement (Dolma's mixer `span_replacement`): which spans are replaced, by what, and
what becomes of a document it empties or cannot read."""

from __future__ import annotations

from pathlib import Path

import pytest

from dolmakit.core.document import Document, ErrorRecord, Removed
from dolmakit.mix.config import SourceSpec, SpanReplacementSpec, resolve_mix
from dolmakit.mix.read import EMPTIED, SourceRules
from dolmakit.mix.spans import Replacement, SpanError, SpanReplacer, replace_spans

TEXT = "0123456789"


@pytest.mark.parametrize(
    ("replacements", "expected"),
    [
        ([], TEXT),
        ([(2, 4, "")], "01456789"),
        ([(2, 4, "<{}>")], "01<23>456789"),  # {} stands for the replaced text
        ([(6, 8, "b"), (2, 4, "a")], "01a45b89"),  # any order given
        ([(2, 4, "a"), (4, 6, "b")], "01ab6789"),  # adjacent: each replaced
        ([(2, 6, "a"), (4, 8, "b")], "01a89"),  # overlapping: their union, by the first
        ([(2, 8, "a"), (3, 5, "b")], "01a89"),  # nested: the outer one
        ([(2, 4, "a"), (2, 6, "b")], "01a6789"),  # same start: the first given, to the end
        ([(2, 6, "[{}]"), (4, 8, "")], "01[234567]89"),  # {} is the whole union
        ([(8, 15, "x")], "01234567x"),  # past the end: clipped
        ([(-3, 2, "x")], "x23456789"),  # before the start: clipped
        ([(10, 12, "x"), (4, 4, "y"), (6, 5, "z")], TEXT),  # over no character: nothing
    ],
)
def test_replace_spans(replacements, expected):
    assert replace_spans(TEXT, [Replacement(*r) for r in replacements]) == expected


def test_offsets_are_characters_not_bytes():
    assert replace_spans("été à Paris", [Replacement(4, 6, "en ")]) == "été en Paris"


def doc(**attributes) -> Document:
    return Document("d", TEXT, "web", attributes=attributes)


def replacer(**spec) -> SpanReplacer:
    return SpanReplacer(SpanReplacementSpec(**{"span": "$.attributes.dup", **spec}))


def test_scores_from_min_score_inclusive_to_max_score_exclusive():
    spans = {"dup": [[0, 1, 0.2], [1, 2, 0.5], [2, 3, 0.9], [3, 4, 1.0]]}
    found = replacer(replacement="x", min_score=0.5, max_score=1.0).replacements(doc(**spans))
    assert found == [Replacement(1, 2, "x"), Replacement(2, 3, "x")]
    assert len(replacer(replacement="").replacements(doc(**spans))) == 4  # no bounds: every one


def test_the_attribute_is_found_by_any_of_its_spellings(tmp_path: Path):
    paths = ["$.attributes.line_dedup__duplicate_lines", ".attributes.line_dedup__duplicate_lines",
             "line_dedup__duplicate_lines"]  # fmt: skip
    replacements = [{"span": path, "replacement": ""} for path in paths]
    source = {"name": "web", "paths": ["x"], "proportion": 1.0, "span_replacement": replacements}
    mix = resolve_mix({"name": "m", "tokenizer": "whitespace", "output": str(tmp_path),
                       "budget_tokens": 10, "sources": [source]}, "m.yaml")  # fmt: skip
    named = {spec.attribute for spec in mix.config.sources[0].span_replacement}
    assert named == {"line_dedup__duplicate_lines"}


def test_a_document_without_the_attribute_has_nothing_replaced():
    assert replacer(replacement="").replacements(doc(other=[[0, 10, 1.0]])) == []


@pytest.mark.parametrize("spans", [[[0, 1]], [["0", 1, 1.0]], [[0.5, 1, 1.0]], [[0, 1, True]],
                                   {"start": 0}])  # fmt: skip
def test_a_span_that_is_not_start_end_score_is_an_error(spans):
    with pytest.raises(SpanError, match="dup"):
        replacer(replacement="").replacements(doc(dup=spans))


def test_whole_number_float_offsets_are_offsets():
    assert replacer(replacement="").replacements(doc(dup=[[2.0, 4.0, 1]])) == [
        Replacement(2, 4, "")
    ]


def rules(**source) -> SourceRules:
    spec = SourceSpec("web", ["x"], proportion=1.0, **source)
    return SourceRules.of(spec)


def test_rules_judge_the_document_before_its_spans_are_replaced():
    edit = [SpanReplacementSpec("dup", "", min_score=0.5)]
    judge = rules(exclude=["dup > 0.5"], span_replacement=edit).judge
    spans = [[0, 3, 0.4], [5, 10, 1.0]]
    kept = judge(doc(dup=spans), "web", "f.jsonl")
    assert (type(kept), kept.text, kept.attributes) == (Document, "01234", {"dup": spans})
    # the rule sees the whole text's score first: removed by it, not emptied
    removed = judge(doc(dup=[[0, 10, 1.0]]), "web", "f.jsonl")
    assert (type(removed), removed.reason) == (Removed, "exclude: dup > 0.5")
    untouched = judge(doc(), "web", "f.jsonl")
    assert (type(untouched), untouched.text) == (Document, TEXT)


def test_a_document_left_with_only_whitespace_is_removed_with_a_reason():
    judge = rules(span_replacement=[SpanReplacementSpec("dup", " \n")]).judge
    removed = judge(doc(dup=[[0, 4, 1.0], [4, 10, 1.0]]), "web", "f.jsonl")
    assert (type(removed), removed.step, removed.reason) == (Removed, "web", EMPTIED)
    assert removed.doc.text == TEXT  # the document as it was read


def test_a_malformed_span_makes_an_error_record():
    judge = rules(span_replacement=[SpanReplacementSpec("dup", "")]).judge
    error = judge(doc(dup=[[0, "end", 1.0]]), "web", "f.jsonl")
    assert isinstance(error, ErrorRecord)
    assert (error.step, error.kind, error.location) == ("web", "bad_span",
                                                        {"file": "f.jsonl", "id": "d"})  # fmt: skip
