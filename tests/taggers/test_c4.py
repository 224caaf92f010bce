"""c4_quality_v1 and C4's page rules, on text cleaned by c4_lines_v1 as C4 cleans it."""

import pytest

from dolmakit.core.document import Document, Removed
from dolmakit.core.errors import ConfigError
from dolmakit.engine.config import load_preset
from dolmakit.filters.attribute_filter import AttributeFilter, FilterConfig
from dolmakit.filters.c4_lines import C4Lines, C4LinesConfig
from dolmakit.taggers.c4 import C4Quality, C4QualityConfig

GOOD = "\n".join(f"This is the {n} good line of the page." for n in ("first", "second", "third"))


def lines_step(preset: str = "c4") -> C4Lines:
    return C4Lines("c4_lines_v1", C4LinesConfig(**load_preset("c4_lines_v1", preset, "t", "k")))


def c4_removal(text: str, lines: str = "c4", filters: str = "c4_filters", **quality) -> str | None:
    """Runs c4_lines_v1, c4_quality_v1 and the filter preset; the reason or None when kept."""
    doc = Document(id="d", text=text, source="s")
    steps = [
        lines_step(lines),
        C4Quality("c4_quality_v1", C4QualityConfig(**quality)),
        AttributeFilter(filters, FilterConfig(**load_preset("filter", filters, "t", "k"))),
    ]
    for step in steps:
        doc = step.process(doc)
        if isinstance(doc, Removed):
            return doc.reason
    return None


def test_c4_sentence_threshold_on_both_sides():
    assert c4_removal(GOOD) is None
    assert c4_removal(GOOD.rsplit("\n", 1)[0]) == "c4_too_few_sentences"
    two_in_one = "Dr. Smith went to the U.S. in May. He stayed for a week."  # Punkt: 2
    assert c4_removal(two_in_one + "\nThe end of this page is here.") is None
    assert c4_removal("Dr. Smith went to the U.S. in May today.\nThe end is here now.") == (
        "c4_too_few_sentences"
    )


def test_datatrove_needs_five_sentences():
    five = GOOD + "\nA fourth line is here.\nA fifth line.\n"
    assert c4_removal(five, "datatrove", "c4_filters_datatrove") is None
    assert c4_removal(GOOD + "\nA fourth line is here.", "datatrove", "c4_filters_datatrove") == (
        "c4_too_few_sentences"
    )


def test_c4_page_level_rules():
    assert c4_removal(GOOD + "\nLorem Ipsum dolor sit amet, etc.") == "c4_lorem_ipsum"
    assert c4_removal(GOOD + "\nlorem ipsum") is None  # a dropped line does not count
    assert c4_removal(GOOD + "\nThe code says {x: 1} right here.") == "c4_curly_bracket"
    assert c4_removal(GOOD + "\nEnable javascript to see {this} thing.") is None


def test_c4_page_length_threshold():
    padding = "\npadding without an end mark"
    for chars, reason in ((190_000, None), (190_001, "c4_too_long_page")):
        text = GOOD + padding * ((chars - len(GOOD)) // len(padding))
        text += "x" * (chars - len(text))
        assert len(text) == chars
        assert c4_removal(text) == reason


def test_c4_bad_words(tmp_path):
    words = tmp_path / "en.txt"
    words.write_text("badword\nnaughty phrase\n\n")
    found = GOOD + "\nSomeone wrote BadWord, here it is."
    assert c4_removal(found, bad_words_file=str(words)) == "c4_bad_words"
    assert c4_removal(GOOD + "\nA naughty phrase is here.", bad_words_file=str(words)) == (
        "c4_bad_words"
    )
    inside = GOOD + "\nThe badwords list is long here."
    assert c4_removal(inside, bad_words_file=str(words)) is None  # whole words only
    assert c4_removal(inside, bad_words_file=str(words), bad_words_anywhere=True) == (
        "c4_bad_words"
    )
    assert c4_removal(found, bad_words_file=None) is None  # no list, no rule
    doc = C4Quality("q", C4QualityConfig(bad_words_file=str(words))).process(
        Document(id="d", text="badword badword, (badword)", source="s")
    )
    assert doc.score("q__bad_words") == 3


def bad_words(text: str, **settings) -> tuple[float, dict]:
    step = C4Quality("q", C4QualityConfig(**settings))
    doc = step.process(Document(id="d", text=text, source="s"))
    return doc.score("q__bad_words"), dict(step.stats)


def test_the_bundled_ldnoobw_list_is_on_by_default():
    assert bad_words("They said arsch and 2g1c, twice 2g1c.") == (2, {})
    assert bad_words("Er sagte arsch.", language="de") == (1, {})


def test_auto_takes_each_documents_best_language():
    text = "Er sagte arsch, she said 2g1c."
    german = {"lid__de": [[0, 30, 0.8]], "lid__en": [[0, 30, 0.1]],
              "lid__paragraph_en": [[0, 30, 0.99]]}  # fmt: skip
    step = C4Quality("q", C4QualityConfig(language="auto", language_attribute="lid"))
    for attributes, expected in ((german, 1), ({"lid__en": [[0, 30, 0.9]]}, 1), ({}, 0)):
        doc = Document(id="d", text=text, source="s", attributes=attributes)
        assert step.process(doc).score("q__bad_words") == expected
    unlisted = Document(id="d", text=text, source="s", attributes={"lid__xx": [[0, 30, 1.0]]})
    assert step.process(unlisted).score("q__bad_words") == 0
    assert dict(step.stats) == {"no_bad_words_list/unknown": 1, "no_bad_words_list/xx": 1}


def test_japanese_bad_words_match_anywhere_as_in_c4():
    assert bad_words("これは3pです", language="ja") == (1, {})
    assert bad_words("これは3pです", language="ja", bad_words_anywhere=False) == (0, {})


def test_c4_quality_scores_of_a_literal_document():
    text = "One. Two sentences here!\n\nLorem ipsum {x}"
    doc = C4Quality("c4_quality_v1", C4QualityConfig()).process(
        Document(id="d", text=text, source="s")
    )
    scores = {k.removeprefix("c4_quality_v1__"): s[0][2] for k, s in doc.attributes.items()}
    assert scores == {"lorem_ipsum": 1, "curly_bracket": 1, "bad_words": 0, "sentences": 3,
                      "chars": len(text)}  # fmt: skip


def test_c4_config_errors(tmp_path):
    with pytest.raises(ConfigError, match="unknown sentence_model 'klingon'"):
        C4Quality("q", C4QualityConfig(sentence_model="klingon"))
    with pytest.raises(ConfigError, match="does not exist"):
        C4Quality("q", C4QualityConfig(bad_words_file=str(tmp_path / "missing.txt")))
