import pytest

from dolmakit.core.document import Document, Removed
from dolmakit.engine.config import load_preset
from dolmakit.filters.attribute_filter import AttributeFilter, FilterConfig
from dolmakit.filters.c4_lines import C4Lines, C4LinesConfig
from dolmakit.taggers.c4 import C4Quality, C4QualityConfig
from dolmakit.taggers.fineweb import FineWebQuality, FineWebQualityConfig
from dolmakit.taggers.gopher import (
    GopherQuality,
    GopherQualityConfig,
    GopherRepetition,
    GopherRepetitionConfig,
)

TAGGER = FineWebQuality("fineweb_quality_v1", FineWebQualityConfig())


def rules(preset: str) -> dict[str, str]:
    return load_preset("filter", preset, "test", "preset")["remove_if"]


def removal(text: str, only: str | None = None) -> str | None:
    remove_if = rules("fineweb_quality")
    if only:
        remove_if = {only: remove_if[only]}
    doc = TAGGER.process(Document(id="d", text=text, source="s"))
    result = AttributeFilter("fineweb", FilterConfig(remove_if=remove_if)).process(doc)
    return result.reason if isinstance(result, Removed) else None


def line(i: int, end: str = ".", words: int = 6) -> str:
    """A unique line of `words` words, over 30 characters."""
    return " ".join([f"line{i:04d}", *["word"] * (words - 2), f"tail{i:04d}"]) + end


def text(*groups: tuple[int, str, int]) -> str:
    """Lines in groups of (count, end mark, words per line), all different."""
    made, i = [], 0
    for count, end, words in groups:
        for _ in range(count):
            made.append(line(i, end, words))
            i += 1
    return "\n".join(made)


SHORT = [f"short {i:03d}." for i in range(100)]  # 10 characters
LIST = [f"lengthy{i:04d} alongside{i:04d} item{i:04d}." for i in range(30)]  # 3 words, 36 chars
CASES = {
    # reason: (text just inside the threshold, text just past it)
    "fineweb_line_punct_ratio": (text((12, ".", 6), (88, "", 6)), text((11, "。", 6), (89, "", 6))),
    "fineweb_short_line_ratio": (
        "\n".join(SHORT[:67] + [line(i) for i in range(33)]),
        "\n".join(SHORT[:68] + [line(i) for i in range(32)]),
    ),
    "fineweb_char_dup_ratio": (
        text((100, ".", 6)) + "\n" + line(0),  # 1 repeated line of 101: under 1% of characters
        text((100, ".", 6)) + "\n" + line(0) + "\n" + line(1),
    ),
    "fineweb_list_ratio": (  # 30 newlines for 100 words, then 31
        "\n".join(LIST + [line(99, words=10)]),
        "\n".join(LIST + [line(99, words=10)]) + "\n",
    ),
}


@pytest.mark.parametrize("reason", CASES)
def test_fineweb_thresholds(reason):
    inside, past = CASES[reason]
    assert removal(inside, only=reason) is None
    assert removal(past, only=reason) == reason
    assert removal(past) == reason


def test_fineweb_empty_and_the_30_character_limit():
    assert removal("") == removal(" \n\t\n") == "fineweb_empty"
    doc = TAGGER.process(Document(id="d", text="x" * 30 + "\n" + "y" * 31, source="s"))
    assert doc.score("fineweb_quality_v1__short_line_fraction") == 0.5


def test_fineweb_scores_of_a_literal_document():
    text = "First line here.\n\nSecond line\nFirst line here.\n"
    doc = TAGGER.process(Document(id="d", text=text, source="s"))
    scores = {k.removeprefix("fineweb_quality_v1__"): s[0][2] for k, s in doc.attributes.items()}
    assert scores["lines"] == 3
    assert scores["line_punct_fraction"] == pytest.approx(2 / 3)
    assert scores["short_line_fraction"] == 1
    assert scores["duplicate_line_char_fraction"] == pytest.approx(16 / (len(text) - 4))
    assert scores["newline_word_ratio"] == pytest.approx(4 / 8)


def rule_families() -> list[list]:
    """Every rule family with the presets of the shipped YAML files, in FineWeb's order."""

    def filt(preset: str) -> AttributeFilter:
        return AttributeFilter(preset, FilterConfig(remove_if=rules(preset)))

    lines = C4LinesConfig(**load_preset("c4_lines_v1", "c4", "t", "k"))
    return [
        [GopherRepetition("gopher_repetition_v1", GopherRepetitionConfig()),
         filt("gopher_repetition")],
        [GopherQuality("gopher_quality_v1", GopherQualityConfig()), filt("gopher_quality")],
        [C4Lines("c4_lines_v1", lines), C4Quality("c4_quality_v1", C4QualityConfig()),
         filt("c4_filters")],
        [TAGGER, filt("fineweb_quality")],
    ]  # fmt: skip


FAMILIES = rule_families()
REASONS = {"c4_no_lines"} | {
    reason
    for preset in ("gopher_repetition", "gopher_quality", "c4_filters", "fineweb_quality")
    for reason in rules(preset)
}
PROSE = "The river runs past the old mill and into the town. " * 3
BAD_INPUTS = {
    "empty": "",
    "whitespace": " \n\n\t \r\n\u3000\u2028 ",
    "symbols": "!@#$%^&*() ... --- ### ||| »» ►► … \x00\x07",
    "10 MB line": "word " * 2_000_000,
    "1 MB line of sentences": PROSE * 2_000,
    "mixed scripts": "English, Русский, 中文汉字, 日本語のテキスト, עברית, العربية, हिन्दी. " * 20,
    "right to left": "\n".join(["مرحبا بالعالم، هذا نص عربي طويل بما فيه الكفاية للاختبار."] * 30),
    "astral and lone surrogates": "\U0001f600 \U00031350 \ud800 text 𝔘𝔫𝔦𝔠𝔬𝔡𝔢." * 50,
}


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_bad_inputs_do_not_crash_and_every_drop_has_a_reason(name):
    outcomes = []
    for family in FAMILIES:  # each family on the input, whether or not one before drops it
        doc = Document(id=name, text=BAD_INPUTS[name], source="s")
        for step in family:
            doc = step.process(doc)
            if isinstance(doc, Removed):
                break
        outcomes.append(doc.reason if isinstance(doc, Removed) else "kept")
    assert set(outcomes) <= REASONS | {"kept"}, outcomes
    if name in ("empty", "whitespace", "symbols", "10 MB line"):
        assert "kept" not in outcomes[1:], outcomes  # nothing to keep: Gopher, C4, FineWeb drop
