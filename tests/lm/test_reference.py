"""The shipped reference model: its corpus split, and that it tells prose from boilerplate and
code (the issue asks for medians at least 3x apart)."""

from __future__ import annotations

import json
import logging
import statistics
from pathlib import Path

import click
import pytest
import yaml

from dolmakit.core.errors import FatalError
from dolmakit.io.texts import read_texts
from dolmakit.lm import reference
from dolmakit.models.kenlm import LanguageModel, default_model_dir

from .conftest import BOILERPLATE


def test_the_default_model_folder_holds_the_files_the_tagger_reads():
    folder = default_model_dir()
    for name in ("en.sp.model", "en.arpa.bin", "en.json", "cutoffs.json"):
        assert (folder / name).is_file(), name
    metadata = json.loads((folder / "en.json").read_text())
    assert metadata["prune"] == list(reference.REFERENCE_SETTINGS["prune"])
    assert sum(metadata["files"].values()) < 5_000_000  # small enough to ship in the package


def test_long_lines_are_cut_into_paragraphs_at_sentence_ends():
    sentence = "The revenue of the year exceeded the estimates of the Treasury. "
    lines = reference.paragraphs(sentence * 30 + "\nA short line.\n\n")
    assert lines[-1] == "A short line." and len(lines) > 3
    assert all(line.endswith(".") for line in lines)
    assert all(len(line) < 2 * reference.PARAGRAPH_CHARS for line in lines)
    assert " ".join(lines[:-1]) == (sentence * 30).strip()


def test_the_held_out_choice_depends_only_on_the_id():
    # the shipped cutoffs were computed on these: changing the hash changes the split
    assert reference.is_held_out("sotu/1796_george_washington_n")
    assert reference.is_held_out("brown/ca44")
    assert not reference.is_held_out("sotu/1790_george_washington_n")
    ids = [f"brown/c{n:03d}" for n in range(2000)]
    assert sum(map(reference.is_held_out, ids)) == 90


def source_code_documents(limit: int = 60) -> list[str]:
    """The first 300 lines of Python files of installed packages and the standard library."""
    files = []
    for module in (click, yaml, logging, json):
        folder = Path(module.__file__).parent
        files += sorted(path for path in folder.glob("*.py") if path.stat().st_size > 2000)
    return ["\n".join(path.read_text().split("\n")[:300]) for path in files[:limit]]


@pytest.fixture(scope="module")
def held_out_prose(tmp_path_factory) -> list[str]:
    try:
        split = reference.write_split(tmp_path_factory.mktemp("reference"))
    except FatalError as error:  # no npm or no network: the corpora cannot be fetched
        pytest.skip(f"reference corpora unavailable: {error}")
    return list(read_texts([split.held_out_file]))


def test_prose_boilerplate_and_code_are_far_apart(held_out_prose):
    model = LanguageModel.load(default_model_dir(), "en")
    medians = {
        name: statistics.median(map(model.perplexity, documents))
        for name, documents in (("prose", held_out_prose),
                                ("boilerplate", list(read_texts([BOILERPLATE]))),
                                ("code", source_code_documents()))
    }  # fmt: skip
    print("median perplexities:", medians)
    assert medians["boilerplate"] >= 3 * medians["prose"]
    assert medians["code"] >= 3 * medians["prose"]
