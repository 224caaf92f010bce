"""The CCNet perplexity step on the bundled English Wikipedia model (dolmakit/data/lm)."""

from __future__ import annotations

import shutil

import pytest

from dolmakit.core.document import Document
from dolmakit.core.errors import ConfigError
from dolmakit.kenlm_models.cutoffs import CCNET_CUTOFFS
from dolmakit.kenlm_models.kenlm import LanguageModel, default_model_dir
from dolmakit.taggers.perplexity import CCNetPerplexity, PerplexityConfig

PROSE = (  # encyclopedic prose, written for this test
    "The river flows north through a wide valley before it reaches the sea.\n"
    "Its banks were settled by farmers in the eleventh century, and the town grew into a"
    " market centre."
)
NAVIGATION = ["Skip to main content", "Home", "News", "Sport", "Sign in", "Register", "Menu",
              "Search", "Share on Facebook", "Share on Twitter", "Back to top"]  # fmt: skip
BOILERPLATE = "\n".join(NAVIGATION)


def tagger(**config) -> CCNetPerplexity:
    step = CCNetPerplexity("ccnet_perplexity_v1", PerplexityConfig(**config))
    step.setup()
    return step


def tag(step: CCNetPerplexity, text: str, **attributes) -> dict[str, float]:
    doc = Document(id="d", text=text, source="t", attributes=attributes)
    step.process(doc)
    return {k.removeprefix("ccnet_perplexity_v1__"): v[0][2] for k, v in doc.attributes.items()
            if k.startswith("ccnet_perplexity_v1__")}  # fmt: skip


def test_perplexity_is_the_language_models():
    scores = tag(tagger(language="en"), PROSE)
    expected = LanguageModel.load(default_model_dir(), "en").perplexity(PROSE)
    assert scores["perplexity"] == expected


def test_prose_scores_far_below_boilerplate_and_buckets_follow():
    step = tagger(language="en")
    prose, boilerplate = tag(step, PROSE), tag(step, BOILERPLATE)
    assert prose["perplexity"] * 3 < boilerplate["perplexity"]
    assert "tail" not in prose and "tail" in boilerplate
    assert step.stats["bucket/en_tail"] == 1


def test_language_comes_from_language_id_attributes():
    step = tagger()
    attributes = {"language_id_v1__de": [[0, 9, 0.2]], "language_id_v1__en": [[0, 9, 0.7]],
                  "language_id_v1__paragraph_fr": [[0, 9, 0.99]]}  # fmt: skip
    assert "perplexity" in tag(step, PROSE, **attributes)
    german = {"language_id_v1__de": [[0, 9, 0.9]]}
    assert tag(step, "Das ist ein deutscher Satz.", **german) == {}
    assert tag(step, PROSE) == {}  # no language at all
    assert step.stats["no_model/de"] == 1 and step.stats["no_model/unknown"] == 1


def test_ccnet_cutoffs_preset():
    step = tagger(language="en", cutoffs="ccnet")
    assert step.cutoffs == CCNET_CUTOFFS
    scores = tag(step, BOILERPLATE)  # 340 and 520: CCNet's own model's cutoffs
    assert scores["perplexity"] >= 520 and "tail" in scores


@pytest.mark.parametrize("text", ["", "   \n\n "])
def test_a_text_without_a_line_is_counted_not_scored(text):
    step = tagger(language="en")
    assert tag(step, text) == {}
    assert step.stats["no_text/en"] == 1


@pytest.mark.parametrize(
    ("text", "scores"),
    [
        ("!!!", {"perplexity": 260.2, "head": 1.0}),
        ("x" * 10_000_000, {"perplexity": 102.3, "head": 1.0}),  # one 10 MB line
    ],
)
def test_odd_texts(text, scores):
    assert tag(tagger(language="en"), text) == scores


def test_missing_or_broken_models_fail_at_construction(tmp_path):
    with pytest.raises(ConfigError, match="models"):
        CCNetPerplexity("p", PerplexityConfig(models=str(tmp_path)))
    with pytest.raises(ConfigError, match="no model for language 'fr'"):
        CCNetPerplexity("p", PerplexityConfig(language="fr"))
    for name in ("en.sp.model", "en.json", "cutoffs.json"):
        shutil.copy(default_model_dir() / name, tmp_path / name)
    (tmp_path / "en.arpa.bin").write_bytes(b"not a kenlm binary")
    with pytest.raises(ConfigError):
        CCNetPerplexity("p", PerplexityConfig(models=str(tmp_path)))
