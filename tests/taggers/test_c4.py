from pathlib import Path

import pytest
import yaml

from dolmakit.core.document import Document, Removed
from dolmakit.core.errors import ConfigError
from dolmakit.engine.config import load_pipeline, load_preset
from dolmakit.filters.attribute_filter import AttributeFilter, FilterConfig
from dolmakit.presets import PRESETS_DIR
from dolmakit.taggers.c4 import C4Lines, C4LinesConfig, C4Quality, C4QualityConfig

REPO = Path(__file__).resolve().parents[2]
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


LONG_WORD = "x" * 1000
LINE_CASES = [
    # (line, reason it is dropped for or None, the line as kept)
    (f"a b c d {LONG_WORD} end.", None, f"a b c d {LONG_WORD} end."),
    (f"a b c d {LONG_WORD}y end.", "too_long_word", None),
    ("  Five words end right here.  ", None, "Five words end right here."),
    ("Four words end here.", "too_few_words", None),
    ("Is this a question then?", None, "Is this a question then?"),
    ("What a surprise this is!", None, "What a surprise this is!"),
    ('He said "it is fine."', None, 'He said "it is fine."'),
    ("He said it is 'fine'", "no_end_mark", None),
    ("A line that has no mark", "no_end_mark", None),
    ("A line that trails off...", "no_end_mark", None),
    ("Cited text[1] goes here[edit] ok.[23][citation needed]", None, "Cited text goes here ok."),
    ("Markers apart leave a space.[1] [2]", "no_end_mark", None),  # C4 strips, then cuts
    ("Please enable JavaScript to view the page.", "javascript", None),
    ("This site uses cookies for a better experience.", "policy", None),
    ("Read our Privacy Policy before you go on.", "policy", None),
    ("By using it you accept the terms of use.", "policy", None),
    # page-level findings stay for c4_quality_v1 (C4 drops the whole page for them)
    ("Lorem ipsum dolor sit amet, javascript.", None, "Lorem ipsum dolor sit amet, javascript."),
    ("The code says {x: 1} right here.", None, "The code says {x: 1} right here."),
    ("The code says {x: 1} per our cookie policy.", None,
     "The code says {x: 1} per our cookie policy."),
    ("Enable javascript to see {this} thing.", "javascript", None),  # C4 checks javascript first
]  # fmt: skip


@pytest.mark.parametrize(("line", "reason", "kept"), LINE_CASES)
def test_c4_line_rules(line, reason, kept):
    cleaned, dropped_for = lines_step().judge(line)
    assert dropped_for == reason
    if reason is None:
        assert cleaned == kept


@pytest.mark.parametrize(
    ("preset", "line", "reason"),
    [
        ("datatrove", "Three words here.", None),
        ("datatrove", "Two words.", "too_few_words"),
        ("datatrove", "He said it is 'fine'", None),  # datatrove also ends lines on '
        ("dolma", "Three words here.", None),
        ("dolma", "He said it is 'fine'", "no_end_mark"),
        ("fineweb", "A line that has no mark", None),  # FineWeb turned the end-mark rule off
        ("fineweb", "Two words.", "too_few_words"),
    ],
)
def test_c4_line_presets_of_other_projects(preset, line, reason):
    assert lines_step(preset).judge(line)[1] == reason


def test_c4_lines_rewrites_the_text_and_counts_what_it_removed():
    text = "Menu\n" + GOOD.replace("third", "third[2]") + "\nPlease enable javascript to view it.\n"
    doc = Document(id="d", text=text, source="s")
    doc.attributes = {"t__score": [[0, len(text), 0.5]], "t__spans": [[0, 4, 1.0]]}
    step = lines_step()
    assert step.process(doc) is doc
    assert doc.text == GOOD
    assert doc.attributes["c4_lines_v1__original_chars"] == [[0, len(GOOD), len(text)]]
    assert doc.attributes["t__score"] == [[0, len(GOOD), 0.5]]  # re-pointed at the new text
    assert doc.attributes["t__spans"] == [[0, 4, 1.0]]  # spans inside a text cannot be
    assert step.stats == {
        "lines_kept": 3,
        "lines_dropped/no_end_mark": 1,
        "lines_dropped/javascript": 1,
        "chars_removed": len(text) - len(GOOD),
    }


def test_c4_lines_removes_a_document_with_no_line_left():
    text = "Home\nAbout us\nShort line.\n"
    removed = lines_step().process(Document(id="d", text=text, source="s"))
    assert isinstance(removed, Removed) and removed.reason == "c4_no_lines"
    assert removed.doc.text == text  # the removed document keeps its text


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
    assert c4_removal(found) is None  # no list, no rule
    doc = C4Quality("q", C4QualityConfig(bad_words_file=str(words))).process(
        Document(id="d", text="badword badword, (badword)", source="s")
    )
    assert doc.score("q__bad_words") == 3


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
    with pytest.raises(ConfigError, match="end_marks is empty"):
        C4Lines("l", C4LinesConfig(end_marks=[]))


def test_every_shipped_preset_resolves_in_a_pipeline(tmp_path):
    presets = yaml.safe_load((PRESETS_DIR / "c4_lines_v1.yaml").read_text())
    steps = [{"type": "c4_lines_v1", "name": f"lines_{p}", "preset": p} for p in presets]
    filters = yaml.safe_load((PRESETS_DIR / "filter.yaml").read_text())
    steps += [{"type": "filter", "name": p, "preset": p} for p in filters]
    data = {"name": "t", "input": {"paths": ["x"]}, "output": {"path": "o"}, "steps": steps}
    path = tmp_path / "pipeline.yaml"
    path.write_text(yaml.safe_dump(data))
    resolved = {step.name: step for step in load_pipeline(path).steps}
    assert resolved["lines_c4"].config == C4LinesConfig()
    assert resolved["lines_datatrove"].config.min_words_per_line == 3
    assert resolved["c4_filters_dolma"].config == resolved["c4_filters"].config
