from collections.abc import Callable

import pytest

from dolmakit.core.document import Document, Removed
from dolmakit.core.steps import Tagger
from dolmakit.engine.config import load_preset
from dolmakit.filters.attribute_filter import AttributeFilter, FilterConfig
from dolmakit.taggers.gopher import (
    GopherQuality,
    GopherQualityConfig,
    GopherRepetition,
    GopherRepetitionConfig,
)

QUALITY = GopherQuality("gopher_quality_v1", GopherQualityConfig())
REPETITION = GopherRepetition("gopher_repetition_v1", GopherRepetitionConfig())
PAPER_QUALITY = GopherQuality(
    "gopher_quality_v1", GopherQualityConfig(**load_preset("gopher_quality_v1", "gopher", "t", ""))
)
PAPER_REPETITION = GopherRepetition(
    "gopher_repetition_v1",
    GopherRepetitionConfig(**load_preset("gopher_repetition_v1", "gopher", "t", "")),
)


def rules(preset: str) -> dict[str, str]:
    return load_preset("filter", preset, "test", "preset")["remove_if"]


def removal(tagger: Tagger, preset: str, text: str, only: str | None = None) -> str | None:
    """The reason the preset (or only its rule `only`) removes the tagged text for, or None."""
    remove_if = rules(preset)
    if only:
        remove_if = {only: remove_if[only]}
    doc = tagger.process(Document(id="d", text=text, source="s"))
    result = AttributeFilter(preset, FilterConfig(remove_if=remove_if)).process(doc)
    return result.reason if isinstance(result, Removed) else None


def score(tagger: Tagger, text: str, key: str) -> float:
    doc = tagger.process(Document(id="d", text=text, source="s"))
    return doc.score(f"{tagger.name}__{key}")


def words(*groups: tuple[str, int]) -> str:
    """The two stop words "the and", then each word repeated its count."""
    return " ".join(["the", "and"] + [word for word, count in groups for _ in range(count)])


def lines(*groups: tuple[str, int]) -> str:
    return "\n".join(line for line, count in groups for _ in range(count))


LINE = "the and word word word word"
QUALITY_CASES = {
    # reason: (text just inside the threshold, text just past it)
    "gopher_short_doc": (words(("word", 48)), words(("word", 47))),
    "gopher_long_doc": (words(("word", 99_998)), words(("word", 99_999))),
    "gopher_below_avg_threshold": (words(("abc", 48)), words(("abc", 47), ("ab", 1))),
    "gopher_above_avg_threshold": (
        words(("k" * 11, 14), ("t" * 10, 34)),  # mean exactly 10
        words(("k" * 11, 15), ("t" * 10, 33)),
    ),
    "gopher_too_many_hashes": (
        words(("word#", 5), ("word", 43)),
        words(("word#", 6), ("word", 42)),
    ),
    "gopher_too_many_ellipsis": (
        words(("word...", 3), ("word…", 2), ("word", 43)),
        words(("word...", 3), ("word…", 3), ("word", 42)),
    ),
    "gopher_too_many_bullets": (
        lines(("- " + LINE, 5), ("•" + LINE, 4), (LINE, 1)),
        lines(("- " + LINE, 5), ("  •" + LINE, 5)),
    ),
    "gopher_too_many_end_ellipsis": (
        lines((LINE + "…", 2), (LINE + "...", 1), (LINE, 7)),
        lines((LINE + "…", 2), (LINE + "...  ", 2), (LINE, 6)),
    ),
    "gopher_below_alpha_threshold": (
        words(("1234", 10), ("word", 38)),
        words(("1234", 11), ("word", 37)),
    ),
    "gopher_too_few_stop_words": (
        "the, (and) " + " ".join(["word"] * 48),
        "the The andy they " + " ".join(["word"] * 46),
    ),
}


