"""language_filter on literal language scores, and with language_id_v1 on the bundled Common
Crawl sample."""

from __future__ import annotations

import pytest
import yaml
from conftest import SAMPLE_WARC
from helpers import read_jsonl_dir

from dolmakit.core.document import Document, Removed
from dolmakit.core.errors import ConfigError
from dolmakit.engine.run import run_pipeline
from dolmakit.filters.language_filter import LanguageFilter, LanguageFilterConfig


def doc(text: str) -> Document:
    return Document(id="d", text=text, source="s")


def tagged(**languages: float) -> Document:
    document = doc("some text")
    for lang, score in languages.items():
        document.attributes[f"language_id_v1__{lang}"] = [[0, 9, score]]
    return document


def keep(document: Document, **settings) -> str | None:
    """None when kept, else the removal reason."""
    step = LanguageFilter("language_filter", LanguageFilterConfig(**settings))
    result = step.process(document)
    return result.reason if isinstance(result, Removed) else None


def test_filter_on_both_sides_of_the_threshold():
    assert keep(tagged(en=0.70, de=0.2), threshold=0.65) is None
    assert keep(tagged(en=0.65), threshold=0.65) is None
    assert keep(tagged(en=0.64, de=0.3), threshold=0.65) == "language_en_below_threshold"
    assert keep(tagged(de=0.9, en=0.05), threshold=0.65) == "language_de"
    assert keep(tagged(), threshold=0.65) == "language_unknown"


def test_filter_keeps_the_best_of_several_languages():
    assert keep(tagged(de=0.55, en=0.4), languages=["en", "fr"], threshold=0.3) is None
    assert keep(tagged(de=0.55, en=0.4), languages=["fr"], threshold=0.0) == "language_de"
    assert keep(tagged(fr=0.8), languages=["en", "fr"], preset="ccnet") is None


def test_presets():
    assert keep(tagged(en=0.6), preset="ccnet") is None
    assert keep(tagged(en=0.6), preset="fineweb") == "language_en_below_threshold"
    assert keep(tagged(en=0.49), preset="ccnet") == "language_en_below_threshold"
    for preset, value in (("ccnet", 0.5), ("fineweb", 0.65)):
        step = LanguageFilter("f", LanguageFilterConfig(preset=preset))
        assert step.threshold == value


def test_filter_ignores_paragraph_spans_and_reads_its_prefix():
    document = tagged(en=0.9)
    document.attributes["language_id_v1__paragraph_de"] = [[0, 4, 0.99]]
    assert keep(document, preset="fineweb") is None
    named = doc("x")
    named.attributes["lid__pl"] = [[0, 1, 0.9]]
    assert keep(named, languages=["pl"], preset="fineweb", attribute_prefix="lid") is None
    assert keep(named, preset="fineweb") == "language_unknown"


@pytest.mark.parametrize(
    "settings",
    [
        {},
        {"threshold": 0.5, "preset": "ccnet"},
        {"threshold": 1.5},
        {"languages": [], "threshold": 0.5},
    ],
)
def test_filter_settings_errors(settings):
    with pytest.raises(ConfigError):
        LanguageFilter("language_filter", LanguageFilterConfig(**settings))


# --- end to end ------------------------------------------------------------------------------


def test_pipeline_on_the_sample(tmp_path):
    pipeline = {
        "name": "languages",
        "input": {"paths": [str(SAMPLE_WARC)]},
        "output": {"path": str(tmp_path / "out")},
        "steps": [
            {"type": "language_id_v1"},
            {"type": "language_filter", "config": {"languages": ["en"], "preset": "fineweb"}},
        ],
        "run": {"workers": 1},
    }
    (tmp_path / "p.yaml").write_text(yaml.safe_dump(pipeline), encoding="utf-8")
    summary = run_pipeline(str(tmp_path / "p.yaml"), [], [])
    assert summary.ok
    removed = read_jsonl_dir(tmp_path / "out" / "removed")
    by_language = {row["metadata"]["url"].split("/")[2]: row["removed"]["reason"]
                   for row in removed if row["removed"]["step"] == "language_filter"}  # fmt: skip
    assert by_language["www.wanderfreunde.example"] == "language_de"
    assert by_language["www.carnet-de-village.example"] == "language_fr"
    assert by_language["www.chaxiang-notes.example"] == "language_zh"
    assert by_language["www.jip-bap.example"] == "language_ko"
    counters = summary.report["counters"]
    assert counters["language_id_v1/language/en"] == summary.report["totals"]["kept"] == 17
    assert counters["language_id_v1/language/de"] == counters["language_id_v1/language/ja"] == 2
    kept = read_jsonl_dir(tmp_path / "out" / "documents")
    assert all(row["attributes"]["language_id_v1__en"][0][2] >= 0.65 for row in kept)
