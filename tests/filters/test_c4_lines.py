"""c4_lines_v1: C4's line rules, its presets and how it rewrites a document."""

import pytest
import yaml

from dolmakit.core.document import Document, Removed
from dolmakit.core.errors import ConfigError
from dolmakit.engine.config import load_pipeline, load_preset
from dolmakit.filters.c4_lines import C4Lines, C4LinesConfig
from dolmakit.presets import PRESETS_DIR

GOOD = "\n".join(f"This is the {n} good line of the page." for n in ("first", "second", "third"))


def lines_step(preset: str = "c4") -> C4Lines:
    return C4Lines("c4_lines_v1", C4LinesConfig(**load_preset("c4_lines_v1", preset, "t", "k")))


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


def test_c4_lines_config_error():
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
    c4_rules = resolved["c4_filters"].config.remove_if
    page_flags = {
        k: v for k, v in c4_rules.items() if k not in ("c4_too_long_page", "c4_too_few_sentences")
    }
    assert resolved["c4_filters_dolma"].config.remove_if == page_flags  # Dolma's c4_v1 flags