@pytest.mark.parametrize("reason", QUALITY_CASES)
def test_gopher_quality_thresholds(reason):
    inside, past = QUALITY_CASES[reason]
    assert removal(QUALITY, "gopher_quality", inside, only=reason) is None
    assert removal(QUALITY, "gopher_quality", past, only=reason) == reason
    assert removal(QUALITY, "gopher_quality", past) == reason  # the first rule it breaks


def quality_scores(tagger: GopherQuality, text: str) -> dict[str, float]:
    doc = tagger.process(Document(id="d", text=text, source="s"))
    assert all(spans == [[0, len(text), spans[0][2]]] for spans in doc.attributes.values())
    return {k.removeprefix("gopher_quality_v1__"): s[0][2] for k, s in doc.attributes.items()}


LITERAL = "The cat sat on the mat, and\n- that is ... all #1\n\n"


def test_gopher_quality_scores_of_a_literal_document_in_whitespace_words():
    scores = quality_scores(PAPER_QUALITY, LITERAL)
    assert scores["words"] == 11  # 13 words, but "-" and "..." are symbols
    assert scores["mean_word_length"] == pytest.approx(32 / 11)
    assert scores["hash_word_ratio"] == pytest.approx(1 / 13)
    assert scores["ellipsis_word_ratio"] == pytest.approx(1 / 13)
    assert scores["bullet_lines_fraction"] == pytest.approx(1 / 3)  # the blank line counts
    assert scores["ellipsis_lines_fraction"] == 0
    assert scores["alpha_words_fraction"] == pytest.approx(10 / 13)  # not "-", "...", "#1"
    assert scores["stop_words"] == 3  # the, and, that


def test_gopher_quality_scores_of_a_literal_document_in_datatrove_words():
    # spaCy: The cat sat on the mat , and - that is ... all # 1 (15 tokens)
    scores = quality_scores(QUALITY, LITERAL)
    assert scores["words"] == 11  # not ",", "-", "...", "#"
    assert scores["mean_word_length"] == pytest.approx(30 / 11)
    assert scores["hash_word_ratio"] == pytest.approx(1 / 15)
    assert scores["ellipsis_word_ratio"] == pytest.approx(1 / 15)
    assert scores["bullet_lines_fraction"] == pytest.approx(1 / 3)
    assert scores["ellipsis_lines_fraction"] == 0
    assert scores["alpha_words_fraction"] == pytest.approx(10 / 15)
    assert scores["stop_words"] == 3


ARTICLE = (
    "The city council voted 7-2 on Tuesday to approve the $1.2 million plan, which "
    "supporters say will fix the town's aging water mains. \"We've waited long enough,\" "
    "said council member Ana Ruiz (D-Ward 3). Opponents weren't convinced: they argued the "
    "cost - about $450 per household - was too high, and that the work should've been "
    "put out to tender first.\n\n"
    "Construction is expected to begin in mid-April and last 18 months. Residents can read "
    "the full proposal at https://example.gov/water-plan or e-mail questions to "
    "info@example.gov before 5 p.m. on Friday."
)
MENU = (
    "Home | About us | Products | Contact\n"
    "» Sign in » Register\n"
    "© 2024 Example Corp. All rights reserved.\n"
    "Privacy Policy · Terms of Use · Cookies\n"
    "#1 #2 #3 ... Next >>"
)
FORUM = (
    "Re: can't get the driver to install?? :(\n"
    "I had the same problem w/ v2.3.1... tried everything!!! Then I found this thread: "
    "www.example.org/forum/t-12345 -- turns out you've gotta uninstall the old one first "
    "(Settings > Apps). Worked for me :) YMMV, but it's worth a shot.\n"
    "EDIT: also, don't forget to reboot - it won't pick up the change 'til you do."
)
PROSE = (
    "The river rises in the northern hills and flows south for about ninety miles before it "
    "reaches the sea. Its valley has been farmed for centuries, and the old stone bridges that "
    "cross it are still in use today. In spring the water runs high with melted snow from the "
    "mountains, and the meadows along its banks turn green and bright with flowers. Fishermen "
    "come from far away to try their luck with the trout that live in its cold, clear pools."
)
# datatrove 0.10.1 on each text (GopherQualityFilter().filter and its spaCy tokens): tokens,
# non-symbol words and their characters, tokens with a letter, distinct stop words, verdict
DATATROVE = {
    "article": (ARTICLE, 117, 96, 444, 89, 4, "gopher_below_alpha_threshold"),
    "menu": (MENU, 39, 27, 113, 20, 1, "gopher_short_doc"),
    "forum": (FORUM, 85, 63, 261, 63, 2, "gopher_below_alpha_threshold"),
    "prose": (PROSE, 89, 82, 354, 82, 5, None),
}


