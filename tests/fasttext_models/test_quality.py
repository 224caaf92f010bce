"""The quality classifier's text preparation, shared by training and the tagger."""

import time

from dolmakit.fasttext_models.quality import prepare_text


def test_prepare_text_is_one_normalized_line():
    text = "The  Senate met.\n\nIt voted 52-48 (see https://x.org/a?b=1, or mail me@x.com)!"
    assert prepare_text(text) == "the senate met . it voted 00 - 00 ( see , or mail ) !"


def test_prepare_text_drops_list_markers_and_accents():
    assert (
        prepare_text("• Café au lait\n  - crème brûlée\n1. thé") == "cafe au lait creme brulee the"
    )


def test_prepare_text_keeps_the_first_max_tokens():
    assert prepare_text("word " * 5000).split() == ["word"] * 1000
    assert prepare_text("a b c d", max_tokens=2) == "a b"


def test_prepare_text_is_fast_on_huge_and_odd_texts():
    started = time.perf_counter()
    assert len(prepare_text("x" * 10_000_000 + " tail").split()) == 1
    assert time.perf_counter() - started < 1.0
    assert prepare_text("") == prepare_text(" \n\t ") == ""
    assert prepare_text("lone \ud800 surrogate") == "lone ? surrogate"
