"""The spaCy rules data file (dolmakit/data/spacy/en_rules.json) is what its generator
(scripts/spacy_en_rules.py) writes: byte for byte, from spaCy itself where spaCy is installed,
else from a tokenizer stand-in built of the file's own rules (spaCy is no test dependency)."""

from __future__ import annotations

import importlib.util
import json
import re
from importlib.resources import files
from pathlib import Path
from types import SimpleNamespace

import pytest

from dolmakit.text import spacy_words

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "spacy_en_rules.py"


@pytest.fixture(scope="module")
def generator():
    spec = importlib.util.spec_from_file_location("spacy_en_rules", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def shipped() -> bytes:
    return files("dolmakit").joinpath(spacy_words.RULES_FILE).read_bytes()


def test_the_generator_writes_the_shipped_file(generator, shipped):
    rules = json.loads(shipped)
    cases = rules["special_cases"]
    stand_in = SimpleNamespace(
        token_match=None,
        rules={chunk: [{generator.ORTH: token} for token in cases[chunk]] for chunk in cases},
        prefix_search=re.compile(rules["prefix"]).search,
        suffix_search=re.compile(rules["suffix"]).search,
        infix_finditer=re.compile(rules["infix"]).finditer,
        url_match=re.compile(rules["url"]).match,
    )
    assert generator.render(generator.rules_from(stand_in, rules["spacy_version"])) == shipped


def test_regenerating_from_spacy_gives_the_same_bytes(generator, shipped):
    spacy = pytest.importorskip("spacy", reason="spaCy is not installed (no test dependency)")
    rules = json.loads(shipped)
    if spacy.__version__ != rules["spacy_version"]:
        pytest.skip(f"the rules are spaCy {rules['spacy_version']}'s, not {spacy.__version__}'s")
    tokenizer = spacy.blank("en").tokenizer
    assert generator.render(generator.rules_from(tokenizer, spacy.__version__)) == shipped


def test_the_word_splitter_loads_the_rules(shipped):
    rules = json.loads(shipped)
    assert (rules["prefix"], rules["url"]) == (spacy_words.PREFIX, spacy_words.URL)
    assert len(spacy_words.SPECIAL_CASES) == 1347
    assert spacy_words.SPECIAL_CASES["can't"] == ("ca", "n't")