@pytest.mark.parametrize("name", DATATROVE)
def test_gopher_quality_counts_and_decides_as_datatrove(name):
    text, tokens, words, chars, alpha, stop_words, reason = DATATROVE[name]
    scores = quality_scores(QUALITY, text)
    assert scores["words"] == words
    assert scores["mean_word_length"] == pytest.approx(chars / words)
    assert scores["alpha_words_fraction"] == pytest.approx(alpha / tokens)
    assert scores["hash_word_ratio"] == pytest.approx(text.count("#") / tokens)
    assert scores["stop_words"] == stop_words
    assert removal(QUALITY, "gopher_quality", text) == reason


def test_whitespace_words_keep_prose_that_spacy_tokens_drop():
    """The paper's reading counts "mains." as one word with a letter (82 of 90 have one:
    not 7-2, $1.2, 3)., -, $450, -, 18, 5); datatrove counts "." apart, and 89 of 117 tokens
    with a letter is below 0.8."""
    assert quality_scores(PAPER_QUALITY, ARTICLE)["alpha_words_fraction"] == pytest.approx(82 / 90)
    assert removal(PAPER_QUALITY, "gopher_quality", ARTICLE) is None
    assert removal(PAPER_QUALITY, "gopher_quality", FORUM) is None


def test_gopher_repetition_counts_datatrove_ngrams():
    # spaCy: a , b , a , b , a , b; the top 2-gram is ("a", ",") three times, and datatrove
    # measures it joined with a space: len("a ,") * 3
    text = "a, b, a, b, a, b"
    doc = REPETITION.process(Document(id="d", text=text, source="s"))
    assert doc.score("gopher_repetition_v1__top_2_gram_char_fraction") == pytest.approx(
        3 * 3 / len(text)
    )
    paper = PAPER_REPETITION.process(Document(id="d", text=text, source="s"))
    assert paper.score("gopher_repetition_v1__top_2_gram_char_fraction") == pytest.approx(
        2 * 5 / len(text)  # "a, b," twice ("b, a," too, but "a, b," comes first)
    )


def unique(count: int, tag: str = "u") -> list[str]:
    return [f"{tag}{i:05d}" for i in range(count)]


def straddle(make: Callable[[int], str], key: str, threshold: float) -> tuple[str, str]:
    """(make(k), make(k - 1)) for the k where the score, falling as k grows, crosses the
    threshold: the two closest texts on either side of it."""

    def above(k: int) -> bool:
        return score(REPETITION, make(k), key) > threshold

    assert above(0)
    high = 1
    while above(high):
        high *= 2
    low = high // 2
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if above(middle) else (low, middle)
    return make(high), make(low)


LONG = ["a" * 20, "b" * 20, "c" * 20, "d" * 20]  # four words: repeating it repeats no 5-gram


def repeated_unit(separator: str) -> Callable[[int], str]:
    return lambda k: separator.join([" ".join(LONG), " ".join(unique(k)), "x y z", " ".join(LONG)])


def repeated_ngram(gram: list[str], times: int = 10) -> Callable[[int], str]:
    def make(k: int) -> str:
        parts = [word for i in range(times) for word in [*gram, *unique(2, f"s{i}x")]]
        return " ".join(parts + unique(k))

    return make


