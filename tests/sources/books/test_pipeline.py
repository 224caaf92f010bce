"""pipelines/books.yaml, every step of it, on the bundled sample (samples/books, see its README)."""

from __future__ import annotations

import pytest
import yaml
from conftest import REPO
from helpers import run_shipped_pipeline

SAMPLE = REPO / "samples" / "books"
PIPELINE = REPO / "pipelines" / "books.yaml"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("books")
    run = run_shipped_pipeline("books", out, f"input.paths=[{SAMPLE}/*.txt, {SAMPLE}/*.zip]")
    return run.summary, run.docs, run.removed


def test_every_book_is_accounted_for(run):
    summary, docs, removed = run
    totals = summary.report["totals"]
    assert summary.ok and totals["invariant_holds"]
    assert totals["in"] == 4 == totals["kept"] + totals["removed"] + totals["errors"]
    assert sorted(docs) == ["11001-0.txt", "11004-8.txt", "ivory10.txt"]


def test_headers_and_footers_are_stripped_exactly(run):
    _, docs, _ = run
    cases = {  # id: (first lines, last line)
        "11001-0.txt": ("THE LIGHTHOUSE KEEPER'S ALMANAC\n\nby Agatha Pennyworth\n", "THE END"),
        "ivory10.txt": ("THE IVORY LANTERN\n\nA TALE OF THE MARSH TOWNS\n", "FINIS"),
        "11004-8.txt": ("LE MOULIN DE LA VALLÉE\n\npar Honorine Delacroix\n", "FIN"),
    }
    for doc_id, (first, last) in cases.items():
        text = docs[doc_id]["text"]
        assert text.startswith(first) and text.split("\n")[-1] == last, doc_id
        for boilerplate in ("Gutenberg", "Produced by", "prepared by", "SMALL PRINT", "licence"):
            assert boilerplate not in text, (doc_id, boilerplate)


def test_header_fields_become_metadata(run):
    _, docs, _ = run
    moulin = docs["11004-8.txt"]
    assert moulin["source"] == "books" and moulin["created"] == "2005-06-21"
    metadata = {key: value for key, value in moulin["metadata"].items() if key != "input_shard"}
    assert metadata == {
        "title": "Le Moulin de la Vallée", "author": "Honorine Delacroix", "language": "fr",
        "release_date": "June 21, 2005", "charset": "iso8859-1", "license": "public-domain-us",
        "gutenberg_id": 11004, "url": "https://www.gutenberg.org/ebooks/11004",
    }  # fmt: skip
    assert moulin["attributes"]["language_id_v1__fr"][0][2] > 0.9
    ivory = docs["ivory10.txt"]["metadata"]
    assert (ivory["title"], ivory["gutenberg_id"]) == ("The Ivory Lantern", 11003)


def test_the_later_near_duplicate_edition_is_removed_and_shared_boilerplate_is_not(run):
    _, docs, removed = run
    (edition,) = removed.values()
    assert edition["id"] == "11002-0.zip/11002-0.txt"
    assert edition["removed"] == {"step": "minhash_dedup", "reason": "near_duplicate"}
    assert edition["metadata"]["duplicate_of"] == "11001-0.txt"  # the earlier release
    # ivory10.txt opens with the same transcriber's note as 11001-0.txt, and is kept
    note = "TRANSCRIBER'S NOTE: Obvious printing errors have been corrected"
    assert note in docs["ivory10.txt"]["text"] and note in docs["11001-0.txt"]["text"]


def test_the_dedup_threshold_is_90_percent_overlap_as_jaccard():
    steps = yaml.safe_load(PIPELINE.read_text())["steps"]
    (minhash,) = [step["config"] for step in steps if step["type"] == "minhash_dedup"]
    overlap = 0.9  # two editions of equal length sharing 90% of their shingles
    assert minhash["minhash"]["threshold"] == pytest.approx(overlap / (2 - overlap), abs=0.005)
    assert minhash["verify"] is True
