"""Presets that name a source do what that source does: which rules each C4 variant has."""

import pytest

from dolmakit.engine.config import load_preset

SHORT_PAGE = "\n".join(f"This is the {n} good line of the page." for n in ("one", "two", "three"))


def rules(preset: str) -> dict[str, str]:
    return load_preset("filter", preset, "test", "preset")["remove_if"]


@pytest.mark.parametrize(
    "preset, expected",
    [
        # TFDS c4_utils: lorem ipsum, curly bracket, bad words, 3 sentences, 190,000 characters
        ("c4_filters", {"c4_too_long_page": "c4_lines_v1__original_chars > 190000",
                        "c4_lorem_ipsum": "c4_quality_v1__lorem_ipsum > 0",
                        "c4_curly_bracket": "c4_quality_v1__curly_bracket > 0",
                        "c4_bad_words": "c4_quality_v1__bad_words > 0",
                        "c4_too_few_sentences": "c4_quality_v1__sentences < 3"}),
        # datatrove: C4QualityFilter (5 sentences) and C4BadWordsFilter
        ("c4_filters_datatrove", {"c4_lorem_ipsum": "c4_quality_v1__lorem_ipsum > 0",
                                  "c4_curly_bracket": "c4_quality_v1__curly_bracket > 0",
                                  "c4_bad_words": "c4_quality_v1__bad_words > 0",
                                  "c4_too_few_sentences": "c4_quality_v1__sentences < 5"}),
        # FineWeb: C4QualityFilter only, no bad words
        ("c4_filters_fineweb", {"c4_lorem_ipsum": "c4_quality_v1__lorem_ipsum > 0",
                                "c4_curly_bracket": "c4_quality_v1__curly_bracket > 0",
                                "c4_too_few_sentences": "c4_quality_v1__sentences < 5"}),
        # Dolma's c4_v1 page flags: no sentence count, no length limit
        ("c4_filters_dolma", {"c4_lorem_ipsum": "c4_quality_v1__lorem_ipsum > 0",
                              "c4_curly_bracket": "c4_quality_v1__curly_bracket > 0",
                              "c4_bad_words": "c4_quality_v1__bad_words > 0"}),
    ],
)  # fmt: skip
def test_each_c4_variant_has_its_sources_page_rules(preset, expected):
    assert rules(preset) == expected


def test_fineweb_c4_keeps_a_page_with_a_bad_word(tmp_path):
    from dolmakit.core.document import Document, Removed
    from dolmakit.filters.attribute_filter import AttributeFilter, FilterConfig
    from dolmakit.filters.c4_lines import C4Lines, C4LinesConfig
    from dolmakit.taggers.c4 import C4Quality, C4QualityConfig

    words = tmp_path / "words.txt"
    words.write_text("naughty\n")
    text = SHORT_PAGE + "\nA naughty word is in this line.\nAnd a fifth line is here."
    verdicts = {}
    for preset in ("c4_filters_datatrove", "c4_filters_fineweb"):
        doc = Document(id="d", text=text, source="s")
        lines = C4LinesConfig(**load_preset("c4_lines_v1", "fineweb", "t", "k"))
        doc = C4Lines("c4_lines_v1", lines).process(doc)
        doc = C4Quality("c4_quality_v1", C4QualityConfig(bad_words_file=str(words))).process(doc)
        result = AttributeFilter(preset, FilterConfig(remove_if=rules(preset))).process(doc)
        verdicts[preset] = result.reason if isinstance(result, Removed) else "kept"
    assert verdicts == {"c4_filters_datatrove": "c4_bad_words", "c4_filters_fineweb": "kept"}