def repeated_blocks(n: int, blocks: int = 10) -> Callable[[int], str]:
    """Ten different n-word blocks, each twice, between unique words."""

    def make(k: int) -> str:
        block = [[f"b{b}w{i}" for i in range(n)] for b in range(blocks)]
        parts = [w for b in range(2 * blocks) for w in [*block[b % blocks], *unique(1, f"s{b}x")]]
        return " ".join(parts + unique(k))

    return make


STRADDLED = {
    # reason: (how the texts are made, the score, the threshold)
    "gopher_dup_para_char_frac": (repeated_unit("\n\n"), "duplicate_paragraph_char_fraction", 0.2),
    "gopher_dup_line_char_frac": (repeated_unit("\n"), "duplicate_line_char_fraction", 0.2),
    "gopher_top_2_gram": (repeated_ngram(["aaaa", "bbbb"]), "top_2_gram_char_fraction", 0.2),
    "gopher_top_3_gram": (
        repeated_ngram(["aaaa", "bbbb", "cccc"]),
        "top_3_gram_char_fraction",
        0.18,
    ),
    "gopher_top_4_gram": (
        repeated_ngram(["aaaa", "bbbb", "cccc", "dddd"]),
        "top_4_gram_char_fraction",
        0.16,
    ),
    **{
        f"gopher_duplicated_{n}_n_grams": (
            repeated_blocks(n),
            f"duplicate_{n}_gram_char_fraction",
            round(0.2 - n / 100, 2),
        )
        for n in range(5, 11)
    },
}


@pytest.mark.parametrize("reason", STRADDLED)
def test_gopher_repetition_fraction_thresholds(reason):
    make, key, threshold = STRADDLED[reason]
    assert f"> {threshold}" in rules("gopher_repetition")[reason]
    inside, past = straddle(make, key, threshold)
    assert removal(REPETITION, "gopher_repetition", inside, only=reason) is None
    assert removal(REPETITION, "gopher_repetition", past, only=reason) == reason
    assert removal(REPETITION, "gopher_repetition", past) == reason


@pytest.mark.parametrize(
    ("reason", "separator"), [("gopher_dup_para_frac", "\n\n"), ("gopher_dup_line_frac", "\n")]
)
def test_gopher_duplicate_unit_fraction_thresholds(reason, separator):
    def text(uniques: int, repeats: int) -> str:  # ten units, "x" repeated
        units = [" ".join(unique(20, f"p{i}x")) for i in range(uniques)] + ["x"] * repeats
        return separator.join(units[::2] + units[1::2])

    assert removal(REPETITION, "gopher_repetition", text(6, 4), only=reason) is None  # 3 of 10
    assert removal(REPETITION, "gopher_repetition", text(5, 5), only=reason) == reason  # 4 of 10
    assert removal(REPETITION, "gopher_repetition", text(5, 5)) == reason


def test_gopher_repetition_scores_of_a_literal_document():
    text = "a b c\n\na b c\nd e\n"
    doc = REPETITION.process(Document(id="d", text=text, source="s"))
    scores = {k.removeprefix("gopher_repetition_v1__"): s[0][2] for k, s in doc.attributes.items()}
    assert scores["duplicate_paragraph_fraction"] == 0  # "a b c" vs "a b c\nd e"
    assert scores["duplicate_line_fraction"] == pytest.approx(1 / 4)  # a b c|a b c|d e|""
    assert scores["duplicate_line_char_fraction"] == pytest.approx(5 / len(text))
    assert scores["top_2_gram_char_fraction"] == pytest.approx(2 * 3 / len(text))  # "a b" twice
    assert scores["top_3_gram_char_fraction"] == pytest.approx(2 * 5 / len(text))
    assert scores["duplicate_5_gram_char_fraction"] == 0  # 8 words, no 5-gram twice
