"""The default English model: a Wikipedia LM, trained the CCNet way from the mediawiki reader's
articles and detokenized WikiText-103, never from WikiText's test split."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import statistics
from pathlib import Path

import click
import pytest
import yaml
from conftest import shared_data_dir
from sources.wikipedia import dumps  # the reader tests' dump writer

from dolmakit.core.errors import FatalError
from dolmakit.io.texts import read_texts
from dolmakit.kenlm_models.kenlm import LanguageModel, default_model_dir
from dolmakit.kenlm_training import wikipedia

from .conftest import BOILERPLATE

needs_kenlm = pytest.mark.usefixtures("kenlm_tools")
TOKENS = " \n = Lobster = \n \n The European lobster , a crustacean , lives in the sea . \n"
MACHINE_PATH = re.compile(r"(?:^|[\s\"'=])/(?:root|home|work|tmp|usr|opt)/|\.venv|site-packages")


def small_inputs(tmp_path: Path, prose_lines: list[str]) -> tuple[Path, Path]:
    pages = [dumps.page(f"Article {n}", line, n + 1) for n, line in enumerate(prose_lines)]
    pages.append(dumps.page("Elsewhere", "#REDIRECT [[Article 1]]", 9999))
    dump = dumps.write(tmp_path / "enwiki-test-pages-articles.xml.bz2", dumps.dump(pages))
    tokens = tmp_path / "wiki.valid.tokens"
    tokens.write_text(TOKENS, encoding="utf-8")
    return dump, tokens


@needs_kenlm
def test_builds_from_the_reader_and_wikitext_and_records_no_machine_path(
    tmp_path, prose_lines, monkeypatch
):
    dump, tokens = small_inputs(tmp_path, prose_lines)
    small = {**wikipedia.WIKIPEDIA_SETTINGS, "vocab_size": 600}
    monkeypatch.setattr(wikipedia, "WIKIPEDIA_SETTINGS", small)
    result = wikipedia.build_wikipedia([dump], [tokens], tmp_path / "out", tmp_path / "work")
    assert result.corpus.documents == {dump.name: len(prose_lines), "wiki.valid.tokens": 1}
    corpus = result.corpus.file.read_text(encoding="utf-8")
    assert "The European lobster, a crustacean, lives in the sea.\n\n" in corpus
    assert "REDIRECT" not in corpus and "Lobster\n" not in corpus  # no redirect, no title line
    metadata = json.loads((tmp_path / "out" / "en.json").read_text())
    assert [(i["name"], i["articles"]) for i in metadata["inputs"]] == [
        (dump.name, len(prose_lines)), ("wiki.valid.tokens", 1)
    ]  # fmt: skip
    assert metadata["inputs"][1]["sha256"] == hashlib.sha256(tokens.read_bytes()).hexdigest()
    assert metadata["command"] == (
        f"dolmakit lm build-wikipedia --dump {dump.name} --wikitext wiki.valid.tokens --out out"
    )
    text = json.dumps(metadata)
    assert str(tmp_path) not in text and not MACHINE_PATH.search(text)


def test_refuses_wikitexts_test_split_before_training(tmp_path):
    held_out = tmp_path / "wiki.test.tokens"
    held_out.write_text(TOKENS, encoding="utf-8")
    with pytest.raises(FatalError, match="never trained on"):
        wikipedia.build_wikipedia([], [held_out], tmp_path / "out", tmp_path / "work")
    assert not (tmp_path / "out").exists()


def test_the_shipped_model_says_what_it_was_built_from_and_nothing_of_the_machine():
    folder = default_model_dir()
    for name in ("en.sp.model", "en.arpa.bin", "en.json"):
        assert (folder / name).is_file(), name
    text = (folder / "en.json").read_text()
    assert not MACHINE_PATH.search(text), MACHINE_PATH.search(text)
    metadata = json.loads(text)
    assert [(i["name"], i["articles"]) for i in metadata["inputs"]] == [
        ("enwik8-head.xml.bz2", 248), ("wiki.valid.tokens", 60)
    ]  # fmt: skip
    assert metadata["command"] == (
        "dolmakit lm build-wikipedia --dump enwik8-head.xml.bz2 --wikitext wiki.valid.tokens"
        " --out dolmakit/data/lm"
    )
    assert metadata["vocab_size"] == wikipedia.WIKIPEDIA_SETTINGS["vocab_size"] == 8000
    assert metadata["prune"] == list(wikipedia.WIKIPEDIA_SETTINGS["prune"])
    assert sum(metadata["files"].values()) < 5_000_000  # small enough to ship in the package


def shared_wiki(name: str) -> Path:
    path = shared_data_dir() / "wiki" / name
    if not path.is_file():
        pytest.skip(f"real Wikipedia text {path} not found")
    return path


def test_the_shipped_inputs_are_the_shared_files():
    metadata = json.loads((default_model_dir() / "en.json").read_text())
    for facts in metadata["inputs"]:
        data = shared_wiki(facts["name"]).read_bytes()
        assert (len(data), hashlib.sha256(data).hexdigest()) == (facts["bytes"], facts["sha256"])


def source_code_documents(limit: int = 60) -> list[str]:
    """The first 300 lines of Python files of installed packages and the standard library."""
    files = []
    for module in (click, yaml, logging, json):
        folder = Path(module.__file__).parent
        files += sorted(path for path in folder.glob("*.py") if path.stat().st_size > 2000)
    return ["\n".join(path.read_text().split("\n")[:300]) for path in files[:limit]]


def test_held_out_wikipedia_scores_lowest_then_web_then_boilerplate_and_code():
    from dolmakit.kenlm_training.crawl import language_pages
    from dolmakit.sources.wikipedia.wikitext103 import read_articles

    web_file = shared_data_dir() / "web" / "web-pages.warc.gz"
    if not web_file.is_file():
        pytest.skip(f"real web pages {web_file} not found")
    model = LanguageModel.load(default_model_dir(), "en")
    texts = {
        "wikipedia": [a.text for a in read_articles(shared_wiki("wiki.test.tokens"))],
        "web": [page.text for page in language_pages([web_file], "en")],
        "boilerplate": list(read_texts([BOILERPLATE])),
        "code": source_code_documents(),
    }
    medians = {name: statistics.median(map(model.perplexity, docs)) for name, docs in texts.items()}
    print("median perplexities:", medians)
    assert medians["wikipedia"] * 1.2 < medians["web"]
    assert medians["web"] * 1.8 < medians["boilerplate"]
    assert medians["wikipedia"] * 3 < medians["code"]
