import pytest

from dolmakit.core.document import Document
from dolmakit.taggers.stats import TextStats, TextStatsConfig, char_class_counts


def tag(text: str) -> dict[str, float]:
    doc = Document(id="d", text=text, source="s")
    TextStats("text_stats_v1", TextStatsConfig()).process(doc)
    assert all(spans == [[0, len(text), spans[0][2]]] for spans in doc.attributes.values())
    return {
        key.removeprefix("text_stats_v1__"): spans[0][2] for key, spans in doc.attributes.items()
    }


def test_counts_words_lines_and_fractions():
    stats = tag("ab cd\n\nef 1\n" + "x" * 31)
    assert (stats["chars"], stats["words"], stats["lines"]) == (43, 5, 3)
    assert stats["mean_word_length"] == pytest.approx((2 + 2 + 2 + 1 + 31) / 5)
    visible = 38  # non-space characters
    assert stats["alpha_fraction"] == pytest.approx(37 / visible)
    assert stats["digit_fraction"] == pytest.approx(1 / visible)
    assert stats["short_line_fraction"] == pytest.approx(2 / 3)  # the 31-character line is long


@pytest.mark.parametrize("text", ["", "   \n\t ", "!!! ??? ...", "مرحبا بالعالم", "x" * 1_000_000])
def test_odd_texts_do_not_crash(text):
    stats = tag(text)
    assert stats["chars"] == len(text)
    assert 0.0 <= stats["alpha_fraction"] <= 1.0


def test_chinese_and_japanese_characters_count_as_words():
    assert tag("我们喝茶")["words"] == 4
    assert tag("雪の温泉へ行きました")["words"] == 10
    assert tag("Tokyo 東京 trip")["words"] == 4
    assert tag("서울에 갔습니다")["words"] == 2  # Korean is written with spaces


@pytest.mark.parametrize(
    "text",
    [
        "plain ascii 123",
        "Grüße, 東京 ٣ digits\u00a0nbsp\u2003em",
        "\ud800 lone",
        "",
        "\U00031350\U0001d7d8x",
    ],
)
def test_char_class_counts_match_python(text):
    expected = (
        sum(map(str.isspace, text)),
        sum(map(str.isalpha, text)),
        sum(map(str.isdigit, text)),
    )
    assert char_class_counts(text) == expected
